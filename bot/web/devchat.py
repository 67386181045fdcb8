"""The local chat page: talk to the bot in a browser and see what Teams would show, without Teams.

Served only while authentication is off (no MicrosoftAppId); with an app id none of these routes
exist, so the page and everything behind it answer 404.

How a message travels, exactly as with Teams:
1. the page (bot/web/devchat_page/) POSTs a Teams-shaped activity to the real /api/messages, with a
   serviceUrl pointing at this server's local connector (CONNECTOR_PATH);
2. the bot replies through the Bot Framework SDK to that serviceUrl, i.e. to the Bot Connector
   REST API (/v3/conversations/{id}/activities[/{replyToId}]) implemented here by LocalConnector;
3. LocalConnector keeps each conversation's replies and streams them to the page as server-sent
   events (STREAM_PATH), which renders them with the official Adaptive Cards renderer.

Adapter code (aiohttp); the Adaptive Cards renderer and markdown-it are npm packages the Makefile
installs into build/npm (git-ignored) and this module serves from there.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import secrets
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.runtime.live import LiveData
from bot.settings import Settings
from bot.web.guard import ACTIVITY_KEY, Handler

logger = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parents[2]
PAGE_DIR = Path(__file__).resolve().parent / "devchat_page"
# Where `make` installs the npm packages (git-ignored, never committed).
NPM_MODULES = PROJECT_DIR / "build" / "npm" / "node_modules"
# The only files served from node_modules: name in the page -> file in the package.
VENDOR_FILES = {
    "adaptivecards.min.js": "adaptivecards/dist/adaptivecards.min.js",
    "markdown-it.min.js": "markdown-it/dist/markdown-it.min.js",
}

STATIC_PATH = "/devchat/static"
VENDOR_PATH = "/devchat/vendor"
# The serviceUrl the page puts in its activities; the SDK appends v3/conversations/...
CONNECTOR_PATH = "/devchat/connector"
STREAM_PATH = "/devchat/conversations/{conversation_id}/stream"
# Who the page can play ("som Isabelle Canderskog"): everyone who may post, from the served data.
PEOPLE_PATH = "/devchat/people"
# The page plays a person with this user id prefix and their e-mail; the local connector's member
# look-up answers with that person, as Teams would answer with the signed-in user.
PLAYED_USER_PREFIX = "29:devchat-as-"
# Anyone else the page talks as: a colleague who may not post.
LOCAL_COLLEAGUE = {"name": "Du (lokal chatt)", "email": "du@lokal.invalid"}

# Teams conversation ids look like "a:1vE3...", "19:...@thread.tacv2;messageid=..."; anything
# else (slashes, spaces, control characters) is not one.
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9:._@;=+-]{1,200}$")
# Teams caps a message at about 28 KB and the SDK's cards here are a few KB; four times that
# still fits any reply, and stops one request from filling the server's memory.
MAX_ACTIVITY_BYTES = 128 * 1024
# Replies kept per conversation, so a page that reconnects (Last-Event-ID) misses none; a
# reconnect takes seconds, in which a person asks a handful of questions at most.
BACKLOG = 50
# Conversations remembered at once (one per page opened); the least recently used idle one is
# dropped. With cards of ~10 KB this caps the connector at about 25 MB.
MAX_CONVERSATIONS = 50
# Browsers and proxies drop a silent stream; a comment line this often keeps it open.
HEARTBEAT_SECONDS = 15.0
# The page waits this long before reconnecting a dropped stream (the SSE "retry" field).
RECONNECT_MILLISECONDS = 2000
# The page is a local tool: scripts, styles and requests only from this server, no framing.
# Card images may come from anywhere on https, as in Teams.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)


Event = tuple[int, dict[str, Any]]  # (event number, activity) as the streams send them
Listener = asyncio.Queue[Event | None]  # one open stream; None tells it the server is stopping


@dataclass
class Conversation:
    """One page's conversation: the bot's recent replies and the streams waiting for more."""

    backlog: deque[Event] = field(default_factory=lambda: deque(maxlen=BACKLOG))
    listeners: set[Listener] = field(default_factory=set)


class LocalConnector:
    """Bot Connector stand-in: receives the bot's activities and hands them to the page's streams."""

    def __init__(self) -> None:
        self._conversations: OrderedDict[str, Conversation] = OrderedDict()
        self._sequence = itertools.count(1)
        # Event ids carry this run's mark: after a restart, numbering starts again at 1 and a
        # page's Last-Event-ID from the previous run must not hide the new replies.
        self.epoch = secrets.token_hex(4)
        self._closed = False

    def conversation(self, conversation_id: str) -> Conversation:
        """Return the conversation, creating it (and forgetting the oldest) as needed.

        A Teams channel thread ("19:...@thread.tacv2;messageid=123") belongs to its channel: the
        page follows the channel, whichever thread the bot answers in.
        """
        key = conversation_id.split(";", 1)[0]
        conversation = self._conversations.get(key)
        if conversation is None:
            conversation = self._conversations[key] = Conversation()
            self._forget_idle()
        self._conversations.move_to_end(key)
        return conversation

    def publish(self, conversation_id: str, activity: dict[str, Any], *, new_id: bool = True) -> dict[str, Any]:
        """Keep `activity` for the conversation (with a fresh id unless told), pass it to its streams, return it."""
        number = next(self._sequence)
        if new_id:
            activity = {**activity, "id": f"devchat-{number}"}
        conversation = self.conversation(conversation_id)
        conversation.backlog.append((number, activity))
        for queue in conversation.listeners:
            queue.put_nowait((number, activity))
        return activity

    def subscribe(self, conversation_id: str) -> Listener:
        """Return a queue that receives every later activity (None when the server stops)."""
        queue: Listener = asyncio.Queue()
        if self._closed:
            queue.put_nowait(None)
        self.conversation(conversation_id).listeners.add(queue)
        return queue

    def unsubscribe(self, conversation_id: str, queue: Listener) -> None:
        """Stop passing activities to `queue`."""
        conversation = self._conversations.get(conversation_id.split(";", 1)[0])
        if conversation is not None:
            conversation.listeners.discard(queue)

    def close(self) -> None:
        """End every stream, so the server can stop without waiting for open pages."""
        self._closed = True
        for conversation in self._conversations.values():
            for queue in conversation.listeners:
                queue.put_nowait(None)

    def _forget_idle(self) -> None:
        while len(self._conversations) > MAX_CONVERSATIONS:
            oldest = next((key for key, value in self._conversations.items() if not value.listeners), None)
            if oldest is None:
                return
            del self._conversations[oldest]


CONNECTOR_KEY = web.AppKey("devchat_connector", LocalConnector)
LIVE_KEY = web.AppKey("devchat_live", LiveData)


def register(app: web.Application, settings: Settings, live: LiveData | None = None) -> None:
    """Add the chat page, its files, the local connector and the reply stream, unless authentication is on.

    With `live` (the served data) the page can also play anyone who may post.
    """
    if settings.auth_enabled:
        return  # the routes never exist: everything answers 404
    app[CONNECTOR_KEY] = LocalConnector()
    if live is not None:
        app[LIVE_KEY] = live
    app.middlewares.append(replies_to_own_connector)  # inside the guard, which has parsed the activity
    app.router.add_get("/", page)
    app.router.add_get(PEOPLE_PATH, people)
    app.router.add_static(STATIC_PATH, PAGE_DIR, show_index=False, follow_symlinks=False)
    app.router.add_get(VENDOR_PATH + "/{name}", vendor_file)
    activities = CONNECTOR_PATH + "/v3/conversations/{conversation_id}/activities"
    app.router.add_post(activities, receive_activity)
    app.router.add_post(activities + "/{activity_id}", receive_activity)
    app.router.add_put(activities + "/{activity_id}", receive_activity)
    app.router.add_delete(activities + "/{activity_id}", delete_activity)
    app.router.add_get(CONNECTOR_PATH + "/v3/conversations/{conversation_id}/members/{member_id}", member)
    app.router.add_route("*", CONNECTOR_PATH + "/{rest:.*}", unsupported_call)
    app.router.add_get(STREAM_PATH, stream)
    app.on_shutdown.append(_close_streams)


@web.middleware
async def replies_to_own_connector(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Point the page's serviceUrl at this server's own local connector, as it is reachable from here.

    The page names the connector by the address the browser used; behind a port forward or in a
    container that address (localhost:8080, say) does not reach the server from inside, and the
    replies would go nowhere. The socket the request arrived on is an address that does.
    """
    activity = request.get(ACTIVITY_KEY)
    if activity is not None and urlsplit(activity.service_url or "").path.rstrip("/") == CONNECTOR_PATH:
        own = _own_address(request)
        if own is not None:
            activity.service_url = f"http://{own}{CONNECTOR_PATH}/"
    return await handler(request)


