#!/usr/bin/env bash
# MinHash signature speed of rensa and datatrove on the shared bench text, one core.
#   Benchmarks/dedup/compare_reference.sh [reference_minhash.py options, e.g. --runs 3 --limit 5000]
# Installs both into a venv under /tmp (VENV to override); the repository is not touched.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
venv="${VENV:-/tmp/dedup-ref-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
# datatrove's MinHash stage also imports regex, tokenizers, xxhash and spacy (its English word
# tokenizer), which its base install leaves out; xxhash 4 no longer hashes str, which datatrove 0.10 passes.
install() { # name-to-import pip-requirement...
  local mod="$1"; shift
  "$venv/bin/python" -c "import $mod" 2>/dev/null && return 0
  "$venv/bin/pip" install -q "$@" || echo "INSTALL FAILED: $* (its figures will be missing)"
}
install rensa rensa
install datatrove datatrove
install regex regex
install tokenizers tokenizers
install spacy spacy
"$venv/bin/python" -c "import xxhash, sys; sys.exit(int(xxhash.VERSION.split('.')[0]) >= 4)" 2>/dev/null \
  || "$venv/bin/pip" install -q "xxhash<4" || echo "INSTALL FAILED: xxhash<4 (datatrove figures will be missing)"
"$venv/bin/pip" list 2>/dev/null | grep -iE '^(rensa|datatrove|numpy|xxhash|spacy) ' || true
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 RAYON_NUM_THREADS=1
exec taskset -c 0 "$venv/bin/python" "$here/reference_minhash.py" "$@"
