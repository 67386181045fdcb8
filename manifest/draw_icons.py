"""Draw Regiondörren's two Teams icons: an open door with a map pin in its doorway.

Run `python manifest/draw_icons.py` after changing the design and commit both PNGs; the package
build only copies them, so Pillow is needed for this script and the tests, not to run the bot.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PIL import Image, ImageDraw

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
# Teams' sizes: the colour icon fills 192x192, the outline icon is 32x32 white on transparent.
COLOR_SIZE = 192
OUTLINE_SIZE = 32
# Draw this many times larger and scale down, so edges are smooth without a blurry shape.
SUPERSAMPLE = 8

BACKGROUND = (0, 89, 79, 255)  # deep teal, the manifest's accentColor #00594F
DOOR = (255, 255, 255, 255)
DOORWAY = (0, 58, 52, 255)  # darker teal: the open doorway behind the door leaf
PIN = (242, 169, 0, 255)  # amber map pin, visible on both teals
WHITE = (255, 255, 255)


def _box(size: int, left: float, top: float, right: float, bottom: float) -> tuple[int, int, int, int]:
    """Scale a box given in a 0..1 unit square to pixels."""
    return (round(left * size), round(top * size), round(right * size), round(bottom * size))


def _draw_door(
    draw: ImageDraw.ImageDraw,
    size: int,
    frame: tuple[int, ...],
    doorway: tuple[int, ...],
    leaf: tuple[int, ...],
    pin: tuple[int, ...],
    outline_only: bool,
) -> None:
    """Draw frame, doorway, open door leaf and pin in a size x size square."""
    width = max(1, round(size * 0.06))
    frame_box = _box(size, 0.20, 0.16, 0.62, 0.84)
    radius = round(size * 0.16)
    if outline_only:
        draw.rounded_rectangle(frame_box, radius=radius, outline=frame, width=width)
    else:
        draw.rounded_rectangle(frame_box, radius=radius, fill=doorway, outline=frame, width=width)
    # The door leaf swings towards the viewer on the right: a trapezoid hinged on the frame.
    hinge_x = frame_box[2]
    leaf_shape = [
        (hinge_x, frame_box[1] + radius // 2),
        (round(size * 0.80), round(size * 0.24)),
        (round(size * 0.80), round(size * 0.90)),
        (hinge_x, frame_box[3]),
    ]
    if outline_only:
        draw.line([*leaf_shape, leaf_shape[0]], fill=leaf, width=width, joint="curve")
    else:
        draw.polygon(leaf_shape, fill=leaf)
    # A map pin standing in the doorway: where the colleague is going.
    cx, cy, r = size * 0.41, size * 0.42, size * 0.11
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=pin)
    draw.polygon([(cx - r * 0.85, cy + r * 0.5), (cx + r * 0.85, cy + r * 0.5), (cx, cy + r * 2.4)], fill=pin)
    hole = r * 0.42
    hole_fill = (0, 0, 0, 0) if outline_only else doorway
    draw.ellipse((cx - hole, cy - hole, cx + hole, cy + hole), fill=hole_fill)


def draw_color() -> Image.Image:
    """Return the 192x192 full-colour icon (opaque teal background)."""
    size = COLOR_SIZE * SUPERSAMPLE
    image = Image.new("RGBA", (size, size), BACKGROUND)
    _draw_door(ImageDraw.Draw(image), size, DOOR, DOORWAY, DOOR, PIN, outline_only=False)
    return image.resize((COLOR_SIZE, COLOR_SIZE), Image.Resampling.LANCZOS)


def draw_outline() -> Image.Image:
    """Return the 32x32 outline icon: white pixels, shape carried by alpha only."""
    size = OUTLINE_SIZE * SUPERSAMPLE
    mask = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    on = (255, 255, 255, 255)
    _draw_door(ImageDraw.Draw(mask), size, on, on, on, on, outline_only=True)
    alpha = mask.getchannel("A").resize((OUTLINE_SIZE, OUTLINE_SIZE), Image.Resampling.LANCZOS)
    icon = Image.new("RGBA", (OUTLINE_SIZE, OUTLINE_SIZE), (*WHITE, 0))
    icon.putalpha(alpha)
    return icon


def main() -> None:
    """Write color.png and outline.png beside this script."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for name, image in (("color.png", draw_color()), ("outline.png", draw_outline())):
        path = HERE / name
        image.save(path, optimize=True)
        logger.info("wrote %s (%dx%d)", path.name, *image.size)


if __name__ == "__main__":
    main()
