"""Authentication end to end: the real app with an app id configured, real Bot Framework token
validation in botframework-connector, and the OpenID metadata and keys served on 127.0.0.1.

Only the two cloud endpoints are replaced: the metadata URL ChannelValidation reads (its
supported class attribute `open_id_metadata_endpoint`) and the bot's own outbound token from
login.microsoftonline.com (MicrosoftAppCredentials.get_access_token).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable

import pytest
from botframework.connector.auth import ChannelValidation, MicrosoftAppCredentials

from app import create_app
from bot.core.messages import text
from bot.data.validation import DataIssue
from bot.runtime.live import LiveData
from bot.settings import Settings
from tests import factories
from tests import teams_activities as teams
from tests.conftest import RunningBot, ServeBot, StubConnector
from tests.openid_stub import KEYS_PATH, OpenIdStub, new_key

APP_ID = "6c1a5f0e-2d3b-4a7c-9e8f-1b2c3d4e5f60"
OTHER_APP_ID = "0a0b0c0d-1111-2222-3333-444455556666"
OUTBOUND_TOKEN = "outbound-token-from-the-stubbed-login"

# One key for the whole module: RSA generation is the slow part of these tests.
KEY = new_key()
OTHER_KEY = new_key()


@pytest.fixture
def openid() -> OpenIdStub:
    """Serve OpenID metadata and keys on 127.0.0.1 (a fresh URL, so the SDK's cache starts empty)."""
    stub = OpenIdStub(KEY)
    stub.start()
    yield stub
    stub.stop()


@pytest.fixture
async def authed_bot(
    openid: OpenIdStub, loaded_store: LiveData, monkeypatch: pytest.MonkeyPatch, serve_bot: ServeBot
) -> RunningBot:
    """Run the real app with authentication on, checking tokens against the local stub."""
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", openid.metadata_url)
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda self, force_refresh=False: OUTBOUND_TOKEN)
    settings = Settings.from_env(
        {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "not-a-real-secret", "ALLOWED_TENANT_IDS": teams.TENANT_ID},
        env_file=None,
    )
    bot = await serve_bot(create_app(settings, store=loaded_store, clock=lambda: factories.TODAY))
    return bot


async def test_valid_channel_token_is_accepted_and_answered(
    authed_bot: RunningBot, openid: OpenIdStub, connector: StubConnector
):
    activity = teams.personal_message(connector.url, "hjälp")
    token = openid.token(audience=APP_ID, service_url=connector.url)

    response = await authed_bot.post(activity, headers={"Authorization": f"Bearer {token}"})

    assert response.status == 201
    [card] = connector.cards()
    assert card["body"][0]["text"] == "Regiondörren"
    assert connector.auth_headers == [f"Bearer {OUTBOUND_TOKEN}"]
    assert openid.requests[:2] == ["/v1/.well-known/openidconfiguration", "/v1/.well-known/keys"]


TokenMaker = Callable[[OpenIdStub, str], str]

