"""Smoke-test the standalone executable: the window's self-test and the commands.

Run from the repository root after building (``make exe`` runs both)::

    .venv/bin/python build/smoke_test.py                  # every build found in dist/
    .venv/bin/python build/smoke_test.py --onedir         # only dist/lstm-playground/
    .venv/bin/python build/smoke_test.py path/to/lstm-playground[.exe]

For each executable, with ``QT_QPA_PLATFORM=offscreen`` and a timeout on every step:

1. ``--version`` prints the version in ``pyproject.toml`` (the bundled metadata);
2. ``--self-test`` exits 0 and prints a line starting with ``self-test OK`` (the
   window opens on the default project, trains in the training process — the same
   executable started again by ``multiprocessing``'s spawn, which must work frozen
   too — saves and reopens the project);
3. the commands: ``presets`` lists every bundled preset; ``new`` + ``train --epochs 3``
   + ``predict --json`` on a temporary project; a missing file gives exit code 2;
   ``figure`` draws a PNG still and a GIF replay (Pillow in the bundle);
4. when this Python can run the app from source (the project's venv), the same
   project is trained from source too and all four predictions must be identical:
   frozen and source train alike, and each reads the other's file.

Any failure prints ``SMOKE TEST FAILED: <step>: <reason>`` with the output, and the
exit code is 1.  On Windows the commands go to ``lstm-playground-cli.exe`` when it sits
next to the windowed executable.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_exe import ROOT, _version, outputs

SELF_TEST_TIMEOUT_S = 120.0  # the one-file build unpacks first; CI machines are shared
COMMAND_TIMEOUT_S = 60.0
PRESET = "doug-jane-spot"
PREFIX = "Doug saw"


class SmokeFailure(Exception):
    pass


def run(command: list[str], what: str, timeout: float, expect: int = 0) -> str:
    """Run ``command``; its stdout, or SmokeFailure naming ``what`` and showing the output.

    ``python -m app`` runs from the source tree; the executable from the current folder.
    """
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    try:
        done = subprocess.run(
            command,
            cwd=ROOT if command[0] == sys.executable else None,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise SmokeFailure(f"{what}: no exit after {timeout:.0f} s") from exc
    except OSError as exc:
        raise SmokeFailure(f"{what}: cannot start {command[0]}: {exc}") from exc
    if done.returncode != expect:
        tail = (done.stdout + done.stderr).strip()[-2000:]
        raise SmokeFailure(
            f"{what}: exit code {done.returncode}, expected {expect}\n--- output ---\n{tail}"
        )
    return done.stdout


def check_executable(exe: Path, folder: Path) -> list[str]:
    """All checks on one executable; returns the lines to report."""
    cli = exe.with_name(f"{exe.stem}-cli{exe.suffix}")
    cli_exe = str(cli if cli.is_file() else exe)
    report = []

    out = run([cli_exe, "--version"], "--version", COMMAND_TIMEOUT_S).strip()
    if out != f"lstm-playground {_version()}":
        raise SmokeFailure(f"--version: printed {out!r}, expected the version {_version()}")

    started = time.perf_counter()
    out = run([str(exe), "--self-test"], "--self-test", SELF_TEST_TIMEOUT_S)
    elapsed = time.perf_counter() - started
    lines = [line for line in out.splitlines() if line.startswith("self-test")]
    if not lines or not lines[-1].startswith("self-test OK"):
        raise SmokeFailure(f"--self-test: exit 0 but no 'self-test OK' line:\n{out.strip()}")
    if "in a training process" not in lines[-1]:
        raise SmokeFailure(f"--self-test did not train in a training process:\n{lines[-1]}")
    report.append(f"{lines[-1]} (process {elapsed:.2f} s)")

    out = run([cli_exe, "presets"], "presets", COMMAND_TIMEOUT_S)
    bundled = sorted(p.stem for p in (ROOT / "resources" / "presets").glob("*.json"))
    missing = [name for name in bundled if name not in out]
    if missing:
        raise SmokeFailure(f"presets: the bundle lacks {missing}:\n{out}")

    frozen = folder / "frozen.lstmproj"
    started = time.perf_counter()
    run([cli_exe, "new", str(frozen), "--preset", PRESET], "new", COMMAND_TIMEOUT_S)
    run([cli_exe, "train", str(frozen), "--epochs", "3"], "train --epochs 3", COMMAND_TIMEOUT_S)
    predicted = predict([cli_exe], frozen)
    report.append(
        f"commands: presets ({len(bundled)}), new + train --epochs 3 + predict --json "
        f"{time.perf_counter() - started:.2f} s"
    )
    missing = str(folder / "missing.lstmproj")
    run([cli_exe, "info", missing], "info (bad input)", COMMAND_TIMEOUT_S, expect=2)

    picture = folder / "cell.png"
    started = time.perf_counter()
    command = [cli_exe, "figure", str(frozen), str(picture), "--view", "cell", "--size", "640x400"]
    run(command, "figure --view cell", COMMAND_TIMEOUT_S)
    if not picture.is_file() or picture.stat().st_size < 1000:
        raise SmokeFailure(f"figure: exit 0 but {picture} is missing or empty")
    report.append(f"figure --view cell {time.perf_counter() - started:.2f} s")
    animation = folder / "train.gif"
    started = time.perf_counter()
    command = [cli_exe, "figure", str(frozen), str(animation), "--view", "train", "--size",
               "640x400"]  # fmt: skip
    run(command, "figure --view train (GIF)", COMMAND_TIMEOUT_S)
    if not animation.is_file() or not animation.read_bytes().startswith(b"GIF89a"):
        raise SmokeFailure(f"figure: exit 0 but {animation} is missing or not a GIF")
    report.append(f"figure --view train GIF {time.perf_counter() - started:.2f} s")
    exported = folder / "torch-export"
    started = time.perf_counter()
    command = [cli_exe, "export", str(frozen), str(exported), "--to", "pytorch"]
    run(command, "export --to pytorch", COMMAND_TIMEOUT_S)
    wanted = ("model.py", "predict.py", "train.py", "README.md", "weights.npz", "config.json")
    absent = [name for name in wanted if not (exported / name).is_file()]
    if absent:
        raise SmokeFailure(f"export: exit 0 but {exported} lacks {', '.join(absent)}")
    report.append(f"export --to pytorch {time.perf_counter() - started:.2f} s")

    source = source_command()
    if source is None:
        report.append("source comparison skipped: this Python cannot import the app")
        return report
    from_source = folder / "source.lstmproj"
    run([*source, "new", str(from_source), "--preset", PRESET], "source new", COMMAND_TIMEOUT_S)
    run([*source, "train", str(from_source), "--epochs", "3"], "source train", COMMAND_TIMEOUT_S)
    results = {
        "frozen app, frozen-trained file": predicted,
        "frozen app, source-trained file": predict([cli_exe], from_source),
        "source app, frozen-trained file": predict(source, frozen),
        "source app, source-trained file": predict(source, from_source),
    }
    differing = [name for name, result in results.items() if result != predicted]
    if differing:
        raise SmokeFailure(f"frozen and source disagree: {differing} differ from the first")
    report.append("frozen = source: identical predictions after 3 epochs, either way round")
    return report


def predict(command: list[str], project: Path) -> object:
    what = f"predict --json ({project.name})"
    out = run(
        [*command, "predict", str(project), "--prefix", PREFIX, "--generate", "4", "--json"],
        what,
        COMMAND_TIMEOUT_S,
    )
    try:
        return json.loads(out)
    except json.JSONDecodeError as exc:
        raise SmokeFailure(f"{what}: not JSON ({exc}):\n{out[:500]}") from exc


def source_command() -> list[str] | None:
    """``python -m app`` from the source tree, if this Python has the app's dependencies."""
    probe = [sys.executable, "-c", "import app.cli, numpy"]
    if subprocess.run(probe, cwd=ROOT, capture_output=True, check=False).returncode != 0:
        return None
    return [sys.executable, "-m", "app"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--onedir", action="store_true", help="test the one-folder build")
    parser.add_argument("--onefile", action="store_true", help="test the one-file build")
    parser.add_argument("executable", nargs="*", type=Path, help="executables to test")
    args = parser.parse_args(argv)
    paths = outputs()
    chosen = [m for m in ("onedir", "onefile") if getattr(args, m)]
    executables = [path.resolve() for path in args.executable]
    for mode in chosen or ([] if executables else ["onedir", "onefile"]):
        path = paths["onedir_exe" if mode == "onedir" else "onefile"].resolve()
        if path.is_file() or chosen:
            executables.append(path)
    if not executables:
        print("SMOKE TEST FAILED: no executable in dist/; build first (make exe)")
        return 1
    for exe in executables:
        print(f"smoke test: {exe}", flush=True)
        if not exe.is_file():
            print(f"SMOKE TEST FAILED: {exe} does not exist; build first (make exe)")
            return 1
        # A working folder outside the source tree, so the app cannot find anything there.
        with tempfile.TemporaryDirectory(prefix="lstm-smoke-") as tmp:
            os.chdir(tmp)
            try:
                for line in check_executable(exe, Path(tmp)):
                    print(f"  {line}", flush=True)
            except SmokeFailure as exc:
                print(f"SMOKE TEST FAILED: {exc}", flush=True)
                return 1
            finally:
                os.chdir(ROOT)
    print(f"smoke test OK: {len(executables)} executable(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
