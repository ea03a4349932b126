#!/usr/bin/env python3
"""Runs pgbench and reports what PostgreSQL spent per transaction: the CPU time (utime + stime from /proc) of the
backends serving pgbench, over the middle of the run (from 2 s after the start to 1 s before the end, so that
connecting and disconnecting are left out), divided by the transactions pgbench reported for those seconds.
    load-tests/pgbench-cpu.py SECONDS ROLE DATABASE -- <pgbench options and scripts>
Prints one line:  tps <mean tps>  pg_us_per_tx <µs>"""
import os
import re
import subprocess
import sys
import time

HZ = os.sysconf('SC_CLK_TCK')


def backend_ticks(role, database):
    ticks = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            args = open(f'/proc/{pid}/cmdline', 'rb').read().replace(b'\0', b' ').decode(errors='replace')
            if args.startswith('postgres:') and f' {role} {database} ' in args:
                fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
                ticks[pid] = int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return ticks


def main():
    seconds, role, database = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    extra = sys.argv[sys.argv.index('--') + 1:]
    command = ['pgbench', '-h', '127.0.0.1', '-U', role, '-n', '-T', str(seconds), '-P', '1', *extra, database]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(2)
    before = backend_ticks(role, database)
    time.sleep(seconds - 3)
    after = backend_ticks(role, database)
    output = run.communicate()[0]
    per_second = [float(tps) for _, tps in re.findall(r'progress: (\d+)\.\d s, ([\d.]+) tps', output)]
    window = per_second[2:seconds - 1]
    if run.returncode != 0 or not window:
        sys.exit(f'pgbench failed:\n{output}')
    cpu = sum(after[pid] - before.get(pid, 0) for pid in after) / HZ
    print(f'tps {sum(window) / len(window):.0f}  pg_us_per_tx {cpu / sum(window) * 1e6:.1f}')


if __name__ == '__main__':
    main()
