"""The data layer stays free of Qt (the import-linter contract, checked cheaply here too)."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_data_layer_loads_no_qt() -> None:
    code = (
        "import sys, app.data, app.data.presets; "
        "qt = ('PySide6', 'pyqtgraph', 'shiboken6'); "
        "bad = [m for m in sys.modules if m.split('.')[0] in qt]; "
        "sys.exit(str(bad) if bad else 0)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
