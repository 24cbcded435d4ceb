#!/usr/bin/env bash
# Installs the Debian dependencies and builds Tengen (Release) into build/.
# Build output goes to stderr so that stdout stays free for GTP in run-gtp.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh >&2
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >&2
cmake --build build -j"$(nproc)" >&2
