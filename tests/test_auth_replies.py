"""Authentication on, end to end and offline: Teams' token is checked against a local OpenID
stand-in, and the reply reaches the Bot Connector with the bot's own token from the SDK's
credentials (which here get it from a local stand-in for Azure AD, not from the internet)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botframework.connector.auth import (
    AuthenticationConstants,
    MicrosoftAppCredentials,
    PasswordServiceClientCredentialFactory,
)

from app import create_app
from bot.runtime.live import LiveData
from bot.settings import Settings
from tests import teams_activities as teams
from tests.conftest import ServeBot, StubConnector
from tests.openid_stub import CHANNEL_ISSUER, OpenIdStub, new_key

APP_ID = "9a1c5e0b-2b7a-4c3e-9d55-0d3f7a1c2b10"


class _LocalAadCredentials(MicrosoftAppCredentials):
    """The SDK's credentials; only the call to Azure AD is answered locally."""

    def get_access_token(self, force_refresh: bool = False) -> str:
        return f"local-aad-token-for-{self.microsoft_app_id}"


class _LocalAadCredentialFactory(PasswordServiceClientCredentialFactory):
    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> MicrosoftAppCredentials:
        assert await self.is_valid_app_id(app_id)
        return _LocalAadCredentials(app_id, self.password, oauth_scope=oauth_scope)


@pytest.fixture(scope="module")
def openid() -> Iterator[OpenIdStub]:
    """Serve OpenID metadata and the signing key on loopback (tests/openid_stub.py)."""
    stub = OpenIdStub(new_key())
    stub.start()
    yield stub
    stub.stop()


def _token(openid: OpenIdStub, service_url: str, audience: str = APP_ID, **overrides: Any) -> str:
    """Return a channel token for this bot, signed as the Bot Connector signs it, with `overrides`."""
    return openid.token(audience=audience, service_url=service_url, **overrides)


@pytest.fixture
async def secured_bot(openid: OpenIdStub, loaded_store: LiveData, serve_bot: ServeBot):
    settings = Settings.from_env(
        {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "local-secret", "ALLOWED_TENANT_IDS": teams.TENANT_ID},
        env_file=None,
    )
    overrides = {
        "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": openid.metadata_url,
        "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL": openid.metadata_url,
        "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": CHANNEL_ISSUER,
        "TO_CHANNEL_FROM_BOT_LOGIN_URL": AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL,
        "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
        "OAUTH_URL": AuthenticationConstants.OAUTH_URL,
    }
    app = create_app(
        settings,
        store=loaded_store,
        authentication_overrides=overrides,
        credentials_factory=_LocalAadCredentialFactory(APP_ID, "local-secret"),
    )
    bot = await serve_bot(app)
    return bot


async def test_signed_request_is_answered_and_the_reply_carries_the_bots_token(
    secured_bot, connector: StubConnector, openid: OpenIdStub
):
    activity = teams.channel_message(connector.url, "vem har Gotland?")

    response = await secured_bot.post(activity, headers={"Authorization": f"Bearer {_token(openid, connector.url)}"})

    assert response.status == 201
    assert connector.auth_headers == [f"Bearer local-aad-token-for-{APP_ID}"]
    assert connector.cards()[0]["body"][0]["text"] == "Gotlands län"


async def test_token_signed_by_another_key_is_refused(secured_bot, connector: StubConnector, openid: OpenIdStub):
    token = _token(openid, connector.url, key=new_key())

    response = await secured_bot.post(
        teams.personal_message(connector.url, "vem har Gotland?"), headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status == 401
    assert connector.replies == []


async def test_token_for_another_bot_is_refused(secured_bot, connector: StubConnector, openid: OpenIdStub):
    token = _token(openid, connector.url, audience="00000000-0000-0000-0000-000000000000")

    response = await secured_bot.post(
        teams.personal_message(connector.url, "vem har Gotland?"), headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status == 401
    assert connector.replies == []


async def test_expired_token_is_refused(secured_bot, connector: StubConnector, openid: OpenIdStub):
    token = _token(openid, connector.url, issued_ago_s=2 * 3600)

    response = await secured_bot.post(
        teams.personal_message(connector.url, "vem har Gotland?"), headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status == 401
    assert connector.replies == []


async def test_token_for_another_service_url_is_refused(secured_bot, connector: StubConnector, openid: OpenIdStub):
    token = _token(openid, "https://smba.trafficmanager.net/emea/")

    response = await secured_bot.post(
        teams.personal_message(connector.url, "vem har Gotland?"), headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status == 401
    assert connector.replies == []
