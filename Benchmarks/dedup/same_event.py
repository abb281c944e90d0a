#!/usr/bin/env python3
"""Different articles about the same event, and how many of them a winnowd run wrongly merged.

  Benchmarks/dedup/same_event.py [--min-words 50] [--cosine 0.5] [--rare-df 0.01] [--min-rare 8]
                                 [--seed 1] [--write-input FILE] [--pairs FILE] [--out OUT_DIR]

Reuters-21578 stories and BBC News articles (>= --min-words words, pooled) are paired when their
content words are close while their text is not a copy:
  - content words: lowercased runs of letters, 3 letters or more, minus a stop-word list (English
    function words and newswire furniture such as "said", "reuter"); weighted (1 + ln tf) * ln(N/df)
    over the pooled corpus; the pair's TF-IDF cosine must be >= --cosine (0.5);
  - and the two stories must share >= --min-rare (8) distinct *rare* content words, those found in
    at most --rare-df (1 %) of the stories (about 170): names, places, specific terms;
  - and their exact word-5-gram Jaccard (dedup_common's normalization) must be < 0.5.
The second condition is what makes the pairs "same event / same company / same subject". The cosine
alone gives 64,934 pairs (measured once by an exhaustive prefix-filtered cosine search, which took
7 minutes), 91 % of them with J < 0.2 and 85 % between two Reuters earnings tables of different
companies ("Shr 57 cts vs 73 cts / Net ... / Revs ... mln"; the company is named only in the
headline, which is not in the text): they share template words, not a subject. 1,939 of them share
>= 8 rare words (the same count this script finds) and 1,223 of those have J < 0.5: the same
takeover, tender, strike, product launch or statistics series (two months of Bangladesh's balance
of payments, two days' EC sugar tender), told in different words. The search is exact for this
definition and takes seconds: an inverted index over the rare words counts the shared ones of
every pair (each rare posting list is at most 1 % of the corpus long), and only pairs reaching
--min-rare get their cosine and shingle sets compared.

Each pair also gets its true containment: the share of the shorter story's shingles (fewer
shingles) found in the longer one. Pairs with containment >= 0.8 are genuine partial copies (a
brief repeated inside a longer story): they are reported as "contained copies", not as negatives.
Same-event pairs are the rest (J < 0.5 and containment < 0.8), bucketed by J (< 0.2, 0.2-0.5) and by
containment (< 0.5, 0.5-0.8).

--write-input writes every story of every pair once as JSONL ({"id": "reuters/NEWID" or
"bbc/category/NNN.txt", "text"}) for winnowd's inbox, in a random order fixed by --seed; --out
recomputes that order (use the same options). --pairs writes TSV: shorter id, longer id, cosine,
shared rare words, Jaccard, containment, kind (same_event / contained).
--out scores a winnowd output directory over that input. A same-event pair is flagged (a false
positive) when one story was rejected as a duplicate of the other ("direct"; by containment when
the rejection carries metadata.containment, else by the MinHash similarity), or both resolve to
the same kept record through duplicate_of links ("through a third record"). A contained copy is
caught the same way; only when the longer story comes first in the input can the containment rule
catch the shorter, so "longer first" is counted separately. Last, every duplicate rejection between
two of these stories is split by its true Jaccard and containment.
"""
import argparse, glob, json, math, os, random, re, sys
from collections import Counter, defaultdict

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dedup_common as dc

STOP = frozenset("""
a about above across after afterwards again against all almost alone along already also although
always am among amongst an and another any anyhow anyone anything anyway anywhere are around as at
back be became because become becomes been before beforehand behind being below beside besides
between beyond both but by can cannot could did do does doing done down due during each either else
elsewhere enough etc even ever every everyone everything everywhere except few for former formerly
from further get gets got had has have having he hence her here hereafter hereby herein hers herself
him himself his how however i if in inc indeed into is it its itself just last latter least less
made make many may me meanwhile might mine more moreover most mostly much must my myself namely
neither never nevertheless next no nobody none nor not nothing now nowhere of off often on once one
only onto or other others otherwise our ours ourselves out over own per perhaps please put rather
re same say says said see seem seemed seems several she should since so some somehow someone
something sometime sometimes somewhere still such than that the their theirs them themselves then
thence there thereafter thereby therefore therein thereupon these they this those though through
throughout thru thus to together too toward towards under until up upon us very via was we well
were what whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever
whether which while whither who whoever whole whom whose why will with within without would yet you
your yours yourself yourselves mr mrs ms reuter reuters told also
""".split())
_LETTERS = re.compile(r"[a-z]+")
SHORT_J, NEAR_J = 0.2, 0.5          # Jaccard buckets: < 0.2, 0.2-0.5 (pairs at >= 0.5 are left out)
HALF_C, COPY_C = 0.5, 0.8           # containment buckets: < 0.5, 0.5-0.8, >= 0.8 (contained copies)


def content_words(text):
    return Counter(w for w in _LETTERS.findall(text.lower()) if len(w) >= 3 and w not in STOP)


