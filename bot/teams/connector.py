"""A faster reply path for the Bot Framework: one connector client per service URL, replies over
one shared aiohttp session.

botbuilder 4.17 builds a new msrest ConnectorClient and UserTokenClient for every incoming
activity; each construction builds a requests Retry policy whose status list is computed in
quadratic time (msrest.universal_http.requests, ~8 ms CPU each), and replies then go through
requests in a thread pool. Profiled on the stock echo bot, that is about 20 ms of CPU a message
and nearly all of it. Here:

* `FastReplyAuthentication` wraps the SDK's BotFrameworkAuthentication: requests are still
  authenticated by the SDK, but the connector factory it returns hands out one cached client per
  (service URL, audience), and the user-token client is only built if something uses it;
* `FastConnectorClient` posts activities itself with aiohttp (send, reply, update, delete), with
  the bot's token from the SDK's own credentials when authentication is on; every other
  operation falls through to the SDK's client, built once.

A slow or hostile Bot Connector must not hold a turn past Teams' 15 s, nor other users' turns:

* every reply in a turn shares the turn's deadline (`turn_deadline`, TURN_BUDGET_S), so retries
  and a second reply never add up past it;
* each service URL has its own connection pool (`ReplySession.session_for`), so replies piling
  up at one slow URL do not queue the others' behind them;
* redirects are never followed (a reply and its token go where the activity said, or nowhere),
  and user:password@ in a service URL is dropped instead of becoming a Basic header;
* whatever goes wrong (an error status, a timeout, a refused connection) is one
  `ConnectorError`, which the host logs once with the activity id and answers 502.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import aiohttp
from botbuilder.schema import Activity, ResourceResponse
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from yarl import URL

from bot.render.cards import wire_json
from bot.teams.auth import TokenRefused
from bot.teams.wire import activity_bytes, activity_to_json

logger = logging.getLogger(__name__)

# Service URLs a bot talks to are a handful per cloud region; more would mean a misbehaving
# caller (with authentication off anyone can name one), so old clients are dropped.
MAX_CACHED_CLIENTS = 32
# Teams gives up on a turn after 15 s. Everything a turn sends must be done by this many seconds
# after it arrived, leaving time for the answer to travel back; the Bot Connector normally
# answers in well under a second.
TURN_BUDGET_S = 10.0
# The most one reply call may take, even early in a turn: two tries fit the budget.
REPLY_TIMEOUT_S = 5.0
# Connections per service URL. Teams sends from a handful of URLs; a burst of replies to one
# of them is served this many at a time, while other URLs have pools of their own.
CONNECTIONS_PER_SERVICE_URL = 50
# Service URLs with a pool of their own; any further one (with authentication off, a caller may
# name any) shares one overflow pool, so sockets stay bounded.
MAX_SERVICE_URL_POOLS = 16
# Statuses worth another try. "Optimize your bot with rate limiting in Teams" (learn.microsoft.com/
# microsoftteams/platform/bots/how-to/rate-limit) says to retry 429 with exponential backoff and
# random jitter, and to retry 412, 502 and 504 as well; 503 is the gateway's other transient answer.
RETRY_STATUSES = frozenset(
    {
        HTTPStatus.PRECONDITION_FAILED,
        HTTPStatus.TOO_MANY_REQUESTS,
        HTTPStatus.BAD_GATEWAY,
        HTTPStatus.SERVICE_UNAVAILABLE,
        HTTPStatus.GATEWAY_TIMEOUT,
    }
)
MAX_RETRIES = 3
# An activity goes out as JSON made beforehand (bot.teams.wire.activity_bytes), in UTF-8.
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
# The outbox retries notifications itself, later and at its own pace; inside a turn there is no later.
_RETRIES: ContextVar[int] = ContextVar("connector_retries", default=MAX_RETRIES)
# First backoff step in seconds, doubled on each retry (0.5, 1, 2): three tries fit in Teams' 15 s turn.
BACKOFF_BASE_S = 0.5
# Longest wait before one retry inside a turn, in seconds, whatever Retry-After asks.
MAX_RETRY_AFTER_S = 3.0


class ConnectorError(RuntimeError):
    """A reply could not be delivered; says which call, where, and the HTTP status or what failed."""

    def __init__(self, operation: str, status: int | str, service_url: str, retry_after: float | None = None) -> None:
        failure = f"HTTP {status}" if isinstance(status, int) else status
        super().__init__(f"Bot Connector {operation} at {service_url} failed with {failure}")
        self.status = status
        self.retry_after = retry_after  # the connector's Retry-After, in seconds, when it sent one


@contextlib.contextmanager
def sending_without_retries() -> Iterator[None]:
    """Send without retrying 429s and 5xx here: the caller (the outbox) retries on its own schedule."""
    token = _RETRIES.set(0)
    try:
        yield
    finally:
        _RETRIES.reset(token)


_deadline: ContextVar[float | None] = ContextVar("reply_deadline", default=None)


@contextlib.contextmanager
def turn_deadline(seconds: float | None = None) -> Iterator[None]:
    """Give every reply sent inside this block one shared deadline, `seconds` (TURN_BUDGET_S) from now."""
    token = _deadline.set(time.monotonic() + (TURN_BUDGET_S if seconds is None else seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def _reply_timeout() -> float:
    """Return the seconds the next reply call may take: REPLY_TIMEOUT_S, or less as the turn runs out."""
    deadline = _deadline.get()
    return REPLY_TIMEOUT_S if deadline is None else min(REPLY_TIMEOUT_S, deadline - time.monotonic())


def without_userinfo(service_url: str) -> str:
    """Return `service_url` without user:password@ (aiohttp would send them as a Basic header)."""
    parts = urlsplit(service_url)
    if "@" not in parts.netloc:
        return service_url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


class ReplySession:
    """The aiohttp sessions replies go out on, one per service URL; opened and closed with the web app."""

    def __init__(self) -> None:
        self._pools: dict[str, aiohttp.ClientSession] = {}
        self._overflow: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        """Open the overflow session (inside the running event loop); per-URL pools open on first use."""
        if self._overflow is None:
            self._overflow = _new_session()

    async def close(self) -> None:
        """Close every session."""
        sessions = [*self._pools.values(), *([self._overflow] if self._overflow else [])]
        self._pools, self._overflow = {}, None
        for session in sessions:
            await session.close()

    @property
    def session(self) -> aiohttp.ClientSession:
        """Return the overflow session (opening lazily if the app's start-up hook did not run)."""
        if self._overflow is None:
            self._overflow = _new_session()
        return self._overflow

    def session_for(self, service_url: str) -> aiohttp.ClientSession:
        """Return the pool of `service_url`, or the shared overflow pool once MAX_SERVICE_URL_POOLS exist."""
        pool = self._pools.get(service_url)
        if pool is not None:
            return pool
        if len(self._pools) >= MAX_SERVICE_URL_POOLS:
            return self.session
        pool = self._pools[service_url] = _new_session()
        return pool


def _new_session() -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=CONNECTIONS_PER_SERVICE_URL)
    # The Bot Connector's API is stateless (a bearer token on every call): keeping the cookies
    # its load balancer sets would only cost a cookie-jar pass on every request and response.
    return aiohttp.ClientSession(connector=connector, json_serialize=wire_json, cookie_jar=aiohttp.DummyCookieJar())


