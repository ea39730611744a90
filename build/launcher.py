"""Entry point of the standalone executable: PyInstaller runs this file as ``__main__``.

It does what ``python -m app`` does (``app/__main__.py``: no arguments or a project
file open the window, ``--self-test`` checks the installation, a command runs the
headless CLI), plus one thing only a frozen Windows build needs: the windowed
``lstm-playground.exe`` has no console, so when it is given a command (or
``--self-test``) in a terminal it attaches to that terminal's console to print there.
"""

from __future__ import annotations

import os
import sys


def _attach_parent_console() -> None:
    """Windows, windowed build, output not redirected: write to the parent's console.

    Without this, ``print`` goes nowhere.  Limits (documented in the README): cmd.exe
    and PowerShell do not wait for a windowed program, so the prompt comes back before
    the output and the exit code is lost; ``lstm-playground-cli.exe`` (a console build
    shipped in the same folder) has neither problem.
    """
    if sys.stdout is not None and sys.stderr is not None:
        return  # redirected to a file or a pipe: Python already writes there
    try:
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        kernel32.AttachConsole.argtypes = [ctypes.c_uint32]
        attach_parent_process = 0xFFFFFFFF  # (DWORD)-1
        attached = bool(kernel32.AttachConsole(attach_parent_process))
    except (AttributeError, OSError):
        attached = False
    # "CONOUT$" opens as a console file (PEP 528), which takes UTF-8.
    target = "CONOUT$" if attached else os.devnull
    stream = open(target, "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream
    if attached:
        print(flush=True)  # start below the prompt the shell has already printed


def main() -> int:
    from app.__main__ import main as app_main
    from app.__main__ import wants_gui

    args = sys.argv[1:]
    if sys.platform == "win32" and (not wants_gui(args) or args[:1] == ["--self-test"]):
        _attach_parent_console()
    return app_main(args)


if __name__ == "__main__":
    # First of all: in the frozen app, the training process is this same executable
    # started by multiprocessing's spawn, and must go to its work, not open a window.
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
