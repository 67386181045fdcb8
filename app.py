"""The Regiondörren web host: Bot Framework endpoint and health check on aiohttp.

`create_app(settings)` is the only place that builds the adapter, storage, data store and bot;
nothing is built at import time. `python app.py` (or `make run`) starts the server.
"""

from __future__ import annotations

import gc

if __name__ == "__main__":
    # Started as the server: pause the cyclic garbage collector until the data is served
    # (resume_collection). Start-up builds some 130 000 objects that live as long as the process;
    # collecting among them while they are built took 60 ms of a 0.5 s start-up and freed almost
    # nothing.
    gc.disable()

import asyncio
import contextlib
import logging
import os
import sys
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import asdict, dataclass
from functools import partial
from http import HTTPStatus
from types import SimpleNamespace
from typing import TYPE_CHECKING

from aiohttp import web
from botbuilder.core import Storage, TurnContext
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botframework.connector.auth import ServiceClientCredentialsFactory
from msrest.serialization import Model

from bot.core.clock import Clock, stockholm_today
from bot.core.language import detect_language
from bot.core.messages import text
from bot.logs import LoggingSetupError, configure_logging
from bot.render.maps import MapLinks
from bot.runtime.channel import CountyChannel
from bot.runtime.database import LiveDatabase
from bot.runtime.live import LiveData
from bot.runtime.outbox import Outbox
from bot.runtime.watcher import DataWatcher
from bot.settings import Settings, SettingsError
from bot.store import Database, open_database
from bot.store.channel import ChannelStore
from bot.teams.auth import CheckedAuthentication
from bot.teams.channel import Notifier
from bot.teams.connector import TURN_BUDGET_S, ConnectorError, FastReplyAuthentication, ReplySession, turn_deadline
from bot.teams.context import LeanCloudAdapter
from bot.teams.gate import TenantGate
from bot.teams.handler import RegiondorrenBot
from bot.teams.storage import DatabaseStorage, TurnConversationState
from bot.teams.tenants import TenantPolicy
from bot.teams.turnlog import TurnLogMiddleware
from bot.web import devchat
from bot.web import maps as map_images
from bot.web.guard import (
    ACTIVITY_KEY,
    AUTH_RESULT_KEY,
    AUTHENTICATION_KEY,
    BODIES_IN_FLIGHT_KEY,
    MAX_BODY_BYTES,
    REFUSED_TOKENS_KEY,
    BodiesInFlight,
    RefusedTokens,
    guard,
    problem,
)
from bot.web.limits import CappedRunner, apply_limits

if TYPE_CHECKING:
    from botbuilder.dialogs import Dialog

logger = logging.getLogger("regiondorren")

SETTINGS_KEY = web.AppKey("settings", Settings)
STORE_KEY = web.AppKey("store", LiveData)
ADAPTER_KEY = web.AppKey("adapter", CloudAdapter)
BOT_KEY = web.AppKey("bot", RegiondorrenBot)
STARTED_KEY = web.AppKey("started", float)  # time.monotonic() when create_app began
REPLIES_KEY = web.AppKey("replies", ReplySession)
# A connection must deliver a request's headers this many seconds after it opens or after its
# last response, or it is closed (aiohttp's keep-alive timer, which also runs before the first
# request). The Bot Connector sends whole requests at once; its idle connections reconnect.
HEADER_TIMEOUT_S = 15.0
# How long aiohttp keeps reading a body its handler left unread before it closes the connection
# (10 s by default, "lingering"). Only refusals leave a body unread (a forged token, a body too
# large): the connection is closed once the refusal is sent, instead of held while the body is
# read and thrown away. The Bot Connector sends whole bodies, read before the bot answers.
LINGERING_S = 0.0
# Connections the kernel queues before the server accepts them (gunicorn's default too; aiohttp's
# is 128). A burst of connections beyond the queue is not refused but retried by each client's
# TCP after 1, 3, 7 s, which is what a real user behind such a burst would wait.
LISTEN_BACKLOG = 2048
# A turn still running this long after its replies' deadline is stuck in something else (a token
# fetch, say); it is cancelled and answered 504, still inside Teams' 15 s.
TURN_LIMIT_S = TURN_BUDGET_S + 2.0
DATABASE_KEY = web.AppKey("database", LiveDatabase)
CHANNEL_KEY = web.AppKey("channel", CountyChannel)
OUTBOX_KEY = web.AppKey("outbox", Outbox)
# The exit code gunicorn's master reads as "this worker cannot boot": it stops rather than respawn.
GUNICORN_WORKER_BOOT_ERROR = 3


