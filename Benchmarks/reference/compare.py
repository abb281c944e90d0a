#!/usr/bin/env python3
"""Winnow beside the reference tools, same inputs, same run, one core each; prints one table.

Run through Benchmarks/compare.sh, which builds the Winnow binaries and the reference venv first.
Standard library only (the reference tools run in the venv, through tools.py beside this file).

  compare.py --venv .build-venv [--bin .build/release] [--runs 3] [--quick] [--limit N]
             [--stages text,minhash,html] [--markdown FILE]

Every measured command is its own child process, started through GNU time (`/usr/bin/time -f %M`),
which gives its peak RSS (including any process it waited for); its time is either the wall time of
the whole process (end-to-end rows) or the timed part the tool reports (rows whose input is read
into memory first).
One-core rows run under `taskset -c 0`. The runs of a stage are interleaved (run 1 of every tool,
then run 2, ...) so that load from elsewhere spreads over all of them; seconds are the median of
the runs, peak RSS the largest.

Documents/s and MB/s use the same denominators for every tool of a stage: for text, the documents
of the JSONL input and the UTF-8 bytes of their text fields; for HTML, the pages and their bytes of
(gunzipped) HTML. MB = 10^6 bytes. "Winnow ÷ tool" is Winnow's documents/s over the tool's.
"""
import argparse, datetime, gzip, json, os, platform, re, shutil, signal, statistics, subprocess, sys, tempfile
import concurrent.futures, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.dirname(HERE))
from once_run import OnceRun  # noqa: E402  (Benchmarks/once_run.py, shared with throughput.py)
QUICK_LIMIT = 5000
TIMEOUT = 3600  # seconds for one measured process


# ---- measuring one process -------------------------------------------------------------------

class Outcome:
    def __init__(self, rc, wall, maxrss_kib, cpu, stdout, stderr):
        self.rc, self.wall, self.maxrss_kib, self.cpu, self.stdout, self.stderr = rc, wall, maxrss_kib, cpu, stdout, stderr

    def last_error_line(self):
        lines = [l.strip() for l in (self.stderr + "\n" + self.stdout).splitlines() if l.strip()]
        return lines[-1][:300] if lines else f"exit status {self.rc}"


GNU_TIME = "/usr/bin/time"
RSS_MARK = "compare.py-rusage"


