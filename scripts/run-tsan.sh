#!/usr/bin/env bash
# Builds the tests with the thread sanitizer into build-tsan/ and runs the concurrency tests
# ([threads]: the search's workers, the batched evaluator, pondering). Slow to build (every
# file is recompiled with instrumentation); run it after touching anything concurrent.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTENGEN_SANITIZE=thread -DTENGEN_APP=OFF -DTENGEN_NODE_TESTS=OFF >&2
cmake --build build-tsan -j"$(nproc)" --target tengen_tests >&2
# Torch and TBB are not instrumented: their internals are suppressed, our code is not.
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp" \
  build-tsan/tests/tengen_tests "[threads]" "$@"
