"""Shared helpers for the dedup benchmarks: corpus loading, normalization, shingles, exact
all-pairs Jaccard search (prefix filtering) and reading a winnowd output directory.

Normalization (the same one the MinHash stage hashes): lowercase, every digit -> "0", runs of
punctuation/whitespace collapsed; words are the maximal runs of letters/digits. Shingles are word
5-grams; a text with fewer than 5 words has one shingle, its whole word sequence.
"""
import glob, gzip, json, math, os, re
from collections import defaultdict

REUTERS = "/work/shared/corpora/reuters21578/reuters21578.jsonl.gz"
BBC = "/work/shared/corpora/bbc-news-2225/bbc-news-2225.jsonl.gz"
SHINGLE = 5
_WORD = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")


def words(text):
    return _WORD.findall(_DIGIT.sub("0", text.lower()))


def shingles(text, n=SHINGLE):
    w = words(text)
    if len(w) < n:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}


def add_pair_arguments(ap):
    """The arguments every pair-finding script shares: the story length floor, where to write the
    inbox input and the pairs, and the winnowd output to score."""
    ap.add_argument("--min-words", type=int, default=50)
    ap.add_argument("--write-input")
    ap.add_argument("--pairs")
    ap.add_argument("--out")


def containment(part, whole):
    """The share of `part`'s shingles found in `whole`."""
    return len(part & whole) / len(part) if part else 0.0


def jaccard(a, b):
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def load_reuters(min_words=50):
    """Reuters-21578 stories with at least min_words words: list of (id, text)."""
    out = []
    with gzip.open(REUTERS, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            t = d.get("text") or ""
            if len(t.split()) >= min_words:
                out.append((f"reuters/{d['id']}", t))
    return out


def load_bbc(min_words=50):
    out = []
    with gzip.open(BBC, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            t = d.get("text") or ""
            if len(t.split()) >= min_words:
                out.append((f"bbc/{d['id']}", t))
    return out


def similar_pairs(sets, threshold):
    """All pairs (i, j, jaccard) with exact Jaccard >= threshold, i < j.

    Prefix filtering: with shingles ordered by ascending document frequency, two sets with
    Jaccard >= t share at least one shingle among the first |s| - ceil(t*|s|) + 1 of each, so the
    candidates are complete; each candidate is then verified exactly (plus a size filter).
    """
    df = defaultdict(int)
    for s in sets:
        for g in s:
            df[g] += 1
    rank = {g: (c, g) for g, c in df.items()}
    ordered = [sorted(s, key=rank.__getitem__) for s in sets]
    index = defaultdict(list)
    pairs = []
    order = sorted(range(len(sets)), key=lambda i: len(sets[i]))
    for i in order:
        s = ordered[i]
        n = len(s)
        if n == 0:
            continue
        prefix = n - math.ceil(threshold * n) + 1
        seen = set()
        min_size = threshold * n
        for g in s[:prefix]:
            for j in index[g]:
                if j in seen:
                    continue
                seen.add(j)
                if len(sets[j]) < min_size:
                    continue
                jac = jaccard(sets[i], sets[j])
                if jac >= threshold:
                    pairs.append((min(i, j), max(i, j), jac))
        for g in s[:prefix]:
            index[g].append(i)
    return pairs


class WinnowOutput:
    """The documents of a winnowd OUT dir, keyed by the input line's id (metadata.source_id)."""

    def __init__(self, out_dir):
        self.kept = set()          # source ids kept
        self.rejected = {}         # source id -> (reason, duplicate_of source id or None, similarity)
        by_record = {}             # winnow record id -> source id
        raw = []
        for kind in ("records", "rejected"):
            for path in sorted(glob.glob(os.path.join(out_dir, kind, f"{kind}-*.jsonl"))):
                with open(path, encoding="utf-8") as f:
                    for line in f:
                        if line.strip():
                            raw.append((kind, json.loads(line)))
        for kind, r in raw:
            sid = str(r.get("metadata", {}).get("source_id", r["id"]))
            by_record[r["id"]] = sid
        for kind, r in raw:
            m = r.get("metadata", {})
            sid = by_record[r["id"]]
            if kind == "records":
                self.kept.add(sid)
            else:
                dup = m.get("duplicate_of")
                self.rejected[sid] = (m.get("reason"), by_record.get(dup, dup) if dup else None,
                                      m.get("similarity"))

    def is_duplicate(self, sid):
        r = self.rejected.get(sid)
        return r is not None and r[0] in ("exact_duplicate", "near_duplicate")

    def root(self, sid):
        """The kept document sid resolves to through duplicate_of links (None if dropped otherwise)."""
        seen = set()
        while sid not in self.kept:
            if sid in seen or not self.is_duplicate(sid):
                return None
            seen.add(sid)
            sid = self.rejected[sid][1]
        return sid

    def duplicate_links(self):
        """(rejected source id, source id it points to, reason) for every duplicate rejection."""
        return [(s, r[1], r[0]) for s, r in self.rejected.items() if self.is_duplicate(s)]
