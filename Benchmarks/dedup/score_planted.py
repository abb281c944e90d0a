#!/usr/bin/env python3
"""Scores a winnowd output directory against a planted-duplicate truth file.

  Benchmarks/dedup/score_planted.py TRUTH OUT_DIR

TRUTH is DIR/truth.json from make_planted.py; OUT_DIR is winnowd's --output over DIR/inbox.
Ids are mapped back through metadata.source_id. A copy counts as caught when it and its original
resolve to the same kept record (following duplicate_of links). Every duplicate rejection is a
predicted pair (rejected document, the document it points to); its true word-5-gram Jaccard is
computed from the benchmark input, so precision needs no family bookkeeping:
  recall    = caught copies / copies, over copies whose true Jaccard with the original is >= 0.8
  precision = true predicted pairs / all predicted pairs, where a pair is true when its Jaccard is
              >= 0.8 or the rejected document's shingles are >= 0.8 contained in the kept one (the
              containment rule: a copy of part of a kept page)
the same ignoring the grey zone (pairs with both measures under 0.8 and one of them >= 0.5 count
neither way), plus the false positives: predicted pairs with Jaccard and containment < 0.5, and
those touching a negative.
"""
import json, os, sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dedup_common as dc

POSITIVE, NEGATIVE = 0.8, 0.5


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    truth = json.load(open(sys.argv[1], encoding="utf-8"))
    out = dc.WinnowOutput(sys.argv[2])
    texts = {}
    path = truth["input"]
    if not os.path.exists(path):
        path = os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), "inbox", "planted.jsonl")
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            texts[str(d["id"])] = d["text"]
    missing = [i for i in texts if i not in out.kept and i not in out.rejected]
    if missing:
        print(f"warning: {len(missing)} input documents missing from the output (e.g. {missing[0]})")
    cache = {}

    def sh(i):
        if i not in cache:
            cache[i] = dc.shingles(texts[i])
        return cache[i]

    copies = truth["copies"]
    caught = {c["id"]: out.root(c["id"]) is not None and out.root(c["id"]) == out.root(c["original"])
              for c in copies}
    order = ["exact", "rewrapped", "edit2", "edit5", "edit10", "edit20", "paragraph_dropped"]
    kinds = sorted({c["kind"] for c in copies}, key=lambda k: (order.index(k) if k in order else 99, k))
    print(f"{'kind':<18}{'copies':>7}{'mean J':>8}{'caught':>8}{'rate':>7}"
          f"{'J>=0.8':>8}{'caught':>8}{'recall':>8}{'J<0.5':>7}{'caught':>8}")
    for kind in kinds + ["all"]:
        cs = [c for c in copies if kind in ("all", c["kind"])]
        pos = [c for c in cs if c["jaccard"] >= POSITIVE]
        neg = [c for c in cs if c["jaccard"] < NEGATIVE]
        n_c = sum(caught[c["id"]] for c in cs)
        n_p = sum(caught[c["id"]] for c in pos)
        n_n = sum(caught[c["id"]] for c in neg)
        rate = f"{n_c / len(cs):.3f}" if cs else "-"
        rec = f"{n_p / len(pos):.3f}" if pos else "-"
        mean = sum(c["jaccard"] for c in cs) / len(cs) if cs else 0
        print(f"{kind:<18}{len(cs):>7}{mean:>8.3f}{n_c:>8}{rate:>7}{len(pos):>8}{n_p:>8}{rec:>8}"
              f"{len(neg):>7}{n_n:>8}")

    links = out.duplicate_links()
    negatives = set(truth["negatives"])
    by_reason = {}
    high = grey = low = on_negative = 0
    worst = []
    contained = 0
    for a, b, reason in links:
        j = dc.jaccard(sh(a), sh(b)) if a in texts and b in texts else 0.0
        c = dc.containment(sh(a), sh(b)) if a in texts and b in texts else 0.0
        by_reason[reason] = by_reason.get(reason, 0) + 1
        if j >= POSITIVE or c >= POSITIVE:
            high += 1
            contained += j < POSITIVE
        elif j >= NEGATIVE or c >= NEGATIVE:
            grey += 1
        else:
            low += 1
            worst.append((j, c, a, b, reason))
        if a in negatives or b in negatives:
            on_negative += 1
    n = len(links)
    print()
    print(f"predicted duplicate pairs: {n} {by_reason}")
    print(f"  true J or containment >= {POSITIVE}: {high} (by containment only: {contained})   grey zone: {grey}"
          f"   both < {NEGATIVE} (false positives): {low}")
    print(f"  touching an unrelated negative (false positives): {on_negative}")
    pos = [c for c in copies if c["jaccard"] >= POSITIVE]
    recall = sum(caught[c["id"]] for c in pos) / len(pos) if pos else 0.0
    precision = high / n if n else 1.0
    print(f"precision (J or containment >= {POSITIVE}) = {precision:.4f}   recall (copies with J >= {POSITIVE}) = {recall:.4f}"
          f"   ({sum(caught[c['id']] for c in pos)}/{len(pos)})")
    strict = high / (high + low) if high + low else 1.0
    print(f"precision ignoring the {NEGATIVE}-{POSITIVE} grey zone = {strict:.4f}")
    for j, c, a, b, reason in sorted(worst)[:5]:
        print(f"  false positive: {a} -> {b} ({reason}, true J {j:.3f}, containment {c:.3f})")


if __name__ == "__main__":
    main()
