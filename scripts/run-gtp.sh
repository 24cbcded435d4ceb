#!/usr/bin/env bash
# Quick start 1: install, build, and run Tengen as a GTP engine on stdin/stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec ./build/tengen gtp "$@"