def measure(command, cwd=ROOT, env=None):
    """Runs command as a child; returns its exit status, wall time, peak RSS (KiB), CPU seconds and output.

    The peak RSS comes from GNU time, which starts the command itself: Linux keeps the peak RSS of a
    process's image from before exec, so a command started straight from this Python process (whose
    RSS is tens of MiB) would report at least that much. wait4 on a direct child is the fallback when
    GNU time is missing (the table says so)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r", prefix="compare-rusage-") as usage_file:
        if os.access(GNU_TIME, os.X_OK):
            command = [GNU_TIME, "-o", usage_file.name, "-f", RSS_MARK + " %M %U %S"] + command
        start = time.monotonic()
        try:
            process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                       start_new_session=True)
        except OSError as e:
            return Outcome(127, 0.0, 0, 0.0, "", str(e))
        killer = threading.Timer(TIMEOUT, lambda: os.killpg(process.pid, 9))  # time and the command under it
        killer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except KeyboardInterrupt:  # its own session does not get the terminal's Ctrl-C: pass it on
            killer.cancel()
            os.killpg(process.pid, 9)
            while True:
                try:
                    os.waitpid(process.pid, 0)
                    break
                except KeyboardInterrupt:
                    continue
                except ChildProcessError:
                    break
            raise
        wall = time.monotonic() - start
        killer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        maxrss, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
        for line in usage_file.read().splitlines():  # "Command exited with non-zero status N" may come first
            if line.startswith(RSS_MARK):
                fields = line.split()
                maxrss, cpu = int(fields[1]), float(fields[2]) + float(fields[3])
        out.seek(0)
        err.seek(0)
        return Outcome(process.returncode, wall, maxrss, cpu,
                       out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def measure_together(commands):
    """Starts every command at once (each measured as by `measure`) and returns their outcomes."""
    with concurrent.futures.ThreadPoolExecutor(len(commands)) as pool:
        return list(pool.map(measure, commands))


# ---- the tools -------------------------------------------------------------------------------

class Tool:
    """One row of the table: how to run it once and how to read its time."""

    def __init__(self, stage, key, label, cores=1, winnow=False, baseline=None, also=None):
        self.stage, self.key, self.label, self.cores = stage, key, label, cores
        self.winnow = winnow          # a Winnow row; the one with neither baseline nor also is what "Winnow ÷ tool" uses
        self.baseline = baseline      # for a Winnow row compared with another Winnow row: that row's key
        self.also = also              # for a second Winnow row the reference rows are also divided by: its tag
        self.copies = 1               # copies of the stage's input the row's seconds cover
        self.ratio_note = f"{cores} cores ÷ 1 core"  # what the ratio to the baseline row means
        self.seconds, self.rss_kib, self.cpu = [], [], []
        self.unavailable = None       # "NOT AVAILABLE: ..." / "FAILED: ..."
        self.version = None
        self.info = {}

    def run_once(self, ctx):
        raise NotImplementedError

    def record(self, seconds, outcome):
        self.seconds.append(seconds)
        self.rss_kib.append(outcome.maxrss_kib)
        self.cpu.append(outcome.cpu)


def pinned(command, cores):
    return (["taskset", "-c", "0"] + command) if cores == 1 else command


class ReferenceTool(Tool):
    """A tool of tools.py in the venv; its time is the one it reports, or the process's (whole=True)."""

    def __init__(self, stage, key, label, group, whole=False):
        super().__init__(stage, key, label)
        self.group, self.whole = group, whole

    def run_once(self, ctx):
        work = tempfile.mkdtemp(prefix="winnow-compare-ref-", dir=ctx.scratch)
        args = ["--html-dir", ctx.html_dir] if self.stage == "html" else ["--input", ctx.text_path]
        outcome = measure(pinned([ctx.python, os.path.join(HERE, "tools.py"), self.key, *args, "--work", work], 1),
                          env=ctx.env)
        shutil.rmtree(work, ignore_errors=True)
        result = None
        for line in reversed(outcome.stdout.splitlines()):
            if line.startswith("{"):
                try:
                    result = json.loads(line)
                    break
                except ValueError:
                    pass
        if result and "error" in result:
            self.unavailable = f"NOT AVAILABLE: {result['error']}"
            return
        if outcome.rc != 0 or not result:
            self.unavailable = f"FAILED (exit {outcome.rc}): {outcome.last_error_line()}"
            return
        self.version = result.get("version")
        self.info = result.get("info") or {}
        expected = ctx.denominators[self.stage]
        if result.get("documents") is not None and result["documents"] != expected[0]:
            self.info["note"] = f"read {result['documents']} documents, not {expected[0]}"
        self.record(outcome.wall if self.whole else result["seconds"], outcome)


# The default pipeline plus the four document quality stages (as Deploy/winnow.toml suggests for
# corpora meant for model training): the same filters as datatrove's row.
QUALITY_CONFIG = """[pipeline]
stages = ["html_extract", "markup", "unicode_nfc", "whitespace", "foreign_script_lines", "boilerplate_lines",
  "repeated_lines", "empty", "language", "gopher_repetition", "gopher_quality", "fineweb_quality", "c4_quality",
  "exact_dedup", "near_dedup"]
"""

# The same without the language stage: datatrove's pipeline identifies no language, so this is its
# work exactly (CLD2 reads about 20 MB/s here, a fifth of Winnow's time on this corpus).
SAME_WORK_CONFIG = QUALITY_CONFIG.replace('"empty", "language", ', '"empty", ')
assert SAME_WORK_CONFIG != QUALITY_CONFIG


