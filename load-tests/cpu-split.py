#!/usr/bin/env python3
"""CPU use per second while load-tests/overhead.sh runs, split by who spends it: the multi-tenant server's JVM, the
baseline's JVM, the PostgreSQL backends serving each (by database name), wrk, and everything else on the machine.
Prints one line per second, in percent of one core:   time mt-java base-java pg-mt pg-base wrk other
    python3 load-tests/cpu-split.py 600 > cpu.txt &   # then run overhead.sh; stops by itself after 600 s
CPU per request = (a column's mean over the seconds its server was under load) / that server's req/s."""
import os
import sys
import time

HZ = os.sysconf('SC_CLK_TCK')
CATEGORIES = ['mt-java', 'base-java', 'pg-mt', 'pg-base', 'wrk', 'other']


def category(pid):
    try:
        args = open(f'/proc/{pid}/cmdline', 'rb').read().replace(b'\0', b' ').decode(errors='replace')
        comm = open(f'/proc/{pid}/comm').read().strip()
    except OSError:
        return None
    if args.startswith('java') and ' serve ' in args and 'tenantry_ovh_mt' in args:
        return 'mt-java'
    if args.startswith('java') and 'io.tenantry.load.baseline.BaselineMain' in args:
        return 'base-java'
    if args.startswith('postgres:') and 'tenantry_ovh_mt' in args:
        return 'pg-mt'
    if args.startswith('postgres:') and 'tenantry_ovh_base' in args:
        return 'pg-base'
    return 'wrk' if comm == 'wrk' else 'other'


def ticks(pid):
    try:
        fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    previous = {}
    print('time ' + ' '.join(CATEGORIES), flush=True)
    for _ in range(seconds):
        current = {p: t for p in os.listdir('/proc') if p.isdigit() for t in [ticks(p)] if t is not None}
        totals = dict.fromkeys(CATEGORIES, 0)
        for pid, t in current.items():
            if pid in previous:
                c = category(pid)
                if c:
                    totals[c] += t - previous[pid]
        previous = current
        print(time.strftime('%H:%M:%S') + ' ' + ' '.join(f'{totals[c] * 100 // HZ:4d}' for c in CATEGORIES), flush=True)
        time.sleep(1)


if __name__ == '__main__':
    main()
