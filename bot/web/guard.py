"""The web door: hostile or broken requests get a short JSON error before any bot code runs.

`guard` is an aiohttp middleware. For POST /api/messages it checks, in this order, the content
type (415), the declared size (413), and, with authentication on, that an `Authorization:
Bearer <JWT>` header is there (401) and its token is signed by the Bot Framework, for this bot,
and current (401; a token refused in the last minute is refused again without the check) — all
before a byte of the body is read. Then the body is read within
BODY_READ_TIMEOUT_S (408), with at most MAX_BODIES_IN_FLIGHT at once (the oldest gets 503), up to its size
(413), parsed as JSON (400) and checked for the fields every activity needs (400); with
authentication on the token is checked against the activity (its channel and service URL,
401); only then are list lengths and nesting capped (400) and the body deserialised into an
Activity, handed to the handler under ACTIVITY_KEY with the authentication result under
AUTH_RESULT_KEY. So a caller without a valid token costs the server a header check and a
signature check, never a body. For every
route it turns aiohttp's own errors (404, 405, ...) into the same JSON shape, a refused token
into 401, unreachable signing keys into 503, and anything unexpected into a logged 500 whose body
says nothing about the request. Error bodies never echo what the caller sent.

Adapter code: aiohttp and botbuilder.schema only, no core modules.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any, Protocol

from aiohttp import web
from azure.core.exceptions import DeserializationError  # what msrest raises (it re-exports it)
from botbuilder.schema import Activity, ChannelAccount
from botframework.connector.auth import AuthenticateRequestResult

from bot.logs import ThrottledLog
from bot.teams.auth import KeysUnavailable, TokenRefused
from bot.teams.wire import activity_from_json

logger = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
# Direct Line's cap on one activity; Teams messages are far smaller (about 28 kB of text). The
# app's client_max_size must be this too, so chunked and compressed bodies stop at it as well.
MAX_BODY_BYTES = 256 * 1024
ACTIVITY_KEY = web.RequestKey("activity", Activity)
AUTH_RESULT_KEY = web.RequestKey("auth_result", AuthenticateRequestResult)


class DoorAuthentication(Protocol):
    """What the guard needs of authentication: the token alone, then the token with its activity."""

    async def check_token(self, auth_header: str) -> None: ...

    def refuse_without_token(self) -> TokenRefused: ...

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult: ...


# Set by create_app when authentication is on: the guard validates tokens with it before it
# reads and deserialises a body; absent, every request is let through as the SDK's anonymous identity.
AUTHENTICATION_KEY = web.AppKey("authentication", DoorAuthentication)
# The Bot Connector sends the whole activity at once, in milliseconds; a body still missing after
# this long is a client holding the connection open (408, and the socket is closed).
BODY_READ_TIMEOUT_S = 10.0
# Bodies being read at once. Teams sends a few per second per conversation and each arrives in
# one go, so hundreds in flight means clients holding connections; beyond this the longest
# waiting is given up (503, closed) rather than holding a file descriptor each until the server
# runs out (typical limit 1024).
MAX_BODIES_IN_FLIGHT = 256
# "Bearer" and a JWT (three base64url parts) as the Bot Connector sends it; the SDK accepts
# only this scheme spelling. 16 kB is far beyond any Azure AD token and caps the regex's work.
BEARER_JWT = re.compile(r"Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
MAX_AUTHORIZATION_CHARS = 16 * 1024
# A token the signature check refused is refused again at once for this long, without the check
# (about 0.3 ms of the SDK's decoding each time). A refusal stands until Microsoft's keys change,
# which the SDK notices at most daily; a minute bounds how long one outlives such a change.
REFUSAL_MEMORY_S = 60.0
# Refused tokens remembered at once (by digest, 16 bytes each); a flood of distinct forged tokens
# pushes out the oldest and pays the check for each, as without the memory.
MAX_REMEMBERED_REFUSALS = 1024
# Longest list and deepest nesting an activity may carry. Teams' lists are short (a few
# entities, at most ten attachments, members added in batches); an 18 000-entry membersAdded
# costs a quarter second to deserialise and is no Teams activity. Card data nests a few levels.
MAX_LIST_ITEMS = 1000
MAX_NESTING = 32

# Fields an activity must carry for the bot to answer it: where to reply (serviceUrl,
# conversation), on which channel, from whom and to whom (the bot's own id strips @mentions).
REQUIRED_TEXT_FIELDS = ("type", "channelId", "serviceUrl")
REQUIRED_ACCOUNT_FIELDS = ("conversation", "from", "recipient")
# Optional fields the bot reads, with the JSON type they must have when present.
OPTIONAL_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "text": str,
    "locale": str,
    "name": str,
    "textFormat": str,
    "replyToId": str,
    "channelData": dict,
    "entities": list,
    "attachments": list,
    "membersAdded": list,
    "membersRemoved": list,
}
# A service URL is where replies go; anything but http(s) is not a Bot Connector.
SERVICE_URL_SCHEMES = ("https://", "http://")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def problem(status: HTTPStatus | int, detail: str) -> web.Response:
    """Return the short JSON error body every refusal uses."""
    return web.json_response({"error": detail}, status=int(status))


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse bad requests with a short JSON error; never let a stack trace reach the caller."""
    try:
        if request.method == "POST" and request.path == MESSAGES_PATH:
            refusal = await _admit_activity(request)
            if refusal is not None:
                return _closing(refusal)
        return _with_json_error(await handler(request))
    except TokenRefused:
        refusal = problem(HTTPStatus.UNAUTHORIZED, "missing or invalid Bot Framework token")
        refusal.headers["WWW-Authenticate"] = "Bearer"  # RFC 9110: a 401 names the scheme it wants
        return _closing(refusal)
    except KeysUnavailable:
        return _closing(problem(HTTPStatus.SERVICE_UNAVAILABLE, "cannot check tokens right now; try again"))
    except web.HTTPException as error:
        if error.status < HTTPStatus.BAD_REQUEST:
            raise
        return problem(error.status, _phrase(error.status))
    except Exception:
        logger.exception("request %s %.200r failed", request.method, request.path)
        return problem(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error; it has been logged")


def _with_json_error(response: web.StreamResponse) -> web.StreamResponse:
    """Give a bodiless error response (an invoke's 501, say) the usual JSON body."""
    if response.status < HTTPStatus.BAD_REQUEST or not isinstance(response, web.Response) or response.body:
        return response
    return problem(response.status, _phrase(response.status))


def _phrase(status: int) -> str:
    """Return the standard reason phrase for `status`, in lower case ("not found")."""
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "error"


async def _admit_activity(request: web.Request) -> web.Response | None:
    """Parse and check the activity in `request`; return the refusal, or None after storing it."""
    if request.content_type != "application/json":
        return problem(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "expected Content-Type: application/json")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        # Refused on the declared length, before a byte of the body is read.
        return _too_large()
    authentication = request.app.get(AUTHENTICATION_KEY)
    header = request.headers.get("Authorization", "")
    if authentication is not None:
        # Before the body: a caller without a valid token costs a header check and a signature.
        if not is_bearer_jwt(header):
            raise authentication.refuse_without_token()
        await _check_token(request, authentication, header)
    raw = await _read_body(request)
    if isinstance(raw, web.Response):
        return raw
    try:
        body = parse_body(raw)
        if authentication is not None:
            request[AUTH_RESULT_KEY] = await authentication.authenticate_request(token_subject(body), header)
        request[ACTIVITY_KEY] = deserialise_activity(body)
    except BadActivity as error:
        return problem(HTTPStatus.BAD_REQUEST, str(error))
    return None


class RefusedTokens:
    """Authorization headers whose token was refused lately, by digest, oldest first.

    A flood that repeats one forged token costs one signature check a minute instead of one a
    request. Only refusals of the token alone are remembered: they depend on nothing but the
    token, the signing keys and the time.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._until: OrderedDict[bytes, float] = OrderedDict()

    def __contains__(self, header: object) -> bool:
        if not isinstance(header, str):
            return False
        digest = _digest(header)
        until = self._until.get(digest)
        if until is None:
            return False
        if until <= self._clock():
            del self._until[digest]
            return False
        return True

    def __len__(self) -> int:
        return len(self._until)

    def add(self, header: str) -> None:
        """Remember that `header`'s token was refused, for REFUSAL_MEMORY_S."""
        digest = _digest(header)
        self._until.pop(digest, None)
        self._until[digest] = self._clock() + REFUSAL_MEMORY_S
        while len(self._until) > MAX_REMEMBERED_REFUSALS:
            self._until.popitem(last=False)


REFUSED_TOKENS_KEY = web.AppKey("refused_tokens", RefusedTokens)


def _digest(header: str) -> bytes:
    """Return a short digest of an Authorization header (the token itself is not kept)."""
    return hashlib.blake2b(header.encode(), digest_size=16).digest()


async def _check_token(request: web.Request, authentication: DoorAuthentication, header: str) -> None:
    """Check the token alone, or raise TokenRefused at once when it was refused lately."""
    refused = request.app.get(REFUSED_TOKENS_KEY)
    if refused is None:
        await authentication.check_token(header)
        return
    if header in refused:
        _refused_again.log(logging.WARNING, "refused a request: its token was refused lately")
        raise TokenRefused("missing or invalid Bot Framework token")
    try:
        await authentication.check_token(header)
    except TokenRefused:
        refused.add(header)
        raise


class BodiesInFlight:
    """The request bodies being read right now (one set per app), oldest first.

    At MAX_BODIES_IN_FLIGHT a new request does not wait or fail: the read that has waited
    longest is given up instead. The Bot Connector sends a body at once, so the oldest read is
    almost always a client holding its connection, and a real request still gets through.
    """

    def __init__(self) -> None:
        self._reads: OrderedDict[int, asyncio.Future[None]] = OrderedDict()

    def make_room(self) -> None:
        """At MAX_BODIES_IN_FLIGHT, make the read that has waited longest give way."""
        if len(self._reads) >= MAX_BODIES_IN_FLIGHT:
            _, oldest = self._reads.popitem(last=False)
            oldest.set_result(None)

    def admit(self) -> asyncio.Future[None]:
        """Register one read; return the future that is set when it must give way to a newer one."""
        self.make_room()
        evicted = asyncio.get_running_loop().create_future()
        self._reads[id(evicted)] = evicted
        return evicted

    def release(self, evicted: asyncio.Future[None]) -> None:
        """Forget a read that has ended."""
        self._reads.pop(id(evicted), None)


BODIES_IN_FLIGHT_KEY = web.AppKey("bodies_in_flight", BodiesInFlight)


async def _read_body(request: web.Request) -> bytes | web.Response:
    """Read the body within BODY_READ_TIMEOUT_S, giving way to newer requests beyond MAX_BODIES_IN_FLIGHT."""
    in_flight = request.app.get(BODIES_IN_FLIGHT_KEY) or BodiesInFlight()
    if request.content.is_eof():  # the whole body came with the headers (nearly always): no wait
        in_flight.make_room()  # a held body still gives way to this request
        try:
            return await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _too_large()
    evicted = in_flight.admit()
    read = asyncio.ensure_future(request.read())  # stops at the app's client_max_size for chunked bodies
    try:
        async with asyncio.timeout(BODY_READ_TIMEOUT_S):
            await asyncio.wait((read, evicted), return_when=asyncio.FIRST_COMPLETED)
        if not read.done():
            _dropped_clients.log(
                logging.WARNING, "%d request bodies were being read; gave up the oldest", MAX_BODIES_IN_FLIGHT
            )
            return _closing(problem(HTTPStatus.SERVICE_UNAVAILABLE, "too many requests in progress; try again"))
        return read.result()
    except web.HTTPRequestEntityTooLarge:
        return _too_large()
    except TimeoutError:
        _dropped_clients.log(
            logging.WARNING, "a client sent no complete body within %.0f s; closed it", BODY_READ_TIMEOUT_S
        )
        return _closing(problem(HTTPStatus.REQUEST_TIMEOUT, "the body did not arrive in time"))
    except (ConnectionError, asyncio.IncompleteReadError):
        _dropped_clients.log(logging.WARNING, "a client went away before its body was read")
        return _closing(problem(HTTPStatus.BAD_REQUEST, "the body was cut off"))
    finally:
        read.cancel()
        in_flight.release(evicted)


def _too_large() -> web.Response:
    """Return the answer to a body over MAX_BODY_BYTES, however it was found to be."""
    return problem(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is over {MAX_BODY_BYTES} bytes")


def _closing(response: web.Response) -> web.Response:
    """Mark `response` to close its connection once sent ("Connection: close").

    A refused request's body is mostly unread. This tells the client the connection ends; the
    app's lingering_time of 0 (LINGERING_S in app.py) makes aiohttp close it at once, without
    first reading the rest of the body for up to 10 s.
    """
    response.force_close()
    return response


_dropped_clients = ThrottledLog(logger)
_refused_again = ThrottledLog(logger)


def is_bearer_jwt(header: str) -> bool:
    """Say whether an Authorization header is shaped like the Bot Connector's (not whether it is valid)."""
    return len(header) <= MAX_AUTHORIZATION_CHARS and BEARER_JWT.fullmatch(header) is not None


class BadActivity(ValueError):
    """The body is not JSON, or not an activity the bot can answer; the message says which."""


def parse_activity(raw: bytes) -> Activity:
    """Parse a request body into an Activity, or raise BadActivity saying what is wrong with it."""
    return deserialise_activity(parse_body(raw))


def parse_body(raw: bytes) -> dict[str, Any]:
    """Parse a body as JSON and check the fields every activity needs; raise BadActivity if not."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # JSONDecodeError, bad UTF-8, 5000-digit numbers; deep nesting
        raise BadActivity("the body is not valid JSON") from None
    missing = activity_problem(body)
    if missing is not None:
        raise BadActivity(f"the body is not an activity: {missing}")
    return body


def token_subject(body: dict[str, Any]) -> Activity:
    """Return the few fields token validation reads (channel, service URL, recipient role), nothing else."""
    recipient = body["recipient"]
    role = recipient.get("role")
    return Activity(
        channel_id=body["channelId"],
        service_url=body["serviceUrl"],
        recipient=ChannelAccount(id=recipient["id"], role=role if isinstance(role, str) else None),
    )


def deserialise_activity(body: dict[str, Any]) -> Activity:
    """Cap the body's lists and nesting, then deserialise it; raise BadActivity if it does not fit."""
    oversized = size_problem(body)
    if oversized is not None:
        raise BadActivity(f"the body is not an activity: {oversized}")
    try:
        return activity_from_json(body)  # msrest's result, without its generic deserialiser's cost
    except (DeserializationError, ValueError, TypeError, AttributeError):
        raise BadActivity("the body is not an activity: a field has the wrong type") from None


def size_problem(body: object) -> str | None:
    """Say whether `body` has a list longer than MAX_LIST_ITEMS or nests deeper than MAX_NESTING."""
    pending: list[tuple[object, int]] = [(body, 1)]
    while pending:
        value, depth = pending.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        if depth > MAX_NESTING:
            return f"it nests deeper than {MAX_NESTING} levels"
        if isinstance(value, list) and len(value) > MAX_LIST_ITEMS:
            return f"a list holds more than {MAX_LIST_ITEMS} items"
        pending.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return None


def activity_problem(body: Any) -> str | None:
    """Say which required field of an activity is missing or mistyped, or None when it is usable."""
    if not isinstance(body, dict):
        return "expected a JSON object"
    for name in REQUIRED_TEXT_FIELDS:
        if not isinstance(body.get(name), str) or not body[name].strip():
            return f"'{name}' is missing"
    if not body["serviceUrl"].startswith(SERVICE_URL_SCHEMES):
        return "'serviceUrl' is not an http(s) URL"
    for name in REQUIRED_ACCOUNT_FIELDS:
        account = body.get(name)
        if not isinstance(account, dict) or not isinstance(account.get("id"), str) or not account["id"]:
            return f"'{name}.id' is missing"
    for name, expected in OPTIONAL_FIELD_TYPES.items():
        if body.get(name) is not None and not isinstance(body[name], expected):
            return f"'{name}' has the wrong type"
    for name in ("entities", "attachments", "membersAdded", "membersRemoved"):
        if any(not isinstance(item, dict) for item in body.get(name) or ()):
            return f"'{name}' must hold objects"
    return None