def find_pairs(docs, cosine, rare_df, min_rare):
    """(i, k, cosine, shared rare words) for every pair meeting the content-word conditions, i < k."""
    tfs = [content_words(t) for _, t in docs]
    n = len(docs)
    df = Counter()
    for c in tfs:
        df.update(c.keys())
    vecs = []
    for c in tfs:
        v = {w: (1 + math.log(f)) * math.log(n / df[w]) for w, f in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({w: x / norm for w, x in v.items()})
    cap = rare_df * n
    postings = defaultdict(list)
    pairs = []
    for k, c in enumerate(tfs):
        rare = [w for w in c if 2 <= df[w] <= cap]
        shared = Counter()
        for w in rare:
            shared.update(postings[w])
            postings[w].append(k)
        vk = vecs[k]
        for i, s in shared.items():
            if s >= min_rare:
                vi = vecs[i]
                cos = sum(x * vi.get(w, 0.0) for w, x in vk.items())
                if cos >= cosine:
                    pairs.append((i, k, cos, s))
    return pairs


def rejection_metadata(out_dir):
    """source id -> metadata of each rejected record (WinnowOutput keeps no containment)."""
    meta = {}
    for path in sorted(glob.glob(os.path.join(out_dir, "rejected", "rejected-*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    m = r.get("metadata", {})
                    meta[str(m.get("source_id", r["id"]))] = m
    return meta


def j_bucket(j):
    return "J < 0.2" if j < SHORT_J else "J 0.2-0.5"


def c_bucket(c):
    return "C < 0.5" if c < HALF_C else "C 0.5-0.8" if c < COPY_C else "C >= 0.8"


def main():
    ap = argparse.ArgumentParser()
    dc.add_pair_arguments(ap)
    ap.add_argument("--cosine", type=float, default=0.5)
    ap.add_argument("--rare-df", type=float, default=0.01)
    ap.add_argument("--min-rare", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    docs = dc.load_reuters(a.min_words) + dc.load_bbc(a.min_words)
    found = find_pairs(docs, a.cosine, a.rare_df, a.min_rare)
    sets = {}

    def sh(i):
        if i not in sets:
            sets[i] = dc.shingles(docs[i][1])
        return sets[i]

    pairs = []                      # (shorter, longer, cos, rare, J, C)
    copies_left_out = 0
    for i, k, cos, rare in found:
        s, l = (i, k) if len(sh(i)) <= len(sh(k)) else (k, i)
        j = dc.jaccard(sh(s), sh(l))
        if j >= NEAR_J:
            copies_left_out += 1
            continue
        pairs.append((s, l, cos, rare, j, dc.containment(sh(s), sh(l))))
    same = [p for p in pairs if p[5] < COPY_C]
    contained = [p for p in pairs if p[5] >= COPY_C]
    involved = sorted({x for p in pairs for x in p[:2]}, key=lambda i: docs[i][0])
    order = list(involved)
    random.Random(a.seed).shuffle(order)
    position = {i: n for n, i in enumerate(order)}

    print(f"stories with >= {a.min_words} words: {len(docs)} (Reuters + BBC)")
    print(f"pairs with cosine >= {a.cosine} and >= {a.min_rare} shared rare words (df <= {a.rare_df:.0%}): "
          f"{len(found)}; left out with J >= {NEAR_J}: {copies_left_out}; kept: {len(pairs)} "
          f"({len(involved)} stories)")
    table = Counter((j_bucket(p[4]), c_bucket(p[5])) for p in pairs)
    for jb in ("J < 0.2", "J 0.2-0.5"):
        print(f"  {jb:10}" + "".join(f"  {cb}: {table[(jb, cb)]:5}" for cb in ("C < 0.5", "C 0.5-0.8", "C >= 0.8")))
    by_corpus = Counter(docs[p[0]][0].split("/")[0] for p in same)
    print(f"same-event pairs (C < {COPY_C}): {len(same)} {dict(sorted(by_corpus.items()))}; "
          f"contained copies (C >= {COPY_C}): {len(contained)}")

    if a.write_input:
        os.makedirs(os.path.dirname(os.path.abspath(a.write_input)), exist_ok=True)
        with open(a.write_input, "w", encoding="utf-8") as f:
            for i in order:
                f.write(json.dumps({"id": docs[i][0], "text": docs[i][1]}) + "\n")
        print(f"wrote {len(order)} stories to {a.write_input} (seed {a.seed})")
    if a.pairs:
        with open(a.pairs, "w", encoding="utf-8") as f:
            for s, l, cos, rare, j, c in sorted(pairs, key=lambda p: (docs[p[0]][0], docs[p[1]][0])):
                kind = "contained" if c >= COPY_C else "same_event"
                f.write(f"{docs[s][0]}\t{docs[l][0]}\t{cos:.4f}\t{rare}\t{j:.4f}\t{c:.4f}\t{kind}\n")
    if not a.out:
        return

    out = dc.WinnowOutput(a.out)
    meta = rejection_metadata(a.out)

    def verdict(s, l):
        """None, or (how, rejected id, kept id, metadata) when the pair was merged."""
        x, y = docs[s][0], docs[l][0]
        for r, k in ((x, y), (y, x)):
            if out.is_duplicate(r) and out.rejected[r][1] == k:
                m = meta.get(r, {})
                return ("containment" if "containment" in m else "similarity", r, k, m)
        rx, ry = out.root(x), out.root(y)
        if rx is not None and rx == ry:
            return ("third record", x, rx, {})
        return None

    missing = [docs[i][0] for i in involved if docs[i][0] not in out.kept and docs[i][0] not in out.rejected]
    if missing:
        print(f"WARNING: {len(missing)} stories of the input are not in {a.out} (e.g. {missing[0]})")
    print()
    flagged = []
    counts = Counter()
    for p in same:
        v = verdict(p[0], p[1])
        counts[j_bucket(p[4]), c_bucket(p[5]), "pairs"] += 1
        if v:
            counts[j_bucket(p[4]), c_bucket(p[5]), v[0]] += 1
            flagged.append((p, v))
    print(f"same-event pairs flagged by {a.out} (false positives): {len(flagged)}/{len(same)}")
    for jb in ("J < 0.2", "J 0.2-0.5"):
        for cb in ("C < 0.5", "C 0.5-0.8"):
            nf = sum(counts[jb, cb, h] for h in ("containment", "similarity", "third record"))
            print(f"  {jb:10} {cb:10} pairs {counts[jb, cb, 'pairs']:5}  flagged {nf:4}  (by containment "
                  f"{counts[jb, cb, 'containment']}, by similarity {counts[jb, cb, 'similarity']}, "
                  f"through a third record {counts[jb, cb, 'third record']})")
    for (s, l, cos, rare, j, c), (how, r, k, m) in sorted(flagged, key=lambda f: -f[0][5])[:10]:
        est = "".join(f", {key} {m[key]}" for key in ("similarity", "containment") if key in m)
        print(f"  flagged: {docs[s][0]} (shorter) / {docs[l][0]}: J {j:.3f}, containment {c:.3f}, "
              f"cosine {cos:.2f}; {r} -> {k} ({how}{est})")

    print()
    caught = Counter()
    for p in contained:
        first = "longer first" if position[p[1]] < position[p[0]] else "shorter first"
        caught[first, "pairs"] += 1
        v = verdict(p[0], p[1])
        if v:
            caught[first, v[0]] += 1
    n_caught = sum(caught[f, h] for f in ("longer first", "shorter first")
                   for h in ("containment", "similarity", "third record"))
    print(f"contained copies caught: {n_caught}/{len(contained)}")
    for first in ("longer first", "shorter first"):
        nc = sum(caught[first, h] for h in ("containment", "similarity", "third record"))
        print(f"  {first:13} {nc:4}/{caught[first, 'pairs']:<4} (by containment {caught[first, 'containment']}, "
              f"by similarity {caught[first, 'similarity']}, through a third record {caught[first, 'third record']})")
    misses = [p for p in contained if position[p[1]] < position[p[0]] and not verdict(p[0], p[1])]
    for s, l, cos, rare, j, c in sorted(misses, key=lambda p: -p[5])[:5]:
        x = docs[s][0]
        fate = (f"rejected as a duplicate of {out.rejected[x][1]}" if out.is_duplicate(x) else
                "kept" if x in out.kept else f"dropped: {out.rejected.get(x, ('absent',))[0]}")
        print(f"  missed (longer first): {x} in {docs[l][0]}: J {j:.3f}, containment {c:.3f}; {x} {fate}")

    print()
    index = {docs[i][0]: i for i in involved}
    bands = Counter()
    doubtful = []
    for x, y, reason in out.duplicate_links():
        if x in index and y in index:
            sx, sy = sh(index[x]), sh(index[y])
            j, c = dc.jaccard(sx, sy), dc.containment(sx, sy)
            band = ("J >= 0.8" if j >= 0.8 else "containment >= 0.8" if c >= COPY_C else
                    "grey (J or containment 0.5-0.8)" if max(j, c) >= 0.5 else "both < 0.5")
            bands[band] += 1
            if j < 0.8 and c < COPY_C:
                doubtful.append((c, j, x, y, meta.get(x, {})))
    print("duplicate rejections between these stories, by the rejected story's true J / containment in "
          "the kept one: " + ", ".join(f"{k}: {bands[k]}" for k in
                                       ("J >= 0.8", "containment >= 0.8", "grey (J or containment 0.5-0.8)",
                                        "both < 0.5")))
    for c, j, x, y, m in sorted(doubtful)[:10]:
        est = "".join(f", {key} {m[key]}" for key in ("similarity", "containment") if key in m)
        print(f"  under 0.8 both: {x} -> {y}: true J {j:.3f}, containment {c:.3f} ({m.get('reason')}{est})")


if __name__ == "__main__":
    main()
