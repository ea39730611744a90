"""PyInstaller's hook for the PySide6 package, without Windows' software OpenGL DLL."""

from bundle_policy import trimmed_extra_binaries
from PyInstaller.utils.hooks import check_requirement
from PyInstaller.utils.hooks.qt import ensure_single_qt_bindings_package, pyside6_library_info

ensure_single_qt_bindings_package("PySide6")

if pyside6_library_info.version is not None:
    hiddenimports = ["shiboken6", "inspect"]
    if check_requirement("PySide6 >= 6.4.0"):  # Qt key | modifier operators (#7249)
        hiddenimports += ["PySide6.support.deprecated"]
    binaries = trimmed_extra_binaries(pyside6_library_info.collect_extra_binaries())
