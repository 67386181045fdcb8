"""gunicorn settings for `gunicorn app:app_factory` (the Dockerfile's command), read from the environment.

HOST and PORT as for `python app.py` (loopback unless HOST says otherwise; the Dockerfile sets
0.0.0.0), WEB_CONCURRENCY worker processes (default 2; conversation state is shared through the
store, so a follow-up may reach any of them), and with
LOG_FORMAT=json gunicorn's own lines are JSON objects too, so a log collector gets one format
from the whole container.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gunicorn.arbiter import Arbiter
    from gunicorn.workers.base import Worker

# Loopback by default, as for `python app.py`: with authentication off the bot must not be reachable.
_host = os.environ.get("HOST", "127.0.0.1")
bind = [f"[{_host}]:{os.environ.get('PORT', '3978')}" if ":" in _host else f"{_host}:{os.environ.get('PORT', '3978')}"]
# aiohttp's worker with the connection cap `python app.py` has (bot/web/limits.py).
worker_class = "bot.web.worker.CappedWebWorker"
# Two workers keep both cores of a small host busy and one answering while the other restarts;
# conversation state is in the store (SQLite under STATE_DIR or PostgreSQL), shared by all.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Each worker runs a notification sender; they share NOTIFY_RATE and Teams' per-conversation
# limits (bot.settings). Several instances: set NOTIFY_SENDERS to instances times workers.
os.environ.setdefault("NOTIFY_SENDERS", str(workers))
# Teams waits 15 s for a reply; a worker that has not answered in 30 s is stuck, not slow.
timeout = 30
graceful_timeout = 20
# Every /api/messages turn is logged by the app (regiondorren.turn) with status and duration;
# an access log would repeat it and add the health probes.
accesslog = None

if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "bot.logs.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        # gunicorn merges this over its defaults, whose root logger names a handler replaced here;
        # the app's configure_logging sets the root up in each worker.
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }

# The master's exit status for bad settings, as `python app.py` exits with (a worker that fails to
# boot exits 3 instead, which gunicorn reserves for that).
BAD_SETTINGS_EXIT = 2


def on_starting(server: Arbiter) -> None:
    """Check the settings and every bind address before listening.

    The app checks HOST, but gunicorn listens wherever -b or GUNICORN_CMD_ARGS says, so the
    loopback-only rule for authentication off is applied here to what gunicorn will really bind.
    """
    from bot.settings import Settings, SettingsError, check_bind  # the project is importable only after --chdir

    try:
        check_bind(server.cfg.bind, Settings.from_env(os.environ))
    except SettingsError as error:
        print(f"regiondorren: {error}", file=sys.stderr, flush=True)
        raise SystemExit(BAD_SETTINGS_EXIT) from None


def post_fork(server: Arbiter, worker: Worker) -> None:
    """Pause the garbage collector while the worker imports and starts the app.

    The app turns it back on once its data is served (app.resume_collection), as `python app.py`
    does: collecting among the objects start-up builds, all of which stay, costs 60 ms a start.
    """
    gc.disable()


# gunicorn 27's control socket (older versions ignore the setting): nothing here uses it, and the
# image's user has no home directory to put it in.
control_socket_disable = True
