#!/usr/bin/env python3
"""Kill storm: ingest a mixed corpus while winnowd is killed with SIGKILL at random moments, then
check that nothing was lost, doubled or torn.

    scripts/torture/kill_storm.py [--files 5000] [--kills 50] [--bin .build/release] [--seed 1]

The corpus: .txt files, .html pages, .jsonl files of 50-400 documents, some gzip- or
zstd-compressed. Every input is distinct, so each document must end exactly once in records/ or
rejected/ (record ids are <content hash>-<index>), and each input exactly once in archive/ or
failed/. Printed: inputs, documents, lost, doubled, torn, restarts, time to ready (max, mean).
"""
import argparse, gzip, json, os, random, shutil, signal, socket, sqlite3, subprocess, sys, tempfile, time

WORDS = ("harbour export grain council river market station winter report engine valley bridge "
         "committee village budget orchard tunnel festival library museum").split()


def sentence(rng, n=14):
    return " ".join(rng.choice(WORDS) + str(rng.randint(0, 99999)) for _ in range(n)) + "."


def make_corpus(directory, files, rng):
    """Writes the inputs; returns {name: number of documents}."""
    expected = {}
    for i in range(files):
        kind = rng.choices(["txt", "html", "jsonl"], weights=[5, 2, 3])[0]
        if kind == "txt":
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--bin", default=".build/release")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    winnowd = os.path.abspath(os.path.join(args.bin, "winnowd"))
    root = tempfile.mkdtemp(prefix="winnow-kill-storm-")
    inbox, staging = os.path.join(root, "Inbox"), os.path.join(root, "staging")
    os.makedirs(inbox), os.makedirs(staging)
    expected = make_corpus(staging, args.files, rng)
    documents = sum(expected.values())
    config = os.path.join(root, "winnow.toml")
    with open(config, "w") as f:
        f.write("[inbox]\nsettle_ms = 20\nrescan_interval_s = 1\n[batch]\ndocuments = 100\n")
    sock = os.path.join(root, ".winnow", "control.sock")
    names = sorted(expected)
    for name in names:  # all dropped at once: the daemon is killed while it works through them
        os.rename(os.path.join(staging, name), os.path.join(inbox, name))

    ready_times, kills, started = [], 0, time.monotonic()
    while True:
        launched = time.monotonic()
        log = open(os.path.join(root, "winnowd.log"), "ab")
        daemon = subprocess.Popen([winnowd, "--config", config], cwd=root, stdout=log, stderr=log)
        while True:  # ready: the control socket answers
            try:
                current = status(sock)
                break
            except OSError:
                if daemon.poll() is not None:
                    sys.exit(f"winnowd exited with {daemon.returncode}; see {root}/winnowd.log")
                time.sleep(0.005)
        ready_times.append(time.monotonic() - launched)
        if kills >= args.kills:
            break
        time.sleep(rng.uniform(0.05, 1.5))
        daemon.send_signal(signal.SIGKILL)
        daemon.wait()
        kills += 1
    # The last daemon finishes the inbox.
    while True:
        current = status(sock)
        files = current["files"]
        if files["pending"] == 0 and files["processing"] == 0 and not os.listdir(inbox) \
                and not os.listdir(os.path.join(root, ".winnow", "claimed")):
            break
        time.sleep(0.1)
    daemon.send_signal(signal.SIGTERM)
    daemon.wait()
    elapsed = time.monotonic() - started

    archived = set(os.listdir(os.path.join(root, ".winnow", "archive")))
    failed = {n for n in os.listdir(os.path.join(root, ".winnow", "failed")) if not n.endswith(".error.json")}
    unaccounted = [n for n in names if n not in archived and n not in failed]
    ids, per_file, torn = {}, {}, 0
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
                    per_file.setdefault(record["metadata"].get("file"), set()).add(record["id"])
    doubled = sum(count - 1 for count in ids.values() if count > 1)
    # Each input's documents, counted by distinct id: fewer than it holds is a loss.
    lost = sum(max(0, count - len(per_file.get(name, ()))) for name, count in expected.items())
    unexpected = sum(max(0, len(per_file.get(name, ())) - count) for name, count in expected.items())
    unexpected += sum(len(found) for name, found in per_file.items() if name not in expected)
    with sqlite3.connect(os.path.join(root, ".winnow", "winnow.sqlite")) as database:
        integrity = "; ".join(row[0] for row in database.execute("PRAGMA integrity_check"))
    print(f"inputs {len(names)} (archived {len(archived)}, failed {len(failed)}, unaccounted {len(unaccounted)})")
    print(f"documents {documents}: lost {lost}, doubled {doubled}, torn {torn}, unexpected {unexpected}")
    print(f"kills {kills}; time to ready max {max(ready_times) * 1000:.0f} ms, mean {sum(ready_times) / len(ready_times) * 1000:.0f} ms")
    print(f"integrity_check {integrity}; wall time {elapsed:.1f} s; state in {root}")
    ok = not unaccounted and lost == 0 and doubled == 0 and torn == 0 and unexpected == 0 and integrity == "ok"
    if ok:
        shutil.rmtree(root)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
