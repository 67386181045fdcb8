"""Run the command line: python -m bot ask "vem har Sörmland?" (the same as .venv/bin/regiondorren)."""

from __future__ import annotations

from bot.cli.main import run

raise SystemExit(run())
