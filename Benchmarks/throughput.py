#!/usr/bin/env python3
"""Batch throughput of a release winnowd on a corpus file (default: the shared bench corpus).

Copies the input into a fresh inbox, runs `winnowd --once` over it RUNS times (fresh state each
time), and prints the median wall time, documents/s, MB/s of decompressed input and the peak RSS.

  Benchmarks/throughput.py [--bin .build/release] [--input ../shared/bench/text.jsonl.gz] [--runs 3]
                           [--config FILE]   (e.g. another pipeline.stages list to compare stages)
"""
import argparse, gzip, os, resource, statistics, subprocess, time

from once_run import OnceRun


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/release")
    parser.add_argument("--input", default="../shared/bench/text.jsonl.gz")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--config", help="a winnowd configuration file (default: the built-in defaults)")
    args = parser.parse_args()

    opener = gzip.open if args.input.endswith(".gz") else open
    with opener(args.input, "rb") as handle:
        raw = handle.read()
    documents = raw.count(b"\n")
    times, peaks = [], []
    for run in range(args.runs):
        config = open(args.config).read() if args.config else None
        run = OnceRun(args.bin, args.input, config_text=config, prefix="wtp-")
        start = time.monotonic()
        subprocess.run(run.command, check=True)
        times.append(time.monotonic() - start)
        peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        kept = run.kept()
        run.remove()
    elapsed = statistics.median(times)
    print("input %s: %d documents, %.2f MB decompressed; %d kept" % (args.input, documents, len(raw) / 1e6, kept))
    print("winnowd --once, median of %d: %.2f s, %.0f documents/s, %.2f MB/s, peak RSS %.1f MiB" % (
        args.runs, elapsed, documents / elapsed, len(raw) / 1e6 / elapsed, max(peaks) / 1024))


if __name__ == "__main__":
    main()
