"""The core stays plain Python: no Bot Framework or web server imports, no printing."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
CORE_MODULES = ["validation", "geography", "people", "directory", "recognition", "answers", "language",
                "messages", "summary",
                # the Teams bot's plain-Python parts: card dicts, commands, people look-up, settings, data store
                "cards", "commands", "intents", "lookup", "settings", "store", "clock",
                "search", "package",
                # logging set-up and the data reload watcher (plain asyncio)
                "logs", "watcher"]
FORBIDDEN = ("botbuilder", "aiohttp")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_neither_botbuilder_nor_aiohttp(module: str) -> None:
    imported = imported_modules(BOT / f"{module}.py")
    assert not [name for name in imported if name.split(".")[0] in FORBIDDEN]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_only_the_command_line_prints(module: str) -> None:
    tree = ast.parse((BOT / f"{module}.py").read_text(encoding="utf-8"))
    calls = [node for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"]
    assert calls == []