class FastConversations:
    """The Conversations operations the adapter uses, over aiohttp; the rest go to the SDK client."""

    def __init__(self, replies: ReplySession, service_url: str, credentials: Any, sdk_operations: Any) -> None:
        self._replies = replies
        service_url = without_userinfo(service_url)
        self._base = service_url.rstrip("/") + "/v3/conversations/"
        self._service_url = service_url
        self._credentials = credentials
        self._sdk = sdk_operations

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sdk, name)

    async def send_to_conversation(self, conversation_id: str, activity: Activity, **_: Any) -> ResourceResponse:
        """POST /v3/conversations/{id}/activities."""
        return await self._call("POST", "send_to_conversation", f"{_q(conversation_id)}/activities", activity)

    async def reply_to_activity(
        self, conversation_id: str, activity_id: str, activity: Activity, **_: Any
    ) -> ResourceResponse:
        """POST /v3/conversations/{id}/activities/{activityId}."""
        return await self._call(
            "POST", "reply_to_activity", f"{_q(conversation_id)}/activities/{_q(activity_id)}", activity
        )

    async def update_activity(
        self, conversation_id: str, activity_id: str, activity: Activity, **_: Any
    ) -> ResourceResponse:
        """PUT /v3/conversations/{id}/activities/{activityId}."""
        return await self._call(
            "PUT", "update_activity", f"{_q(conversation_id)}/activities/{_q(activity_id)}", activity
        )

    async def delete_activity(self, conversation_id: str, activity_id: str, **_: Any) -> None:
        """DELETE /v3/conversations/{id}/activities/{activityId}."""
        await self._call("DELETE", "delete_activity", f"{_q(conversation_id)}/activities/{_q(activity_id)}", None)

    async def _call(self, method: str, operation: str, path: str, activity: Activity | None) -> ResourceResponse:
        try:
            return await self._send(method, operation, path, activity)
        except (aiohttp.ClientError, TimeoutError) as error:  # refused, reset, or past the turn's deadline
            failure = "a timeout" if isinstance(error, TimeoutError) else error.__class__.__name__
            raise ConnectorError(operation, failure, self._service_url) from None

    async def _send(self, method: str, operation: str, path: str, activity: Activity | None) -> ResourceResponse:
        headers = {**await self._headers(), **JSON_HEADERS} if activity is not None else await self._headers()
        body = activity_bytes(activity) if activity is not None else None
        session = self._replies.session_for(self._service_url)
        retries = _RETRIES.get()
        for attempt in range(retries + 1):
            url = URL(self._base + path, encoded=True)  # keep msrest's quoting of ':' ';' '@' in ids
            timeout = aiohttp.ClientTimeout(total=_reply_timeout())
            if timeout.total is not None and timeout.total <= 0:
                raise TimeoutError
            async with session.request(
                method, url, data=body, headers=headers, timeout=timeout, allow_redirects=False
            ) as response:
                if response.status < 300:
                    data = await response.json(content_type=None) if response.content_length != 0 else None
                    return ResourceResponse(id=data.get("id")) if isinstance(data, dict) else ResourceResponse()
                if response.status not in RETRY_STATUSES or attempt == retries:
                    raise ConnectorError(
                        operation, response.status, self._service_url, _seconds(response.headers.get("Retry-After"))
                    )
                delay = min(_retry_after(response.headers.get("Retry-After"), attempt), _reply_timeout())
            logger.warning("Bot Connector %s got HTTP %s; retrying in %.1f s", operation, response.status, delay)
            await asyncio.sleep(max(delay, 0.0))
        raise AssertionError("unreachable")  # the loop returns or raises

    async def _headers(self) -> dict[str, str]:
        if not getattr(self._credentials, "microsoft_app_id", None):
            return {}  # authentication off (Emulator, local tests): the SDK sends no token either
        # MSAL answers from its cache almost always, but may call AAD: keep that off the event loop.
        token = await asyncio.get_running_loop().run_in_executor(None, self._credentials.get_access_token)
        return {"Authorization": f"Bearer {token}"}


