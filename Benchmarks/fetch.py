#!/usr/bin/env python3
"""Fetch throughput: `winnowd --once` fetching URLs from the loopback test server.

  python3 Benchmarks/fetch.py [--urls 1000] [--hosts 20] [--delay-ms 1000] [--per-host 2]
                              [--binary .build/release/winnowd]

Starts Tests/Support/http_server.py on 127.0.0.1 ... 127.0.0.<hosts>, writes one .urls file of
--urls distinct article pages spread evenly over the hosts, and runs a fresh `winnowd --once` with
the default pipeline, loopback allowed, and the given per-host limits (the defaults are the
daemon's: 2 transfers and one request start per second per origin). Prints pages fetched and
committed per second (wall time from start to exit, so robots.txt, extraction, cleaning, dedup and
the durable commits are all in it), the records written, and the daemon's peak RSS.
"""
import argparse, glob, json, os, resource, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--urls", type=int, default=1000)
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--delay-ms", type=int, default=1000)
    ap.add_argument("--per-host", type=int, default=2)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/release/winnowd"))
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="winnow-fetch-")
    try:
        server = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "Tests/Support/http_server.py"), "--log", f"{work}/http.log",
             "--hosts", str(a.hosts)], stdout=subprocess.PIPE, text=True)
        port = int(server.stdout.readline().split()[1])
        inbox = f"{work}/in"
        os.makedirs(inbox)
        with open(f"{inbox}/bench.urls", "w") as f:
            for n in range(a.urls):
                f.write(f"http://127.0.0.{1 + n % a.hosts}:{port}/page/bench-{n}\n")
        with open(f"{work}/winnow.toml", "w") as f:
            f.write(f"""[inbox]
settle_ms = 0
[fetch]
allow_networks = ["127.0.0.0/8"]
per_host_delay_ms = {a.delay_ms}
per_host_connections = {a.per_host}
""")
        start = time.monotonic()
        daemon = subprocess.run(
            [a.binary, "--once", "--inbox", inbox, "--output", f"{work}/out", "--state", f"{work}/st",
             "--config", f"{work}/winnow.toml", "--log-level", "warning"], capture_output=True, text=True)
        elapsed = time.monotonic() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        server.terminate()
        server.wait()
        if daemon.returncode != 0:
            sys.exit(f"winnowd failed ({daemon.returncode}):\n{daemon.stderr[-2000:]}")
        records = sum(1 for path in glob.glob(f"{work}/out/records/*.jsonl") for _ in open(path))
        rejected = sum(1 for path in glob.glob(f"{work}/out/rejected/*.jsonl") for _ in open(path))
        with open(f"{work}/http.log") as f:
            requests = [json.loads(line) for line in f]
        pages = sum(1 for r in requests if r["path"].startswith("/page/"))
        print(f"{a.urls} URLs over {a.hosts} hosts, {a.per_host} per host, {a.delay_ms} ms per-host delay:")
        print(f"  {elapsed:.1f} s, {a.urls / elapsed:.1f} pages/s; {records} records, {rejected} rejected; "
              f"{pages} page requests, {len(requests) - pages} others (robots.txt); peak RSS {peak:.0f} MiB")
        if a.delay_ms:
            floor = (a.urls / a.hosts - 1) * a.delay_ms / 1000
            print(f"  (the per-host delay alone needs at least {floor:.1f} s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
