#!/usr/bin/env python3
"""The chaos run's client (load-tests/chaos.sh): a mixed read/write load over several tenants, spread over the nodes
as a load balancer would (round robin; a node that refuses connections is skipped for a second), recording every
request and every acknowledged write.

  chaos-client.py run TENANTS.json OUT_DIR STOP_FILE   load until STOP_FILE exists
  chaos-client.py check TENANTS.json OUT_DIR           read back every acknowledged write, count duplicates
  chaos-client.py report OUT_DIR FAULTS.tsv            figures per fault window

TENANTS.json: {"nodes": ["http://127.0.0.1:P1", ...], "tenants": [{"slug", "tier", "token"}, ...]}
Writes are record creates with an Idempotency-Key and the key inside the body ("k"); a 503 or a lost connection is
retried with the same key (as the errors guide says) until acknowledged (201) or the run ends. requests.tsv holds
every request (time, tenant, op, status, ms); acked.tsv every acknowledged write (tenant, key, id).
"""
import http.client
import json
import os
import random
import sys
import threading
import time
import uuid
from urllib.parse import urlparse

THREADS_PER_TENANT = 2
WRITE_SHARE = 0.3
PAUSE = 0.02  # between one worker's requests: a steady, modest load on a shared 2-core machine


class Nodes:
    def __init__(self, urls):
        self.urls = [urlparse(u) for u in urls]
        self.down_until = [0.0] * len(urls)
        self.next = 0
        self.lock = threading.Lock()

    def pick(self):
        with self.lock:
            for _ in range(len(self.urls)):
                i = self.next % len(self.urls)
                self.next += 1
                if self.down_until[i] <= time.time():
                    return i
            return self.next % len(self.urls)

    def refused(self, i):
        with self.lock:
            self.down_until[i] = time.time() + 1.0


def call(nodes, conns, method, path, token, body=None, key=None):
    """One request on a node; status 0 when the connection failed (refused, reset, timed out)."""
    i = nodes.pick()
    u = nodes.urls[i]
    headers = {"Authorization": "Bearer " + token}
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    if key:
        headers["Idempotency-Key"] = key
    start = time.time()
    try:
        conn = conns.get(i)
        if conn is None:
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=15)
            conns[i] = conn
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        payload = r.read()
        if r.getheader("Connection", "").lower() == "close":
            conn.close()
            conns.pop(i, None)
        return r.status, payload, (time.time() - start) * 1000, r.getheader("Content-Type", "")
    except (OSError, http.client.HTTPException):
        c = conns.pop(i, None)
        if c is not None:
            c.close()
        nodes.refused(i)
        return 0, b"", (time.time() - start) * 1000, ""


def worker(nodes, tenant, out, acked, stop_file, lock, seed):
    rnd = random.Random(seed)
    conns = {}
    mine = []  # ids this worker wrote, read back under load
    pending = None  # a write not acknowledged yet: (key, body), retried with its key
    path = "/api/v1/collections/chaos/records"
    while not os.path.exists(stop_file):
        now = time.time()
        if pending is None and (not mine or rnd.random() < WRITE_SHARE):
            k = uuid.uuid4().hex
            pending = (k, {"k": k, "tenant": tenant["slug"]})
        if pending is not None:
            status, payload, ms, ctype = call(nodes, conns, "POST", path, tenant["token"], pending[1], pending[0])
            op = "write"
            if status == 201:
                rid = json.loads(payload)["id"]
                mine.append(rid)
                with lock:
                    acked.write("%s\t%s\t%s\n" % (tenant["slug"], pending[0], rid))
                pending = None
            elif status in (400, 403, 404, 413, 415, 422):
                pending = None  # not retryable; 409 (the key's first attempt still counted in progress) is
        else:
            status, payload, ms, ctype = call(nodes, conns, "GET", path + "/" + rnd.choice(mine), tenant["token"])
            op = "read"
        ptype = ""
        if status >= 400 and "problem" in ctype:
            try:
                ptype = json.loads(payload).get("type", "").rsplit("/", 1)[-1]
            except ValueError:
                ptype = "?"
        with lock:
            out.write("%.3f\t%s\t%s\t%s\t%d\t%.1f\t%s\n" % (now, tenant["slug"], tenant["tier"], op, status, ms, ptype))
        time.sleep(PAUSE if status else 0.2)


def run(tenants_file, out_dir, stop_file):
    spec = json.load(open(tenants_file))
    nodes = Nodes(spec["nodes"])
    lock = threading.Lock()
    out = open(os.path.join(out_dir, "requests.tsv"), "w", buffering=1)
    acked = open(os.path.join(out_dir, "acked.tsv"), "w", buffering=1)
    threads = []
    for t in spec["tenants"]:
        for n in range(THREADS_PER_TENANT):
            th = threading.Thread(target=worker, args=(nodes, t, out, acked, stop_file, lock, hash((t["slug"], n))))
            th.daemon = True
            th.start()
            threads.append(th)
    for th in threads:
        th.join()
    out.close()
    acked.close()


