"""What goes into the standalone executable, and what is trimmed (used by the spec and hooks).

``lstm-playground.spec`` puts this folder on ``sys.path`` and imports it; the hooks in
``build/hooks/`` replace PyInstaller's own hooks for the PySide6 modules the app loads
and call :func:`trimmed_qt_hook`, so the unused Qt plugins are dropped *before*
PyInstaller follows their library dependencies (dropping them afterwards would leave
the libraries they alone pull in, e.g. GTK for the gtk3 theme, in the bundle).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# Python packages never part of the app.  The development venv has them for the tests
# (torch is the engine tests' reference and must never be bundled); excluding them keeps
# a stray optional import (pyqtgraph tries several) from dragging them in.
DEV_AND_TEST = [
    "torch",
    "torchvision",
    "torchaudio",
    "sympy",
    "networkx",
    "mpmath",
    "jinja2",
    "markupsafe",
    "fsspec",
    "filelock",
    "pytest",
    "_pytest",
    "pytestqt",
    "pluggy",
    "iniconfig",
    "hypothesis",
    "sortedcontainers",
    "mypy",
    "mypyc",
    "mypy_extensions",
    "librt",
    "ruff",
    "importlinter",
    "grimp",
    "rich",
    "pygments",
    "markdown_it",
    "click",
    "setuptools",
    "pkg_resources",
    "_distutils_hack",
    "pip",
    "PyInstaller",
]
# The standard library's GUI toolkit, tests, networking and terminal support: the app
# uses none of them (pydoc stays: pyqtgraph imports it).  _ssl and _hashlib bring
# OpenSSL (≈ 5 MB); hashlib falls back to its built-in hashes without _hashlib.
STDLIB_UNUSED = [
    "tkinter",
    "_tkinter",
    "turtle",
    "turtledemo",
    "test",
    "unittest",
    "doctest",
    "lib2to3",
    "idlelib",
    "pydoc_data",
    "ensurepip",
    "venv",
    "distutils",
    "ssl",
    "_ssl",
    "_hashlib",
    "readline",
    "curses",
    "_curses",
    "sqlite3",
    "_sqlite3",
    "xmlrpc",
    "asyncio",
]
# Optional parts of NumPy and pyqtgraph the app never touches, and libraries pyqtgraph
# would use if they happened to be installed.
OPTIONAL_EXTRAS = [
    "numpy.f2py",
    "numpy.testing",
    "numpy.distutils",
    "numpy._pyinstaller",
    "pyqtgraph.examples",
    "pyqtgraph.opengl",
    "pyqtgraph.jupyter",
    "OpenGL",
    "matplotlib",
    "scipy",
    "h5py",
    "pandas",
    "IPython",
    "ipykernel",
    "jupyter_rfb",
    "cupy",
    "numba",
    "metaarray",
    "colorcet",
]
# Qt modules: the app imports QtCore, QtGui, QtWidgets and QtSvg; pyqtgraph imports
# QtOpenGL and QtOpenGLWidgets unconditionally (they stay) and QtTest optionally.
QT_UNUSED = [
    "PySide6.QtTest",
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtPdf",
    "PySide6.QtDBus",
    "PySide6.QtPrintSupport",
    "PySide6.QtUiTools",
    "PySide6.QtDesigner",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtSql",
    "PySide6.QtHelp",
    "PySide6.QtSvgWidgets",
    "PyQt5",
    "PyQt6",
    "PySide2",
]
# Pillow writes the GIF animations of ``figure`` (app/cli/movie.py saves by format name,
# so no other image plugin is even imported).  Its AVIF, WebP, font (FreeType, HarfBuzz,
# Brotli) and colour-management (Little CMS) extensions and their libraries (≈ 10 MB)
# are never used, nor its bridges to Tk, Qt and screen grabbing.
PILLOW_UNUSED = [
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    "PIL._imagingft",
    "PIL.ImageFont",
    "PIL._imagingcms",
    "PIL.ImageCms",
    "PIL._imagingtk",
    "PIL.ImageTk",
    "PIL.ImageQt",
    "PIL.ImageShow",
    "PIL.ImageGrab",
]
EXCLUDES = DEV_AND_TEST + STDLIB_UNUSED + OPTIONAL_EXTRAS + QT_UNUSED + PILLOW_UNUSED

# Qt plugins kept, by plugin folder; a folder not listed is dropped whole.  ``None``
# keeps the whole folder.  Names are file names without "lib" and the extension.
QT_PLUGINS: dict[str, set[str] | None] = {
    # Linux X11 and Wayland, Windows, macOS, and the headless ones (CI, --self-test).
    "platforms": {"qxcb", "qwayland", "qwindows", "qcocoa", "qoffscreen", "qminimal"},
    # The portal theme gives sandboxed desktops native file dialogs; the gtk3 theme
    # would pull GTK, Cairo and Pango (≈ 10 MB) into the bundle.
    "platformthemes": {"qxdgdesktopportal"},
    "platforminputcontexts": None,  # compose key, IBus input methods
    "xcbglintegrations": None,
    "wayland-shell-integration": {"xdg-shell"},
    "wayland-decoration-client": None,
    "wayland-graphics-integration-client": {"qt-plugin-wayland-egl"},
    "iconengines": None,  # SVG icons
    "imageformats": {"qsvg", "qico"},  # PNG is built into QtGui
    "styles": None,  # Windows 11 and macOS styles
    "accessiblebridge": None,
    # dropped: egldeviceintegrations, generic (evdev, TUIO over the network),
    # networkinformation, tls, printsupport, sqldrivers, qmltooling, designer…
}
# Software OpenGL for Windows without a GPU driver (≈ 20 MB): the app draws with Qt's
# raster engine and never asks for OpenGL.
WINDOWS_EXTRA_DROPPED = ("opengl32sw.dll",)


def _plugin_name(path: str) -> str:
    name = Path(path).name
    for suffix in (".so", ".dll", ".dylib"):
        name = name.split(suffix, 1)[0]
    return name.removeprefix("lib")


def keep_qt_file(src: str, dest_dir: str) -> bool:
    """False for Qt translations (English-only UI) and the plugins the app does not use."""
    parts = Path(dest_dir.replace("\\", "/")).parts
    if "translations" in parts or src.endswith(".qm"):
        return False
    if "plugins" not in parts:
        return True
    kind_index = parts.index("plugins") + 1
    if kind_index >= len(parts):
        return True
    kept = QT_PLUGINS.get(parts[kind_index], set())
    return kept is None or _plugin_name(src) in kept


def trimmed_qt_hook(hook_file: str) -> tuple[list[str], list[tuple[str, str]], list]:
    """PyInstaller's own collection for a PySide6 module, minus what keep_qt_file drops."""
    from PyInstaller.utils.hooks.qt import add_qt6_dependencies

    hiddenimports, binaries, datas = add_qt6_dependencies(hook_file)
    binaries = [(src, dest) for src, dest in binaries if keep_qt_file(src, dest)]
    datas = [(src, dest) for src, dest in datas if keep_qt_file(src, dest)]
    return hiddenimports, binaries, datas