BAD_AUTHORIZATION: dict[str, TokenMaker] = {
    "missing": lambda stub, url: "",
    "not a JWT": lambda stub, url: "Bearer not.a.jwt",
    "garbage segments": lambda stub, url: "Bearer eyJhbGciOi.eyJpc3Mi.c2ln",
    "no scheme": lambda stub, url: stub.token(audience=APP_ID, service_url=url),
    "Basic scheme": lambda stub, url: "Basic " + stub.token(audience=APP_ID, service_url=url),
    "forged (signed with another key, same kid)": lambda stub, url: (
        "Bearer " + stub.token(audience=APP_ID, service_url=url, key=OTHER_KEY)
    ),
    "unknown key id": lambda stub, url: (
        "Bearer " + stub.token(audience=APP_ID, service_url=url, key=OTHER_KEY, kid="unknown")
    ),
    "expired an hour ago": lambda stub, url: (
        "Bearer " + stub.token(audience=APP_ID, service_url=url, issued_ago_s=7200)
    ),
    "wrong audience": lambda stub, url: "Bearer " + stub.token(audience=OTHER_APP_ID, service_url=url),
    "no audience": lambda stub, url: "Bearer " + stub.token(audience="", service_url=url),
    "audience forging a log line": lambda stub, url: (
        "Bearer " + stub.token(audience="x\nERROR regiondorren: forged", service_url=url)
    ),
    "wrong issuer": lambda stub, url: (
        "Bearer " + stub.token(audience=APP_ID, service_url=url, issuer="https://evil.example")
    ),
    "token for another service URL": lambda stub, url: (
        "Bearer " + stub.token(audience=APP_ID, service_url="https://smba.evil.example/")
    ),
    "HS256 signed with the public key as secret": lambda stub, url: "Bearer " + _hs256_with_public_key(stub, url),
    "unsigned (alg none)": lambda stub, url: "Bearer " + _unsigned(stub, url),
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(url: str) -> str:
    now = int(time.time())
    return _b64(
        json.dumps(
            {"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": url, "nbf": now, "exp": now + 3600}
        ).encode()
    )


def _unsigned(stub: OpenIdStub, url: str) -> str:
    """Forge a token that claims to need no signature at all."""
    return f"{_b64(json.dumps({'alg': 'none', 'typ': 'JWT', 'kid': stub.kid}).encode())}.{_claims(url)}."


def _hs256_with_public_key(stub: OpenIdStub, url: str) -> str:
    """Forge the classic algorithm-confusion token: HMAC keyed with the published RSA key."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": stub.kid}).encode())
    claims = _claims(url)
    secret = json.dumps(stub.jwks()["keys"][0]).encode()
    signature = hmac.new(secret, f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{_b64(signature)}"


@pytest.mark.parametrize("kind", list(BAD_AUTHORIZATION))
async def test_bad_token_is_refused_with_401_and_nothing_is_sent(
    kind: str, authed_bot: RunningBot, openid: OpenIdStub, connector: StubConnector, caplog: pytest.LogCaptureFixture
):
    authorization = BAD_AUTHORIZATION[kind](openid, connector.url)
    headers = {"Authorization": authorization} if authorization else {}

    with caplog.at_level(logging.INFO):
        response = await authed_bot.post(teams.personal_message(connector.url, "vem har Sörmland?"), headers=headers)

    assert response.status == 401
    assert await response.json() == {"error": "missing or invalid Bot Framework token"}
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert connector.replies == []
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR or record.exc_info]
    assert any("refused a request" in record.getMessage() for record in caplog.records)
    assert all("\n" not in record.getMessage() for record in caplog.records)
    token = authorization.rpartition(" ")[2]
    assert not token or all(token not in record.getMessage() for record in caplog.records)


async def test_key_endorsed_for_another_channel_is_refused(
    authed_bot: RunningBot, openid: OpenIdStub, connector: StubConnector
):
    openid.endorsements = ("webchat",)
    token = openid.token(audience=APP_ID, service_url=connector.url)

    response = await authed_bot.post(
        teams.personal_message(connector.url, "hjälp"), headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status == 401
    assert connector.replies == []


async def test_unreachable_signing_keys_are_503_so_the_connector_retries(
    authed_bot: RunningBot, openid: OpenIdStub, connector: StubConnector
):
    token = openid.token(audience=APP_ID, service_url=connector.url)
    openid.stop()

    response = await authed_bot.post(
        teams.personal_message(connector.url, "hjälp"), headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status == 503
    assert "error" in await response.json()
    assert connector.replies == []


async def test_single_tenant_bot_refuses_a_valid_token_carrying_another_tenants_user(
    openid: OpenIdStub,
    loaded_store: LiveData,
    connector: StubConnector,
    monkeypatch: pytest.MonkeyPatch,
    serve_bot: ServeBot,
):
    """The token proves the Bot Connector sent it, not that the user is a colleague: the tenant still counts."""
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", openid.metadata_url)
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda self, force_refresh=False: OUTBOUND_TOKEN)
    settings = Settings.from_env(
        {
            "MicrosoftAppType": "SingleTenant",
            "MicrosoftAppId": APP_ID,
            "MicrosoftAppPassword": "not-a-real-secret",
            "MicrosoftAppTenantId": teams.TENANT_ID,
        },
        env_file=None,
    )
    bot = await serve_bot(create_app(settings, store=loaded_store, clock=lambda: factories.TODAY))
    own = teams.personal_message(connector.url, "vem har Sörmland?")
    foreign = teams.personal_message(connector.url, "vem har Sörmland?")
    foreign["channelData"]["tenant"]["id"] = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    for activity in (own, foreign):
        token = openid.token(audience=APP_ID, service_url=connector.url)
        response = await bot.post(activity, headers={"Authorization": f"Bearer {token}"})
        assert response.status == 201

    answer, refusal = connector.replies
    assert "Canderskog" in str(answer["attachments"])
    assert refusal["text"] == text("tenant_refused", "sv") and not refusal.get("attachments")


async def test_fetching_the_signing_keys_does_not_stall_other_requests(
    authed_bot: RunningBot, openid: OpenIdStub, connector: StubConnector
):
    """The SDK fetches keys with blocking requests.get; here that happens off the event loop, so
    a health probe is answered while the first message waits for the keys."""
    openid.keys_delay_s = 1.0
    token = openid.token(audience=APP_ID, service_url=connector.url)
    message = asyncio.create_task(
        authed_bot.post(teams.personal_message(connector.url, "hjälp"), headers={"Authorization": f"Bearer {token}"})
    )
    while KEYS_PATH not in openid.requests:
        await asyncio.sleep(0.01)

    health = await authed_bot.session.get(authed_bot.url + "/healthz")

    assert health.status == 200
    assert KEYS_PATH not in openid.served  # answered while the keys were still on their way
    assert (await message).status == 201
    assert len(connector.replies) == 1


async def test_healthz_with_authentication_on_names_no_entries_or_people(
    authed_bot: RunningBot, loaded_store: LiveData
):
    """/healthz is public (no token): a rejected edit shows as a time, not as the entries it named."""
    loaded_store.fail(
        (
            DataIssue(
                "data/officers.yaml",
                "not_email",
                line=10,
                where=(("county", "04"), ("officer", "1"), ("name", "Isabelle Canderskog")),
                field="email",
            ),
        )
    )

    response = await authed_bot.session.get(authed_bot.url + "/healthz")

    body = await response.json()
    assert response.status == 200
    assert set(body) == {
        "status", "data_version", "loaded_at", "counties", "officers", "example_data", "last_error_at", "database"
    }  # fmt: skip
    assert set(body["database"]) == {"status", "backend", "schema_version", "error"}  # no file path or host
    assert body["status"] == "ok" and body["last_error_at"] is not None
    assert "Canderskog" not in await response.text() and "officers.yaml" not in await response.text()
