"""Small maps of Sweden for the cards: one county highlighted, or several candidates numbered.

The county outlines are the open map of npm `@svg-maps/sweden` 1.0.1 (Victor Cazanave, based on
MapSVG), CC BY 4.0, copied into sweden_map.json with SCB county codes; every card that shows a
map credits it (MAP_CREDIT). The outlines are SVG paths of relative moves and lines only, so
they are drawn here with Pillow: no SVG library, no system Cairo.

Plain rendering: bytes in, bytes out; the web host serves them (bot.web.maps) and the cards
link to them (MapLinks).
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageDraw

MAP_FILE = Path(__file__).resolve().with_name("sweden_map.json")
# Shown on every card with a map: CC BY 4.0 asks for the creator, the licence and a note of changes.
MAP_CREDIT = "Karta: MapSVG, svg-maps, CC BY 4.0, bearbetad"
# Pixels wide as served: drawn for an 80 px wide slot at twice the density, so the map stays
# sharp on high-resolution screens; the height follows the map's 346 x 793 proportions.
MAP_WIDTH_PX = 160
# Width the card gives the map's column (Adaptive Cards pixel width): narrow enough to sit beside
# the heading's text, and fixed so that the credit under the map wraps instead of widening it.
MAP_DISPLAY_WIDTH = "80px"
# Drawn this many times larger, then scaled down: smooth edges without an antialiasing library.
SUPERSAMPLE = 3
# Colours: the app's accent (manifest accentColor) for the county asked about, a pale grey for
# the rest, white borders, and candidates' numbers in the accent on white discs.
HIGHLIGHT = (0, 89, 79)
LAND = (214, 219, 222)
BORDER = (255, 255, 255)
LABEL_DISC = (255, 255, 255)
# A candidate's number in the served image's pixels (twice what the card shows).
LABEL_RADIUS_PX = 11
LABEL_FONT_PX = 18
# A palette this small keeps a map PNG to a few kilobytes (measured in docs/teams.md).
PALETTE_COLOURS = 16
# More candidates than this are never asked about in one clarification (the widest area has eight).
MAX_CANDIDATES = 9
# How many different maps to keep rendered: 21 counties plus the clarifications people ask.
CACHED_MAPS = 128
# SVG path tokens: a command letter or a number.
PATH_TOKEN = re.compile(r"[A-Za-z]|-?\d*\.?\d+(?:[eE][-+]?\d+)?")
# A map's name in its URL: one county code ("04"), or candidate codes joined by "-" ("01-03-09").
MAP_KEY = re.compile(r"^\d{2}(?:-\d{2}){0,8}$")

Ring = tuple[tuple[float, float], ...]


class MapDataError(ValueError):
    """sweden_map.json holds a path this module cannot draw; says which county."""


@dataclass(frozen=True, slots=True)
class Outline:
    """One county's shape in the map's own units (the SVG viewBox)."""

    code: str
    rings: tuple[Ring, ...]

    def label_point(self) -> tuple[float, float]:
        """Return where a number goes: the middle of the county's largest ring's bounding box."""
        ring = max(self.rings, key=_area)
        xs, ys = [x for x, _ in ring], [y for _, y in ring]
        return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


@dataclass(frozen=True, slots=True)
class MapLinks:
    """Where the bot serves its maps, for the cards to link to (https in production)."""

    base_url: str  # "https://regiondorren.example.se", no trailing slash

    def county(self, code: str) -> str:
        """Return the URL of the map with county `code` highlighted."""
        return f"{self.base_url}/maps/{code}.png"

    def candidates(self, codes: Sequence[str]) -> str:
        """Return the URL of the map with `codes` numbered 1, 2, ... in that order."""
        return f"{self.base_url}/maps/{'-'.join(codes[:MAX_CANDIDATES])}.png"


@cache
def outlines() -> dict[str, Outline]:
    """Return every county's outline by code, read once from sweden_map.json."""
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    return {code: Outline(code, parse_path(code, county["path"])) for code, county in data["counties"].items()}


@cache
def view_box() -> tuple[float, float]:
    """Return the map's width and height in its own units."""
    _, _, width, height = (float(part) for part in json.loads(MAP_FILE.read_text(encoding="utf-8"))["viewBox"].split())
    return width, height


