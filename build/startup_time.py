"""Time the frozen app from process start to its main window on screen (X11).

Run from the repository root after ``make exe``::

    .venv/bin/python build/startup_time.py                 # both builds, 5 runs each
    .venv/bin/python build/startup_time.py --runs 10 -- dist/lstm-playground/lstm-playground

Each run starts the executable with no arguments (the window on the default project)
and polls the X server with ``xdotool search --onlyvisible`` every 10 ms until a window
named "… LSTM Playground …" is mapped; the time is taken from just before the process
is spawned, so the bootloader (and, for the one-file build, unpacking to a temporary
folder) and every import are included.  The process is then terminated.  Without a
``DISPLAY`` an Xvfb server is started for the measurement.  Settings go to a temporary
``XDG_CONFIG_HOME``, so the user's window geometry is neither used nor changed.
Needs ``xdotool`` (and ``Xvfb`` when there is no display).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_exe import outputs

TITLE = "LSTM Playground"
POLL_S = 0.01


def window_visible(env: dict[str, str]) -> bool:
    result = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", TITLE],
        env=env,
        capture_output=True,
        check=False,
    )
    return result.returncode == 0 and bool(result.stdout.strip())


def time_to_window(command: list[str], env: dict[str, str], timeout: float) -> float:
    """Seconds from spawning ``command`` to its window being mapped; raises on timeout."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        while True:
            if window_visible(env):
                return time.perf_counter() - started
            if process.poll() is not None:
                _, err = process.communicate()
                raise RuntimeError(f"exited with {process.returncode} first: {err.strip()}")
            if time.perf_counter() - started > timeout:
                raise RuntimeError(f"no window after {timeout:.0f} s")
            time.sleep(POLL_S)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        while window_visible(env):  # the next run must not see this window
            time.sleep(POLL_S)


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """An Xvfb server on a display number it picks itself (``-displayfd``: no race with
    other servers starting), returned once it accepts connections."""
    read_end, write_end = os.pipe()
    # -noreset: the server must not restart each time a polling client disconnects.
    command = ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24"]
    server = subprocess.Popen(
        [*command, "-nolisten", "tcp", "-noreset"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        number = announced.readline().strip()  # written when the server is ready
    if not number or server.poll() is not None:
        raise RuntimeError("Xvfb did not start")
    return server, f":{number}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("command", nargs="*", help="executable to time (default: both builds)")
    args = parser.parse_args(argv)
    if shutil.which("xdotool") is None:
        print("startup_time: needs xdotool (apt-get install xdotool)", file=sys.stderr)
        return 2
    if args.command:
        commands = [args.command]
    else:
        paths = outputs()
        commands = [[str(paths[k])] for k in ("onedir_exe", "onefile") if paths[k].is_file()]
    if not commands:
        print("startup_time: nothing to time; build first (make exe)", file=sys.stderr)
        return 2
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    server = None
    if not env.get("DISPLAY"):
        server, env["DISPLAY"] = start_xvfb()
        print(f"(Xvfb on {env['DISPLAY']})")
    try:
        with tempfile.TemporaryDirectory(prefix="lstm-startup-") as config:
            env["XDG_CONFIG_HOME"] = config
            for command in commands:
                times = [time_to_window(command, env, args.timeout) for _ in range(args.runs)]
                shown = " ".join(f"{t:.2f}" for t in times)
                name = Path(command[0]).name
                print(f"{name}: window after {shown} s; median {statistics.median(times):.2f} s")
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
