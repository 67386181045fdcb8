"""The few fixed words the bot obeys ("hjälp", "lista", "avbryt", "tack"), in Swedish and English.

Plain Python. A command is the whole message, so "hjälp mig hitta Sörmland" is a question.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.core.normalisation import comparable


class Command(StrEnum):
    """What a fixed word asks for."""

    HELP = "help"
    LIST = "list"
    CANCEL = "cancel"
    THANKS = "thanks"


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    """A command and the language its word was in (None: the word is both languages', so the
    user's Teams locale decides)."""

    command: Command
    language: str | None


# Whole-message phrases, after case-folding and dropping punctuation. Greetings get the help card
# because a colleague who says "hej" to a new bot wants to know what it does.
PHRASES: dict[str, ParsedCommand] = {
    **{
        p: ParsedCommand(Command.HELP, "sv")
        for p in (
            "hjälp",
            "hjalp",
            "hjälp mig",
            "vad kan du",
            "vad kan du göra",
            "hej",
            "hejsan",
            "hallå",
            "tjena",
            "start",
        )
    },
    **{p: ParsedCommand(Command.HELP, "en") for p in ("help", "help me", "what can you do", "hi", "hello", "hey")},
    **{
        p: ParsedCommand(Command.LIST, "sv")
        for p in ("lista", "listan", "alla län", "visa alla län", "lista alla län", "alla", "visa alla", "lista län")
    },
    **{
        p: ParsedCommand(Command.LIST, "en")
        for p in ("list", "all counties", "show all counties", "list all counties", "list counties", "show all")
    },
    **{p: ParsedCommand(Command.CANCEL, "sv") for p in ("avbryt", "avbryt det", "stopp", "glöm det", "nej tack")},
    **{p: ParsedCommand(Command.CANCEL, "en") for p in ("cancel", "stop", "never mind", "nevermind", "no thanks")},
    # Thanks and acknowledgements after an answer: a colleague who says "tack" expects a
    # "varsågod", not "I found no county in your question".
    **{
        p: ParsedCommand(Command.THANKS, "sv")
        for p in (
            "tack",
            "tack tack",
            "tack så mycket",
            "tusen tack",
            "tackar",
            "tack för hjälpen",
            "tack för det",
            "stort tack",
            "toppen",
            "perfekt",
            "kanon",
            "bra",
            "jättebra",
            "vad bra",
            "okej",
            "okej tack",
            "ok tack",
            "fint",
            "tack snälla",
            "grymt",
        )
    },
    **{
        p: ParsedCommand(Command.THANKS, "en")
        for p in (
            "thanks",
            "thank you",
            "thanks a lot",
            "thank you very much",
            "thanks for the help",
            "many thanks",
            "thx",
            "ty",
            "cheers",
            "great",
            "perfect",
            "awesome",
            "great thanks",
            "ok thanks",
        )
    },
    **{p: ParsedCommand(Command.THANKS, None) for p in ("ok", "okay", "super")},
}
# Messages that are only a thumbs-up or a smile thank the bot too; they have no letters to look up.
THANKS_SYMBOLS = frozenset({"👍", "🙏", "🙂", "😊", ":)", ":-)", "👌", "❤️", "❤"})


def parse_command(text: str) -> ParsedCommand | None:
    """Return the command `text` is, or None when it is a question."""
    if "".join(text.split()) and set(text.split()) <= THANKS_SYMBOLS:
        return ParsedCommand(Command.THANKS, None)
    return PHRASES.get(comparable(text))  # "Hjälp!" is "hjälp"