def trimmed_extra_binaries(extra: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The Windows-only extra DLLs of the PySide6 hook, without the software OpenGL."""
    return [(src, dest) for src, dest in extra if Path(src).name not in WINDOWS_EXTRA_DROPPED]


BUNDLED_DOCS = ("using-the-app.md", "guide.md", "FORMAT.md")
"""The pages Help ▸ Documentation and Help ▸ Guide open, and the file format they link."""


def app_datas(root: Path) -> list[tuple[str, str]]:
    """The files the app reads at run time, through ``app/resources.py``.

    ``resources/`` (presets, the PNG icons of the window, the PyTorch export's scripts and
    README) and the user guides that Help ▸ Documentation and Help ▸ Guide open (``docs/``
    beside ``resources/``), with exactly the images they show.
    """
    docs = root / "docs"
    pages = [docs / name for name in BUNDLED_DOCS]
    images = sorted({image for page in pages for image in _linked_images(page)})
    return [
        (os.fspath(root / "resources" / "presets" / "*.json"), "resources/presets"),
        (os.fspath(root / "resources" / "icons" / "app-*.png"), "resources/icons"),
        # what `export --to pytorch` copies next to the weights (app/cli/export.py)
        *[
            (
                os.fspath(root / "resources" / "export" / "pytorch" / pattern),
                "resources/export/pytorch",
            )
            for pattern in ("*.py", "README.md")
        ],
        *[(os.fspath(page), "docs") for page in pages],
        *[(os.fspath(docs / "images" / name), "docs/images") for name in images],
    ]


def _linked_images(page: Path) -> list[str]:
    """File names of the ``images/…`` pictures a markdown page shows."""
    return re.findall(r"!\[[^\]]*\]\(images/([^)\s/]+)\)", page.read_text(encoding="utf-8"))


def _is_cpython_binary(dest: str) -> bool:
    """CPython's own shared library and its lib-dynload extension modules."""
    parts = Path(dest.replace("\\", "/")).parts
    return parts[-1].startswith("libpython") or "lib-dynload" in parts[:-1]


def strip_cpython_debug_info(binaries: list, workdir: Path) -> list:
    """Linux: copies of CPython's binaries without debug sections (never NumPy's or Qt's).

    A Python built from source (pyenv, as on CI) leaves DWARF in libpython and
    lib-dynload: 23 MB of the 35 MB they take.  ``strip --strip-debug`` removes only
    those sections; symbols and code stay.  PyInstaller's ``strip=True`` would strip
    every binary, which breaks NumPy's OpenBLAS, so it stays off.  Elsewhere (or without
    ``strip``) the list is returned unchanged.
    """
    import shutil
    import subprocess
    import sys

    strip = shutil.which("strip")
    if not sys.platform.startswith("linux") or strip is None:
        return binaries
    result = []
    for dest, src, typecode in binaries:
        if _is_cpython_binary(dest):
            target = workdir / "cpython-stripped" / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            done = subprocess.run(
                [strip, "--strip-debug", "-o", str(target), src], check=False, capture_output=True
            )
            if done.returncode == 0 and target.stat().st_size < Path(src).stat().st_size:
                src = str(target)
        result.append((dest, src, typecode))
    return result
