#!/usr/bin/env bash
# Winnow beside the reference tools, in one command, from the repository root:
#
#   Benchmarks/compare.sh [--runs N] [--quick] [--limit N] [--stages text,minhash,html]
#                         [--markdown FILE] [--no-build]
#
# 1. Builds the Winnow binaries it measures (swift build -c release: winnowd, winnow-minhash,
#    winnow-extract; skipped with --no-build).
# 2. Makes or reuses the Python venv .build-venv/ with the reference tools from PyPI
#    (Benchmarks/reference/setup_venv.sh: datatrove 0.10.1, rensa, trafilatura, resiliparse); a tool
#    that does not install or import is listed as NOT AVAILABLE with the reason.
# 3. Runs every tool on the same inputs in the same run, one core each (taskset -c 0), and prints
#    one table (Benchmarks/reference/compare.py): stage, tool, documents/s, MB/s per core, peak RSS,
#    and Winnow's ratio to each reference tool.
#      text end to end  winnowd --once vs datatrove's quality filters + its four MinHash stages, on
#                       ../shared/bench/text.jsonl.gz: the default pipeline, with the four quality
#                       stages, and with them but no language identification (datatrove's work
#                       exactly: it identifies no language); plus the default pipeline on both cores,
#                       and two independent one-core runs at once (what the cores cost each other).
#                       Each winnowd run sets inbox.settle_ms = 0 (its input is complete at the start)
#      MinHash          winnow-minhash (from text, and from the normal form) vs rensa (Python
#                       shingling / prebuilt shingles) and datatrove's MinhashDedupSignature, same text
#      HTML extraction  winnow-extract vs trafilatura and resiliparse on
#                       ../shared/corpora/trafilatura-eval/html (1,029 pages)
#
# Options: --runs N (median of N runs, default 3); --quick (1 run, text stages on the first 5,000
# documents, labelled as such in the table); --limit N (text stages on the first N documents);
# --stages (a subset of text,minhash,html); --markdown FILE (also write the table, the machine and
# the date as Markdown, for docs/performance.md); --no-build (use the binaries already in
# .build/release). A full run takes about 20 minutes on a 2-core machine, most of it datatrove's.
set -euo pipefail
caller="$PWD"
cd "$(dirname "$0")/.."

build=1
args=()
after_markdown=0
for arg in "$@"; do
  if ((after_markdown)); then # a relative --markdown FILE is relative to where the command was run
    [[ "$arg" = /* ]] || arg="$caller/$arg"
    after_markdown=0
  fi
  case "$arg" in
    --no-build) build=0 ;;
    --markdown) after_markdown=1 ;;
    --markdown=*) [[ "${arg#--markdown=}" = /* ]] || arg="--markdown=$caller/${arg#--markdown=}" ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
  esac
  [ "$arg" = --no-build ] || args+=("$arg")
done

for tool in taskset python3; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is missing (apt-get install util-linux python3)" >&2; exit 1; }
done
# GNU time reads each measured process's peak RSS (Debian package "time").
if [ ! -x /usr/bin/time ] && command -v apt-get >/dev/null; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "compare.sh: installing time" >&2
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time; } >/dev/null 2>&1 ||
    echo "compare.sh: could not install time; peak RSS will include the harness's own" >&2
fi

if ((build)); then
  if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
  fi
  # One product at a time; each waits for any other build holding .build to finish.
  for product in winnowd winnow-minhash winnow-extract; do
    echo "compare.sh: swift build -c release --product $product" >&2
    swift build -c release --product "$product" >&2 || {
      echo "compare.sh: the release build failed (--no-build measures the binaries already built)" >&2
      exit 1
    }
  done
fi

# A venv that cannot be made leaves the reference rows NOT AVAILABLE; Winnow's are still measured.
Benchmarks/reference/setup_venv.sh .build-venv || echo "compare.sh: no reference venv; measuring Winnow only" >&2

exec python3 Benchmarks/reference/compare.py --venv .build-venv --bin .build/release "${args[@]+"${args[@]}"}"
