#!/usr/bin/env bash
# MinHash signature speed of rensa and datatrove beside Winnow's, on the shared bench text, one core:
# the MinHash rows of Benchmarks/compare.sh, which builds winnow-minhash, makes the reference venv
# (.build-venv/) and measures everything in one run.
#   Benchmarks/dedup/compare_reference.sh [--runs 3] [--limit N] [--markdown FILE] [--no-build]
exec "$(dirname "$0")/../compare.sh" --stages minhash "$@"
