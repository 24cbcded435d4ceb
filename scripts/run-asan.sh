#!/usr/bin/env bash
# Builds the tests with AddressSanitizer and UndefinedBehaviorSanitizer into build-asan/ and
# runs the unit tests (the in-process ones: Catch tag expression ~[integration]~[.]) under them.
# .ci/run calls it after the main suite; run it after touching memory-handling code.
set -euo pipefail
cd "$(dirname "$0")/.."
# -O1 keeps the instrumented tests fast enough, -g1 the line numbers of a report; UBSan stops
# at its first finding, as ASan does. The unit tests need no tengen binary: it is not built.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DTENGEN_SANITIZE="address,undefined" -DCMAKE_CXX_FLAGS="-fno-sanitize-recover=undefined" \
  -DTENGEN_APP=OFF -DTENGEN_NODE_TESTS=OFF >&2
cmake --build build-asan -j"$(nproc)" --target tengen_tests >&2
# Leaks are not checked: LibTorch and oneTBB keep process-lifetime allocations that LSan
# would report at exit, and the tests' own objects are all scoped.
ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
  build-asan/tests/tengen_tests "~[integration]~[.]" "$@"
