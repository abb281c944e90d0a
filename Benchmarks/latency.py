#!/usr/bin/env python3
"""Drop-to-record latency and peak memory of a release winnowd.

Starts winnowd on temporary folders, drops N small .txt files into its inbox by rename (the inbox
protocol's preferred way), and timestamps each record as it appears in Output/records/ (the shards
are followed by a reader thread that polls every 0.2 ms, cheaply: see follow_records). Prints
p50/p90/p99/max latency and the daemon's peak resident memory (VmHWM).

  Benchmarks/latency.py [--bin .build/release] [--files 1000] [--interval-ms 5] [--bytes 0]

--interval-ms 0 drops all files in one burst (latency then includes queueing behind earlier files);
the throughput line (files from the first drop to the last record) is then the small-file rate.
--bytes N pads each file to about N bytes with sentences of words made from its number, so that no
two files share a word and none is an exact or near duplicate of another.
"""
import argparse, atexit, json, os, shutil, subprocess, sys, tempfile, threading, time


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


def follow_records(records_dir, seen, expected, stop):
    """Timestamps each record as it appears. The shards stay open between polls, so a poll with
    nothing new costs one read() per shard; the folder is listed again (for a new shard) only when
    none of them grew. The follower shares the machine's cores with the daemon: a poll that reopened
    every shard and listed the folder each time took a large share of a core during a burst, which
    the daemon then lacked."""
    handles = {}
    partial = {}
    while not stop.is_set() and len(seen) < expected:
        grew = False
        for name, handle in handles.items():
            data = handle.read()
            if not data:
                continue
            grew = True
            now = time.monotonic()
            data = partial.pop(name, b"") + data
            lines = data.split(b"\n")
            if lines[-1]:
                partial[name] = lines[-1]
            for line in lines[:-1]:
                record = json.loads(line)
                seen.setdefault(record["metadata"]["file"], now)
        if not grew:
            try:
                names = os.listdir(records_dir)
            except FileNotFoundError:
                names = []
            for name in sorted(names):  # shards in name order: handles keeps it
                if name not in handles:
                    handles[name] = open(os.path.join(records_dir, name), "rb", buffering=0)
                    grew = True
            if not grew:
                time.sleep(0.0002)
    for handle in handles.values():
        handle.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/release")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--interval-ms", type=float, default=5.0)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--bytes", type=int, default=0, help="pad each file to about this many bytes")
    args = parser.parse_args()

    root = tempfile.mkdtemp(prefix="wlat-")
    inbox, output, state = (os.path.join(root, name) for name in ("in", "out", "st"))
    os.makedirs(inbox)
    log = open(os.path.join(root, "winnowd.log"), "wb")
    daemon = subprocess.Popen([os.path.join(args.bin, "winnowd"), "--inbox", inbox, "--output", output,
                               "--state", state, "--log-level", "warning"], stderr=log)
    # Whatever ends this script (a failure included) ends the daemon too.
    atexit.register(lambda: daemon.poll() is None and (daemon.kill(), daemon.wait()))
    ctl = [os.path.join(args.bin, "winnowctl"), "--socket", os.path.join(state, "control.sock")]
    deadline = time.monotonic() + 30
    while subprocess.run(ctl + ["status", "--json"], capture_output=True).returncode != 0:
        if time.monotonic() > deadline or daemon.poll() is not None:
            sys.exit("winnowd did not start; see " + log.name)
        time.sleep(0.05)

    # Every file is written to a staging folder first, so that the drops are bare renames and
    # making the text takes no CPU from the daemon while it works.
    staging = os.path.join(root, "staging")
    os.makedirs(staging)
    names = []
    for index in range(args.files):
        name = "doc-%05d.txt" % index
        with open(os.path.join(staging, name), "w") as handle:
            # Words, not digits, make each document unique: the exact-dedup key maps every digit to 0.
            tag = "".join(chr(97 + (index // 26 ** power) % 26) for power in range(4))
            text = "Document %s opens here.\n\nIt has a short second paragraph, unique to %s.\n" % (tag, tag)
            sentence = 0
            while len(text) < args.bytes:
                words = [tag + chr(97 + (sentence * 12 + word) // 26 % 26) + chr(97 + (sentence * 12 + word) % 26)
                         for word in range(12)]
                text += "\n" + " ".join(words).capitalize() + ".\n"
                sentence += 1
            handle.write(text)
        names.append(name)

    seen, dropped = {}, {}
    stop = threading.Event()
    reader = threading.Thread(target=follow_records, args=(os.path.join(output, "records"), seen, args.files, stop))
    reader.start()
    for name in names:
        dropped[name] = time.monotonic()
        os.rename(os.path.join(staging, name), os.path.join(inbox, name))
        if args.interval_ms > 0:
            time.sleep(args.interval_ms / 1000)
    reader.join(timeout=120)
    stop.set()
    with open("/proc/%d/status" % daemon.pid) as handle:
        peak = next(line.split()[1] for line in handle if line.startswith("VmHWM"))
    daemon.terminate()
    code = daemon.wait(timeout=30)
    missing = [name for name in dropped if name not in seen]
    latencies = [(seen[name] - dropped[name]) * 1000 for name in dropped if name in seen]
    print("files %d, interval %.1f ms, records seen %d, missing %d, exit %d" %
          (args.files, args.interval_ms, len(seen), len(missing), code))
    print("drop-to-record latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f" % (
        percentile(latencies, 0.5), percentile(latencies, 0.9), percentile(latencies, 0.99), max(latencies)))
    if seen:
        span = max(seen.values()) - min(dropped.values())
        print("throughput: %d files in %.2f s, %.0f files/s (first drop to last record)" % (
            len(seen), span, len(seen) / span))
    print("peak RSS (VmHWM): %.1f MiB" % (int(peak) / 1024))
    if not args.keep:
        shutil.rmtree(root)
    sys.exit(1 if missing or code != 0 else 0)


if __name__ == "__main__":
    main()
