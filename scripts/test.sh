#!/usr/bin/env bash
# Runs the whole test suite: unit tests, unit tests under ThreadSanitizer and AddressSanitizer, and the integration tests
# (the real tracegw binary with real backends, clients and official decoders, on 127.0.0.1 only).
set -euo pipefail
cd "$(dirname "$0")/.."

step() {
    local name=$1
    shift
    local start=$SECONDS
    echo "=== $name" >&2
    "$@"
    echo "=== $name took $((SECONDS - start)) s" >&2
}

step "setup" bash scripts/setup.sh
step "check: no Foundation in hot-path modules" bash scripts/check-foundation-imports.sh
step "build (debug, with tests)" swift build --build-tests
step "unit tests" swift test --skip-build
step "unit tests under ThreadSanitizer" \
    swift test --scratch-path .build-tsan --sanitize=thread
# AddressSanitizer for the code that touches C buffers (epoll, iovecs, nghttp2, OpenSSL). LeakSanitizer is off:
# XCTest's own test-case objects are reported as leaks.
step "unit tests under AddressSanitizer" env ASAN_OPTIONS=detect_leaks=0 \
    swift test --scratch-path .build-asan --sanitize=address
# Integration tests run real processes under timing (timeouts, drains, idle tunnels) on a machine that may be busy;
# a test that fails is run once more, and the summary line reports every rerun, so a real failure still fails twice.
step "integration tests" env TRACEGW_BINARY="$(swift build --show-bin-path)/tracegw" \
    python3 -m pytest -q -p no:cacheprovider --reruns 1 --reruns-delay 1 Tests/IntegrationTests
