#!/usr/bin/env python3
"""Kill storm: ingest a mixed corpus while winnowd is killed with SIGKILL at random moments, then
check that nothing was lost, doubled or torn.

    scripts/torture/kill_storm.py [--files 5000] [--kills 50] [--bin .build/release] [--seed 1]

The corpus and the accounting are in corpus.py. Printed: inputs, documents (fetched pages among
them), lost, doubled, torn, restarts, time to ready (max, mean), peak RSS.
"""
import os, random, shutil, signal, sys, tempfile, time

import corpus


def main():
    parser = corpus.argument_parser(files=5000)
    parser.add_argument("--kills", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    winnowd = os.path.abspath(os.path.join(args.bin, "winnowd"))
    root = tempfile.mkdtemp(prefix="winnow-kill-storm-")
    inbox, staging = os.path.join(root, "Inbox"), os.path.join(root, "staging")
    os.makedirs(inbox), os.makedirs(staging)
    server, base = corpus.start_http_server(root) if args.urls else (None, None)
    urls = set()
    expected = corpus.make_corpus(staging, args.files, rng, url_base=base, urls=urls)
    config = os.path.join(root, "winnow.toml")
    corpus.write_config(config)
    for name in sorted(expected):  # all dropped at once: the daemon is killed while it works through them
        os.rename(os.path.join(staging, name), os.path.join(inbox, name))

    ready_times, kills, peak_rss, started = [], 0, 0, time.monotonic()
    while True:
        daemon, ready = corpus.launch(winnowd, config, root, os.path.join(root, "winnowd.log"))
        ready_times.append(ready)
        if kills >= args.kills:
            break
        time.sleep(rng.uniform(0.05, 1.5))
        peak_rss = max(peak_rss, corpus.peak_rss_kib(daemon.pid))
        daemon.send_signal(signal.SIGKILL)
        daemon.wait()
        kills += 1
    # The last daemon finishes the inbox.
    corpus.wait_until_idle(root)
    peak_rss = max(peak_rss, corpus.peak_rss_kib(daemon.pid))
    daemon.send_signal(signal.SIGTERM)
    daemon.wait()
    elapsed = time.monotonic() - started

    if server is not None:
        server.terminate()
    figures = corpus.account(root, expected, urls)
    corpus.print_accounting(figures)
    print(f"kills {kills}; {corpus.ready_summary(ready_times)}; peak RSS of winnowd {peak_rss / 1024:.1f} MiB")
    print(f"integrity_check {figures['integrity']}; wall time {elapsed:.1f} s; state in {root}")
    if figures["ok"]:
        shutil.rmtree(root)
    sys.exit(0 if figures["ok"] else 1)


if __name__ == "__main__":
    main()
