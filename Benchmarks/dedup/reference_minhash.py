#!/usr/bin/env python3
"""MinHash signature speed of the reference tools (rensa, datatrove) on one core.

  python reference_minhash.py [--input /work/shared/bench/text.jsonl.gz] [--runs 3] [--limit N]
                              [--tool rensa|datatrove|all]

Run it through compare_reference.sh, which makes the venv and pins the process to one core.
Texts are loaded into memory first; only signature computation is timed. Prints one line per
measurement: signatures/s and MB/s of UTF-8 text (median of --runs).
  rensa-text:       word 5-gram shingles built in Python (same normalization as the benchmark
                    scripts: lowercase, digits -> 0, words = runs of letters/digits), then
                    RMinHash(num_perm=128).update + digest
  rensa-shingles:   RMinHash only, on shingles built beforehand (upper bound for rensa)
  datatrove-sig:    MinhashDedupSignature.run (its own normalization + tokenizer, 5-grams,
                    14 buckets x 8 hashes = 112), writing and sorting its bucket files under /tmp
"""
import argparse, gzip, json, os, shutil, statistics, sys, tempfile, time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dedup_common as dc


def timed(fn, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def report(name, n, nbytes, secs):
    print(f"{name:<16} {n:>7} docs {nbytes / 1e6:7.2f} MB  {secs:8.2f} s  "
          f"{n / secs:10.0f} signatures/s  {nbytes / 1e6 / secs:8.2f} MB/s", flush=True)


def bench_rensa(texts, nbytes, runs):
    try:
        from rensa import RMinHash
    except ImportError as e:
        print(f"rensa: NOT AVAILABLE ({e})")
        return

    def from_text():
        for t in texts:
            m = RMinHash(num_perm=128, seed=42)
            m.update(list(dc.shingles(t)))
            m.digest()

    report("rensa-text", len(texts), nbytes, timed(from_text, runs))
    prebuilt = [list(dc.shingles(t)) for t in texts]

    def from_shingles():
        for s in prebuilt:
            m = RMinHash(num_perm=128, seed=42)
            m.update(s)
            m.digest()

    report("rensa-shingles", len(texts), nbytes, timed(from_shingles, runs))


def bench_datatrove(texts, nbytes, runs):
    try:
        from datatrove.data import Document
        from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
        from datatrove.io import get_datafolder
        from datatrove.utils.logging import logger
    except ImportError as e:
        print(f"datatrove: NOT AVAILABLE ({e})")
        return
    logger.remove()
    docs = [Document(text=t, id=str(i)) for i, t in enumerate(texts)]
    config = MinhashConfig(n_grams=5, num_buckets=14, hashes_per_bucket=8)

    step = MinhashDedupSignature(output_folder=tempfile.mkdtemp(prefix="dedup-datatrove-"), config=config)
    step.get_shingles(texts[0])  # loads the spaCy tokenizer outside the timed runs

    def run():
        folder = tempfile.mkdtemp(prefix="dedup-datatrove-")
        try:
            step.output_folder = get_datafolder(folder)
            step.run(iter(docs), rank=0, world_size=1)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    report("datatrove-sig", len(texts), nbytes, timed(run, runs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", default="/work/shared/bench/text.jsonl.gz")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--tool", default="all", choices=["rensa", "datatrove", "all"])
    a = ap.parse_args()
    texts = []
    with gzip.open(a.input, "rt", encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
            if a.limit and len(texts) >= a.limit:
                break
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    print(f"input {a.input}: {len(texts)} documents, {nbytes / 1e6:.2f} MB, median of {a.runs} runs, "
          f"cpu affinity {sorted(os.sched_getaffinity(0))}")
    if a.tool in ("rensa", "all"):
        bench_rensa(texts, nbytes, a.runs)
    if a.tool in ("datatrove", "all"):
        bench_datatrove(texts, nbytes, a.runs)


if __name__ == "__main__":
    main()
