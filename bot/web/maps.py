"""The cards' map images at /maps/<county codes>.png, drawn by bot.render.maps.

Public on purpose: Teams fetches a card's images itself, without the bot's token, from the bot's
own domain over HTTPS. A map shows only where counties lie, never who asked or what.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus

from aiohttp import web

from bot.render.maps import parse_key, render_png

MAPS_PATH = "/maps/{key}.png"
# The outlines never change while the bot runs; clients and Teams' image proxy may keep a map a day.
CACHE_CONTROL = "public, max-age=86400"


def register(app: web.Application) -> None:
    """Serve the map images."""
    app.router.add_get(MAPS_PATH, map_image)


async def map_image(request: web.Request) -> web.Response:
    """Return the PNG map for the county codes in the path; 404 for anything else."""
    codes = parse_key(request.match_info["key"])
    if codes is None:
        return web.Response(status=HTTPStatus.NOT_FOUND, text="no such map")
    # Drawing takes tens of milliseconds the first time: keep it off the event loop.
    png = await asyncio.get_running_loop().run_in_executor(None, render_png, codes)
    return web.Response(body=png, content_type="image/png", headers={"Cache-Control": CACHE_CONTROL})
