#!/usr/bin/env bash
# Fuzzes Winnow's input parsers with libFuzzer for a bounded time:
#   scripts/fuzz/run.sh [--seconds N] [target…] [-- libFuzzer flags…]
#   targets: decoder html jsonl text urls warc (default: all); e.g. `-- -len_control=0` to try long inputs at once
# Builds Fuzz/Fuzzers in release with -sanitize=fuzzer,address, then runs each target for N seconds
# (default 60) from its seeds in Fuzz/Corpus/<target>/ and a scratch corpus that grows from run to run.
# Scratch corpora and crash artifacts live under $FUZZ_WORK (default .build/fuzz-runs, which git
# ignores); the checked-in seeds are only read. Exits 1 when any target found a crash, a timeout or
# an out-of-memory input, naming each artifact; `-minimize_crash=1` on the fuzzer shrinks one.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

all_targets=(decoder html jsonl text urls warc)
seconds=60
targets=()
extra=()
while (($#)); do
  case "$1" in
    --)
      shift
      extra=("$@")
      break
      ;;
    --seconds)
      seconds=${2:?--seconds needs a number}
      shift 2
      ;;
    -h | --help)
      sed -n '2,9s/^# \{0,1\}//p' "$0"
      exit 0
      ;;
    *)
      [[ " ${all_targets[*]} " == *" $1 "* ]] || {
        echo "fuzz: unknown target $1 (known: ${all_targets[*]})" >&2
        exit 2
      }
      targets+=("$1")
      shift
      ;;
  esac
done
((${#targets[@]})) || targets=("${all_targets[@]}")

command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
build="$root/.build/fuzz"
work="${FUZZ_WORK:-$root/.build/fuzz-runs}"

echo "fuzz: building the fuzzers in $build" >&2
swift build --package-path Fuzz/Fuzzers --scratch-path "$build" -c release \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >&2

# Swift's backtracer would take the signal of a runtime trap (an overflow, a failed precondition)
# before libFuzzer, which then writes no artifact: libFuzzer prints the stack instead.
export SWIFT_BACKTRACE=enable=no

found=0
for target in "${targets[@]}"; do
  corpus="$work/$target/corpus"
  artifacts="$work/$target/artifacts"
  log="$work/$target/fuzz.log"
  mkdir -p "$corpus" "$artifacts"
  before=$(find "$artifacts" -type f | sort)
  echo "fuzz: $target for ${seconds}s, log in $log" >&2
  # New inputs go to the first corpus folder, the scratch one; the seeds are read after it.
  status=0
  "$build/release/fuzz-$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "${extra[@]}" "$corpus" "Fuzz/Corpus/$target" >"$log" 2>&1 || status=$?

  # The final stats when libFuzzer printed them, else its last progress line ("#1234 … exec/s: 56").
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  progress=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  [ -n "$runs" ] || runs=$(sed -E -n 's/^#([0-9]+).*/\1/p' <<<"$progress")
  [ -n "$rate" ] || rate=$(sed -E -n 's/.*exec\/s: ([0-9]+).*/\1/p' <<<"$progress")
  new=$(comm -13 <(echo "$before") <(find "$artifacts" -type f | sort) | sed '/^$/d')
  crashes=$(sed '/^$/d' <<<"$new" | wc -l)
  echo "fuzz: $target executions=${runs:-0} exec/s=${rate:-0} corpus=$(find "$corpus" -type f | wc -l) crashes=$crashes"
  if ((crashes)); then
    found=1
    sed 's/^/fuzz: artifact /' <<<"$new"
    grep -m1 -E 'ERROR: (AddressSanitizer|libFuzzer)|Fatal error|SUMMARY' "$log" | sed 's/^/fuzz: /' || true
  elif ((status)); then
    echo "fuzz: $target exited with status $status without an artifact; see $log" >&2
    found=1
  fi
  echo "fuzz: $target runs=${runs:-0} crashes=$crashes"
done
exit "$found"
