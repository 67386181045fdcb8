"""STATE_DIR and DATABASE_URL: where the store lives, checked at start-up with one line naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.settings
from bot.settings import Settings, SettingsError


def settings(**environ: str) -> Settings:
    return Settings.from_env(environ, env_file=None)


def test_without_variables_the_store_is_sqlite_under_var(isolated_state_dir: Path) -> None:
    assert settings().state_dir == isolated_state_dir == bot.settings.DEFAULT_STATE_DIR
    assert settings().database_url == ""


def test_the_default_state_dir_is_var_beside_the_project_and_git_ignores_it() -> None:
    project = Path(bot.settings.__file__).resolve().parent.parent
    assert Settings.__dataclass_fields__["state_dir"].default == project / "var"
    assert "var/" in (project / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_a_relative_state_dir_is_relative_to_the_project_not_the_working_directory() -> None:
    project = Path(bot.settings.__file__).resolve().parent.parent
    assert settings(STATE_DIR="var/test-state").state_dir == project / "var" / "test-state"


def test_a_state_dir_that_does_not_exist_yet_is_fine(tmp_path: Path) -> None:
    assert settings(STATE_DIR=str(tmp_path / "new" / "state")).state_dir == tmp_path / "new" / "state"


def test_a_state_dir_that_is_a_file_names_the_variable(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(SettingsError, match=r"^STATE_DIR '.*file' is not a directory$"):
        settings(STATE_DIR=str(tmp_path / "file"))


def test_a_state_dir_below_a_file_names_the_variable(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(SettingsError, match=r"^STATE_DIR"):
        settings(STATE_DIR=str(tmp_path / "file" / "below"))


@pytest.mark.parametrize("url", ["postgresql://u:p@db.example.org:5432/regiondorren", "postgres://db/regiondorren"])
def test_a_postgresql_url_is_taken_and_kept_out_of_repr(url: str) -> None:
    read = settings(DATABASE_URL=url)
    assert read.database_url == url
    assert url not in repr(read)


@pytest.mark.parametrize(
    ("url", "shown"),
    [("mysql://root:hemligt@db/x", "mysql"), ("root:hemligt@db/x", "no scheme"), ("sqlite:///var/x.db", "sqlite")],
)
def test_a_url_for_another_database_names_the_variable_and_not_the_password(url: str, shown: str) -> None:
    with pytest.raises(SettingsError) as raised:
        settings(DATABASE_URL=url)
    assert str(raised.value) == f"DATABASE_URL must start with postgresql:// (got {shown})"
