"""The layers are packages, and imports only go down.

Each package of bot/ (and dialogs/) may import the packages named for it in LAYERS and nothing
else from the project, so a new module is checked by the package it lands in from the day it is
added. Only the Teams adapter, the web host and the dialogs may import the Bot Framework or the
web server; only the command line (and the logging set-up) writes to the terminal.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What each package may import from the project (besides itself). The leaf modules bot.logs
# (logging set-up) and bot.settings (the environment) sit beside the packages.
LAYERS: dict[str, frozenset[str]] = {
    "bot.logs": frozenset(),
    "bot.data": frozenset(),
    "bot.store": frozenset(),  # the durable store: SQL and its drivers only
    "bot.settings": frozenset({"bot.data"}),
    "bot.core": frozenset({"bot.data"}),  # returns its decisions; the adapter logs them
    "bot.render": frozenset({"bot.core", "bot.data"}),
    "bot.runtime": frozenset({"bot.core", "bot.data", "bot.store"}),
    "bot.teams": frozenset(
        {"bot.core", "bot.data", "bot.render", "bot.runtime", "bot.store", "bot.logs", "bot.settings"}
    ),
    "dialogs": frozenset({"bot.core", "bot.data", "bot.render", "bot.runtime", "bot.store", "bot.teams"}),
    "bot.web": frozenset(
        {"bot.core", "bot.data", "bot.render", "bot.runtime", "bot.store", "bot.teams", "bot.settings", "bot.logs"}
    ),
    "bot.cli": frozenset(
        {"bot.core", "bot.data", "bot.render", "bot.runtime", "bot.store", "bot.settings", "bot.logs"}
    ),
    "bot": frozenset({"bot.cli"}),  # bot/__main__.py runs the command line
}
SDK_PACKAGES = {"bot.teams", "bot.web", "dialogs"}
FORBIDDEN = ("botbuilder", "botframework", "aiohttp", "msrest")
OUTPUT_PACKAGES = {"bot.cli", "bot.logs", "bot"}  # the command line, the log handler's stderr, __main__


def _modules() -> Iterator[tuple[str, Path]]:
    """Yield (dotted name, path) for every module of bot/ and dialogs/."""
    for top in ("bot", "dialogs"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(part for part in parts if part != "__init__"), path


MODULES = list(_modules())
IDS = [name for name, _ in MODULES]


def layer_of(module: str) -> str:
    """Return the LAYERS key that `module` belongs to (the longest matching prefix)."""
    candidates = [layer for layer in LAYERS if module == layer or module.startswith(layer + ".")]
    if not candidates:
        raise LookupError(f"{module} is in no layer: add its package to LAYERS")
    return max(candidates, key=len)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def project_imports(path: Path) -> set[str]:
    """Return the layers of the project that a module imports."""
    found = set()
    for name in imported_modules(path):
        if name.split(".")[0] in ("bot", "dialogs") and name not in ("bot",):
            try:
                found.add(layer_of(name))
            except LookupError:
                continue  # `from bot.core import answers` also yields bot.core.answers; one is enough
    return found


def terminal_output(path: Path) -> list[str]:
    """Return each print(...), sys.stdout/sys.stderr and .write(...) in a module, with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            found.append(f"line {node.lineno}: print(...)")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "write":
            found.append(f"line {node.lineno}: .write(...)")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in ("stdout", "stderr")
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        ):
            found.append(f"line {node.lineno}: sys.{node.attr}")
    return found


# The adapters write HTTP responses and streams (`.write`), so the terminal check reads the rest.
QUIET = [(m, p) for m, p in MODULES if layer_of(m) not in OUTPUT_PACKAGES | SDK_PACKAGES]


@pytest.mark.parametrize(("module", "path"), MODULES, ids=IDS)
def test_a_module_imports_only_the_layers_below_its_own(module: str, path: Path) -> None:
    layer = layer_of(module)
    assert project_imports(path) - {layer} <= LAYERS[layer]


@pytest.mark.parametrize(
    ("module", "path"),
    [(m, p) for m, p in MODULES if layer_of(m) not in SDK_PACKAGES],
    ids=[m for m, _ in MODULES if layer_of(m) not in SDK_PACKAGES],
)
def test_below_the_adapters_nothing_imports_the_bot_framework_or_the_web_server(module: str, path: Path) -> None:
    assert not [name for name in imported_modules(path) if name.split(".")[0] in FORBIDDEN]


@pytest.mark.parametrize(("module", "path"), QUIET, ids=[m for m, _ in QUIET])
def test_only_the_command_line_writes_to_the_terminal(module: str, path: Path) -> None:
    assert terminal_output(path) == []


def test_the_layers_have_no_cycle() -> None:
    visiting: set[str] = set()
    done: set[str] = set()

    def visit(layer: str) -> None:
        assert layer not in visiting, f"import cycle through {layer}"
        if layer in done:
            return
        visiting.add(layer)
        for below in LAYERS[layer]:
            visit(below)
        visiting.discard(layer)
        done.add(layer)

    for layer in LAYERS:
        visit(layer)


@pytest.mark.parametrize("package", sorted(layer for layer in LAYERS if (ROOT / layer.replace(".", "/")).is_dir()))
def test_every_package_says_what_lives_there_and_what_it_may_import(package: str) -> None:
    docstring = ast.get_docstring(ast.parse((ROOT / package.replace(".", "/") / "__init__.py").read_text()))
    assert docstring and "import" in docstring


def test_the_layer_check_catches_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "upward.py"
    module.write_text("from bot.teams import replies\nimport bot.render.cards\n", encoding="utf-8")
    assert project_imports(module) == {"bot.teams", "bot.render"}
    assert not project_imports(module) <= LAYERS["bot.core"]


def test_the_output_check_catches_every_way_of_writing(tmp_path: Path) -> None:
    module = tmp_path / "noisy.py"
    module.write_text(
        "import sys\nprint('a')\nsys.stdout.write('b')\nout = sys.stderr\nout.write('c')\n", encoding="utf-8"
    )
    assert sorted(terminal_output(module)) == [
        "line 2: print(...)",
        "line 3: .write(...)",
        "line 3: sys.stdout",
        "line 4: sys.stderr",
        "line 5: .write(...)",
    ]
