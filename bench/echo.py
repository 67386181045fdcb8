"""The baseline: a plain echo bot on the stock botbuilder CloudAdapter, as Microsoft's samples
build it (CloudAdapter.process, default reply path). Used only by the benchmark.
"""

from __future__ import annotations

import argparse
import os

from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication


class DefaultConfig:
    """The configuration class Microsoft's samples pass to ConfigurationBotFrameworkAuthentication
    (authentication off). Defined here so the echo bot imports only the SDK, not this project."""

    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


class EchoBot(ActivityHandler):
    """Say back what the user said."""

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"Echo: {turn_context.activity.text}")


def create_echo_app() -> web.Application:
    """Return the echo bot's app: POST /api/messages through CloudAdapter.process, GET /healthz."""
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(DefaultConfig()))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, bot)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    return app


def main() -> None:
    """Serve the echo bot on loopback."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3979")))
    args = parser.parse_args()
    web.run_app(create_echo_app(), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