class WinnowDaemon(Tool):
    """winnowd --once on a fresh copy of the input, fresh output and state; timed as a whole process."""

    def __init__(self, *args, config=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = config  # configuration file text, or None for the built-in defaults

    def run_once(self, ctx):
        run = OnceRun(ctx.bin, ctx.text_path, config_text=self.config, parent=ctx.scratch, prefix="winnow-compare-d-")
        outcome = measure(pinned(run.command, self.cores))
        if outcome.rc != 0:
            self.unavailable = f"FAILED (exit {outcome.rc}): {outcome.last_error_line()}"
        else:
            self.info = {"kept": run.kept()}
            self.record(outcome.wall, outcome)
        run.remove()


class WinnowPaired(Tool):
    """Two independent winnowd --once runs started at once, one pinned to each of the first two cores;
    its seconds are the mean of their own wall times (the harness may start one a little later).
    Nothing is shared between them, so their extra time over one run alone is what the cores cost
    each other: the ceiling for any two-core speed-up on the machine."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, cores=2, **kwargs)
        self.copies = 2
        self.ratio_note = "the two-core ceiling: 2 runs at once ÷ 1 alone"

    def run_once(self, ctx):
        runs = [OnceRun(ctx.bin, ctx.text_path, parent=ctx.scratch, prefix="winnow-compare-p-") for _ in range(2)]
        outcomes = measure_together([["taskset", "-c", str(core)] + run.command for core, run in enumerate(runs)])
        for one in runs:
            one.remove()
        failed = next((outcome for outcome in outcomes if outcome.rc != 0), None)
        if failed:
            self.unavailable = f"FAILED (exit {failed.rc}): {failed.last_error_line()}"
            return
        self.record(statistics.mean(outcome.wall for outcome in outcomes),
                    max(outcomes, key=lambda outcome: outcome.maxrss_kib))
        self.cpu[-1] = sum(outcome.cpu for outcome in outcomes)
        self.info["note"] = "in the last run the two took " + " and ".join(f"{o.wall:.2f} s" for o in outcomes)


class PrintedRate(Tool):
    """A Winnow benchmark executable whose printed rate gives the time (reading excluded): `pattern`
    matches its summary line with groups (count, seconds, rate, MB/s); `denominator` names the input."""

    pattern = None
    denominator = None
    unit = None

    def command(self, ctx):
        raise NotImplementedError

    def run_once(self, ctx):
        command, cleanup = self.command(ctx)
        outcome = measure(pinned(command, 1))
        cleanup()
        m = re.search(self.pattern, outcome.stdout)
        if outcome.rc != 0 or not m:
            self.unavailable = f"FAILED (exit {outcome.rc}): {outcome.last_error_line()}"
            return
        count, seconds, rate, megabytes = int(m.group(1)), float(m.group(2)), float(m.group(3)), m.group(4)
        expected = ctx.denominators[self.denominator][0]
        if count != expected:
            self.info["note"] = f"read {count} {self.unit}, not {expected}"
        self.info["printed"] = f"{m.group(3)} {self.unit}/s, {megabytes} MB/s"
        self.record(count / rate if rate else seconds, outcome)


class WinnowMinHash(PrintedRate):
    """winnow-minhash FILE --runs 1, read from its line for `mode` ("from text" or "from the normal form")."""

    denominator = "minhash"
    unit = "signatures"

    def __init__(self, *args, mode="from text", **kwargs):
        super().__init__(*args, **kwargs)
        # "from text: 20378 documents, 20.74 MB in 0.326 s, 62573 signatures/s, 63.7 MB/s"
        self.pattern = re.escape(mode) + r": (\d+) documents, [\d.]+ MB in ([\d.]+) s, (\d+) signatures/s, ([\d.]+) MB/s"

    def command(self, ctx):
        return [os.path.join(ctx.bin, "winnow-minhash"), ctx.text_path, "--runs", "1"], lambda: None


class WinnowExtract(PrintedRate):
    """winnow-extract DIR OUTDIR."""

    # "1029 pages, 148.6 MB of HTML in 6.71 s: 153.3 pages/s, 22.1 MB/s"
    pattern = r"(\d+) pages, [\d.]+ MB of HTML in ([\d.]+) s: ([\d.]+) pages/s, ([\d.]+) MB/s"
    denominator = "html"
    unit = "pages"

    def command(self, ctx):
        out = tempfile.mkdtemp(prefix="winnow-compare-x-", dir=ctx.scratch)
        return [os.path.join(ctx.bin, "winnow-extract"), ctx.html_dir, out], lambda: shutil.rmtree(out, ignore_errors=True)


def make_tools(stages):
    tools = []
    if "text" in stages:
        # The rows divided by the one-core run come right after it in each round: the machine's
        # speed drifts over the minutes a datatrove run takes.
        tools += [
            WinnowDaemon("text", "winnowd", "Winnow winnowd --once, default pipeline", winnow=True),
            WinnowDaemon("text", "winnowd-2", "Winnow winnowd --once, default pipeline, both cores",
                         cores=os.cpu_count(), winnow=True, baseline="winnowd"),
            WinnowPaired("text", "winnowd-paired", "Winnow winnowd --once, default pipeline, two independent runs at once",
                         winnow=True, baseline="winnowd"),
            WinnowDaemon("text", "winnowd-quality", "Winnow winnowd --once, default + 4 quality stages", winnow=True,
                         also="with quality stages", config=QUALITY_CONFIG),
            WinnowDaemon("text", "winnowd-same", "Winnow winnowd --once, default + 4 quality stages, no language id",
                         winnow=True, also="datatrove's work, no language id", config=SAME_WORK_CONFIG),
            ReferenceTool("text", "datatrove-pipeline", "datatrove {v}: 4 quality filters + 4 MinHash stages",
                          "datatrove", whole=True),
        ]
    if "minhash" in stages:
        tools += [
            WinnowMinHash("minhash", "winnow-minhash", "Winnow winnow-minhash (112 functions), from text", winnow=True),
            WinnowMinHash("minhash", "winnow-minhash-normal", "Winnow winnow-minhash, from the normal form",
                          winnow=True, also="from the normal form", mode="from the normal form"),
            ReferenceTool("minhash", "rensa-text", "rensa {v} RMinHash(128), Python shingling", "rensa"),
            ReferenceTool("minhash", "rensa-shingles", "rensa {v} RMinHash(128), prebuilt shingles", "rensa"),
            ReferenceTool("minhash", "datatrove-sig", "datatrove {v} MinhashDedupSignature (14×8)", "datatrove"),
        ]
    if "html" in stages:
        tools += [
            WinnowExtract("html", "winnow-extract", "Winnow winnow-extract", winnow=True),
            ReferenceTool("html", "trafilatura", "trafilatura {v} extract()", "trafilatura"),
            ReferenceTool("html", "resiliparse", "resiliparse {v} extract_plain_text(main_content=True)", "resiliparse"),
        ]
    return tools


# ---- inputs ----------------------------------------------------------------------------------

def text_input(path, limit, scratch):
    """The text file every text tool reads (the first `limit` documents when limit > 0), and its
    (documents, bytes of UTF-8 text, documents in the full file)."""
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        lines = [l for l in f.read().splitlines(keepends=True) if l.strip()]
    total = len(lines)
    if limit and limit < total:
        lines = lines[:limit]
        path = os.path.join(scratch, "input", os.path.basename(path) if path.endswith(".gz") else "text.jsonl.gz")
        os.makedirs(os.path.dirname(path))
        with gzip.open(path, "wb") as f:
            f.writelines(lines)
    nbytes = sum(len(json.loads(l)["text"].encode("utf-8")) for l in lines)
    return path, len(lines), nbytes, total


def html_input(directory):
    """(pages, bytes of HTML, other files) of the NAME.html[.gz] files in directory: those
    winnow-extract reads, and so the ones every HTML tool is given."""
    pages = nbytes = others = 0
    for name in sorted(os.listdir(directory)):
        if name.endswith(".html.gz") or name.endswith(".html"):
            opener = gzip.open if name.endswith(".gz") else open
            try:
                with opener(os.path.join(directory, name), "rb") as f:
                    nbytes += len(f.read())
                pages += 1
            except (OSError, EOFError):  # unreadable: winnow-extract and tools.py skip it too
                others += 1
        else:
            others += 1
    return pages, nbytes, others


def install_status(venv):
    """{group: reason} for the venv groups that setup_venv.sh could not install."""
    failed = {}
    path = os.path.join(venv, "install-status.tsv")
    if not os.path.exists(os.path.join(venv, "bin", "python")):
        return None
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[1] != "ok":
                failed[parts[0]] = parts[2] if len(parts) > 2 and parts[2] else "pip install failed"
    return failed


# ---- machine ---------------------------------------------------------------------------------

def machine():
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "kernel": platform.release(),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "load": " ".join(f"{x:.1f}" for x in os.getloadavg())}


def winnow_revision():
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "Sources", "Package.swift"],
                               cwd=ROOT, capture_output=True, text=True).stdout.strip()
        return rev + (" with uncommitted changes to Sources" if dirty else "") if rev else "?"
    except OSError:
        return "?"


# ---- the table -------------------------------------------------------------------------------

STAGE_NAMES = {"text": "text end to end", "minhash": "MinHash signatures", "html": "HTML extraction"}
HEADER = ["stage", "tool", "cores", "runs", "seconds", "documents/s", "MB/s", "MB/s per core", "peak RSS (MiB)",
          "Winnow ÷ tool"]


def fmt(x, digits):
    return f"{x:,.{digits}f}"


def label_of(tool):
    return tool.label.replace(" {v}", f" {tool.version}" if tool.version else "")


def rows_of(tools, denominators):
    rows = []
    by_key = {t.key: t for t in tools}
    for tool in tools:
        documents, nbytes = denominators[tool.stage]
        documents, nbytes = documents * tool.copies, nbytes * tool.copies
        name = STAGE_NAMES[tool.stage]
        if tool.unavailable or not tool.seconds:
            rows.append([name, label_of(tool), str(tool.cores), "", tool.unavailable or "NOT RUN", "", "", "", "", ""])
            continue
        seconds = statistics.median(tool.seconds)
        mbs = nbytes / 1e6 / seconds
        same_stage = [t for t in tools if t.stage == tool.stage and t.winnow and t.seconds]
        primary = next((t for t in same_stage if t.baseline is None and t.also is None), None)
        if tool.baseline:
            base = by_key[tool.baseline]
            # Round by round (each run comes right after the one-core run of its round, so both
            # see the machine at the same speed), then the median of those ratios.
            rounds = [tool.copies * b / t for b, t in zip(base.seconds, tool.seconds)]
            ratio = (f"{statistics.median(rounds):.2f}× ({tool.ratio_note}; median of the rounds' "
                     + " / ".join(f"{r:.2f}" for r in rounds) + ")" if rounds else "—")
        elif tool.winnow:
            ratio = "—"
        elif primary:
            # Winnow's documents/s over this tool's = this tool's seconds over Winnow's (same input).
            ratio = f"{seconds / statistics.median(primary.seconds):.2f}×"
            for other in (t for t in same_stage if t.also):
                ratio += f" ({other.also}: {seconds / statistics.median(other.seconds):.2f}×)"
        else:
            ratio = "— (no Winnow figure)"
        rows.append([name, label_of(tool), str(tool.cores), str(len(tool.seconds)), fmt(seconds, 2 if seconds >= 1 else 3),
                     fmt(documents / seconds, 0), fmt(mbs, 2), fmt(mbs / tool.cores, 2),
                     fmt(max(tool.rss_kib) / 1024, 0), ratio])
    return rows


def is_message(row):
    """A row whose tool has no figures: its reason spans the figure columns."""
    return row[4].startswith(("NOT AVAILABLE", "FAILED", "NOT RUN"))


def plain_table(rows):
    widths = [max(len(r[i]) for r in rows + [HEADER] if i < 4 or not is_message(r)) for i in range(len(HEADER))]
    right = {2, 3, 4, 5, 6, 7, 8}
    lines = []
    for r in [HEADER] + rows:
        if is_message(r):
            lines.append("  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4])
            continue
        lines.append("  ".join(r[i].rjust(widths[i]) if i in right else r[i].ljust(widths[i]) for i in range(len(r))))
        if r is HEADER:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(l.rstrip() for l in lines)


def markdown_table(rows):
    out = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    for r in rows:
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
    return "\n".join(out)


def notes_of(tools, ctx):
    notes = []
    for t in tools:
        bits = []
        if "kept" in t.info:
            bits.append(f"kept {t.info['kept']:,} of {ctx.denominators['text'][0]:,} documents")
        if "kept_after_filters" in t.info:
            bits.append(f"kept {t.info['kept_after_filters']:,} of {ctx.denominators['text'][0]:,} after its quality "
                        f"filters and {t.info['kept_after_dedup']:,} after MinHash dedup")
            drops = []
            for name, d in (t.info.get("filter_drops") or {}).items():
                drop = re.sub(r"^\W+", "", name) + f" {d['dropped']:,}"  # the names start with an emoji
                if d.get("lines"):
                    drop += (f" (after removing {d['lines_without_terminal_punctuation']:,} of {d['lines']:,} lines "
                             "for lacking terminal punctuation, as hard-wrapped text does)")
                drops.append(drop)
            if drops:
                bits.append("documents dropped by filter: " + ", ".join(drops))
            if t.info.get("stage_seconds"):
                bits.append("seconds per executor in the last run: "
                            + ", ".join(f"{k} {v:.1f}" for k, v in t.info["stage_seconds"].items()))
        if "empty" in t.info:
            bits.append(f"{t.info['empty']} page{'s' if t.info['empty'] != 1 else ''} with no text extracted")
        if "printed" in t.info:
            bits.append(f"last run printed {t.info['printed']}")
        if t.info.get("rss_before_kib") and t.rss_kib:
            bits.append(f"{t.info['rss_before_kib'] / 1024:,.0f} MiB of its peak RSS was reached before the clock "
                        "started (interpreter, libraries, input)")
        if "note" in t.info:
            bits.append(t.info["note"])
        if t.cpu and (t.cores > 1 or t.winnow and t.stage == "text"):
            bits.append(f"CPU time (user + system) {fmt(statistics.median(t.cpu), 2)} s for "
                        f"{fmt(statistics.median(t.seconds), 2)} s of wall time")
        if bits:
            notes.append(f"{label_of(t)}: " + "; ".join(bits) + ".")
    return notes


def header_lines(ctx):
    m = ctx.machine
    lines = [f"Date: {m['date']}. Machine: {m['cpu']}, {m['cores']} cores, Linux {m['kernel']} "
             f"(load average at start {m['load']}). Winnow {ctx.revision}.",
             f"Median of {ctx.runs} run{'s' if ctx.runs != 1 else ''} per tool, runs interleaved; one core each "
             "(taskset -c 0) unless cores says otherwise; peak RSS is the largest over the runs, of the whole process "
             "(input held in memory included)" + ("." if os.access(GNU_TIME, os.X_OK) else
                                                   ", read with wait4 as GNU time is missing, so it includes the "
                                                   "harness's own RSS inherited through fork: install `time`.")]
    if ctx.quick:
        lines.append("QUICK RUN: 1 run" + (f"; the text stages on the first {ctx.denominators['text'][0]:,} of "
                                          f"{ctx.text_total:,} documents" if ctx.limited else "")
                     + " — not comparable with a full run.")
    elif ctx.limited:
        lines.append(f"SUBSET: the text stages on the first {ctx.denominators['text'][0]:,} of {ctx.text_total:,} "
                     "documents.")
    if "text" in ctx.denominators:
        d, b = ctx.denominators["text"]
        lines.append(f"Text: {ctx.text_source} ({d:,} documents, {b / 1e6:.2f} MB of UTF-8 text); MB/s is per MB of "
                     "that text for every text row.")
    if "html" in ctx.denominators:
        d, b = ctx.denominators["html"]
        others = (f"; {ctx.html_others} other or unreadable file{'s' if ctx.html_others != 1 else ''} left out, as "
                  "winnow-extract reads only NAME.html[.gz]" if ctx.html_others else "")
        lines.append(f"HTML: {os.path.relpath(ctx.html_dir, ROOT)} ({d:,} pages, {b / 1e6:.1f} MB of HTML after gunzip"
                     f"{others}); MB/s is per MB of HTML.")
    lines.append("Timing: text end to end = wall time of the whole process (winnowd: read, clean, dedup, durable "
                 "output; datatrove: JsonlReader → C4QualityFilter, GopherRepetitionFilter, GopherQualityFilter, "
                 "FineWebQualityFilter → JsonlWriter, then MinhashDedupSignature, MinhashDedupBuckets, "
                 "MinhashDedupCluster, MinhashDedupFilter → JsonlWriter (5-grams, 14 buckets × 8 hashes), each a "
                 "LocalPipelineExecutor with workers=1, including Python start-up); MinHash and HTML = the tool's "
                 "own loop over input already in memory; Winnow's MinHash row 'from the normal form' leaves out the "
                 "lowercasing and digit folding, as rensa's prebuilt-shingles row does (its shingles are built from "
                 "lowercased, digit-folded words before its clock starts). Winnow ÷ tool = Winnow's documents/s "
                 "over the tool's.")
    return lines


# ---- main ------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description="Winnow beside reference tools, one table.")
    ap.add_argument("--venv", default=os.path.join(ROOT, ".build-venv"))
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"))
    ap.add_argument("--text", default=os.path.join(ROOT, "..", "shared", "bench", "text.jsonl.gz"))
    ap.add_argument("--html-dir", default=os.path.join(ROOT, "..", "shared", "corpora", "trafilatura-eval", "html"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help=f"1 run, text stages on the first {QUICK_LIMIT} documents")
    ap.add_argument("--limit", type=int, default=0, help="text stages on the first N documents only")
    ap.add_argument("--stages", default="text,minhash,html")
    ap.add_argument("--markdown", help="also write the table, machine and notes as Markdown to this file")
    a = ap.parse_args()
    stages = [s.strip() for s in a.stages.split(",") if s.strip()]
    for s in stages:
        if s not in STAGE_NAMES:
            ap.error(f"unknown stage {s!r} (text, minhash, html)")
    if a.quick:
        a.runs = 1
        a.limit = a.limit or QUICK_LIMIT

    class Ctx:
        pass
    ctx = Ctx()
    ctx.runs, ctx.quick, ctx.bin = a.runs, a.quick, os.path.abspath(a.bin)
    ctx.python = os.path.join(os.path.abspath(a.venv), "bin", "python")
    ctx.scratch = tempfile.mkdtemp(prefix="winnow-compare-")
    ctx.machine, ctx.revision = machine(), winnow_revision()
    ctx.denominators = {}
    ctx.limited = False
    # One core for the reference tools also means one thread for their native pools.
    ctx.env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
                   RAYON_NUM_THREADS="1", TOKENIZERS_PARALLELISM="false", PYTHONDONTWRITEBYTECODE="1")
    try:
        if "text" in stages or "minhash" in stages:
            ctx.text_source = os.path.relpath(os.path.abspath(a.text), ROOT)
            ctx.text_path, documents, nbytes, ctx.text_total = text_input(os.path.abspath(a.text), a.limit, ctx.scratch)
            ctx.limited = documents < ctx.text_total
            ctx.denominators["text"] = ctx.denominators["minhash"] = (documents, nbytes)
        if "html" in stages:
            ctx.html_dir = os.path.abspath(a.html_dir)
            pages, nbytes, ctx.html_others = html_input(ctx.html_dir)
            ctx.denominators["html"] = (pages, nbytes)
        tools = make_tools(stages)

        failed_groups = install_status(a.venv)
        for t in tools:
            if isinstance(t, ReferenceTool):
                if failed_groups is None:
                    t.unavailable = f"NOT AVAILABLE: no venv at {a.venv} (Benchmarks/reference/setup_venv.sh makes it)"
                elif t.group in failed_groups:
                    t.unavailable = f"NOT AVAILABLE: pip install failed: {failed_groups[t.group]}"
            elif not os.access(os.path.join(ctx.bin, {"text": "winnowd", "minhash": "winnow-minhash",
                                                      "html": "winnow-extract"}[t.stage]), os.X_OK):
                t.unavailable = f"NOT AVAILABLE: no binary in {ctx.bin} (swift build -c release)"

        print("\n".join(header_lines(ctx)), file=sys.stderr)
        for stage in stages:
            for run in range(ctx.runs):
                for t in (t for t in tools if t.stage == stage):
                    if t.unavailable:
                        continue
                    t.run_once(ctx)
                    if t.unavailable:
                        print(f"[{STAGE_NAMES[stage]}] run {run + 1}/{ctx.runs} {t.key}: {t.unavailable}",
                              file=sys.stderr, flush=True)
                    else:
                        docs, nb = (count * t.copies for count in ctx.denominators[stage])
                        s = t.seconds[-1]
                        print(f"[{STAGE_NAMES[stage]}] run {run + 1}/{ctx.runs} {t.key}: {s:.2f} s, {docs / s:,.0f} "
                              f"documents/s, {nb / 1e6 / s:.2f} MB/s, {t.rss_kib[-1] / 1024:.0f} MiB",
                              file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(ctx.scratch, ignore_errors=True)

    rows = rows_of(tools, ctx.denominators)
    notes = notes_of(tools, ctx)
    print()
    print("\n".join(header_lines(ctx)))
    print()
    print(plain_table(rows))
    if notes:
        print()
        print("\n".join(notes))
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as f:
            f.write(f"### Winnow and reference tools ({ctx.machine['date']})\n\n")
            f.write("`Benchmarks/compare.sh" + (f" --runs {ctx.runs}" if not a.quick and ctx.runs != 3 else "")
                    + (" --quick" if a.quick else "") + (f" --limit {a.limit}" if a.limit and not a.quick else "")
                    + (f" --stages {','.join(stages)}" if stages != list(STAGE_NAMES) else "") + "`\n\n")
            f.write("\n".join(f"{l}  " for l in header_lines(ctx)).rstrip() + "\n\n")
            f.write(markdown_table(rows) + "\n")
            if notes:
                f.write("\n" + "\n".join(f"- {n}" for n in notes) + "\n")
        print(f"\nMarkdown written to {a.markdown}", file=sys.stderr)
    return 0


def interrupted(signum, frame):
    raise KeyboardInterrupt  # SIGTERM as Ctrl-C: the process in hand is ended and the scratch folder removed


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, interrupted)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("compare.py: interrupted", file=sys.stderr)
        sys.exit(130)
