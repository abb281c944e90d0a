#!/usr/bin/env python3
"""Builds a planted-duplicate benchmark from Reuters-21578 and BBC News (read at run time).

  Benchmarks/dedup/make_planted.py --out DIR [--seed 1] [--originals 2000] [--negatives 1000]

Writes DIR/inbox/planted.jsonl ({"id", "text"} per line, shuffled, every original before its copies)
and DIR/truth.json. Originals and negatives come from a pool of stories with >= 50 words in which
no two stories have word-5-gram Jaccard >= 0.5 (natural duplicates removed, exactly). Each original
gets each copy kind with probability --copy-rate: exact, rewrapped (new line breaks, blank lines,
invented page furniture), edit2/edit5/edit10/edit20 (that share of words replaced/inserted/deleted;
edit2 is extra, its Jaccard sits near the 0.8 threshold), paragraph_dropped. The true Jaccard of every copy against its original is recorded.
"""
import argparse, json, os, random, re, sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dedup_common as dc

KINDS = ["exact", "rewrapped", "edit2", "edit5", "edit10", "edit20", "paragraph_dropped"]
FURNITURE_TOP = ["Share this article", "Advertisement", "Print this page", "Skip to main content",
                 "Most read", "Sign up for our newsletter"]
FURNITURE_BOTTOM = ["Share this article", "Email this story", "Back to top", "Comments (0)",
                    "All rights reserved.", "Follow us on social media", "Tags: news, markets"]
CITIES = ["LONDON", "NEW YORK", "TOKYO", "PARIS", "FRANKFURT", "SYDNEY", "OTTAWA", "MADRID"]
MONTHS = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]


def paragraphs(text):
    """Reuters marks paragraphs with an indented line, BBC with a blank line."""
    paras, cur = [], []
    for line in text.split("\n"):
        if not line.strip():
            if cur:
                paras.append(cur)
            cur = []
            continue
        if line[:1].isspace() and cur:
            paras.append(cur)
            cur = []
        cur.append(line.strip())
    if cur:
        paras.append(cur)
    return [" ".join(p) for p in paras]


def wrap(text, width):
    lines, cur = [], ""
    for w in text.split():
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


def rewrapped(text, rng, titles):
    width = rng.choice([50, 60, 72, 90, 120])
    out = [f"{rng.choice(CITIES)}, {rng.choice(MONTHS)} {rng.randint(1, 28)} (Newswire) -",
           rng.choice(FURNITURE_TOP), ""]
    for p in paragraphs(text):
        out.extend(wrap(p, width))
        out.extend([""] * rng.randint(1, 3))
    out.append(f"Related: {rng.choice(titles)}")
    out.append(rng.choice(FURNITURE_BOTTOM))
    out.append(f"Updated {rng.randint(1, 12)}:{rng.randint(0, 59):02d} GMT")
    return "\n".join(out)


def edited(text, share, rng, vocab):
    tokens = re.split(r"(\s+)", text)
    word_pos = [i for i, t in enumerate(tokens) if t and not t.isspace()]
    n = max(1, round(share * len(word_pos)))
    for i in rng.sample(word_pos, n):
        op = rng.random()
        if op < 0.5:
            tokens[i] = rng.choice(vocab)
        elif op < 0.75:
            tokens[i] = tokens[i] + " " + rng.choice(vocab)
        else:
            tokens[i] = ""
    return re.sub(r"[ \t]{2,}", " ", "".join(tokens))


