"""The Dockerfile builds the same image every time and works behind an agency network (it cannot
be built here: no Docker on the test machines, so this reads what it says)."""

from __future__ import annotations

import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DOCKERFILE = (PROJECT / "Dockerfile").read_text(encoding="utf-8")


def test_base_image_is_pinned_by_digest_and_is_the_python_the_lock_is_for() -> None:
    [image] = re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE, re.MULTILINE)
    assert re.fullmatch(r"python:3\.11-slim@sha256:[0-9a-f]{64}", image)
    assert "with Python 3.11" in (PROJECT / "requirements.lock").read_text(encoding="utf-8")
    assert re.search(r"^FROM \$\{PYTHON_IMAGE\}$", DOCKERFILE, re.MULTILINE)


def test_dependencies_come_from_the_lock_file_only() -> None:
    installs = re.findall(r"^RUN pip install (.*)$", DOCKERFILE, re.MULTILINE)
    assert installs == ["--no-deps -r requirements.lock"]


def test_an_extra_ca_certificate_and_a_package_index_are_build_arguments() -> None:
    assert re.search(r'^ARG EXTRA_CA_CERT=""$', DOCKERFILE, re.MULTILINE)
    assert re.search(r"^ARG PIP_INDEX_URL=https://\S+$", DOCKERFILE, re.MULTILINE)
    assert "update-ca-certificates" in DOCKERFILE
    # pip and requests bring their own CA bundles; both must use the system's, with the extra one.
    for variable in ("PIP_CERT", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
        assert f"{variable}=/etc/ssl/certs/ca-certificates.crt" in DOCKERFILE


def test_the_apps_code_is_compiled_to_bytecode_in_the_image() -> None:
    # PYTHONDONTWRITEBYTECODE keeps workers from writing it, so without this every worker start
    # compiles every module of the app again.
    assert "PYTHONDONTWRITEBYTECODE=1" in DOCKERFILE
    copied = DOCKERFILE.index("COPY dialogs/ dialogs/")
    compiled = DOCKERFILE.index("RUN python -m compileall -q app.py bot dialogs")
    assert copied < compiled < DOCKERFILE.index("USER regiondorren")
