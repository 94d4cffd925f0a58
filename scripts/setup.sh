#!/usr/bin/env bash
# Installs what tracegw needs to build and test on a fresh Debian machine of this kind (Swift is preinstalled).
# Idempotent: only missing packages are installed.
set -euo pipefail

apt_packages=(libnghttp2-dev libssl-dev zlib1g-dev openssl pkg-config curl nginx-light wrk)
missing=()
for p in "${apt_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# nginx-light is installed for the benchmarks and comparison tests only; never leave its service running.
if command -v systemctl >/dev/null 2>&1; then systemctl stop nginx >/dev/null 2>&1 || true; fi
pkill -x nginx >/dev/null 2>&1 || true

# grpcio: the OTLP/gRPC receiver; opentelemetry-exporter-jaeger-thrift: its generated Jaeger Thrift types (thrift).
python_packages=(pytest pytest-rerunfailures opentelemetry-proto protobuf grpcio opentelemetry-exporter-jaeger-thrift thrift)
if ! python3 -c "import pytest, pytest_rerunfailures, grpc, thrift, opentelemetry.proto.collector.trace.v1.trace_service_pb2_grpc, google.protobuf, opentelemetry.exporter, os; assert any(os.path.isdir(os.path.join(p, 'jaeger', 'thrift', 'gen')) for p in opentelemetry.exporter.__path__)" >/dev/null 2>&1; then
    echo "setup: installing Python test packages: ${python_packages[*]}" >&2
    python3 -m pip install -q --disable-pip-version-check "${python_packages[@]}"
fi
