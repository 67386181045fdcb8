"""Settings for the trust boundary: who may read the directory, and where an unauthenticated bot
may listen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, check_bind, is_loopback

APP_ID = "9a1c5e0b-2b7a-4c3e-9d55-0d3f7a1c2b10"
TENANT = "4f1a0c2e-6b3d-4e8f-9a7b-2c5d8e1f3a60"
OTHER = "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE"
PROJECT = Path(__file__).resolve().parent.parent
SINGLE_TENANT = {
    "MicrosoftAppType": "SingleTenant",
    "MicrosoftAppId": APP_ID,
    "MicrosoftAppPassword": "s3cret",
    "MicrosoftAppTenantId": TENANT,
}


def _settings(**environ: str) -> Settings:
    return Settings.from_env(environ, env_file=None)


def test_single_tenant_lets_in_its_own_tenant_by_default():
    assert _settings(**SINGLE_TENANT).allowed_tenant_ids == (TENANT,)


def test_allowed_tenant_ids_is_a_comma_separated_list_in_any_case():
    settings = _settings(**SINGLE_TENANT, ALLOWED_TENANT_IDS=f" {TENANT.upper()} , {OTHER},")

    assert settings.allowed_tenant_ids == (TENANT, OTHER.lower())


def test_multi_tenant_with_authentication_needs_an_explicit_list():
    with pytest.raises(SettingsError, match=r"^ALLOWED_TENANT_IDS is missing") as raised:
        _settings(MicrosoftAppType="MultiTenant", MicrosoftAppId=APP_ID, MicrosoftAppPassword="s3cret")

    assert "\n" not in str(raised.value)
    assert _settings(
        MicrosoftAppId=APP_ID, MicrosoftAppPassword="s3cret", ALLOWED_TENANT_IDS=TENANT
    ).allowed_tenant_ids == (TENANT,)


def test_a_tenant_id_without_an_app_type_means_single_tenant():
    # Azure makes only single-tenant bots since 31 July 2025: the SDK's MultiTenant default is wrong for them.
    settings = _settings(MicrosoftAppId=APP_ID, MicrosoftAppPassword="s3cret", MicrosoftAppTenantId=TENANT)

    assert settings.app_type == "SingleTenant"
    assert settings.allowed_tenant_ids == (TENANT,)


def test_an_app_id_without_tenant_or_type_names_the_tenant_variable():
    with pytest.raises(
        SettingsError, match=r"^MicrosoftAppTenantId is missing: new Azure bots are single-tenant"
    ) as raised:
        _settings(MicrosoftAppId=APP_ID, MicrosoftAppPassword="s3cret")

    assert "\n" not in str(raised.value)


def test_local_development_lets_every_tenant_in():
    assert _settings().allowed_tenant_ids == ()


def test_a_tenant_id_that_is_not_a_guid_is_named():
    with pytest.raises(SettingsError, match=r"^ALLOWED_TENANT_IDS entry 2 \('tillvaxtverket.se'\) is not a tenant id"):
        _settings(**SINGLE_TENANT, ALLOWED_TENANT_IDS=f"{TENANT},tillvaxtverket.se")


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.1.2.3", False),
        ("bot.example", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "bot.example"])
def test_without_authentication_only_loopback_is_allowed(host: str):
    with pytest.raises(SettingsError) as raised:
        _settings(HOST=host)

    message = str(raised.value)
    assert message.startswith(f"HOST {host} is not loopback and authentication is off")
    assert "ALLOW_UNAUTHENTICATED=1" in message and "\n" not in message


def test_allow_unauthenticated_opts_in_explicitly():
    settings = _settings(HOST="0.0.0.0", ALLOW_UNAUTHENTICATED="1")

    assert settings.allow_unauthenticated and not settings.auth_enabled
    assert not _settings(ALLOW_UNAUTHENTICATED="").allow_unauthenticated  # set but empty: not given
    with pytest.raises(SettingsError, match=r"^ALLOW_UNAUTHENTICATED must be 1 or 0 \(got 'maybe'\)"):
        _settings(HOST="0.0.0.0", ALLOW_UNAUTHENTICATED="maybe")


def test_with_authentication_any_host_is_fine():
    assert _settings(**SINGLE_TENANT, HOST="0.0.0.0").host == "0.0.0.0"


def _run_main(**environ: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT / "app.py")],
        env={"PATH": "/usr/bin", **environ},
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
    )


@pytest.mark.parametrize("bind", [["127.0.0.1:3978"], ["[::1]:3978"], ["localhost:3978"], ["unix:/run/bot.sock"]])
def test_gunicorn_may_bind_loopback_and_socket_files_without_authentication(bind: list[str]):
    check_bind(bind, _settings())


@pytest.mark.parametrize("bind", [["0.0.0.0:3978"], ["127.0.0.1:3978", "[::]:3978"], [":3978"], ["10.0.0.5"]])
def test_gunicorn_binding_beyond_loopback_needs_authentication_or_the_opt_in(bind: list[str]):
    with pytest.raises(SettingsError, match=r"^gunicorn bind \S+: \S* is not loopback and authentication is off"):
        check_bind(bind, _settings())

    check_bind(bind, _settings(ALLOW_UNAUTHENTICATED="1"))
    check_bind(bind, _settings(**SINGLE_TENANT))


@pytest.mark.slow
def test_main_refuses_to_listen_on_all_interfaces_without_authentication():
    result = _run_main(HOST="0.0.0.0")

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("regiondorren: HOST 0.0.0.0 is not loopback and authentication is off")


def test_public_url_must_be_https_when_teams_fetches_the_images():
    with pytest.raises(SettingsError, match=r"^PUBLIC_URL must start with https://"):
        _settings(**SINGLE_TENANT, PUBLIC_URL="http://regiondorren.example.se")
    with pytest.raises(SettingsError, match=r"^PUBLIC_URL must be the bot's address"):
        _settings(**SINGLE_TENANT, PUBLIC_URL="regiondorren.example.se")

    settings = _settings(**SINGLE_TENANT, PUBLIC_URL="https://regiondorren.example.se/")
    assert settings.maps_url == "https://regiondorren.example.se"


def test_locally_the_maps_come_from_the_server_itself():
    assert _settings(PORT="4000").maps_url == "http://127.0.0.1:4000"
    assert _settings(HOST="0.0.0.0", PORT="4000", ALLOW_UNAUTHENTICATED="1").maps_url == "http://127.0.0.1:4000"
