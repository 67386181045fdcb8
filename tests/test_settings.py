"""Settings: defaults, the .env file, and one clear line for each bad or missing variable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.data.directory import DEFAULT_DATA_DIR
from bot.settings import Settings, SettingsError

APP_ID = "9a1c5e0b-2b7a-4c3e-9d55-0d3f7a1c2b10"
TENANT = "4f1a0c2e-6b3d-4e8f-9a7b-2c5d8e1f3a60"
PROJECT = Path(__file__).resolve().parent.parent


def test_defaults_are_loopback_3978_auth_off_and_the_shipped_data():
    settings = Settings.from_env({}, env_file=None)

    assert (settings.host, settings.port) == ("127.0.0.1", 3978)
    assert settings.url == "http://127.0.0.1:3978"
    assert not settings.auth_enabled
    assert settings.app_type == "MultiTenant"
    assert settings.data_dir == DEFAULT_DATA_DIR


def test_single_tenant_registration_is_read_from_the_usual_names():
    settings = Settings.from_env(
        {
            "MicrosoftAppType": "singletenant",
            "MicrosoftAppId": APP_ID,
            "MicrosoftAppPassword": "s3cret",
            "MicrosoftAppTenantId": TENANT,
            "HOST": "0.0.0.0",
            "PORT": "8080",
        },
        env_file=None,
    )

    assert settings.app_type == "SingleTenant"
    assert settings.auth_enabled
    assert (settings.app_id, settings.app_tenant_id, settings.port) == (APP_ID, TENANT, 8080)


def test_env_file_fills_in_what_the_environment_does_not_set(tmp_path: Path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        f'# local bot\nexport MicrosoftAppId="{APP_ID}"\nMicrosoftAppPassword=from-file\nPORT=4000\n'
        f"ALLOWED_TENANT_IDS={TENANT}\n",
        encoding="utf-8",
    )

    settings = Settings.from_env({"PORT": "5000"}, env_file=env_file)

    assert settings.app_id == APP_ID
    assert settings.app_password == "from-file"
    assert settings.port == 5000  # the environment wins


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"PORT": "http"}, "PORT must be a number from 1 to 65535 (got 'http')"),
        ({"PORT": "70000"}, "PORT must be a number from 1 to 65535 (got '70000')"),
        ({"HOST": "local host"}, "HOST must be an IP address or host name (got 'local host')"),
        ({"MicrosoftAppType": "Tenant"}, "MicrosoftAppType must be one of MultiTenant, SingleTenant, UserAssignedMSI"),
        ({"MicrosoftAppId": "my-bot"}, "MicrosoftAppId must be a GUID"),
        ({"MicrosoftAppId": APP_ID}, "MicrosoftAppPassword is missing (needed with MicrosoftAppId)"),
        ({"MicrosoftAppPassword": "x"}, "MicrosoftAppId is missing"),
        (
            {"MicrosoftAppType": "SingleTenant", "MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "x"},
            "MicrosoftAppTenantId is missing (needed when MicrosoftAppType is SingleTenant)",
        ),
        (
            {"MicrosoftAppType": "UserAssignedMSI", "MicrosoftAppTenantId": TENANT},
            "MicrosoftAppId is missing (needed when MicrosoftAppType is UserAssignedMSI)",
        ),
        ({"DATA_DIR": "/no/such/dir"}, "DATA_DIR '/no/such/dir' is not a directory"),
    ],
)
def test_bad_settings_fail_with_one_line_naming_the_variable(environ: dict[str, str], message: str):
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(environ, env_file=None)

    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_env_file_with_a_broken_line_names_the_line(tmp_path: Path):
    env_file = tmp_path / ".env"
    env_file.write_text("PORT=3978\nthis is not a setting\n", encoding="utf-8")

    with pytest.raises(SettingsError, match=r"\.env: line 2 is not KEY=VALUE"):
        Settings.from_env({}, env_file=env_file)


@pytest.mark.slow
def test_main_prints_one_line_and_exits_2_on_a_bad_setting():
    result = subprocess.run(
        [sys.executable, str(PROJECT / "app.py")],
        env={"PORT": "nope", "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
    )

    assert result.returncode == 2
    assert result.stderr == "regiondorren: PORT must be a number from 1 to 65535 (got 'nope')\n"
    assert result.stdout == ""


def test_data_reload_polls_every_two_seconds_unless_set_and_zero_turns_polling_off():
    assert Settings.from_env({}, env_file=None).reload_seconds == 2.0
    assert Settings.from_env({"DATA_RELOAD_SECONDS": "0"}, env_file=None).reload_seconds == 0
    assert Settings.from_env({"DATA_RELOAD_SECONDS": "0.5"}, env_file=None).reload_seconds == 0.5


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "86400"])
def test_bad_reload_interval_is_named(value: str):
    with pytest.raises(SettingsError, match=r"^DATA_RELOAD_SECONDS must be a number of seconds from 0 .off. to 3600"):
        Settings.from_env({"DATA_RELOAD_SECONDS": value}, env_file=None)


def test_question_text_stays_out_of_logs_unless_asked_for():
    assert Settings.from_env({}, env_file=None).log_questions is False
    assert Settings.from_env({"LOG_QUESTIONS": "1"}, env_file=None).log_questions is True
    with pytest.raises(SettingsError, match=r"^LOG_QUESTIONS must be 1 or 0"):
        Settings.from_env({"LOG_QUESTIONS": "maybe"}, env_file=None)


@pytest.mark.slow
def test_main_says_in_one_line_when_the_port_is_taken():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(PROJECT / "app.py")],
            capture_output=True,
            text=True,
            env={"PORT": str(port), "PATH": "/usr/bin", "LOG_LEVEL": "WARNING"},
            timeout=120,
            cwd="/",
        )

    assert result.returncode == 1
    assert result.stdout == ""  # no "ready" banner for a server that never listened
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"regiondorren: cannot listen on 127.0.0.1:{port} (")
    assert "address already in use" in line


def test_several_sender_processes_share_the_notification_rate():
    assert Settings.from_env({}, env_file=None).notify_rate_per_sender == 25
    settings = Settings.from_env({"NOTIFY_RATE": "30", "NOTIFY_SENDERS": "4"}, env_file=None)
    assert settings.notify_senders == 4 and settings.notify_rate_per_sender == 7.5
    with pytest.raises(SettingsError, match="NOTIFY_SENDERS must be"):
        Settings.from_env({"NOTIFY_SENDERS": "0"}, env_file=None)
