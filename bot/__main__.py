"""Run the command line: python -m bot ask "vem har Sörmland?"."""

from __future__ import annotations

import os
import sys

from bot.cli.main import main

# Exit codes a shell expects: 128 + SIGINT for Ctrl-C; 141 (128 + SIGPIPE) when the reader left.
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


def run() -> int:
    """Run main(), ending quietly when interrupted or when the output pipe closes (| head)."""
    try:
        return main()
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Python would complain again while flushing stdout at exit; point it at devnull (the
        # recipe in the signal module's documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


raise SystemExit(run())
