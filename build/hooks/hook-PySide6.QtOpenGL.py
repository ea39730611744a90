"""PyInstaller's hook for PySide6.QtOpenGL, minus the Qt plugins and translations we trim."""

from bundle_policy import trimmed_qt_hook

hiddenimports, binaries, datas = trimmed_qt_hook(__file__)