@dataclass(frozen=True, slots=True)
class BotConfig:
    """The attribute names ConfigurationBotFrameworkAuthentication reads, filled from Settings."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str


def create_app(
    settings: Settings,
    *,
    store: LiveData | None = None,
    storage: Storage | None = None,
    database: Database | None = None,
    clock: Clock = stockholm_today,
    authentication_overrides: Mapping[str, str] | None = None,
    credentials_factory: ServiceClientCredentialsFactory | None = None,
) -> web.Application:
    """Build the web application: adapter, conversation state, data store, database, bot and routes.

    `database` defaults to the one the settings name (SQLite under STATE_DIR, or DATABASE_URL);
    it is opened and migrated when the app starts, and conversation state lives in it unless
    another `storage` is given.

    Replies leave through bot.teams.connector's reused clients. `authentication_overrides` sets
    further attributes ConfigurationBotFrameworkAuthentication reads (OpenID metadata URL, token
    issuer ... for a sovereign cloud, or a local stand-in in tests); `credentials_factory`
    replaces the one built from the app id and password.
    """
    started = time.monotonic()
    store = store or LiveData(settings.data_dir)
    live_database = LiveDatabase(database or open_database(settings.state_dir, settings.database_url))
    if storage is None:
        storage = DatabaseStorage(live_database.database)
        live_database.add_chore("expired conversation state purged", storage.purge_expired)
    conversation_state = TurnConversationState(storage)
    maps = MapLinks(settings.maps_url) if settings.maps_url else None
    channel_store = ChannelStore(live_database.database)
    channel = CountyChannel(
        channel_store, store, clock, now=live_database.database.clock, retention_days=settings.retention_days
    )
    live_database.add_chore("notification records and member look-ups past RETENTION_DAYS purged", channel.purge)
    clarify = partial(clarify_dialog, store, clock, maps, channel)
    bot = RegiondorrenBot(store, conversation_state, clarify, clock, channel, maps)
    replies = ReplySession()
    config = BotConfig(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        APP_TYPE=settings.app_type,
        APP_TENANTID=settings.app_tenant_id,
    )
    authentication = CheckedAuthentication(
        ConfigurationBotFrameworkAuthentication(
            SimpleNamespace(**asdict(config), **(authentication_overrides or {})),
            credentials_factory=credentials_factory,
        )
    )
    fast_authentication = FastReplyAuthentication(authentication, replies)
    adapter = LeanCloudAdapter(fast_authentication)
    adapter.on_turn_error = on_turn_error
    adapter.use(TenantGate(TenantPolicy.of(settings.allowed_tenant_ids)))  # before any state or data is read
    adapter.use(TurnLogMiddleware(settings.log_questions))
    outbox = Outbox(
        channel_store,
        Notifier(adapter, settings.app_id, store),
        rate_per_second=settings.notify_rate_per_sender,
        senders=settings.notify_senders,
    )
    channel.on_publish = outbox.wake

    app = web.Application(
        client_max_size=MAX_BODY_BYTES,
        middlewares=[guard],
        # Win over gunicorn's --keep-alive (2 s by default), run_app's 75 s and aiohttp's 10 s lingering.
        handler_args={"keepalive_timeout": HEADER_TIMEOUT_S, "lingering_time": LINGERING_S},
    )
    app[SETTINGS_KEY] = settings
    app[STORE_KEY] = store
    app[ADAPTER_KEY] = adapter
    app[BOT_KEY] = bot
    app[STARTED_KEY] = started
    app[REPLIES_KEY] = replies
    app[BODIES_IN_FLIGHT_KEY] = BodiesInFlight()
    if settings.auth_enabled:
        app[AUTHENTICATION_KEY] = fast_authentication  # the guard checks tokens before it deserialises
        app[REFUSED_TOKENS_KEY] = RefusedTokens()
    app[DATABASE_KEY] = live_database
    app[CHANNEL_KEY] = channel
    app[OUTBOX_KEY] = outbox
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.on_startup.append(apply_limits)
    app.on_startup.append(load_data)
    app.on_startup.append(open_replies)
    app.on_startup.append(resume_collection)  # last: start-up is over
    app.on_cleanup.append(close_replies)
    app.cleanup_ctx.append(watch_data)
    app.cleanup_ctx.append(run_database)
    app.cleanup_ctx.append(run_outbox)
    map_images.register(app)  # public: Teams fetches card images without a token
    devchat.register(app, settings, store)  # the local chat page, only while authentication is off
    return app


def clarify_dialog(store: LiveData, clock: Clock, maps: MapLinks | None, channel: CountyChannel) -> Dialog:
    """Build the clarify dialog; the bot calls this on the first clarification, not at start-up.

    Importing dialogs.clarify imports botbuilder.dialogs (about 0.13 s and 18 MB), which
    messages that need no clarification never use.
    """
    from dialogs.clarify import ClarifyDialog

    return ClarifyDialog(store, clock, maps=maps, channel=channel)


WATCHER_KEY = web.AppKey("watcher", DataWatcher)


async def watch_data(app: web.Application) -> AsyncIterator[None]:
    """Reload data/ on change and on SIGHUP while the app runs (bot.runtime.watcher)."""
    watcher = DataWatcher(app[STORE_KEY], app[SETTINGS_KEY].reload_seconds)
    app[WATCHER_KEY] = watcher
    await watcher.start()
    yield
    await watcher.stop()


async def run_database(app: web.Application) -> AsyncIterator[None]:
    """Open and migrate the database while the app runs (retried in the background while unreachable)."""
    live_database = app[DATABASE_KEY]
    await live_database.start()
    yield
    await live_database.stop()


async def run_outbox(app: web.Application) -> AsyncIterator[None]:
    """Send queued notifications in the background once the database is ready (bot.runtime.outbox);
    a previous run's unsent ones go out first."""
    outbox = app[OUTBOX_KEY]

    async def start_when_ready() -> None:
        await app[DATABASE_KEY].wait_ready()
        outbox.start()

    starting = asyncio.create_task(start_when_ready(), name="outbox-start")
    yield
    starting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await starting
    await outbox.stop()


