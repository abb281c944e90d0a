#!/usr/bin/env python3
"""The reference tools Winnow is compared with, one measurement per process.

Runs inside the venv that setup_venv.sh makes; compare.py starts it once per run, pinned to one core
(taskset -c 0), and reads the peak RSS of the whole process (GNU time). Usage:

  tools.py TOOL --input FILE.jsonl.gz      text tools: datatrove-pipeline, datatrove-sig, rensa-text, rensa-shingles
  tools.py TOOL --html-dir DIR             HTML tools: trafilatura, resiliparse
  [--work DIR]                             scratch folder for the tools that write files (default: a temp dir)

Prints one JSON object on stdout: {"tool", "version", "documents", "bytes", "seconds", "info"}, where
documents and bytes are what the tool was given (documents and UTF-8 bytes of their text; pages and
bytes of HTML) and seconds the timed part. Everything is read into memory before the clock starts,
except for datatrove-pipeline, which reads its input itself and is timed from its first step to its
last (compare.py times that process as a whole, as it does winnowd). If the tool cannot be imported,
prints {"error": "..."} and exits 3; any other failure is a Python traceback and exit status 1.

  datatrove-pipeline  JsonlReader -> C4QualityFilter, GopherRepetitionFilter, GopherQualityFilter,
                      FineWebQualityFilter -> JsonlWriter, then the four MinHash stages
                      (MinhashDedupSignature, MinhashDedupBuckets, MinhashDedupCluster,
                      MinhashDedupFilter -> JsonlWriter), 5-grams, 14 buckets x 8 hashes; each stage a
                      LocalPipelineExecutor with workers=1 and tasks=1 (the bucket stage needs one task
                      per bucket, so tasks=14 there, still run one after the other in this process)
  datatrove-sig       MinhashDedupSignature.run alone on documents held in memory (same config), its
                      bucket files written and sorted under the scratch folder; the spaCy tokenizer is
                      loaded before the clock starts
  rensa-text          word 5-gram shingles built in Python (lowercase, digits -> 0, words = runs of
                      letters/digits: Benchmarks/dedup/dedup_common.py), then RMinHash(num_perm=128)
                      update + digest: the cost from text to signature
  rensa-shingles      RMinHash alone on shingles built beforehand (rensa's upper bound)
  trafilatura         trafilatura.extract(html) on each page, default settings
  resiliparse         extract_plain_text(HTMLTree.parse(html), main_content=True) on each page
HTML pages are gunzipped and decoded as UTF-8 (invalid bytes replaced) before the clock starts, as
winnow-extract does, so both tools get the same str.
"""
import argparse, glob, gzip, json, os, resource, shutil, sys, tempfile, time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))

# The MinHash configuration Winnow uses too: word 5-grams, 14 bands of 8 = 112 functions.
N_GRAMS, BUCKETS, HASHES_PER_BUCKET = 5, 14, 8
RSS_BEFORE_KIB = None  # peak RSS when the clock started (set by timed)


class Unavailable(Exception):
    """The tool cannot be imported (not installed, or a dependency is missing)."""


def version(dist):
    from importlib.metadata import PackageNotFoundError, version as v
    try:
        return v(dist)
    except PackageNotFoundError:
        return "?"


def load_texts(path):
    opener = gzip.open if path.endswith(".gz") else open
    texts = []
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def load_pages(directory):
    """The pages of NAME.html[.gz] in directory (the files winnow-extract reads), each gunzipped and
    decoded as UTF-8 with invalid bytes replaced, one at a time so that only the decoded text stays
    in memory (as in winnow-extract); and their bytes of HTML."""
    pages, nbytes = [], 0
    for name in sorted(os.listdir(directory)):
        if not (name.endswith(".html.gz") or name.endswith(".html")):
            continue
        opener = gzip.open if name.endswith(".gz") else open
        try:
            with opener(os.path.join(directory, name), "rb") as f:
                raw = f.read()
        except (OSError, EOFError):  # unreadable: skipped, as winnow-extract and compare.py do
            continue
        nbytes += len(raw)
        pages.append(raw.decode("utf-8", errors="replace"))
    return pages, nbytes