def _own_address(request: web.Request) -> str | None:
    """Return "host:port" of the socket this request arrived on, or None when it is no TCP socket."""
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    if not isinstance(sockname, tuple) or len(sockname) < 2:
        return None
    host, port = str(sockname[0]), int(sockname[1])
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def page_url(settings: Settings) -> str | None:
    """Return the chat page's address to print at start-up, or None when authentication is on."""
    if settings.auth_enabled:
        return None
    if settings.host in ("0.0.0.0", "::"):  # listening everywhere: the browser still reaches loopback
        return f"http://127.0.0.1:{settings.port}/"
    return settings.url + "/"


async def page(request: web.Request) -> web.FileResponse:
    """Serve the chat page, locked down to this server's own scripts and requests."""
    response = web.FileResponse(PAGE_DIR / "index.html")
    response.headers.update(
        {
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store",
        }
    )
    return response


def posting_people(live: LiveData | None) -> list[dict[str, str]]:
    """Return everyone who may post (officers, deputies, editors), each once, in county order."""
    snapshot = live.snapshot if live is not None else None
    if snapshot is None:
        return []
    directory = snapshot.directory
    found: dict[str, dict[str, str]] = {}
    for code in sorted(directory.contacts):
        contacts = directory.contacts[code]
        for person in (*contacts.officers, *((contacts.deputy,) if contacts.deputy else ())):
            found.setdefault(person.email.lower(), {"name": person.name, "email": person.upn or person.email})
    for editor in directory.editors:
        found.setdefault(editor.email.lower(), {"name": editor.name, "email": editor.upn or editor.email})
    return list(found.values())


