#!/usr/bin/env bash
# Quick start 2: install, build, and run the whole default test suite through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
# The JavaScript GTP client test's packages, exactly as locked.
npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
