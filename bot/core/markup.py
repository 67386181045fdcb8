"""Message text without the HTML Teams may wrap it in ("<p>Peter Axelsson</p>", "&nbsp;").

Plain Python (stdlib only). Teams sends a message typed in the rich editor, or pasted, as HTML;
the bot reads words, so tags go and entities become the characters they stand for.
"""

from __future__ import annotations

import html
import re

# An HTML tag: "<" then a letter, "/" or "!" (so "Sörmland < Gotland" is left alone), at most a
# few hundred characters to the ">" (so a stray "<" costs nothing on a long message).
TAG = re.compile(r"<[A-Za-z/!][^<>]{0,300}>")
SPACES = re.compile(r"\s+")


def plain_text(message: str) -> str:
    """Return `message` without HTML tags and entities, on one line with single spaces."""
    if "<" not in message and "&" not in message:
        return " ".join(message.split())
    return SPACES.sub(" ", html.unescape(TAG.sub(" ", message))).strip()