async def load_data(app: web.Application) -> None:
    """Load data/ off the event loop unless a loaded store was handed in."""
    store = app[STORE_KEY]
    if store.snapshot is None:
        await asyncio.get_running_loop().run_in_executor(None, store.load)
    logger.info(
        "ready in %.0f ms (authentication %s)",
        (time.monotonic() - app[STARTED_KEY]) * 1000,
        "on" if app[SETTINGS_KEY].auth_enabled else "off",
    )


async def resume_collection(app: web.Application) -> None:
    """Turn the garbage collector back on if start-up paused it (python app.py, gunicorn's workers).

    What start-up built is frozen first (gc.freeze): it lives as long as the process, so later
    collections need not walk it again. A snapshot of data/ holds no reference cycles, so one
    replaced by a reload is still freed by reference counting.
    """
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


async def open_replies(app: web.Application) -> None:
    """Open the aiohttp session replies go out on."""
    await app[REPLIES_KEY].open()


async def close_replies(app: web.Application) -> None:
    """Close the reply session."""
    await app[REPLIES_KEY].close()


async def messages(request: web.Request) -> web.Response:
    """Receive one activity from the Bot Framework and run the bot on it."""
    activity = request[ACTIVITY_KEY]  # parsed and checked by bot.web.guard, which also answers 401/503 for tokens
    adapter, bot = request.app[ADAPTER_KEY], request.app[BOT_KEY]
    # With authentication on the guard has validated the token already; off, the SDK's anonymous identity.
    authenticated = request.get(AUTH_RESULT_KEY) or request.headers.get("Authorization", "")
    try:
        async with asyncio.timeout(TURN_LIMIT_S):
            with turn_deadline():
                invoke_response = await adapter.process_activity(authenticated, activity, bot.on_turn)
    except ConnectorError:  # logged once by on_turn_error
        return problem(HTTPStatus.BAD_GATEWAY, "the reply could not be delivered to the Bot Connector")
    except TimeoutError:
        logger.error("turn for activity %s (%s) ran past %.0f s; cancelled", activity.id, activity.type, TURN_LIMIT_S)
        return problem(HTTPStatus.GATEWAY_TIMEOUT, "the turn took too long")
    if invoke_response is None:
        return web.Response(status=HTTPStatus.CREATED)
    # Answer invokes here, not through CloudAdapter.process, which serialises the body twice (HTTP 500).
    payload = (
        serializer_helper(invoke_response.body) if isinstance(invoke_response.body, Model) else invoke_response.body
    )
    if payload is None:
        return web.Response(status=invoke_response.status)
    return web.json_response(payload, status=invoke_response.status)