def check(tenants_file, out_dir):
    """Every acknowledged write is there (by id, with its key), and no key was applied twice."""
    spec = json.load(open(tenants_file))
    nodes = Nodes(spec["nodes"])
    tokens = {t["slug"]: t["token"] for t in spec["tenants"]}
    acked = [line.rstrip("\n").split("\t") for line in open(os.path.join(out_dir, "acked.tsv")) if line.strip()]
    conns = {}
    lost = []
    for slug, key, rid in acked:
        for _ in range(20):
            status, payload, _, _ = call(nodes, conns, "GET", "/api/v1/collections/chaos/records/" + rid, tokens[slug])
            if status in (200, 404):
                break
            time.sleep(0.5)
        if status != 200 or json.loads(payload)["data"].get("k") != key:
            lost.append((slug, key, rid, status))
    twice = 0
    stored = 0
    for slug, token in tokens.items():
        seen = {}
        cursor = None
        while True:
            path = "/api/v1/collections/chaos/records?limit=200" + ("&cursor=" + cursor if cursor else "")
            status, payload, _, _ = call(nodes, conns, "GET", path, token)
            if status != 200:
                time.sleep(0.5)
                continue
            page = json.loads(payload)
            for item in page["items"]:
                k = item["data"].get("k")
                seen[k] = seen.get(k, 0) + 1
            cursor = page.get("next_cursor")
            if not cursor:
                break
        stored += sum(seen.values())
        twice += sum(n - 1 for n in seen.values() if n > 1)
    result = {"acknowledged": len(acked), "stored": stored, "lost": len(lost), "applied_twice": twice,
              "lost_examples": lost[:5]}
    json.dump(result, open(os.path.join(out_dir, "check.json"), "w"))
    print(json.dumps(result))


def p99(values):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))]


def report(out_dir, faults_file):
    """Per fault: requests by status, longest recovery, other tenants' p99 before vs during (tenant-scoped faults)."""
    rows = []
    for line in open(os.path.join(out_dir, "requests.tsv")):
        f = line.rstrip("\n").split("\t")
        if len(f) >= 6:
            rows.append((float(f[0]), f[1], f[2], f[3], int(f[4]), float(f[5]), f[6] if len(f) > 6 else ""))
    print("| fault | requests by status (problem type) | recovery after heal | longest outage seen by a tenant | other tenants' p99 before -> during |")
    print("|---|---|---|---|---|")
    for line in open(faults_file):
        name, scope, start, healed, end = line.rstrip("\n").split("\t")
        start, healed, end = float(start), float(healed), float(end)
        window = [r for r in rows if start <= r[0] < end]
        counts = {}
        for r in window:
            label = str(r[4]) + (" " + r[6] if r[6] else "")
            counts[label] = counts.get(label, 0) + 1
        # Recovery: from the moment the dependency is back (healed) to each tenant's first success after its last
        # failure in the window; the longest over the tenants. Outage: the longest stretch a tenant saw between two
        # successes with only failures in between (what a client lived through, node faults included).
        recovery = 0.0
        outage = 0.0
        for slug in sorted({r[1] for r in window}):
            mine = sorted(r for r in rows if r[1] == slug and start - 5 <= r[0] < end)
            failures = [r[0] for r in mine if r[0] >= start and not 200 <= r[4] < 300]
            if not failures:
                continue
            last_fail = max(failures)
            ok_after = [r[0] for r in mine if r[0] > last_fail and 200 <= r[4] < 300]
            recovered_at = min(ok_after) if ok_after else end
            recovery = max(recovery, recovered_at - healed)
            last_ok, failing = None, False
            for r in mine:
                if 200 <= r[4] < 300:
                    if failing and last_ok is not None:
                        outage = max(outage, r[0] - last_ok)
                    last_ok, failing = r[0], False
                else:
                    failing = True
        others = ""
        if scope != "all":  # "tier:<tier>": a fault of that tier's tenants only; the others' latency is compared
            hit = scope.split(":", 1)[1]
            before = [r[5] for r in rows if start - 15 <= r[0] < start and r[2] != hit and 200 <= r[4] < 300]
            during = [r[5] for r in rows if start <= r[0] < healed and r[2] != hit and 200 <= r[4] < 300]
            others = "%.0f ms -> %.0f ms" % (p99(before), p99(during))
        status = ", ".join("%s: %d" % kv for kv in sorted(counts.items()))
        print("| %s | %s | %.1f s | %.1f s | %s |" % (name, status, max(0.0, recovery), outage,
                                                  others or "n/a (all tenants)"))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "run":
        run(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "check":
        check(sys.argv[2], sys.argv[3])
    elif cmd == "report":
        report(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: chaos-client.py run|check|report ...")
