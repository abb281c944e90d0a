#!/usr/bin/env python3
"""The whole pipeline's cost per document as the dedup index grows: winnowd --once over the bench
corpus, with its state database filled beforehand to each size.

  Benchmarks/growth.py [--bin .build/release] [--sizes 10000,1000000] [--runs 3]
                       [--input ../shared/bench/text.jsonl.gz] [--work /tmp/winnow-growth] [--refill]

For each size, `winnow-index --sizes SIZE` fills a database through the daemon's own commit path with
synthetic documents (Zipf words, 100-800 per document; see Benchmarks/IndexBench), once: it is kept
in WORK/SIZE/ and reused by later runs unless --refill. Then, RUNS times and in turn for each size
(interleaved, since this machine's speed drifts within the hour), into a fresh state folder holding
a copy of that database: winnowd --once on an empty inbox (start-up: opening the database and
building the negative filters from every key in it), then, on another fresh copy, winnowd --once on
the corpus. A document's cost at that size is the time the daemon logs for the corpus file (from
taking it to its last commit: reading, cleaning, the index lookups against everything already kept,
the commits with their rows, sweeps and fsyncs, and the output) over its documents; the start-up
is reported apart. Prints the medians, the ratio of each size's cost to the first size's, and the
peak RSS (ru_maxrss: the heap and the pages of the mapped database file the run touched).
"""
import argparse, gzip, os, re, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

from once_run import OnceRun


def fill(bin_dir, size, directory):
    """A database of `size` documents (plus winnow-index's probes) in directory/state.sqlite."""
    if os.path.exists(os.path.join(directory, "filled")):
        return
    print(f"filling {directory} to {size:,} documents with winnow-index ...", flush=True)
    subprocess.run([os.path.join(bin_dir, "winnow-index"), "--sizes", str(size), "--probes", "1000",
                    "--dir", directory], check=True, stdout=sys.stderr)
    # Fold the write-ahead log into the database, so that no run pays for checkpointing the fill's.
    with sqlite3.connect(os.path.join(directory, "state.sqlite")) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    open(os.path.join(directory, "filled"), "w").close()


def timed_run(bin_dir, input_path, database_dir, work):
    """(wall seconds, seconds the daemon logged for the input file or None, peak RSS in KiB) of
    winnowd --once over input_path (None: an empty inbox) with a copy of the database in
    database_dir as its state."""
    run = OnceRun(bin_dir, input_path, parent=work, prefix="growth-", log_level="info")
    state = os.path.join(run.root, "st")
    os.makedirs(state)
    for suffix in ("", "-wal"):
        source = os.path.join(database_dir, "state.sqlite" + suffix)
        if os.path.exists(source):
            shutil.copyfile(source, os.path.join(state, "winnow.sqlite" + suffix))
    runs = os.path.join(database_dir, "state.sqlite-runs")  # the sorted runs of the band and fingerprint indexes
    if os.path.isdir(runs):
        shutil.copytree(runs, os.path.join(state, "winnow.sqlite-runs"))
    subprocess.run(["sync"], check=True)  # the copy's writeback is not the run's cost
    start = time.monotonic()
    process = subprocess.Popen(run.command, stderr=subprocess.PIPE, text=True)
    log = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - start
    if status != 0:
        sys.exit(f"winnowd --once failed (status {status}) with {database_dir}:\n{log[-2000:]}")
    run.remove()
    # The daemon's own time for the file, from taking it to its commit: "file done ... ms=5123.4".
    done = re.search(r"file done .*\bms=([\d.]+)", log)
    return seconds, float(done.group(1)) / 1e3 if done else None, usage.ru_maxrss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/release")
    parser.add_argument("--input", default="../shared/bench/text.jsonl.gz")
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "winnow-growth"))
    parser.add_argument("--refill", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    os.makedirs(args.work, exist_ok=True)
    for size in sizes:
        directory = os.path.join(args.work, str(size))
        if args.refill:
            shutil.rmtree(directory, ignore_errors=True)
        fill(args.bin, size, directory)

    opener = gzip.open if args.input.endswith(".gz") else open
    with opener(args.input, "rb") as handle:
        documents = sum(1 for line in handle if line.strip())
    startup = {size: [] for size in sizes}
    whole = {size: [] for size in sizes}
    in_file = {size: [] for size in sizes}
    peaks = {size: [] for size in sizes}
    for number in range(args.runs):
        for size in sizes:
            directory = os.path.join(args.work, str(size))
            empty_seconds, _, _ = timed_run(args.bin, None, directory, args.work)
            whole_seconds, file_seconds, peak = timed_run(args.bin, args.input, directory, args.work)
            if file_seconds is None:
                sys.exit("winnowd logged no 'file done' line for the corpus")
            startup[size].append(empty_seconds)
            whole[size].append(whole_seconds)
            in_file[size].append(file_seconds)
            peaks[size].append(peak)
            print(f"run {number + 1}/{args.runs}, index of {size:,}: start-up {empty_seconds:.2f} s, whole run "
                  f"{whole_seconds:.2f} s, file {file_seconds:.2f} s: {file_seconds * 1e3 / documents:.3f} ms per "
                  f"document, peak RSS {peak / 1024:.0f} MiB", flush=True)

    print(f"\n{args.input}: {documents:,} documents; winnowd --once, default pipeline, median of {args.runs}")
    print("index size | start-up | whole run | file taken to committed | per document | ÷ first size | peak RSS")
    first = None
    for size in sizes:
        seconds = statistics.median(in_file[size])
        first = first or seconds
        print(f"{size:>10,} | {statistics.median(startup[size]):6.2f} s | {statistics.median(whole[size]):7.2f} s | "
              f"{seconds:21.2f} s | {seconds * 1e3 / documents:9.3f} ms | {seconds / first:10.2f}× | "
              f"{max(peaks[size]) / 1024:5.0f} MiB")


if __name__ == "__main__":
    main()
