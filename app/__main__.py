"""Entry point for ``python -m app`` and the ``lstm-playground`` console script.

A known command (or ``-h``/``--help``/``--version``) runs the headless CLI; no
arguments, a single project file, or ``--self-test`` opens the desktop window.
"""

from __future__ import annotations

import importlib
import multiprocessing
import sys
from collections.abc import Sequence
from pathlib import Path

from app.cli import COMMANDS, build_parser, run
from app.cli.common import PROG
from app.project import FILE_EXTENSION

_CLI_FLAGS = ("-h", "--help", "--version")


def wants_gui(args: Sequence[str]) -> bool:
    """True for ``[]``, ``[--self-test, …]`` and ``[path]`` where path is a project file."""
    if not args or args[0] == "--self-test":
        return True
    if len(args) != 1 or args[0] in COMMANDS or args[0].startswith("-"):
        return False
    path = Path(args[0])
    return path.suffix.lower() == FILE_EXTENSION or path.is_file()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI or the desktop window; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in (*COMMANDS, *_CLI_FLAGS):
        return run(args)
    if wants_gui(args):
        return _run_gui(args)
    return run(args)  # an unknown command: the CLI says so in one line


def _run_gui(args: list[str]) -> int:
    # Imported lazily: the CLI must work (and start fast) without Qt.
    try:
        gui = importlib.import_module("app.ui.main")
    except ImportError as exc:
        if not (exc.name or "").startswith("app.ui"):  # Qt itself is missing or broken
            print(f"{PROG}: error: the desktop window cannot start: {exc}", file=sys.stderr)
            return 1
        print(build_parser().format_help())
        print("The desktop window arrives in a later version; for now, use the commands above.")
        return 0
    code: int = gui.run_gui(args)
    return code


if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen app's training process starts here
    sys.exit(main())
