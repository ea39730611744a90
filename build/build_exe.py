"""Build the standalone executable: one command, on Windows, macOS and Linux.

Run from the repository root with the project's venv (``make exe`` does this)::

    .venv/bin/python build/build_exe.py              # one-folder and one-file builds
    .venv/bin/python build/build_exe.py --onedir     # only dist/lstm-playground/
    .venv/bin/python build/build_exe.py --onefile    # only the single file

PyInstaller works in ``build/pyinstaller/work`` and writes to ``dist/`` (both ignored
by git), so the tracked files in ``build/`` are never touched.  After building, the
bundle is checked for what must never ship (torch, the test tools, tkinter) and the
sizes and build time are printed.  ``build/smoke_test.py`` then runs the result.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build" / "lstm-playground.spec"
WORKPATH = ROOT / "build" / "pyinstaller" / "work"
DISTPATH = ROOT / "dist"
NAME = "lstm-playground"
# Top-level packages and library name fragments that must never be in the bundle.
FORBIDDEN_MODULES = {
    "torch",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "mypy",
    "ruff",
    "importlinter",
    "grimp",
    "tkinter",
    "_tkinter",
    "PyInstaller",
    "setuptools",
    "pip",
}
FORBIDDEN_FILES = ("libtorch", "torch_", "libtk", "libtcl", "tcl86", "tk86")


def _version() -> str:
    import tomllib

    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    version: str = tomllib.loads(text)["project"]["version"]
    return version


def outputs(version: str | None = None) -> dict[str, Path]:
    """Where the builds land: ``onedir`` (folder), ``onedir_exe``, ``onefile`` (file)."""
    version = version or _version()
    exe = ".exe" if sys.platform == "win32" else ""
    os_tag = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    arch = platform.machine().lower().replace("amd64", "x86_64")
    folder = DISTPATH / NAME
    return {
        "onedir": folder,
        "onedir_exe": folder / f"{NAME}{exe}",
        "onefile": DISTPATH / f"{NAME}-{version}-{os_tag}-{arch}{exe}",
    }


def tree_size(path: Path) -> int:
    """Bytes in the files under ``path`` (symlinks not followed), like ``du``."""
    if path.is_file():
        return path.stat().st_size
    return sum((Path(d) / f).lstat().st_size for d, _, files in os.walk(path) for f in files)


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def forbidden_in(executable: Path, folder: Path | None = None) -> list[str]:
    """What must not ship, found in the executable's archive (and the folder's files)."""
    from PyInstaller.archive.readers import pkg_archive_contents

    found = sorted(
        {
            name
            for name in pkg_archive_contents(str(executable), recursive=True)
            if name.split(".")[0].split("/")[0] in FORBIDDEN_MODULES
            or any(part in name for part in FORBIDDEN_FILES)
        }
    )
    if folder is not None:
        for dirpath, dirnames, files in os.walk(folder):
            for entry in [*dirnames, *files]:
                rel = (Path(dirpath) / entry).relative_to(folder)
                top = rel.parts[-1].split(".")[0]
                if top in FORBIDDEN_MODULES or any(p in entry for p in FORBIDDEN_FILES):
                    found.append(str(rel))
    return found


def app_imports_left_out(warnfile: Path) -> list[str]:
    """Modules the app's own code imports that are not in the bundle (excluded or missing).

    PyInstaller's warnings file lists every module it did not collect and who imports it;
    one imported by ``app.*`` would fail with ImportError in the executable only.
    """
    import re

    found = []
    for line in warnfile.read_text(encoding="utf-8").splitlines():
        match = re.match(r"(excluded|missing) module named (\S+) - imported by (.*)", line)
        if match is None:
            continue
        kind, module, importers = match.groups()
        ours = [m for m in re.findall(r"([\w.]+) \(", importers) if m.split(".")[0] == "app"]
        if ours:
            found.append(f"{module} ({kind}; imported by {', '.join(ours)})")
    return found


GLIBC = ("ld-linux", "libc.so", "libm.so", "libdl.so", "libpthread.so", "librt.so", "libutil.so")


def system_libraries(folder: Path) -> list[str]:
    """Linux: the shared libraries the one-folder bundle expects from the system.

    Every library some bundled binary links to (its ELF ``NEEDED`` entries) that is not
    itself in the bundle, glibc aside; with ``not found`` where this machine lacks it.
    """
    from PyInstaller.depend.bindepend import get_imports

    files = [Path(d) / f for d, _, names in os.walk(folder) for f in names if ".so" in f]
    bundled = {path.name for path in files}
    needed: dict[str, str | None] = {}
    for path in files:
        if path.is_symlink():
            continue
        for name, resolved in get_imports(str(path)):
            if name not in bundled and not name.startswith(GLIBC):
                needed[name] = resolved
    return [f"{n}{'' if needed[n] else ' (not found here)'}" for n in sorted(needed)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--onedir", action="store_true", help="build the one-folder app only")
    parser.add_argument("--onefile", action="store_true", help="build the one-file app only")
    args = parser.parse_args(argv)
    modes = [m for m in ("onedir", "onefile") if getattr(args, m)] or ["onedir", "onefile"]
    try:
        import PyInstaller
    except ImportError:
        print(
            "PyInstaller is not installed in this Python: run "
            "`python -m pip install -e '.[build]'` (or `make exe`) first",
            file=sys.stderr,
        )
        return 2
    command = [
        sys.executable,
        "-P",  # not the working folder on sys.path: metadata from the install, not a stray egg-info
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--clean",
        "--log-level=WARN",
        f"--workpath={WORKPATH}",
        f"--distpath={DISTPATH}",
        "--",
        *(f"--{m}" for m in modes),
    ]
    print(f"PyInstaller {PyInstaller.__version__}: building {' and '.join(modes)}", flush=True)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        print(f"build FAILED (PyInstaller exit code {result.returncode})", file=sys.stderr)
        return 1
    paths = outputs()
    problems = app_imports_left_out(WORKPATH / NAME / f"warn-{NAME}.txt")
    print(f"built in {elapsed:.0f} s")
    if "onedir" in modes:
        problems += forbidden_in(paths["onedir_exe"], paths["onedir"])
        print(f"  one-folder: {paths['onedir']}  {mib(tree_size(paths['onedir']))}")
        if sys.platform == "darwin":
            print(f"  app bundle: {DISTPATH / 'LSTM Playground.app'}")
        if sys.platform.startswith("linux"):
            print("  needs from the system: " + ", ".join(system_libraries(paths["onedir"])))
    if "onefile" in modes:
        problems += forbidden_in(paths["onefile"])
        print(f"  one-file:   {paths['onefile']}  {mib(tree_size(paths['onefile']))}")
    if problems:
        print(
            "build FAILED: the bundle holds what must never ship, or lacks what the app "
            "imports (see build/README.md, 'When the app starts using more'):",
            file=sys.stderr,
        )
        for name in problems[:20]:
            print(f"  {name}", file=sys.stderr)
        return 1
    print("bundle check OK: no torch, test tools or tkinter; nothing the app imports is left out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
