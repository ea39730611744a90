"""The contrib hook for pyqtgraph, without the parts the bundle excludes.

Same collection (data files, the ``*Template*`` modules pyqtgraph loads by name, the
multiprocess bootstrap), but never looking into ``pyqtgraph.examples``,
``pyqtgraph.opengl`` (it needs PyOpenGL, so importing it only printed a warning) or
``pyqtgraph.jupyter``: bundle_policy.py excludes them.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules
from PyInstaller.utils.hooks.qt import exclude_extraneous_qt_bindings

SKIPPED = ("pyqtgraph.examples", "pyqtgraph.opengl", "pyqtgraph.jupyter")

datas = collect_data_files("pyqtgraph", excludes=["**/examples/*", "**/opengl/*"])
all_imports = collect_submodules("pyqtgraph", filter=lambda name: not name.startswith(SKIPPED))
hiddenimports = [name for name in all_imports if "Template" in name]
hiddenimports += ["pyqtgraph.multiprocess.bootstrap"]
excludedimports = exclude_extraneous_qt_bindings(hook_name="hook-pyqtgraph", qt_bindings_order=None)
