#!/usr/bin/env python3
"""How much two cores slow each other down: `winnowd --once` on the text corpus alone on one core,
then two independent runs at once, one pinned to each core.

    python3 Benchmarks/paired.py [--bin .build/release] [--input ../shared/bench/text.jsonl.gz]
                                 [--rounds 4]

Each round runs one alone (taskset -c 1), then two at once (taskset -c 0 and -c 1), each on a fresh
copy of the input, output and state. Nothing is shared between the two, so a paired run's extra
time is what the other core's work costs it (caches, memory bandwidth, a host that shares its
cores): the ceiling for any two-core speed-up on the machine is 2 ÷ (paired ÷ alone).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from once_run import OnceRun  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start(run, cpu):
    return subprocess.Popen(["taskset", "-c", str(cpu)] + run.command, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def timed(processes):
    """Wall seconds of each process, from one common start."""
    began = time.monotonic()
    seconds = [None] * len(processes)
    while None in seconds:
        pid, status = os.wait()
        for index, process in enumerate(processes):
            if process.pid == pid:
                if status != 0:
                    sys.exit(f"winnowd --once failed (status {status})")
                seconds[index] = time.monotonic() - began
    return seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build/release"))
    parser.add_argument("--input", default=os.path.join(ROOT, "../shared/bench/text.jsonl.gz"))
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    alone, paired = [], []
    for number in range(args.rounds):
        run = OnceRun(args.bin, args.input, prefix="paired-")
        subprocess.run(["sync"], check=True)
        alone += timed([start(run, 1)])
        run.remove()
        runs = [OnceRun(args.bin, args.input, prefix="paired-") for _ in range(2)]
        subprocess.run(["sync"], check=True)
        pair = timed([start(run, cpu) for cpu, run in enumerate(runs)])
        paired += pair
        for run in runs:
            run.remove()
        print(f"round {number + 1}: alone {alone[-1]:.2f} s, paired {pair[0]:.2f} s and {pair[1]:.2f} s", flush=True)
    ratio = statistics.mean(paired) / statistics.mean(alone)
    print(f"\nmean alone {statistics.mean(alone):.2f} s, mean paired {statistics.mean(paired):.2f} s: "
          f"{(ratio - 1) * 100:+.1f}% when both cores work; two-core ceiling {2 / ratio:.2f}×")


if __name__ == "__main__":
    main()
