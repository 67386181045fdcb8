"""Authentication on, end to end and offline: Teams' token is checked against a local OpenID
stand-in, and the reply reaches the Bot Connector with the bot's own token from the SDK's
credentials (which here get it from a local stand-in for Azure AD, not from the internet)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from botframework.connector.auth import (
    AuthenticationConstants,
    MicrosoftAppCredentials,
    PasswordServiceClientCredentialFactory,
)
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from app import create_app
from bot.settings import Settings
from bot.store import DataStore
from tests import teams_activities as teams
from tests.conftest import StubConnector, start_bot

APP_ID = "9a1c5e0b-2b7a-4c3e-9d55-0d3f7a1c2b10"
KEY_ID = "local-test-key"
ISSUER = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER


class _LocalAadCredentials(MicrosoftAppCredentials):
    """The SDK's credentials; only the call to Azure AD is answered locally."""

    def get_access_token(self, force_refresh: bool = False) -> str:
        return f"local-aad-token-for-{self.microsoft_app_id}"


class _LocalAadCredentialFactory(PasswordServiceClientCredentialFactory):
    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str,
                                 validate_authority: bool) -> MicrosoftAppCredentials:
        assert await self.is_valid_app_id(app_id)
        return _LocalAadCredentials(app_id, self.password, oauth_scope=oauth_scope)


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def openid_url(signing_key: rsa.RSAPrivateKey) -> Iterator[str]:
    """Serve OpenID metadata and the signing key on loopback, in a thread: the SDK fetches them
    with blocking requests calls from inside the event loop."""
    public = json.loads(RSAAlgorithm.to_jwk(signing_key.public_key()))
    keys = {"keys": [{**public, "kid": KEY_ID, "use": "sig", "endorsements": ["msteams"]}]}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            body = {"issuer": ISSUER, "jwks_uri": f"{base}/keys"} if self.path == "/openid" else keys
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/openid"
    server.shutdown()
    server.server_close()


def _token(key: rsa.RSAPrivateKey, service_url: str, audience: str = APP_ID, age_s: int = 60) -> str:
    now = int(time.time()) - age_s
    claims = {"iss": ISSUER, "aud": audience, "serviceurl": service_url, "nbf": now, "exp": now + 3600}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID})


@pytest.fixture
async def secured_bot(openid_url: str, loaded_store: DataStore):
    settings = Settings.from_env({"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "local-secret",
                                  "ALLOWED_TENANT_IDS": teams.TENANT_ID}, env_file=None)
    overrides = {
        "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": openid_url,
        "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL": openid_url,
        "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": ISSUER,
        "TO_CHANNEL_FROM_BOT_LOGIN_URL": AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL,
        "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
        "OAUTH_URL": AuthenticationConstants.OAUTH_URL,
    }
    app = create_app(settings, store=loaded_store, authentication_overrides=overrides,
                     credentials_factory=_LocalAadCredentialFactory(APP_ID, "local-secret"))
    server, bot = await start_bot(app)
    yield bot
    await bot.session.close()
    await server.close()


async def test_signed_request_is_answered_and_the_reply_carries_the_bots_token(
        secured_bot, connector: StubConnector, signing_key: rsa.RSAPrivateKey):
    activity = teams.channel_message(connector.url, "vem har Gotland?")

    response = await secured_bot.post(activity,
                                      headers={"Authorization": f"Bearer {_token(signing_key, connector.url)}"})

    assert response.status == 201
    assert connector.auth_headers == [f"Bearer local-aad-token-for-{APP_ID}"]
    assert connector.cards()[0]["body"][0]["text"] == "Gotlands län"


async def test_token_signed_by_another_key_is_refused(secured_bot, connector: StubConnector):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    response = await secured_bot.post(teams.personal_message(connector.url, "vem har Gotland?"),
                                      headers={"Authorization": f"Bearer {_token(stranger, connector.url)}"})

    assert response.status == 401
    assert connector.replies == []


async def test_token_for_another_bot_is_refused(secured_bot, connector: StubConnector,
                                                signing_key: rsa.RSAPrivateKey):
    token = _token(signing_key, connector.url, audience="00000000-0000-0000-0000-000000000000")

    response = await secured_bot.post(teams.personal_message(connector.url, "vem har Gotland?"),
                                      headers={"Authorization": f"Bearer {token}"})

    assert response.status == 401
    assert connector.replies == []


async def test_expired_token_is_refused(secured_bot, connector: StubConnector, signing_key: rsa.RSAPrivateKey):
    token = _token(signing_key, connector.url, age_s=2 * 3600)

    response = await secured_bot.post(teams.personal_message(connector.url, "vem har Gotland?"),
                                      headers={"Authorization": f"Bearer {token}"})

    assert response.status == 401
    assert connector.replies == []


async def test_token_for_another_service_url_is_refused(secured_bot, connector: StubConnector,
                                                        signing_key: rsa.RSAPrivateKey):
    token = _token(signing_key, "https://smba.trafficmanager.net/emea/")

    response = await secured_bot.post(teams.personal_message(connector.url, "vem har Gotland?"),
                                      headers={"Authorization": f"Bearer {token}"})

    assert response.status == 401
    assert connector.replies == []
