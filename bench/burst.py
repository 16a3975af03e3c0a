#!/usr/bin/env python3
"""A burst of password work against a release build of nuri, and what it costs the machine.

Starts nuri (open registration, fresh SQLite in a temp dir), then sends BURST (default 400)
sign-ins with distinct unknown emails and BURST registrations, all at once, while a probe asks
GET /api/v1/health every 20 ms. Prints: the answers by status, the health probe's p50/p99/max,
nuri's RSS idle, at its peak (VmHWM) and SETTLE seconds (default 60) after the burst.

    NURI_BIN=$CARGO_TARGET_DIR/release/nuri bench/burst.py

Environment: NURI_BIN, BURST, SETTLE. Needs only Python 3.
"""

import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

NURI_BIN = os.environ.get("NURI_BIN") or os.path.join(
    os.environ.get("CARGO_TARGET_DIR", "target"), "release", "nuri")
BURST = int(os.environ.get("BURST", "400"))
SETTLE = int(os.environ.get("SETTLE", "60"))


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(),
                                 headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception as e:  # a dropped connection is a result too
        return type(e).__name__


def main():
    work = tempfile.mkdtemp(prefix="nuri-burst.")
    env = dict(os.environ, NURI_DATA_DIR=work, NURI_LISTEN="127.0.0.1:0",
               NURI_REGISTRATION="open", RUST_LOG="warn")
    log = open(os.path.join(work, "server.log"), "w+")
    server = subprocess.Popen([NURI_BIN, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = None
        for _ in range(600):
            log.seek(0)
            m = re.search(r"listening on (http://[^\s]+)", log.read())
            if m:
                base = m.group(1)
                break
            time.sleep(0.1)
        if not base:
            sys.exit("nuri did not start")
        time.sleep(2)
        idle = rss_kib(server.pid)

        latencies, stop = [], threading.Event()

        def probe():
            while not stop.is_set():
                t = time.perf_counter()
                try:
                    urllib.request.urlopen(base + "/api/v1/health", timeout=30).read()
                except Exception:
                    pass
                latencies.append((time.perf_counter() - t) * 1000)
                time.sleep(0.02)

        answers = collections.Counter()
        lock = threading.Lock()

        def one(kind, i):
            if kind == "login":
                status = post(base + "/api/v1/auth/login",
                              {"email": f"nobody{i}@burst.test", "password": "wrong password 123"})
            else:
                status = post(base + "/api/v1/auth/register",
                              {"email": f"new{i}@burst.test", "name": f"New {i}",
                               "password": "a long enough password"})
            with lock:
                answers[(kind, status)] += 1

        prober = threading.Thread(target=probe)
        prober.start()
        time.sleep(0.5)
        started = time.perf_counter()
        threads = [threading.Thread(target=one, args=(kind, i))
                   for i in range(BURST) for kind in ("login", "register")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.perf_counter() - started
        time.sleep(0.5)
        stop.set()
        prober.join()
        peak = rss_kib(server.pid, "VmHWM")
        time.sleep(SETTLE)
        after = rss_kib(server.pid)

        lat = sorted(latencies)
        pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))]
        print(f"burst: {BURST} sign-ins + {BURST} registrations at once, answered in {took:.1f} s")
        for (kind, status), n in sorted(answers.items(), key=str):
            print(f"  {kind:8} {status}: {n}")
        print(f"health during the burst: {len(lat)} probes, p50 {pct(0.5):.1f} ms, "
              f"p99 {pct(0.99):.1f} ms, max {lat[-1]:.1f} ms")
        print(f"RSS: idle {idle / 1024:.1f} MiB, peak {peak / 1024:.1f} MiB, "
              f"{SETTLE} s after {after / 1024:.1f} MiB")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
