"""Shared by the torture scripts (kill_storm.py, power_loss.py): the mixed corpus with known
document ids, starting winnowd and waiting for it, and the final accounting of inputs and documents.

The corpus: .txt files, .html pages, .jsonl files of 50-400 documents, some gzip- or
zstd-compressed, and .urls lists of pages on a loopback HTTP server (Tests/Support/http_server.py).
Every input is distinct, so each document must end exactly once in records/ or rejected/ (record
ids are <content hash>-<index>), each fetched page exactly once (by its URL), and each input
exactly once in archive/ or failed/ (with its NAME.error.json saying why).
"""
import argparse, contextlib, gzip, json, os, re, socket, sqlite3, subprocess, sys, time

HTTP_SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Support",
                           "http_server.py")

WORDS = ("harbour export grain council river market station winter report engine valley bridge "
         "committee village budget orchard tunnel festival library museum").split()


def sentence(rng, n=14):
    return " ".join(rng.choice(WORDS) + str(rng.randint(0, 99999)) for _ in range(n)) + "."


def argument_parser(files):
    """The flags every storm takes: --files, --bin, --seed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=files)
    parser.add_argument("--bin", default=".build/release")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-urls", dest="urls", action="store_false",
                        help="leave .urls lists (fetched from a loopback server) out of the corpus")
    return parser


def start_http_server(root):
    """Starts the loopback test server (logging to root/http.log); returns it and its base URL."""
    server = subprocess.Popen([sys.executable, HTTP_SERVER, "--log", os.path.join(root, "http.log"),
                               "--exit-with-parent"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = server.stdout.readline().decode()
    if not line.startswith("PORT "):
        sys.exit(f"the test HTTP server did not start: {line!r}")
    return server, f"http://127.0.0.1:{int(line.split()[1])}"


def make_corpus(directory, files, rng, url_base=None, urls=None):
    """Writes the inputs (not synced); returns {name: number of documents}. With `url_base`, some
    inputs are .urls lists of distinct pages there (no documents of their own); their URLs are
    added to the set `urls`."""
    expected = {}
    kinds, weights = ["txt", "html", "jsonl", "urls"], [5, 2, 3, 1 if url_base else 0]
    for i in range(files):
        kind = rng.choices(kinds, weights=weights)[0]
        if kind == "urls":
            listed = [f"{url_base}/page/storm-{i}-{k}" for k in range(rng.randint(1, 5))]
            urls.update(listed)
            body, count = ("# pages to fetch\n" + "\n".join(listed) + "\n").encode(), 0
        elif kind == "txt":
            body, count = ("\n\n".join(sentence(rng) for _ in range(rng.randint(1, 6))) + "\n").encode(), 1
        elif kind == "html":
            paragraphs = "".join(f"<p>{sentence(rng, 30)}</p>" for _ in range(rng.randint(2, 8)))
            body = f"<html><head><title>Page {i}</title></head><body><article>{paragraphs}</article></body></html>".encode()
            count = 1
        else:
            count = rng.randint(50, 400)
            body = "".join(json.dumps({"text": sentence(rng, 20)}) + "\n" for _ in range(count)).encode()
        name = f"in-{i:05d}.{kind}"
        compression = rng.choices(["", "gz", "zst"], weights=[6, 2, 2])[0]
        if compression == "gz":
            body, name = gzip.compress(body, 1), name + ".gz"
        elif compression == "zst":
            body = subprocess.run(["zstd", "-q", "-c"], input=body, stdout=subprocess.PIPE, check=True).stdout
            name += ".zst"
        with open(os.path.join(directory, name), "wb") as f:
            f.write(body)
        expected[name] = count
    return expected


def write_config(path):
    """The configuration both storms run with: short settle and rescan, small batches, fetching
    from loopback allowed and not slowed down."""
    with open(path, "w") as f:
        f.write("[inbox]\nsettle_ms = 20\nrescan_interval_s = 1\n[batch]\ndocuments = 100\n"
                "[fetch]\nper_host_delay_ms = 0\nper_host_connections = 4\n"
                "allow_networks = [\"127.0.0.0/8\"]\n")


def peak_rss_kib(pid):
    """The process's peak resident set (VmHWM), in KiB; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def status(sock):
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(5)
    client.connect(sock)
    client.sendall(b"GET /v1/status HTTP/1.1\r\nHost: winnowd\r\nConnection: close\r\n\r\n")
    data = b""
    while chunk := client.recv(65536):
        data += chunk
    client.close()
    return json.loads(data.split(b"\r\n\r\n", 1)[1])


def launch(winnowd, config, root, log_path):
    """Starts winnowd in `root` (./Inbox, ./Output, ./.winnow) and waits until its control socket
    answers; returns the process and how long that took (seconds)."""
    launched = time.monotonic()
    with open(log_path, "ab") as log:
        daemon = subprocess.Popen([winnowd, "--config", config], cwd=root, stdout=log, stderr=log)
    sock = os.path.join(root, ".winnow", "control.sock")
    while True:
        try:
            status(sock)
            return daemon, time.monotonic() - launched
        except OSError:
            if daemon.poll() is not None:
                sys.exit(f"winnowd exited with {daemon.returncode}; see {log_path}")
            time.sleep(0.005)


