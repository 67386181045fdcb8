"""The web door: hostile or broken requests get a short JSON error before any bot code runs.

`guard` is an aiohttp middleware. For POST /api/messages it checks, in this order, the content
type (415), the declared and actual body size (413), the JSON (400) and the fields every
activity needs (400), then hands the handler the parsed Activity under ACTIVITY_KEY. For every
route it turns aiohttp's own errors (404, 405, ...) into the same JSON shape, a refused token
into 401, unreachable signing keys into 503, and anything unexpected into a logged 500 whose body
says nothing about the request. Error bodies never echo what the caller sent.

Adapter code: aiohttp and botbuilder.schema only, no core modules.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from aiohttp import web
from azure.core.exceptions import DeserializationError  # what msrest raises (it re-exports it)
from botbuilder.schema import Activity

from bot.teams.auth import KeysUnavailable, TokenRefused

logger = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
# Direct Line's cap on one activity; Teams messages are far smaller (about 28 kB of text). The
# app's client_max_size must be this too, so chunked and compressed bodies stop at it as well.
MAX_BODY_BYTES = 256 * 1024
ACTIVITY_KEY = web.RequestKey("activity", Activity)

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
                return refusal
        return _with_json_error(await handler(request))
    except TokenRefused:
        refusal = problem(HTTPStatus.UNAUTHORIZED, "missing or invalid Bot Framework token")
        refusal.headers["WWW-Authenticate"] = "Bearer"  # RFC 9110: a 401 names the scheme it wants
        return refusal
    except KeysUnavailable:
        return problem(HTTPStatus.SERVICE_UNAVAILABLE, "cannot check tokens right now; try again")
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
        return problem(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is over {MAX_BODY_BYTES} bytes")
    try:
        raw = await request.read()  # stops at the app's client_max_size for chunked bodies
    except web.HTTPRequestEntityTooLarge:
        return problem(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is over {MAX_BODY_BYTES} bytes")
    try:
        request[ACTIVITY_KEY] = parse_activity(raw)
    except BadActivity as error:
        return problem(HTTPStatus.BAD_REQUEST, str(error))
    return None


class BadActivity(ValueError):
    """The body is not JSON, or not an activity the bot can answer; the message says which."""


def parse_activity(raw: bytes) -> Activity:
    """Parse a request body into an Activity, or raise BadActivity saying what is wrong with it."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # JSONDecodeError, bad UTF-8, 5000-digit numbers; deep nesting
        raise BadActivity("the body is not valid JSON") from None
    missing = activity_problem(body)
    if missing is not None:
        raise BadActivity(f"the body is not an activity: {missing}")
    try:
        return Activity().deserialize(body)
    except (DeserializationError, ValueError, TypeError, AttributeError):
        raise BadActivity("the body is not an activity: a field has the wrong type") from None


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