async def people(request: web.Request) -> web.Response:
    """List the people the page can play, for its header switch."""
    return web.json_response(posting_people(request.app.get(LIVE_KEY)), headers={"Cache-Control": "no-store"})


async def member(request: web.Request) -> web.Response:
    """Answer the bot's member look-up (TeamsInfo.get_member) for the person the page plays."""
    member_id = request.match_info["member_id"]
    person = dict(LOCAL_COLLEAGUE)
    if member_id.startswith(PLAYED_USER_PREFIX):
        email = member_id[len(PLAYED_USER_PREFIX) :]
        played = {entry["email"].lower(): entry for entry in posting_people(request.app.get(LIVE_KEY))}
        person = played.get(email.lower(), {"name": email, "email": email})
    return web.json_response(
        {
            "id": member_id,
            "name": person["name"],
            "userPrincipalName": person["email"],
            "email": person["email"],
            "aadObjectId": "00000000-0000-4000-8000-000000000000",
        }
    )


async def vendor_file(request: web.Request) -> web.StreamResponse:
    """Serve the Adaptive Cards renderer or markdown-it from build/npm, or say how to install them."""
    relative = VENDOR_FILES.get(request.match_info["name"])
    if relative is None:
        raise web.HTTPNotFound()
    path = NPM_MODULES / relative
    if not path.is_file():
        logger.warning("chat page: %s is missing; `make run` installs it with npm", path)
        return web.Response(
            status=HTTPStatus.NOT_FOUND,
            content_type="text/plain",
            text=f"{relative} is not installed: run `make run` (it installs it with npm)",
        )
    return web.FileResponse(path, headers={"X-Content-Type-Options": "nosniff"})


