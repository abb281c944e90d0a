#!/usr/bin/env bash
# Creates (or reuses) the Python virtualenv that holds the reference tools Winnow is compared with,
# installed from PyPI:
#   datatrove 0.10.1 (+ what its quality filters and MinHash stages import but do not declare:
#     "xxhash<4", orjson, tokenizers, spacy, regex)
#   rensa
#   trafilatura (+ lxml_html_clean, which recent lxml no longer bundles)
#   resiliparse
#
#   Benchmarks/reference/setup_venv.sh [VENV_DIR]     (default: .build-venv at the repository root)
#
# Each group is installed by its own pip call, so one that cannot be installed leaves the others
# usable; a group whose modules already import is not touched. Writes VENV_DIR/install-status.tsv,
# one line per group: name, "ok" or "failed", and the reason (pip's last error line), which the
# comparison prints as "NOT AVAILABLE" for the tools that need that group. Exits 0 once the venv
# itself exists (1 if it cannot be made).
set -u
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${1:-${VENV:-$root/.build-venv}}"
python="${PYTHON:-python3}"

if ! "$venv/bin/python" -c "import sys" >/dev/null 2>&1; then
  # Debian's python3 makes venvs only with python3-venv (ensurepip) installed.
  if ! "$python" -c "import ensurepip, venv" >/dev/null 2>&1 && command -v apt-get >/dev/null; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "setup_venv: installing python3-venv" >&2
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv; } >/dev/null 2>&1
  fi
  echo "setup_venv: creating $venv with $($python --version 2>&1)" >&2
  "$python" -m venv --clear "$venv" || { echo "setup_venv: cannot create a venv with $python" >&2; exit 1; }
  "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
fi

# Pins every pip call honours, so installing one group never moves another's versions:
# datatrove 0.10 passes str to xxhash, which xxhash 4 refuses.
constraints="$venv/constraints.txt"
printf 'datatrove==0.10.1\nxxhash<4\n' >"$constraints"

status="$venv/install-status.tsv"
: >"$status"
log="$venv/pip.log"
: >"$log"

# group NAME "python import statements" pip-requirement...
group() {
  local name="$1" imports="$2"
  shift 2
  if "$venv/bin/python" -c "$imports" >/dev/null 2>&1; then
    printf '%s\tok\t\n' "$name" >>"$status"
    return
  fi
  echo "setup_venv: installing $name ($*)" >&2
  local out
  if out="$("$venv/bin/python" -m pip install -q -c "$constraints" "$@" 2>&1)" &&
    "$venv/bin/python" -c "$imports" >/dev/null 2>&1; then
    printf '%s\tok\t\n' "$name" >>"$status"
  else
    local reason
    reason="$(printf '%s\n' "$out" | grep -E '^(ERROR|error):' | tail -n 1)"
    [ -n "$reason" ] || reason="$("$venv/bin/python" -c "$imports" 2>&1 | tail -n 1)"
    [ -n "$reason" ] || reason="pip failed"
    printf '%s\tfailed\t%s\n' "$name" "$(printf '%s' "$reason" | tr '\t\n' '  ')" >>"$status"
    echo "setup_venv: INSTALL FAILED: $name: $reason" >&2
  fi
  printf '== %s\n%s\n' "$name" "$out" >>"$log"
}

group datatrove "import datatrove, xxhash, orjson, tokenizers, spacy, regex; from datatrove.pipeline.dedup.minhash import MinhashDedupSignature; from datatrove.pipeline.filters import C4QualityFilter, GopherRepetitionFilter, GopherQualityFilter, FineWebQualityFilter" \
  "datatrove==0.10.1" "xxhash<4" orjson tokenizers spacy regex
group rensa "import rensa" rensa
group trafilatura "import trafilatura, lxml_html_clean" trafilatura lxml_html_clean
group resiliparse "from resiliparse.parse.html import HTMLTree; from resiliparse.extract.html2text import extract_plain_text" resiliparse

"$venv/bin/python" -m pip list 2>/dev/null | grep -iE '^(datatrove|xxhash|orjson|tokenizers|spacy|rensa|trafilatura|lxml|lxml[-_]html[-_]clean|resiliparse) ' >&2 || true
exit 0
