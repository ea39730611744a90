"""What the screenshot tools in this folder share: the real main window with throw-away
settings, the event loop run for a while, training until the stop condition, the grab.

Importing it puts the repository root on ``sys.path``, so the tools can import ``app``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from app.training.controller import TrainingController  # noqa: E402
from app.ui.document.preferences import Preferences  # noqa: E402
from app.ui.shell.window import MainWindow  # noqa: E402

View = TypeVar("View", bound=QWidget)


def pump(seconds: float) -> None:
    """Run the event loop for ``seconds``."""
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


@contextmanager
def throwaway_window(width: int, height: int) -> Iterator[MainWindow]:
    """The window exactly as the app builds it, at (0, 0) and ``width`` × ``height``, with
    settings in a temporary file; closed (unsaved changes dropped) afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(TrainingController(), Preferences(settings))
        window.open_initial(None)
        window.setGeometry(0, 0, width, height)
        window.show()
        try:
            yield window
        finally:
            window.document.set_modified(False)
            window.close()  # also stops the second network's thread, if it ran


def show_tab(window: MainWindow, kind: type[View]) -> View:
    """Bring the tab holding the ``kind`` view to the front and return the view."""
    views = window.views
    for i in range(views.count()):
        view = views.widget(i)
        if isinstance(view, kind):
            views.setCurrentWidget(view)
            return view
    raise LookupError(kind.__name__)


def train_until_stopped(window: MainWindow, deadline: float, failing_stops: bool = False) -> None:
    """Press Train, as a learner would, and run the event loop until the stop condition is
    met (or, with ``failing_stops``, training fails) or ``time.monotonic()`` passes
    ``deadline``."""
    met: list[str] = []
    window.controller.stop_condition_met.connect(met.append)
    if failing_stops:
        window.controller.failed.connect(met.append)
    window.menu_actions.train.trigger()
    while not met and time.monotonic() < deadline:
        pump(0.1)


def save_screen(window: MainWindow, output: Path, window_only: bool = False) -> None:
    """The whole X screen (ImageMagick's ``import -window root``), or only the window."""
    output.parent.mkdir(parents=True, exist_ok=True)
    if window_only:
        window.grab().save(str(output))
    else:
        subprocess.run(["import", "-window", "root", str(output)], check=True)
