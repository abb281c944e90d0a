#!/usr/bin/env bash
# Figures for Winnow under a real systemd (booted in namespaces by Tests/Support/systemd-sandbox):
# start to READY, reload, a stop with a large file in flight, a watchdog restart, the unit's
# exposure score. Needs root. Uses release binaries (builds them if missing).
#
#   Benchmarks/systemd.sh [--bin DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release
[ "${1:-}" = --bin ] && bin=$2
[ -x "$bin/winnowd" ] || scripts/bootstrap build
bin=$(cd "$bin" && pwd)
root=$(pwd)
# Built before the sandbox boots: the sandbox's overlay of / may not see files created later.
corpus=$(mktemp -d /tmp/winnow-systemd-bench-XXXXXX)
python3 - "$corpus/big.jsonl" <<'PY'
import json, random, sys
rng = random.Random(11)
letters = "abcdefghijklmnopqrstuvwxyz"
with open(sys.argv[1], "w") as out:
    for _ in range(200000):
        words = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(60)]
        out.write(json.dumps({"text": " ".join(words) + "."}) + "\n")
PY
chmod 0644 "$corpus/big.jsonl"
machine="$corpus/machine"
sandbox=Tests/Support/systemd-sandbox
trap '"$sandbox" stop "$machine"; rm -rf "$corpus"' EXIT
"$sandbox" start "$machine"
inside() { "$sandbox" exec "$machine" bash -euc "$1"; }
now() { date +%s.%N; }
ms() { python3 -c "print(round(($2 - $1) * 1000))"; }

inside "'$root/Deploy/install.sh' --bin '$bin' >/dev/null"
t0=$(now); inside "systemctl start winnow"; t1=$(now)
echo "start to READY (systemctl start returns): $(ms "$t0" "$t1") ms"
t0=$(now); inside "systemctl reload winnow"; t1=$(now)
echo "reload (unchanged file): $(ms "$t0" "$t1") ms"

inside "cp '$corpus/big.jsonl' /var/spool/winnow/inbox/.big.tmp && chown winnow /var/spool/winnow/inbox/.big.tmp && mv /var/spool/winnow/inbox/.big.tmp /var/spool/winnow/inbox/big.jsonl"
until [ "$(inside "cat /var/lib/winnow/output/records/*.jsonl 2>/dev/null | wc -l")" -gt 20000 ]; do sleep 0.1; done
t0=$(now); inside "systemctl stop winnow"; t1=$(now)
committed=$(inside "cat /var/lib/winnow/output/records/*.jsonl | wc -l")
echo "stop with a 200,000-document file in flight: $(ms "$t0" "$t1") ms (result $(inside "systemctl show -p Result --value winnow"), $committed documents committed)"
t0=$(now); inside "systemctl start winnow"
until inside "test -e /var/spool/winnow/work/archive/big.jsonl"; do sleep 0.1; done
t1=$(now)
total=$(inside "cat /var/lib/winnow/output/records/*.jsonl | wc -l")
distinct=$(inside "cat /var/lib/winnow/output/records/*.jsonl | python3 -c 'import sys, json; print(len({json.loads(l)[\"text\"] for l in sys.stdin}))'")
echo "restart and finish: $(ms "$t0" "$t1") ms; records $total, distinct texts $distinct (expected 200000)"
pid=$(inside "systemctl show -p MainPID --value winnow")
echo "after the file: peak RSS $(inside "grep VmHWM /proc/$pid/status | tr -s ' ' | cut -d' ' -f2-"), cgroup memory (with page cache) $(inside "systemctl show -p MemoryCurrent --value winnow") bytes, tasks $(inside "systemctl show -p TasksCurrent --value winnow")"

inside "mkdir -p /etc/systemd/system/winnow.service.d
printf '[Service]\nEnvironment=WINNOW_TEST_HANG_ON=HANG-HERE\nWatchdogSec=2s\n' > /etc/systemd/system/winnow.service.d/hang.conf
systemctl daemon-reload; systemctl restart winnow"
pid=$(inside "systemctl show -p MainPID --value winnow")
t0=$(now); inside "printf 'HANG-HERE\n' > /var/spool/winnow/inbox/hang.txt"
until p=$(inside "systemctl show -p MainPID --value winnow") && [ "$p" != "$pid" ] && [ "$p" != 0 ] &&
  [ "$(inside "systemctl show -p ActiveState --value winnow")" = active ]; do sleep 0.05; done
t1=$(now)
echo "hang to restarted and READY with WatchdogSec=2s: $(ms "$t0" "$t1") ms"
until inside "test -e /var/spool/winnow/work/failed/hang.txt.error.json"; do sleep 0.1; done
t2=$(now)
echo "hang to the file set aside (3 ends in a row): $(ms "$t0" "$t2") ms, restarts $(inside "systemctl show -p NRestarts --value winnow")"
echo "exposure: $(inside "systemd-analyze security --no-pager winnow.service | tail -1")"