class FastConnectorClient:
    """A ConnectorClient stand-in: fast conversations, everything else from the SDK's client."""

    def __init__(self, replies: ReplySession, service_url: str, sdk_client: Any) -> None:
        self._sdk = sdk_client
        self.config = sdk_client.config
        self.conversations = FastConversations(
            replies, service_url, sdk_client.config.credentials, sdk_client.conversations
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sdk, name)


class ReusingConnectorFactory(ConnectorFactory):
    """Hand out one FastConnectorClient per (service URL, audience), built from the SDK's factory."""

    def __init__(self, inner: ConnectorFactory, clients: ClientCache) -> None:
        self._inner = inner
        self._clients = clients

    async def create(self, service_url: str, audience: str | None = None) -> FastConnectorClient:
        """Return the cached client for `service_url`, building it on first use."""
        return await self._clients.get(service_url, audience, self._inner)


class ClientCache:
    """A small LRU of connector clients, shared by every request."""

    def __init__(self, replies: ReplySession, size: int = MAX_CACHED_CLIENTS) -> None:
        self._replies = replies
        self._size = size
        self._clients: OrderedDict[tuple[str, str | None], FastConnectorClient] = OrderedDict()

    async def get(self, service_url: str, audience: str | None, inner: ConnectorFactory) -> FastConnectorClient:
        """Return the client for this URL and audience."""
        key = (service_url, audience)
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
            return client
        client = FastConnectorClient(self._replies, service_url, await inner.create(service_url, audience))
        self._clients[key] = client
        while len(self._clients) > self._size:
            self._clients.popitem(last=False)
        return client


