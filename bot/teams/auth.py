"""Authentication at the door: every way a Bot Framework token can be wrong becomes one refusal.

botbuilder 4.17 validates the token, but only a missing or unacceptable identity comes out as
PermissionError. A token that is not a JWT raises jwt.DecodeError, an expired one
jwt.ExpiredSignatureError, a forged one jwt.InvalidSignatureError, an unknown key id IndexError
and a key endorsed for another channel a bare Exception; each of those would reach aiohttp as a
500 with a stack trace. `CheckedAuthentication` wraps the SDK's authentication and turns all of
them into `TokenRefused` (a PermissionError, so the host answers 401), logged in one line without
the token. Only failing to reach the signing keys is the bot's own problem: `KeysUnavailable`
(503, so the Bot Connector tries again).

The SDK also fetches Microsoft's OpenID metadata and signing keys with a blocking
`requests.get` without a timeout, on the event loop (once a day, and at most hourly for an
unknown key id). `ThreadedOpenIdMetadata` does the same fetch in a worker thread with a timeout,
so a slow login.botframework.com delays only the requests that need the keys.

Adapter code: this module talks to botframework-connector and requests, never to the core.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import requests
from botbuilder.schema import Activity, ChannelAccount
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor, _OpenIdMetadata
from botframework.connector.skills import BotFrameworkClient

from bot.logs import ThrottledLog

logger = logging.getLogger(__name__)

# Longest piece of the SDK's refusal reason worth a log line; its reasons are one short sentence.
MAX_REASON_CHARS = 120
# Seconds to wait for Microsoft's OpenID metadata or keys; the Bot Connector gives a turn 15 s.
KEY_FETCH_TIMEOUT_S = 5.0


class TokenRefused(PermissionError):
    """The request's Bot Framework token is missing or not acceptable; the host answers 401."""


class KeysUnavailable(ConnectionError):
    """The Bot Framework's OpenID metadata or signing keys could not be fetched; the host answers 503."""


class CheckedAuthentication(BotFrameworkAuthentication):
    """Delegate to the SDK's authentication, turning every kind of bad token into TokenRefused."""

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self._inner = inner
        self._refusals = ThrottledLog(logger)  # anyone can cause one: a line a minute, with a count
        use_threaded_key_fetch()

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        """Authenticate one incoming activity, or raise TokenRefused / KeysUnavailable."""
        try:
            return await self._inner.authenticate_request(activity, auth_header)
        except Exception as error:
            raise self._refusal(error, activity.channel_id if activity else None) from None

    async def check_token(self, auth_header: str) -> None:
        """Validate the token's signature, issuer, audience and lifetime alone, or raise TokenRefused.

        What the full check adds needs the activity (its channel's key endorsement, its service
        URL claim); this part needs only the header, so a forged token is refused before its
        request's body is read. It is the SDK's own check on an activity with no channel and no
        service URL, which the SDK takes as "nothing to compare", so the same settings apply.
        """
        await self.authenticate_request(Activity(recipient=ChannelAccount(id="")), auth_header)

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        """Authenticate a streaming connection, or raise TokenRefused / KeysUnavailable."""
        try:
            return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)
        except Exception as error:
            raise self._refusal(error, channel_id_header) from None

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        """Authenticate a channel request, or raise TokenRefused / KeysUnavailable."""
        try:
            return await self._inner.authenticate_channel_request(auth_header)
        except Exception as error:
            raise self._refusal(error, None) from None

    def refuse_without_token(self) -> TokenRefused:
        """Log (throttled) a request refused for having no Bearer token; return the exception to raise."""
        self._refusals.log(logging.WARNING, "refused a request: no Bearer token in its Authorization header")
        return TokenRefused("missing or invalid Bot Framework token")

    def _refusal(self, error: Exception, channel_id: str | None) -> TokenRefused | KeysUnavailable:
        """Log why a request was refused (never the token, at most once a minute per kind); return the exception."""
        if isinstance(error, requests.RequestException):
            logger.error("could not fetch the Bot Framework signing keys (%s); answering 503", error.__class__.__name__)
            return KeysUnavailable("the Bot Framework signing keys could not be fetched")
        # The SDK's own PermissionError reasons name the failed check, never the token; other
        # exception texts (PyJWT's, an IndexError's) are not ours to repeat, so only their class.
        # Quoted with %r: the reason may hold a claim from the token ("Invalid AppId ...: <aud>").
        reason = repr(str(error))[:MAX_REASON_CHARS] if isinstance(error, PermissionError) else ""
        self._refusals.log(
            logging.WARNING,
            "refused a request on channel %.40r: %s%s",
            channel_id or "-",
            error.__class__.__name__,
            f" ({reason})" if reason else "",
        )
        return TokenRefused("missing or invalid Bot Framework token")

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        """Return the SDK's connector factory."""
        return self._inner.create_connector_factory(claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        """Return the SDK's user-token client."""
        return await self._inner.create_user_token_client(claims_identity)

    def create_bot_framework_client(self) -> BotFrameworkClient:
        """Return the SDK's bot-to-bot client."""
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        """Return the SDK's originating audience."""
        return self._inner.get_originating_audience()

    async def generate_caller_id(
        self, *, credential_factory: ServiceClientCredentialsFactory, claims_identity: ClaimsIdentity, caller_id: str
    ) -> str | None:
        """Return the SDK's caller id."""
        return await self._inner.generate_caller_id(
            credential_factory=credential_factory, claims_identity=claims_identity, caller_id=caller_id
        )


class ThreadedOpenIdMetadata(_OpenIdMetadata):
    """The SDK's metadata and key cache, refreshed in a worker thread with a timeout."""

    async def _refresh(self) -> None:
        keys = await asyncio.get_running_loop().run_in_executor(None, self._fetch_keys)
        self.keys = keys
        self.last_updated = datetime.now()

    def _fetch_keys(self) -> list[dict[str, object]]:
        response = requests.get(self.url, timeout=KEY_FETCH_TIMEOUT_S)
        response.raise_for_status()
        keys = requests.get(response.json()["jwks_uri"], timeout=KEY_FETCH_TIMEOUT_S)
        keys.raise_for_status()
        return keys.json()["keys"]


def _threaded_open_id_metadata(metadata_url: str) -> _OpenIdMetadata:
    """Return the cached metadata for `metadata_url`, creating the threaded kind (replaces the SDK's)."""
    cache = JwtTokenExtractor.metadataCache
    return cache.get(metadata_url) or cache.setdefault(metadata_url, ThreadedOpenIdMetadata(metadata_url))


def use_threaded_key_fetch() -> None:
    """Make every JwtTokenExtractor fetch keys off the event loop (idempotent; botbuilder 4.17)."""
    JwtTokenExtractor.get_open_id_metadata = staticmethod(_threaded_open_id_metadata)