def timed(fn):
    """(seconds, result) of fn(); also notes the peak RSS so far, that of the input in memory."""
    global RSS_BEFORE_KIB
    RSS_BEFORE_KIB = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


# ---- MinHash ---------------------------------------------------------------------------------

def rensa_class():
    try:
        from rensa import RMinHash
    except ImportError as e:
        raise Unavailable(f"import rensa: {e}")
    return RMinHash


def dedup_common():
    sys.path.insert(0, os.path.join(HERE, "..", "dedup"))
    import dedup_common
    return dedup_common


def rensa_text(texts, work):
    RMinHash, dc = rensa_class(), dedup_common()

    def run():
        for t in texts:
            m = RMinHash(num_perm=128, seed=42)
            m.update(list(dc.shingles(t)))
            m.digest()

    seconds, _ = timed(run)
    return seconds, version("rensa"), {}


def rensa_shingles(texts, work):
    RMinHash, dc = rensa_class(), dedup_common()
    prebuilt = [list(dc.shingles(t)) for t in texts]

    def run():
        for s in prebuilt:
            m = RMinHash(num_perm=128, seed=42)
            m.update(s)
            m.digest()

    seconds, _ = timed(run)
    return seconds, version("rensa"), {}


def datatrove_imports():
    try:
        from datatrove.utils.logging import logger
        import datatrove.pipeline.dedup.minhash  # noqa: F401 (its tokenizer needs spacy, xxhash, ...)
    except ImportError as e:
        raise Unavailable(f"import datatrove: {e}")
    logger.remove()  # its progress logging would go to stderr for every document batch
    logger.add(sys.stderr, level="WARNING")


def datatrove_sig(texts, work):
    datatrove_imports()
    from datatrove.data import Document
    from datatrove.io import get_datafolder
    from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature

    docs = [Document(text=t, id=str(i)) for i, t in enumerate(texts)]
    config = MinhashConfig(n_grams=N_GRAMS, num_buckets=BUCKETS, hashes_per_bucket=HASHES_PER_BUCKET)
    step = MinhashDedupSignature(output_folder=os.path.join(work, "warmup"), config=config)
    step.get_shingles(texts[0])  # loads the spaCy tokenizer outside the timed run
    step.output_folder = get_datafolder(os.path.join(work, "signatures"))
    seconds, _ = timed(lambda: step.run(iter(docs), rank=0, world_size=1))
    return seconds, version("datatrove"), {}


# ---- datatrove end to end --------------------------------------------------------------------

def datatrove_pipeline(input_path, work):
    datatrove_imports()
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter, GopherQualityFilter,
                                            GopherRepetitionFilter)
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    # JsonlReader reads every file in a folder: give it one holding only the input.
    source = os.path.join(work, "input")
    os.makedirs(source)
    os.symlink(os.path.abspath(input_path), os.path.join(source, os.path.basename(input_path)))
    w = lambda name: os.path.join(work, name)  # noqa: E731
    config = MinhashConfig(n_grams=N_GRAMS, num_buckets=BUCKETS, hashes_per_bucket=HASHES_PER_BUCKET)

    def executor(pipeline, name, tasks=1):
        return LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=1, logging_dir=w(f"logs/{name}"))

    stages = [
        executor([JsonlReader(source), C4QualityFilter(), GopherRepetitionFilter(), GopherQualityFilter(),
                  FineWebQualityFilter(), JsonlWriter(w("filtered"))], "filter"),
        executor([JsonlReader(w("filtered")), MinhashDedupSignature(output_folder=w("signatures"), config=config)],
                 "signatures"),
        executor([MinhashDedupBuckets(input_folder=w("signatures"), output_folder=w("buckets"), config=config)],
                 "buckets", tasks=BUCKETS),
        executor([MinhashDedupCluster(input_folder=w("buckets"), output_folder=w("remove_ids"), config=config)],
                 "clusters"),
        executor([JsonlReader(w("filtered")), MinhashDedupFilter(input_folder=w("remove_ids")),
                  JsonlWriter(w("deduplicated"))], "dedup-filter"),
    ]
    names = ["filters", "signatures", "buckets", "clusters", "dedup filter"]
    stage_seconds = {}
    start = time.perf_counter()
    for name, stage in zip(names, stages):
        t = time.perf_counter()
        stage.run()
        stage_seconds[name] = round(time.perf_counter() - t, 2)
    seconds = time.perf_counter() - start

    def count(folder):
        total = 0
        for path in glob.glob(os.path.join(folder, "*.jsonl.gz")):
            with gzip.open(path, "rb") as f:
                total += sum(1 for _ in f)
        return total

    # What each filter dropped, from the filter executor's stats.json (best effort: informational).
    dropped = {}
    try:
        with open(w("logs/filter/stats.json"), encoding="utf-8") as f:
            for step in json.load(f):
                stats = step.get("stats", {})
                if "FILTER" in step.get("name", ""):
                    entry = {"dropped": stats.get("dropped", 0)}
                    if "line-total" in stats:
                        entry["lines"] = stats["line-total"]
                        entry["lines_without_terminal_punctuation"] = stats.get("line-filter-no_terminal_punc", 0)
                    dropped[step["name"].split(":", 1)[-1].strip()] = entry
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    return seconds, version("datatrove"), {"kept_after_filters": count(w("filtered")),
                                            "kept_after_dedup": count(w("deduplicated")),
                                            "stage_seconds": stage_seconds, "filter_drops": dropped}


