"""The cards' maps: the open outlines drawn right (each county where it lies), small, and served
only for real county codes."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot.data.directory import DEFAULT_DATA_DIR, load_directory
from bot.render import maps


def _pixel(png: bytes, code: str) -> tuple[int, int, int]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, _ = maps.view_box()
    x, y = (value * maps.MAP_WIDTH_PX / width for value in maps.outlines()[code].label_point())
    return image.getpixel((round(x), round(y)))


def _near(colour: tuple[int, int, int], wanted: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(colour, wanted, strict=True))


def test_every_county_of_the_shipped_data_has_an_outline_shipped_data():
    codes = {county.code for county in load_directory(DEFAULT_DATA_DIR).geography.counties}

    assert set(maps.outlines()) == codes


def test_counties_lie_where_they_do_in_sweden():
    # The source map had Västmanland's and Västernorrland's outlines swapped: check north to south.
    y = {code: outline.label_point()[1] for code, outline in maps.outlines().items()}
    x = {code: outline.label_point()[0] for code, outline in maps.outlines().items()}

    assert y["25"] < y["24"] < y["22"] < y["21"] < y["03"] < y["04"] < y["05"] < y["08"] < y["10"] < y["12"]
    assert y["23"] < y["20"] < y["17"] < y["14"] < y["13"]
    assert x["19"] < x["03"] < x["01"] and x["17"] < x["18"] < x["19"]
    assert x["09"] > x["08"]  # Gotland lies out in the Baltic


@pytest.mark.parametrize("code", ["01", "04", "09", "22", "25"])
def test_a_county_map_highlights_that_county_only(code):
    png = maps.render_png((code,))

    assert _near(_pixel(png, code), maps.HIGHLIGHT)
    other = "12" if code != "12" else "25"
    assert _near(_pixel(png, other), maps.LAND)


def test_maps_are_small_pngs():
    sizes = [len(maps.render_png((code,))) for code in maps.outlines()]
    candidates = maps.render_png(("21", "22", "23", "24", "25"))

    assert max(sizes) < 10 * 1024 and len(candidates) < 12 * 1024
    width, height = maps.view_box()
    assert Image.open(io.BytesIO(candidates)).size == (maps.MAP_WIDTH_PX, round(height * maps.MAP_WIDTH_PX / width))


@pytest.mark.parametrize(
    ("key", "codes"),
    [
        ("04", ("04",)),
        ("01-03-04-09", ("01", "03", "04", "09")),
        ("99", None),
        ("04-04", None),
        ("4", None),
        ("..%2F04", None),
        ("01-03-04-05-06-07-08-09-10-12", None),  # more than a clarification ever shows
    ],
)
def test_only_real_county_codes_name_a_map(key, codes):
    assert maps.parse_key(key) == codes


def test_a_path_with_curves_is_a_data_error_naming_the_county():
    with pytest.raises(maps.MapDataError, match="county 04: path command 'c'"):
        maps.parse_path("04", "m 0,0 10,0 c 1,1 2,2 3,3 z")


def test_candidate_numbers_close_together_are_moved_apart():
    placed: list[tuple[float, float]] = []
    for x, y in [(100.0, 100.0), (104.0, 98.0), (100.0, 100.0)]:  # Stockholm, Uppsala, Södermanland-like
        placed.append(maps._clear_of(placed, x, y, 30.0))

    distances = [((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 for i, a in enumerate(placed) for b in placed[:i]]
    assert min(distances) >= 30.0 - 1e-6