class LazyUserTokenClient:
    """Build the SDK's user-token client only when a turn actually uses OAuth (ours never do)."""

    def __init__(self, create: Callable[[], Awaitable[UserTokenClient]]) -> None:
        self._create = create
        self._client: UserTokenClient | None = None

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        async def call(*args: Any, **kwargs: Any) -> Any:
            if self._client is None:
                self._client = await self._create()
            return await getattr(self._client, name)(*args, **kwargs)

        return call


class FastReplyAuthentication(BotFrameworkAuthentication):
    """The SDK's authentication, unchanged, with connector clients reused across turns."""

    def __init__(self, inner: BotFrameworkAuthentication, replies: ReplySession) -> None:
        self._inner = inner
        self._clients = ClientCache(replies)

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = ReusingConnectorFactory(result.connector_factory, self._clients)
        return result

    async def check_token(self, auth_header: str) -> None:
        """Validate the token alone, before the body is read (bot.teams.auth.CheckedAuthentication)."""
        await self._inner.check_token(auth_header)

    def refuse_without_token(self) -> TokenRefused:
        """Log a request without a token and return the refusal (bot.teams.auth.CheckedAuthentication)."""
        refusal: TokenRefused = self._inner.refuse_without_token()
        return refusal

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return ReusingConnectorFactory(self._inner.create_connector_factory(claims_identity), self._clients)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return LazyUserTokenClient(lambda: self._inner.create_user_token_client(claims_identity))

    def create_bot_framework_client(self) -> Any:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)

    async def generate_caller_id(
        self, *, credential_factory: Any, claims_identity: ClaimsIdentity, caller_id: str
    ) -> str | None:
        return await self._inner.generate_caller_id(
            credential_factory=credential_factory, claims_identity=claims_identity, caller_id=caller_id
        )


def serialize_activity(activity: Activity) -> dict[str, Any]:
    """Return the activity as JSON: msrest's result, card dicts passed through as they are
    (bot.teams.wire; msrest walks every key of a card, most of the cost of a card reply)."""
    return activity_to_json(activity)


def _q(value: str) -> str:
    """Quote a path segment the way msrest does (nothing kept, ':' and ';' included)."""
    return quote(str(value), safe="")


def _seconds(header: str | None) -> float | None:
    """Return a Retry-After header in seconds (the delay form; Teams does not send dates), or None."""
    try:
        return max(float(header), 0.0) if header else None
    except ValueError:
        return None


def _retry_after(header: str | None, attempt: int) -> float:
    """Return the wait before retry `attempt` (from 0): Retry-After when given, else exponential
    backoff, plus random jitter so that throttled replies do not all come back at the same moment."""
    step = BACKOFF_BASE_S * (2**attempt)
    try:
        seconds = float(header) if header else step
    except ValueError:
        seconds = step
    return min(max(seconds, 0.0) + random.uniform(0.0, step), MAX_RETRY_AFTER_S)
