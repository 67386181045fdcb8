"""`python -m bot migrate`: the same migrations start-up applies, on the database the settings name."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from bot.cli.main import main
from bot.store.migrator import migrations_for
from tests.databases import DatabaseTarget, _free_port

ROOT = Path(__file__).resolve().parent.parent


def run_migrate(environ: dict[str, str], lang: str = "en") -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    status = main(["migrate", "--lang", lang], stdout=stdout, stderr=stderr, environ=environ, env_file=None)
    return status, stdout.getvalue(), stderr.getvalue()


def test_migrate_brings_an_empty_database_to_the_release_schema_twice_over(database_target: DatabaseTarget) -> None:
    latest = len(migrations_for(database_target.backend))
    first = run_migrate(database_target.environ())
    again = run_migrate(database_target.environ())
    assert first[0] == again[0] == 0
    assert f"is at schema version {latest}." in first[1]
    assert first[1] == again[1]
    assert database_target.backend in first[1]


def test_migrate_an_unreachable_server_exits_1_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://regiondorren:hemligt-lösen@127.0.0.1:{_free_port()}/regiondorren"
    status, stdout, stderr = run_migrate({"DATABASE_URL": url, "STATE_DIR": str(tmp_path)})
    assert status == 1
    assert stdout == ""
    assert "cannot be used" in stderr and "127.0.0.1" in stderr
    assert "hemligt" not in stderr


def test_migrate_with_a_url_that_is_not_postgresql_names_the_variable(tmp_path: Path) -> None:
    status, _, stderr = run_migrate({"DATABASE_URL": "mysql://root:hemligt@db/x", "STATE_DIR": str(tmp_path)}, "sv")
    assert status == 2
    assert stderr.strip() == "Jag kan inte migrera databasen: DATABASE_URL must start with postgresql:// (got mysql)"


def test_python_m_bot_migrate_creates_the_sqlite_file_under_state_dir(tmp_path: Path) -> None:
    state_dir = tmp_path / "var"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=ROOT,
        env={"STATE_DIR": str(state_dir), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "schemaversion" in result.stdout
    assert (state_dir / "regiondorren.sqlite3").is_file()