# ---- HTML extraction -------------------------------------------------------------------------

def trafilatura_extract(pages, work):
    try:
        import trafilatura
    except ImportError as e:
        raise Unavailable(f"import trafilatura: {e}")
    seconds, outputs = timed(lambda: [trafilatura.extract(html) for html in pages])
    return seconds, version("trafilatura"), {"empty": sum(1 for o in outputs if not o)}


def resiliparse_extract(pages, work):
    try:
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.html import HTMLTree
    except ImportError as e:
        raise Unavailable(f"import resiliparse: {e}")
    seconds, outputs = timed(lambda: [extract_plain_text(HTMLTree.parse(html), main_content=True) for html in pages])
    return seconds, version("resiliparse"), {"empty": sum(1 for o in outputs if not o.strip())}


TEXT_TOOLS = {"rensa-text": rensa_text, "rensa-shingles": rensa_shingles, "datatrove-sig": datatrove_sig}
HTML_TOOLS = {"trafilatura": trafilatura_extract, "resiliparse": resiliparse_extract}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tool", choices=sorted(["datatrove-pipeline", *TEXT_TOOLS, *HTML_TOOLS]))
    ap.add_argument("--input", help="JSONL(.gz) with a text field per line")
    ap.add_argument("--html-dir", help="folder of NAME.html[.gz] pages")
    ap.add_argument("--work", help="scratch folder (default: a new temp dir, removed afterwards)")
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="winnow-ref-")
    os.makedirs(work, exist_ok=True)
    try:
        if a.tool in HTML_TOOLS:
            pages, nbytes = load_pages(a.html_dir)
            documents = len(pages)
            seconds, ver, info = HTML_TOOLS[a.tool](pages, work)
        else:
            if a.tool == "datatrove-pipeline":
                # It reads the file itself; compare.py knows the documents and bytes it holds.
                documents = nbytes = None
                seconds, ver, info = datatrove_pipeline(a.input, work)
            else:
                texts = load_texts(a.input)
                documents, nbytes = len(texts), sum(len(t.encode("utf-8")) for t in texts)
                seconds, ver, info = TEXT_TOOLS[a.tool](texts, work)
    except Unavailable as e:
        print(json.dumps({"tool": a.tool, "error": str(e)}), flush=True)
        sys.exit(3)
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
    if RSS_BEFORE_KIB is not None:
        info["rss_before_kib"] = RSS_BEFORE_KIB
    print(json.dumps({"tool": a.tool, "version": ver, "documents": documents, "bytes": nbytes, "seconds": seconds,
                      "info": info}), flush=True)


if __name__ == "__main__":
    main()