async def healthz(request: web.Request) -> web.Response:
    """Report the data being served and the database: 200 when both can be used, 503 (with the reason) otherwise."""
    health = request.app[STORE_KEY].health()
    database = await request.app[DATABASE_KEY].health()
    status = HTTPStatus.OK if health.ok and database.ok else HTTPStatus.SERVICE_UNAVAILABLE
    # /healthz takes no token: with authentication on, the issue texts (which name entries and
    # officers) stay in the logs; locally (and on the chat page) they are shown in full.
    details = not request.app[SETTINGS_KEY].auth_enabled
    body = health.as_dict(details=details)
    if not database.ok:
        body["status"] = "unavailable"
    body["database"] = database.as_dict(details=details)
    return web.json_response(body, status=status)


async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    """Log the failure with the activity id (not the activity) and tell the user in one sentence.

    A reply the Bot Connector would not take is logged in one line and not followed by the
    error sentence, which would meet the same connector (and spend a second timeout on it);
    the ConnectorError goes on to `messages`, which answers the incoming request 502.
    """
    activity = turn_context.activity
    if isinstance(error, ConnectorError):
        logger.warning("could not deliver the reply to activity %s (%s): %s", activity.id, activity.type, error)
        raise error
    logger.error("turn failed for activity %s (%s)", activity.id, activity.type, exc_info=error)
    try:
        language = detect_language(activity.text if isinstance(activity.text, str) else "", activity.locale)
        await turn_context.send_activity(text("error_neutral", language))
    except Exception:
        logger.exception("could not tell the user about the failure of activity %s", activity.id)


async def app_factory() -> web.Application:
    """Build the app from the environment, for `gunicorn app:app_factory` (settings: gunicorn.conf.py),
    whose worker (bot.web.worker.CappedWebWorker) is aiohttp's with the connection cap.

    Bad settings stop the worker with gunicorn's boot-error code, so the master stops too
    instead of starting a new worker that fails the same way, forever.
    """
    try:
        configure_logging(os.environ)
        settings = Settings.from_env(os.environ)
    except (LoggingSetupError, SettingsError) as error:
        print(f"regiondorren: {error}", file=sys.stderr, flush=True)
        raise SystemExit(GUNICORN_WORKER_BOOT_ERROR) from None
    return create_app(settings)


def _ready_banner(settings: Settings) -> Callable[[str], None]:
    """Return the callback that tells where the server listens, replacing aiohttp's own line."""

    def announce(_aiohttp_line: str) -> None:
        print(
            f"Regiondörren on {settings.url}/api/messages (health: {settings.url}/healthz, "
            f"authentication {'on' if settings.auth_enabled else 'off'})",
            flush=True,
        )
        if page := devchat.page_url(settings):
            print(f"Chat with it in your browser: {page}", flush=True)

    return announce


def event_loop() -> asyncio.AbstractEventLoop:
    """Return the event loop the server runs on: uvloop's where it is installed, else asyncio's.

    uvloop does the loop's own work (sockets, callbacks, timers) in C: measured by make
    bench-server, about 5 % less CPU per message than asyncio's loop. It is a dependency on
    every platform it supports; elsewhere (Windows) the server runs on asyncio's loop unchanged.
    """
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def serve(app: web.Application, host: str, port: int, announce: Callable[[str], None] | None = None) -> None:
    """Serve `app` on host:port until SIGINT or SIGTERM, as web.run_app does, with the connection cap.

    aiohttp's run_app builds its own AppRunner; this one is CappedRunner (bot/web/limits.py),
    which holds at most three quarters of the open-file limit in connections. `announce` is
    called once the port is bound: a banner never announces a server that then fails to listen.
    """

    async def run() -> None:
        runner = CappedRunner(app, handle_signals=True, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port, backlog=LISTEN_BACKLOG).start()
            if announce is not None:
                announce(f"listening on {host}:{port}")
            await asyncio.Event().wait()  # until a signal raises GracefulExit
        finally:
            await runner.cleanup()

    with contextlib.suppress(web.GracefulExit, KeyboardInterrupt), asyncio.Runner(loop_factory=event_loop) as runner:
        runner.run(run())


def main() -> int:
    """Read settings, start the server, serve until interrupted; exit 2 on bad settings."""
    try:
        configure_logging(os.environ)
        settings = Settings.from_env(os.environ)
    except (LoggingSetupError, SettingsError) as error:
        print(f"regiondorren: {error}", file=sys.stderr)
        return 2
    app = create_app(settings)
    try:
        serve(app, settings.host, settings.port, _ready_banner(settings))
    except OSError as error:  # the port is taken, or the host is not an address of this machine
        print(
            f"regiondorren: cannot listen on {settings.host}:{settings.port} ({error.strerror or error})",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