def parse_path(code: str, path: str) -> tuple[Ring, ...]:
    """Return the closed rings of an SVG path made of moves ("m"/"M") and lines (implicit)."""
    rings: list[Ring] = []
    points: list[tuple[float, float]] = []
    x = y = 0.0
    command = ""
    numbers: list[float] = []
    for token in [*PATH_TOKEN.findall(path), "z"]:
        if token.isalpha():
            x, y, points = _flush(code, command, numbers, x, y, points, rings)
            command, numbers = token, []
        else:
            numbers.append(float(token))
    return tuple(rings)


def _flush(
    code: str,
    command: str,
    numbers: list[float],
    x: float,
    y: float,
    points: list[tuple[float, float]],
    rings: list[Ring],
) -> tuple[float, float, list[tuple[float, float]]]:
    """Apply one command's numbers; a move starts a ring, the pairs after it are lines."""
    if command in ("z", "Z") or not command:
        if len(points) >= 3:
            rings.append(tuple(points))
        return (points[0] if points else (x, y))[0], (points[0] if points else (x, y))[1], []
    if command not in ("m", "M", "l", "L") or len(numbers) % 2:
        raise MapDataError(f"{MAP_FILE.name}: county {code}: path command {command!r} cannot be drawn")
    relative = command.islower()
    for index in range(0, len(numbers), 2):
        dx, dy = numbers[index], numbers[index + 1]
        x, y = (x + dx, y + dy) if relative else (dx, dy)
        points.append((x, y))
    return x, y, points


def _area(ring: Ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def parse_key(key: str) -> tuple[str, ...] | None:
    """Return the county codes a map URL names, or None when it names anything else."""
    if not MAP_KEY.match(key):
        return None
    codes = tuple(key.split("-"))
    known = outlines()
    if len(set(codes)) != len(codes) or any(code not in known for code in codes):
        return None
    return codes


@lru_cache(maxsize=CACHED_MAPS)
def render_png(codes: tuple[str, ...]) -> bytes:
    """Return a PNG map of Sweden with `codes` highlighted; numbered 1, 2, ... when several."""
    from PIL import Image, ImageDraw  # Pillow loads with the first map drawn, not with every card (13 ms)

    width, height = view_box()
    scale = MAP_WIDTH_PX * SUPERSAMPLE / width
    size = (MAP_WIDTH_PX * SUPERSAMPLE, round(height * scale))
    image = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for outline in outlines().values():
        fill = HIGHLIGHT if outline.code in codes else LAND
        for ring in outline.rings:
            draw.polygon([(px * scale, py * scale) for px, py in ring], fill=fill, outline=BORDER, width=SUPERSAMPLE)
    if len(codes) > 1:
        _number(draw, codes, scale)
    small = image.resize((MAP_WIDTH_PX, round(height * MAP_WIDTH_PX / width)), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _number(draw: ImageDraw.ImageDraw, codes: tuple[str, ...], scale: float) -> None:
    """Write each candidate's number in a white disc on the county, large enough to read at the
    card's 80 px (a 9 px figure on screen)."""
    from PIL import ImageFont

    radius = LABEL_RADIUS_PX * SUPERSAMPLE
    font = ImageFont.load_default(size=LABEL_FONT_PX * SUPERSAMPLE)
    placed: list[tuple[float, float]] = []
    for number, code in enumerate(codes, start=1):
        x, y = (value * scale for value in outlines()[code].label_point())
        cx, cy = _clear_of(placed, x, y, 2 * radius)
        placed.append((cx, cy))
        box = (cx - radius, cy - radius, cx + radius, cy + radius)
        draw.ellipse(box, fill=LABEL_DISC, outline=HIGHLIGHT, width=SUPERSAMPLE)
        draw.text((cx, cy), str(number), fill=HIGHLIGHT, font=font, anchor="mm")


def _clear_of(placed: list[tuple[float, float]], x: float, y: float, gap: float) -> tuple[float, float]:
    """Return (x, y) moved just far enough from every disc already placed that they do not overlap
    (Stockholm, Uppsala and Södermanland sit close together)."""
    for _ in range(len(placed) * 2):
        near = [(px, py) for px, py in placed if math.dist((px, py), (x, y)) < gap]
        if not near:
            break
        px, py = near[0]
        distance = math.dist((px, py), (x, y)) or 1.0
        dx, dy = ((x - px) / distance, (y - py) / distance) if distance > 1.0 else (1.0, 0.0)
        x, y = px + dx * gap, py + dy * gap
    return x, y