def wait_until_idle(root):
    """Waits until the daemon has nothing pending or in hand, no URL left to fetch, and the inbox
    and claimed/ are empty. The fetch queue is read from the ledger too: the status's queue count is
    refreshed by the fetch service after a .urls file's commit has added to it, so for a moment after
    the last file is archived the status can say 0 while the ledger holds the new URLs."""
    sock = os.path.join(root, ".winnow", "control.sock")
    while True:
        current = status(sock)
        files, fetch = current["files"], current["fetch"]
        if files["pending"] == 0 and files["processing"] == 0 and fetch["queued"] == 0 and fetch["active"] == 0 \
                and not os.listdir(os.path.join(root, "Inbox")) \
                and not os.listdir(os.path.join(root, ".winnow", "claimed")) \
                and unfinished_fetches(root) == 0:
            return
        time.sleep(0.1)


def unfinished_fetches(root):
    """URLs the ledger's fetch queue still holds to fetch (queued or in flight)."""
    with contextlib.closing(sqlite3.connect(os.path.join(root, ".winnow", "winnow.sqlite"), timeout=10)) as database:
        return database.execute("SELECT count(*) FROM fetch_queue WHERE state IN ('queued', 'fetching')").fetchone()[0]


def account(root, expected, urls=frozenset()):
    """Checks the finished state in `root` against the corpus: a dict of the figures and `ok`."""
    state = os.path.join(root, ".winnow")
    archived, failed, twice = set(), set(), 0
    for folder, found in (("archive", archived), ("failed", failed)):
        for entry in os.listdir(os.path.join(state, folder)):
            if entry.endswith(".error.json"):
                continue
            # A second copy of an input is set aside as NAME.1, NAME.2, ...
            base = re.sub(r"\.\d+$", "", entry) if entry not in expected else entry
            if base in archived or base in failed:
                twice += 1
            if folder == "failed" and not os.path.exists(os.path.join(state, folder, entry + ".error.json")):
                continue  # failed without a reason: unaccounted
            found.add(base)
    unaccounted = [n for n in expected if n not in archived and n not in failed]
    ids, per_file, per_url, torn = {}, {}, {}, 0
    for stream in ("records", "rejected"):
        directory = os.path.join(root, "Output", stream)
        for shard in sorted(os.listdir(directory)):
            with open(os.path.join(directory, shard), "rb") as f:
                for line in f:
                    try:
                        record = json.loads(line)
                    except ValueError:
                        torn += 1
                        continue
                    if not line.endswith(b"\n"):
                        torn += 1
                    ids[record["id"]] = ids.get(record["id"], 0) + 1
                    if record["source"] == "url":
                        url = record["metadata"].get("url")
                        per_url[url] = per_url.get(url, 0) + 1
                    else:
                        per_file.setdefault(record["metadata"].get("file"), set()).add(record["id"])
    doubled = sum(count - 1 for count in ids.values() if count > 1)
    # Each input's documents, counted by distinct id: fewer than it holds is a loss.
    lost = sum(max(0, count - len(per_file.get(name, ()))) for name, count in expected.items())
    unexpected = sum(max(0, len(per_file.get(name, ())) - count) for name, count in expected.items())
    unexpected += sum(len(found) for name, found in per_file.items() if name not in expected)
    # Closed at once: an open connection would keep the file system busy (power_loss.py unmounts it).
    with contextlib.closing(sqlite3.connect(os.path.join(state, "winnow.sqlite"))) as database:
        integrity = "; ".join(row[0] for row in database.execute("PRAGMA integrity_check"))
        fetch_failed = {url for (url,) in database.execute("SELECT url FROM fetch_queue WHERE state = 'failed'")}
    # Each URL's page once; a URL that failed with a reason (in the queue) is accounted for too.
    lost += sum(1 for url in urls if url not in per_url and url not in fetch_failed)
    doubled += sum(count - 1 for count in per_url.values() if count > 1)
    unexpected += sum(1 for url in per_url if url not in urls)
    ok = not unaccounted and twice == 0 and lost == 0 and doubled == 0 and torn == 0 and unexpected == 0 \
        and integrity == "ok"
    return dict(inputs=len(expected), archived=len(archived), failed=len(failed), unaccounted=len(unaccounted),
                twice=twice, documents=sum(expected.values()) + len(urls), pages=len(urls),
                fetch_failed=len(fetch_failed), lost=lost, doubled=doubled, torn=torn, unexpected=unexpected,
                integrity=integrity, ok=ok)


def print_accounting(figures):
    print("inputs {inputs} (archived {archived}, failed {failed}, unaccounted {unaccounted}, twice {twice})"
          .format(**figures))
    print("documents {documents} ({pages} fetched pages, {fetch_failed} fetches failed): lost {lost}, "
          "doubled {doubled}, torn {torn}, unexpected {unexpected}".format(**figures))


def ready_summary(ready_times):
    return f"time to ready max {max(ready_times) * 1000:.0f} ms, mean {sum(ready_times) / len(ready_times) * 1000:.0f} ms"