async def receive_activity(request: web.Request) -> web.Response:
    """Take an activity the bot sends (or updates) and pass it to the page, as the Bot Connector would."""
    conversation_id = request.match_info["conversation_id"]
    if not CONVERSATION_ID.match(conversation_id):
        return _problem(HTTPStatus.NOT_FOUND, "no such conversation id")
    if request.content_length is not None and request.content_length > MAX_ACTIVITY_BYTES:
        return _problem(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"an activity may be at most {MAX_ACTIVITY_BYTES} bytes")
    body = await request.content.read(MAX_ACTIVITY_BYTES + 1)
    if len(body) > MAX_ACTIVITY_BYTES:
        return _problem(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"an activity may be at most {MAX_ACTIVITY_BYTES} bytes")
    try:
        activity = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _problem(HTTPStatus.BAD_REQUEST, "the body is not valid JSON")
    if not isinstance(activity, dict) or not isinstance(activity.get("type"), str):
        return _problem(HTTPStatus.BAD_REQUEST, "the body is not an activity (no 'type')")
    activity_id = request.match_info.get("activity_id")
    if request.method == "PUT":  # an update replaces the message the page shows under that id
        activity = {**activity, "id": activity_id, "devchatUpdate": True}
    elif activity_id is not None:
        activity = {**activity, "replyToId": activity.get("replyToId") or activity_id}
    activity = request.app[CONNECTOR_KEY].publish(conversation_id, activity, new_id=request.method != "PUT")
    logger.debug("chat page: %s activity %s in conversation %s", activity["type"], activity["id"], conversation_id)
    return web.json_response({"id": activity["id"]})


async def delete_activity(request: web.Request) -> web.Response:
    """Tell the page the bot deleted one of its messages."""
    conversation_id = request.match_info["conversation_id"]
    if not CONVERSATION_ID.match(conversation_id):
        return _problem(HTTPStatus.NOT_FOUND, "no such conversation id")
    deletion = {"type": "devchatDelete", "id": request.match_info["activity_id"]}
    request.app[CONNECTOR_KEY].publish(conversation_id, deletion, new_id=False)
    return web.Response(status=HTTPStatus.OK)


async def unsupported_call(request: web.Request) -> web.Response:
    """Answer a Bot Connector call the local connector does not offer with a clear 404."""
    logger.warning("chat page: the local connector does not implement %s %s", request.method, request.path)
    return _problem(
        HTTPStatus.NOT_FOUND,
        f"the local connector does not implement {request.method} {request.path}; "
        "only sending, updating and deleting activities",
    )


async def stream(request: web.Request) -> web.StreamResponse:
    """Stream the conversation's replies to the page as server-sent events, from Last-Event-ID on."""
    conversation_id = request.match_info["conversation_id"]
    if not CONVERSATION_ID.match(conversation_id):
        return _problem(HTTPStatus.NOT_FOUND, "no such conversation id")
    connector = request.app[CONNECTOR_KEY]
    last_seen = _last_event_number(request.headers.get("Last-Event-ID", ""), connector.epoch)
    queue = connector.subscribe(conversation_id)  # before reading the backlog, so nothing falls between
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    )
    try:
        await response.prepare(request)
        await response.write(f"retry: {RECONNECT_MILLISECONDS}\n: connected\n\n".encode())
        for earlier in list(connector.conversation(conversation_id).backlog):
            last_seen = await _send_newer(response, earlier, last_seen, connector.epoch)
        while (item := await _next_or_heartbeat(queue, response)) is not None:
            last_seen = await _send_newer(response, item, last_seen, connector.epoch)
    except ConnectionResetError:
        pass  # the page went away
    finally:
        connector.unsubscribe(conversation_id, queue)
    return response


async def _next_or_heartbeat(queue: Listener, response: web.StreamResponse) -> Event | None:
    while True:
        try:
            return await asyncio.wait_for(queue.get(), HEARTBEAT_SECONDS)
        except TimeoutError:
            await response.write(b": still here\n\n")


async def _send_newer(response: web.StreamResponse, item: Event, last_seen: int, epoch: str) -> int:
    number, activity = item
    if number <= last_seen:
        return last_seen
    data = json.dumps(activity, ensure_ascii=False, separators=(",", ":"))
    await response.write(f"id: {epoch}.{number}\nevent: activity\ndata: {data}\n\n".encode())
    return number


def _last_event_number(last_event_id: str, epoch: str) -> int:
    """Return the number the page saw last, or 0 when it saw it from an earlier run of the server."""
    seen_epoch, _, number = last_event_id.partition(".")
    if seen_epoch != epoch or not number.isdigit() or len(number) > 12:
        return 0
    return int(number)


async def _close_streams(app: web.Application) -> None:
    app[CONNECTOR_KEY].close()


def _problem(status: HTTPStatus, detail: str) -> web.Response:
    return web.json_response({"error": detail}, status=status)
