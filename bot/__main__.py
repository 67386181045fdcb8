"""Run the command line: python -m bot ask "vem har Sörmland?"."""

from bot.cli import main

raise SystemExit(main())
