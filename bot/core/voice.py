"""The county's own voice: the words that post, follow and ask about personal data.

Plain Python. `parse_voice` reads one message and returns a VoiceCommand, or None when the
message is a question for the directory. Like the fixed commands in bot.core.commands, a voice
command is the whole message ("följ Sörmland", "vem följer Skåne?"), so "jag följer upp
Sörmland" stays a question. Which county a command names is left to the recogniser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from bot.core.messages import ENGLISH, SWEDISH


class Voice(StrEnum):
    """What a voice command asks for."""

    NEW_UPDATE = "new_update"  # open the form for a news item
    NEW_DIALOGUE = "new_dialogue"  # open the form for a regional dialogue
    MY_POSTS = "my_posts"  # the writer's own posts, to edit or withdraw
    COUNTY_POSTS = "county_posts"  # "inlägg Sörmland": a county's recent posts, by whoever wrote them
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    FOLLOWING = "following"  # "vad följer jag?"
    FOLLOWERS = "followers"  # "vem följer Sörmland?"
    STATUS = "status"  # delivery status of the writer's latest (or a named) post
    FORGET_ME = "forget_me"
    ABOUT_ME = "about_me"


@dataclass(frozen=True, slots=True)
class VoiceCommand:
    """One voice command, the language it was said in, and what it names."""

    voice: Voice
    language: str
    place: str = ""  # the words naming a county ("Sörmland"), for the recogniser
    reason: str = ""  # a follower's optional line on why ("vi har tre ERUF-projekt i Sörmland")
    post_id: int | None = None  # "status 12"


# A follower's line on why: at most one short sentence, so the officer's list stays readable.
MAX_REASON_CHARS = 200
# "följ Sörmland: vi har tre ERUF-projekt" or "följ Sörmland - eftersom ...": the first colon or
# dash with spaces around it ends the place and starts the line.
REASON_SEPARATOR = re.compile(r"\s*(?::|\s[-–—]\s)\s*")
# Punctuation that may end a command ("vem följer Sörmland?").
TRAILING = re.compile(r"[\s?!.]+$")
SPACES = re.compile(r"\s+")

# Whole-message phrases, case-folded with single spaces and no end punctuation.
FIXED: dict[str, tuple[Voice, str]] = {
    **{p: (Voice.NEW_UPDATE, SWEDISH) for p in ("ny nyhet", "nytt inlägg", "ny uppdatering", "ny notis", "posta")},
    **{p: (Voice.NEW_UPDATE, ENGLISH) for p in ("new update", "new post", "post an update", "new news")},
    **{p: (Voice.NEW_DIALOGUE, SWEDISH) for p in ("ny dialog", "ny regional dialog")},
    **{p: (Voice.NEW_DIALOGUE, ENGLISH) for p in ("new dialogue", "new dialog", "new regional dialogue")},
    **{p: (Voice.MY_POSTS, SWEDISH) for p in ("mina inlägg", "mina nyheter", "mina poster")},
    **{p: (Voice.MY_POSTS, ENGLISH) for p in ("my posts", "my updates")},
    **{
        p: (Voice.FOLLOWING, SWEDISH)
        for p in ("vad följer jag", "vilka län följer jag", "vad följer vi", "vilka län följer vi", "mina län")
    },
    **{
        p: (Voice.FOLLOWING, ENGLISH)
        for p in ("what do i follow", "what am i following", "which counties do i follow", "what do we follow")
    },
    **{p: (Voice.STATUS, SWEDISH) for p in ("status", "leveransstatus")},
    **{p: (Voice.STATUS, ENGLISH) for p in ("delivery status",)},
    **{p: (Voice.FORGET_ME, SWEDISH) for p in ("glöm mig", "radera mig", "radera mina uppgifter", "glöm allt om mig")},
    **{p: (Voice.FORGET_ME, ENGLISH) for p in ("forget me", "delete my data", "forget everything about me")},
    **{
        p: (Voice.ABOUT_ME, SWEDISH)
        for p in ("vad vet du om mig", "vad har du sparat om mig", "vilka uppgifter har du om mig", "mina uppgifter")
    },
    **{p: (Voice.ABOUT_ME, ENGLISH) for p in ("what do you know about me", "what do you store about me", "my data")},
}
# Commands followed by the place they are about, longest first so "sluta följa" wins over "följ".
PREFIXED: tuple[tuple[str, Voice, str], ...] = tuple(
    sorted(
        (
            ("sluta följa", Voice.UNFOLLOW, SWEDISH),
            ("avfölj", Voice.UNFOLLOW, SWEDISH),
            ("sluta bevaka", Voice.UNFOLLOW, SWEDISH),
            ("unfollow", Voice.UNFOLLOW, ENGLISH),
            ("stop following", Voice.UNFOLLOW, ENGLISH),
            ("följ", Voice.FOLLOW, SWEDISH),
            ("bevaka", Voice.FOLLOW, SWEDISH),
            ("follow", Voice.FOLLOW, ENGLISH),
            ("vem följer", Voice.FOLLOWERS, SWEDISH),
            ("vilka följer", Voice.FOLLOWERS, SWEDISH),
            ("who follows", Voice.FOLLOWERS, ENGLISH),
            ("who is following", Voice.FOLLOWERS, ENGLISH),
            ("followers of", Voice.FOLLOWERS, ENGLISH),
            ("följare för", Voice.FOLLOWERS, SWEDISH),
            ("inlägg", Voice.COUNTY_POSTS, SWEDISH),
            ("inlägg för", Voice.COUNTY_POSTS, SWEDISH),
            ("inlägg från", Voice.COUNTY_POSTS, SWEDISH),
            ("alla inlägg för", Voice.COUNTY_POSTS, SWEDISH),
            ("alla inlägg från", Voice.COUNTY_POSTS, SWEDISH),
            ("nyheter från", Voice.COUNTY_POSTS, SWEDISH),
            ("nyheter för", Voice.COUNTY_POSTS, SWEDISH),
            ("posts", Voice.COUNTY_POSTS, ENGLISH),
            ("posts for", Voice.COUNTY_POSTS, ENGLISH),
            ("posts from", Voice.COUNTY_POSTS, ENGLISH),
            ("all posts for", Voice.COUNTY_POSTS, ENGLISH),
            ("news from", Voice.COUNTY_POSTS, ENGLISH),
            ("updates from", Voice.COUNTY_POSTS, ENGLISH),
            ("status", Voice.STATUS, SWEDISH),
            ("status för", Voice.STATUS, SWEDISH),
            ("status of", Voice.STATUS, ENGLISH),
        ),
        key=lambda entry: -len(entry[0]),
    )
)
# "följ upp ..." is to follow something up, not to follow a county.
FOLLOW_UP_WORDS = frozenset({"upp", "up"})
POST_NUMBER = re.compile(r"^(?:inlägg |post |nr |#)?(\d{1,9})$")


def _folded(text: str) -> str:
    return SPACES.sub(" ", unicodedata.normalize("NFC", text).casefold()).strip()


def parse_voice(text: str) -> VoiceCommand | None:
    """Return the voice command `text` is, or None when it is something else (a question)."""
    message = TRAILING.sub("", SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip())
    folded = _folded(message)
    if not folded:
        return None
    fixed = FIXED.get(folded)
    if fixed is not None:
        return VoiceCommand(fixed[0], fixed[1])
    for words, voice, language in PREFIXED:
        if not folded.startswith(words + " "):
            continue
        rest = message[len(words) + 1 :].strip()
        if voice is Voice.FOLLOW and _folded(rest).split(" ", 1)[0] in FOLLOW_UP_WORDS:
            return None  # "följ upp Sörmland", "follow up on Skåne": a question, not a follow
        return _with_object(voice, language, rest)
    return None


def _with_object(voice: Voice, language: str, rest: str) -> VoiceCommand | None:
    """Return the command for what follows its words: a place (and a line), or a post number."""
    if voice is Voice.STATUS:
        number = POST_NUMBER.match(_folded(rest))
        return VoiceCommand(voice, language, post_id=int(number[1])) if number else None
    place, reason = rest, ""
    if voice is Voice.FOLLOW:
        parts = REASON_SEPARATOR.split(rest, maxsplit=1)
        place, reason = (parts[0], parts[1]) if len(parts) == 2 else (rest, "")
    place = TRAILING.sub("", place).strip()
    if not place:
        return None
    return VoiceCommand(voice, language, place=place, reason=reason.strip()[:MAX_REASON_CHARS])
