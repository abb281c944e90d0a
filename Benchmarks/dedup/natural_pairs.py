#!/usr/bin/env python3
"""Reuters-21578's natural near-duplicate pairs, and how many of them a winnowd run caught.

  Benchmarks/dedup/natural_pairs.py [--min-words 50] [--threshold 0.9]
                                    [--write-input FILE] [--pairs FILE] [--out OUT_DIR]

Finds ALL pairs of Reuters stories (>= --min-words words) whose true word-5-gram Jaccard (same
normalization as the MinHash stage) is >= --threshold, exactly: prefix-filtered candidates from an
inverted index, each verified by the exact Jaccard. --write-input writes those stories as JSONL
({"id": "reuters/NEWID", "text"}) for winnowd's inbox; --pairs writes the pairs as TSV.
--out scores a winnowd output directory over that input: a pair is caught when one story was
rejected as a duplicate of the other or both resolve to the same kept record; it also splits
all duplicate rejections by true Jaccard and containment (>= 0.8 either: right; both < 0.5: false
positives; the rest: grey zone).
"""
import argparse, json, os, sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dedup_common as dc


def main():
    ap = argparse.ArgumentParser()
    dc.add_pair_arguments(ap)
    ap.add_argument("--threshold", type=float, default=0.9)
    a = ap.parse_args()

    docs = dc.load_reuters(a.min_words)
    if a.write_input:
        os.makedirs(os.path.dirname(os.path.abspath(a.write_input)), exist_ok=True)
        with open(a.write_input, "w", encoding="utf-8") as f:
            for did, t in docs:
                f.write(json.dumps({"id": did, "text": t}) + "\n")
    sets = [dc.shingles(t) for _, t in docs]
    pairs = sorted(dc.similar_pairs(sets, a.threshold))
    exact = sum(1 for *_, j in pairs if j == 1.0)
    print(f"Reuters stories with >= {a.min_words} words: {len(docs)}")
    print(f"pairs with word-5-gram Jaccard >= {a.threshold}: {len(pairs)} (of them J = 1.0: {exact})")
    for lo, hi in ((0.9, 0.95), (0.95, 1.0), (1.0, 1.01)):
        if lo >= a.threshold:
            print(f"  J in [{lo}, {min(hi, 1.0)}{']' if hi > 1 else ')'}: {sum(lo <= j < hi for *_, j in pairs)}")
    if a.pairs:
        with open(a.pairs, "w", encoding="utf-8") as f:
            for i, k, j in pairs:
                f.write(f"{docs[i][0]}\t{docs[k][0]}\t{j:.4f}\n")
    if a.out:
        out = dc.WinnowOutput(a.out)
        caught = missed_exact = 0
        misses = []
        for i, k, j in pairs:
            x, y = docs[i][0], docs[k][0]
            rx, ry = out.root(x), out.root(y)
            if rx is not None and rx == ry:
                caught += 1
            else:
                misses.append((j, x, y))
                missed_exact += j == 1.0
        n = len(pairs)
        print(f"caught by {a.out}: {caught}/{n} = {caught / n if n else 0:.4f} "
              f"(missed: {n - caught}, of them J = 1.0: {missed_exact})")
        for j, x, y in sorted(misses, reverse=True)[:5]:
            print(f"  missed: {x} / {y} (J {j:.3f})")
        index = {did: i for i, (did, _) in enumerate(docs)}
        # A rejection is right when the pair's Jaccard is >= 0.8 or the rejected story's shingles are
        # >= 0.8 contained in the kept one (the containment rule); wrong when both are under 0.5.
        bands = {"J >= 0.8": 0, "containment >= 0.8 (J < 0.8)": 0, "grey zone": 0, "false positives": 0}
        low = []
        for x, y, reason in out.duplicate_links():
            if x in index and y in index:
                j = dc.jaccard(sets[index[x]], sets[index[y]])
                c = dc.containment(sets[index[x]], sets[index[y]])
                if j >= 0.8:
                    bands["J >= 0.8"] += 1
                elif c >= 0.8:
                    bands["containment >= 0.8 (J < 0.8)"] += 1
                elif j >= 0.5 or c >= 0.5:
                    bands["grey zone"] += 1
                else:
                    bands["false positives"] += 1
                    low.append((j, c, x, y, reason))
        print("duplicate rejections: " + ", ".join(f"{k}: {v}" for k, v in bands.items())
              + " (grey zone: J and containment < 0.8, one of them >= 0.5; false positives: both < 0.5)")
        for j, c, x, y, reason in sorted(low)[:5]:
            print(f"  false positive: {x} -> {y} ({reason}, J {j:.3f}, containment {c:.3f})")

if __name__ == "__main__":
    main()