def paragraph_dropped(text, rng):
    lines = text.split("\n")
    # paragraph start line indices (first line, indented lines, lines after a blank line)
    starts = [i for i, l in enumerate(lines) if l.strip() and (i == 0 or l[:1].isspace() or not lines[i - 1].strip())]
    if len(starts) < 3:
        return None
    k = rng.randrange(1, len(starts))
    end = starts[k + 1] if k + 1 < len(starts) else len(lines)
    return "\n".join(lines[:starts[k]] + lines[end:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--originals", type=int, default=2000)
    ap.add_argument("--negatives", type=int, default=1000)
    ap.add_argument("--copy-rate", type=float, default=0.4, help="probability of each copy kind per original")
    a = ap.parse_args()
    rng = random.Random(a.seed)

    docs = dc.load_reuters(50) + dc.load_bbc(50)
    sets = [dc.shingles(t) for _, t in docs]
    related = set()
    for i, j, _ in dc.similar_pairs(sets, 0.5):
        related.update((i, j))
    pool = [i for i in range(len(docs)) if i not in related]
    print(f"pool: {len(pool)} of {len(docs)} stories (>= 50 words, no partner with Jaccard >= 0.5)", file=sys.stderr)
    if len(pool) < a.originals + a.negatives:
        sys.exit("pool too small")
    rng.shuffle(pool)
    originals, negatives = pool[:a.originals], pool[a.originals:a.originals + a.negatives]
    vocab = sorted({w for i in pool[:3000] for w in docs[i][1].split() if w.isalpha() and len(w) > 2})
    titles = [docs[i][1].split("\n")[0][:70] for i in pool[a.originals + a.negatives:][:500]] or ["Markets"]

    families, copies = [], []
    for i in originals:
        oid, text = docs[i]
        fam = [(oid, text)]
        for kind in KINDS:
            if rng.random() >= a.copy_rate:
                continue
            if kind == "exact":
                t = text
            elif kind == "rewrapped":
                t = rewrapped(text, rng, titles)
            elif kind.startswith("edit"):
                t = edited(text, int(kind[4:]) / 100, rng, vocab)
            else:
                t = paragraph_dropped(text, rng)
                if t is None:
                    continue
            cid = f"{oid}#{kind}"
            fam.append((cid, t))
            copies.append({"id": cid, "original": oid, "kind": kind,
                           "jaccard": round(dc.jaccard(sets[i], dc.shingles(t)), 4)})
        families.append(fam)
    entries = [f for f in families] + [[docs[i]] for i in negatives]

    # Shuffle all documents, then put each family's original in the family's earliest slot.
    flat = [(fi, k) for fi, fam in enumerate(entries) for k in range(len(fam))]
    rng.shuffle(flat)
    slots = {}
    for pos, (fi, _) in enumerate(flat):
        slots.setdefault(fi, []).append(pos)
    out = [None] * len(flat)
    for fi, positions in slots.items():
        members = [k for p, (f, k) in ((p, flat[p]) for p in positions)]
        members.remove(0)
        for p, k in zip(positions, [0] + members):
            out[p] = entries[fi][k]

    os.makedirs(os.path.join(a.out, "inbox"), exist_ok=True)
    path = os.path.join(a.out, "inbox", "planted.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for did, t in out:
            f.write(json.dumps({"id": did, "text": t}, ensure_ascii=False) + "\n")
    truth = {"input": os.path.abspath(path), "seed": a.seed,
             "originals": [docs[i][0] for i in originals],
             "negatives": [docs[i][0] for i in negatives], "copies": copies}
    with open(os.path.join(a.out, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=1)
    print(f"wrote {len(out)} documents to {path}", file=sys.stderr)
    print(f"{'kind':<18}{'copies':>7}{'J>=0.8':>8}{'J<0.5':>7}{'min J':>7}{'mean J':>8}")
    for kind in KINDS:
        js = [c["jaccard"] for c in copies if c["kind"] == kind]
        if js:
            print(f"{kind:<18}{len(js):>7}{sum(j >= 0.8 for j in js):>8}{sum(j < 0.5 for j in js):>7}"
                  f"{min(js):>7.3f}{sum(js) / len(js):>8.3f}")
    print(f"originals {len(originals)}, negatives {len(negatives)}, copies {len(copies)}")


if __name__ == "__main__":
    main()
