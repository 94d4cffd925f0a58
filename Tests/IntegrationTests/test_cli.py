"""The tracegw command line as a user runs it: help, --print-config, and configuration errors."""
import os
import tempfile

from conftest import run_tracegw


def test_cli_help_listsTheDocumentedFlags():
    result = run_tracegw(["--help"])
    assert result.returncode == 0
    for flag in ["--listen", "--upstream", "--config", "--service-name", "--exporter", "--otlp-endpoint",
                 "--jaeger-endpoint", "--sampling-rate", "--stdout-format", "--workers", "--print-config"]:
        assert flag in result.stdout, flag


def test_cli_printConfig_showsValuesAndOrigins():
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write("service_name: from-file\nmax_queue_size: 4096\n")
        path = f.name
    try:
        result = run_tracegw(["--config", path, "--print-config", "--sampling-rate", "0.5"],
                             env={"OTEL_SERVICE_NAME": "from-env"})
    finally:
        os.unlink(path)
    assert result.returncode == 0, result.stderr
    lines = {line.split(":", 1)[0]: line for line in result.stdout.splitlines() if not line.startswith("#")}
    assert "from-env" in lines["service_name"] and "environment OTEL_SERVICE_NAME" in lines["service_name"]
    assert "4096" in lines["max_queue_size"] and f"file {path}" in lines["max_queue_size"]
    assert "0.5" in lines["sampling_rate"] and "flag --sampling-rate" in lines["sampling_rate"]
    assert "# default" in lines["max_export_batch_size"]
    assert result.stderr == ""


def test_cli_badSamplingRate_exitsWithMessageNamingKey():
    result = run_tracegw(["--print-config", "--sampling-rate", "1.5"])
    assert result.returncode == 2
    assert "sampling_rate" in result.stderr and "1.5" in result.stderr and "--sampling-rate" in result.stderr
    assert result.stdout == ""


def test_cli_unknownFileKey_exitsWithMessageNamingKey():
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write("sampling_rat: 0.5\n")
        path = f.name
    try:
        result = run_tracegw(["--config", path, "--print-config"])
    finally:
        os.unlink(path)
    assert result.returncode == 2
    assert 'unknown key "sampling_rat"' in result.stderr and path in result.stderr


def test_cli_unavailableExporter_isRefusedClearly():
    result = run_tracegw(["--print-config", "--exporter", "zipkin"])
    if result.returncode == 0:
        return  # the zipkin exporter is in this build
    assert result.returncode == 2
    assert "exporter zipkin is not available in this build" in result.stderr
