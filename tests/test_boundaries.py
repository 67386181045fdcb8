"""The core stays plain Python: no Bot Framework or web server imports, no printing.

Every module in bot/ is core unless it is named below with the reason it may do more, so a new
module is checked from the day it is added.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
MODULES = sorted(path.stem for path in BOT.glob("*.py") if path.stem != "__init__")
# Adapter modules: they talk to the Bot Framework or serve HTTP, so they import botbuilder/aiohttp.
ADAPTER_MODULES = {
    "teams": "the Teams activity handler",
    "replies": "Bot Framework activities for the cards",
    "connector": "the reply path to the Bot Connector",
    "auth": "checks the Bot Framework's tokens on incoming activities",
    "gate": "the Bot Framework middleware that turns away other tenants",
    "guard": "the aiohttp request guard in front of the adapter",
    "turnlog": "Bot Framework middleware that logs each turn",
    "devchat": "the local chat page's aiohttp routes",
}
# Modules that may write to the terminal: the command line itself, and the logging set-up,
# whose handler writes log records (not user-facing text) to stderr.
OUTPUT_MODULES = {
    "cli": "the command line: the only module that prints user-facing text",
    "__main__": "runs the command line and quiets a closed stdout",
    "logs": "the logging handler's stream is stderr",
}
FORBIDDEN = ("botbuilder", "aiohttp", "msrest")
CORE_MODULES = [module for module in MODULES if module not in ADAPTER_MODULES]
QUIET_MODULES = [module for module in MODULES if module not in OUTPUT_MODULES and module not in ADAPTER_MODULES]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def terminal_output(path: Path) -> list[str]:
    """Return each print(...), sys.stdout/sys.stderr and .write(...) in a module, with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            found.append(f"line {node.lineno}: print(...)")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "write":
            found.append(f"line {node.lineno}: .write(...)")
        elif (isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr")
              and isinstance(node.value, ast.Name) and node.value.id == "sys"):
            found.append(f"line {node.lineno}: sys.{node.attr}")
    return found


def test_every_named_module_exists() -> None:
    assert set(ADAPTER_MODULES) | set(OUTPUT_MODULES) <= set(MODULES)


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_neither_botbuilder_nor_aiohttp(module: str) -> None:
    imported = imported_modules(BOT / f"{module}.py")
    assert not [name for name in imported if name.split(".")[0] in FORBIDDEN]


@pytest.mark.parametrize("module", QUIET_MODULES)
def test_only_the_command_line_writes_to_the_terminal(module: str) -> None:
    assert terminal_output(BOT / f"{module}.py") == []


def test_the_output_check_catches_every_way_of_writing(tmp_path: Path) -> None:
    module = tmp_path / "noisy.py"
    module.write_text("import sys\nprint('a')\nsys.stdout.write('b')\nout = sys.stderr\nout.write('c')\n",
                      encoding="utf-8")
    assert sorted(terminal_output(module)) == ["line 2: print(...)", "line 3: .write(...)", "line 3: sys.stdout",
                                               "line 4: sys.stderr", "line 5: .write(...)"]
