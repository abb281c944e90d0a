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

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "reference"))
from once_run import OnceRun  # noqa: E402
from compare import measure_together  # noqa: E402  (standard library only, as this script)

ROOT = os.path.dirname(HERE)


def timed(runs):
    """Wall seconds of each run, all started at once: one run alone on core 1, two on cores 0 and 1."""
    first = 2 - len(runs)
    outcomes = measure_together([["taskset", "-c", str(first + index)] + run.command
                                 for index, run in enumerate(runs)])
    for outcome in outcomes:
        if outcome.rc != 0:
            sys.exit(f"winnowd --once failed (status {outcome.rc}): {outcome.last_error_line()}")
    return [outcome.wall for outcome in outcomes]


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
        alone += timed([run])
        run.remove()
        runs = [OnceRun(args.bin, args.input, prefix="paired-") for _ in range(2)]
        subprocess.run(["sync"], check=True)
        pair = timed(runs)
        paired += pair
        for run in runs:
            run.remove()
        print(f"round {number + 1}: alone {alone[-1]:.2f} s, paired {pair[0]:.2f} s and {pair[1]:.2f} s", flush=True)
    ratio = statistics.mean(paired) / statistics.mean(alone)
    print(f"\nmean alone {statistics.mean(alone):.2f} s, mean paired {statistics.mean(paired):.2f} s: "
          f"{(ratio - 1) * 100:+.1f}% when both cores work; two-core ceiling {2 / ratio:.2f}×")


if __name__ == "__main__":
    main()
