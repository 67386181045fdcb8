"""A stub Bot Connector for benchmarks: accepts replies on 127.0.0.1 and counts them.

Run it as its own process (`python -m bench.connector --port N`) so that its work does not share
a core with the server being measured.
"""

from __future__ import annotations

import argparse
import itertools

from aiohttp import web

REPLY_COUNT = web.AppKey("reply_count", list)


def create_connector_app() -> web.Application:
    """Return the stub: POST .../activities[/{id}] answers {"id": ...}; GET /count says how many."""
    ids = itertools.count(1)
    app = web.Application()
    app[REPLY_COUNT] = [0]

    async def record(request: web.Request) -> web.Response:
        await request.read()
        app[REPLY_COUNT][0] += 1
        return web.json_response({"id": f"r{next(ids)}"})

    async def count(request: web.Request) -> web.Response:
        return web.json_response({"replies": app[REPLY_COUNT][0]})

    app.router.add_post("/v3/conversations/{conversation_id}/activities", record)
    app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", record)
    app.router.add_get("/count", count)
    return app


def main() -> None:
    """Serve the stub on loopback."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(create_connector_app(), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
