"""Presentation mode: one view filling the screen, larger fonts, thicker lines, keys only.

View ▸ Presentation (F11, or F5 as in slide programs) folds the editing docks, the
toolbar, the menus, the status bar and the tab bar away and shows the window full
screen; Esc (or F11/F5 again) brings everything back exactly as it was.  While
presenting, the keyboard drives the lesson and nothing else (a clicker's keys work):

==================  ===============================================================
PgDn, Ctrl+Tab      next view          PgUp, Ctrl+Shift+Tab   previous view
1 … 6               that view          ← / →                  back / on in the view
Space               train / pause      Ctrl + / Ctrl − / Ctrl 0  zoom
Esc, F11, F5        leave
==================  ===============================================================

A caption in the bottom right corner names the view and the keys for a few seconds
after entering, after a change of view and after a change of zoom.

Every other key is swallowed, so no keystroke can edit the text, reset a model or press
a focused button.  The mouse still works.

← / → call the shown view's ``present_step(delta: int) -> bool`` (True when something
moved); a view without that method ignores them.  What a step is, per view, is in
:data:`STEP_NAMES`.

For figures: :func:`presentation_style` draws a widget in this look without a window.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QTabWidget,
    QWidget,
)

from app.ui.document.preferences import MAX_ZOOM, MIN_ZOOM
from app.ui.shell import zoom as zoom_module
from app.ui.shell.zoom import PRESENTATION_LINES, PRESENTATION_ZOOM, UiZoom

STEP_NAMES = {
    "PlotsArea": "sequence",
    "CompareView": "epoch B",
    "CellView": "time step",
    "VersusView": "sequence",
    "GenerateView": "epoch",
    "StateMapView": "epoch",
}
"""What ← / → move through in each view (by class name)."""
REPEN_MS = 1000
"""While presenting, curves a view re-penned get thick again within this time."""
CAPTION_MS = 5000
"""The caption shows this long after entering, a change of view or of zoom (then it
would only cover the view's own bottom line)."""

Key = Qt.Key


@contextmanager
def presentation_style(widget: QWidget, zoom_percent: int = 100) -> Iterator[None]:
    """Draw ``widget`` (and its children) in presentation look for as long as this lasts.

    Fonts at ``zoom_percent`` × :data:`~app.ui.shell.zoom.PRESENTATION_ZOOM`, curves
    :data:`~app.ui.shell.zoom.PRESENTATION_LINES` times as thick; the previous look is
    restored on exit.  For the figure command::

        with presentation_style(view):
            view.export_image(path)   # or grab / render

    Enter it with the view built (its fonts and axis widths are then taken as the 100 %
    ones) and lay it out inside the block (``resize``, process events), so the layout
    makes room for the larger text.  In :func:`app.ui.shell.figure.posed_view` that is
    right after ``view = _build(...)``, leaving it after the image is saved; if the
    widget is deleted first, leaving still restores the application font and the theme.
    """
    old_factor, old_lines = zoom_module.font_factor(), zoom_module.line_scale()
    zoom_module.apply_font_factor(zoom_percent / 100 * PRESENTATION_ZOOM, widget)
    zoom_module.apply_line_scale(PRESENTATION_LINES, widget)
    try:
        yield
    finally:
        alive = shiboken6.isValid(widget)
        zoom_module.apply_font_factor(old_factor, widget if alive else None)
        zoom_module.apply_line_scale(old_lines, widget if alive else None)


def _application() -> QApplication:
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    return qapp


class Presenter(QObject):
    """Enters and leaves presentation mode for a main window; handles its keys meanwhile."""

    def __init__(
        self,
        window: QMainWindow,
        views: QTabWidget,
        docks: list[QDockWidget],
        zoom: UiZoom,
        train: QAction,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._views = views
        self._docks = docks
        self._zoom = zoom
        self._train = train
        self._saved: tuple[QByteArray, QRect, Qt.WindowState, bool, bool] | None = None
        self.caption = QLabel(window)
        self.caption.setObjectName("presentationCaption")
        self.caption.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.caption.setStyleSheet(
            "QLabel { color: #555555; background: rgba(255, 255, 255, 215);"
            " border-top-left-radius: 4px; padding: 2px 8px; }"
        )
        font = QFont(self.caption.font())
        font.setPointSizeF(font.pointSizeF() * 0.75)  # a hint for the one presenting
        self.caption.setFont(font)
        self.caption.hide()
        self._pending_state = QByteArray()
        self._caption_timer = QTimer(self)
        self._caption_timer.setSingleShot(True)
        self._caption_timer.setInterval(CAPTION_MS)
        self._caption_timer.timeout.connect(self.caption.hide)
        self._repen = QTimer(self)
        self._repen.setInterval(REPEN_MS)
        self._repen.timeout.connect(self._on_repen)
        views.currentChanged.connect(self._on_view_changed)
        zoom.changed.connect(self._on_zoom_changed)

    @property
    def active(self) -> bool:
        return self._saved is not None

    @Slot()
    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        if self.active:
            return
        w = self._window
        self._saved = (
            w.saveState(),
            w.geometry(),
            w.windowState(),
            w.menuBar().isVisibleTo(w),
            w.statusBar().isVisibleTo(w),
        )
        for dock in self._docks:
            dock.hide()
        for bar in (w.menuBar(), w.statusBar(), self._views.tabBar()):
            bar.hide()
        for toolbar in w.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if toolbar.inherits("QToolBar"):
                toolbar.hide()
        self._zoom.set_presenting(True)
        w.showFullScreen()
        _application().installEventFilter(self)
        self._repen.start()
        self._update_caption()

    def leave(self) -> None:
        if self._saved is None:
            return
        state, geometry, window_state, menu_bar, status_bar = self._saved
        self._saved = None
        _application().removeEventFilter(self)
        self._repen.stop()
        self._caption_timer.stop()
        self.caption.hide()
        self._zoom.set_presenting(False)
        w = self._window
        w.setWindowState(window_state)
        if not window_state & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            w.setGeometry(geometry)  # (restoreGeometry guesses a frame where there is none)
        w.menuBar().setVisible(menu_bar)
        w.statusBar().setVisible(status_bar)
        self._views.tabBar().show()
        w.restoreState(state)
        # A window manager may give the old size back only later: lay the docks out again.
        self._pending_state = state
        QTimer.singleShot(100, self._restore_docks_again)

    @Slot()
    def _restore_docks_again(self) -> None:
        if not self.active:
            self._window.restoreState(self._pending_state)

    # -- moving -----------------------------------------------------------------------------
    def move_view(self, delta: int) -> None:
        count = self._views.count()
        if count:
            self._views.setCurrentIndex((self._views.currentIndex() + delta) % count)

    def step(self, delta: int) -> bool:
        """``present_step(delta)`` on the shown view; False if it has none or nothing moved."""
        present_step = getattr(self._views.currentWidget(), "present_step", None)
        moved = bool(present_step(delta)) if callable(present_step) else False
        if moved:
            zoom_module.apply_line_scale(PRESENTATION_LINES, self._views.currentWidget())
        return moved

    def _handle_key(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if key in (Key.Key_Escape, Key.Key_F11, Key.Key_F5):
            self.leave()
        elif key == Key.Key_PageDown or (ctrl and key == Key.Key_Tab):
            self.move_view(+1)
        elif key == Key.Key_PageUp or (ctrl and key == Key.Key_Backtab):
            self.move_view(-1)
        elif key in (Key.Key_Right, Key.Key_Left) and not ctrl:
            self.step(+1 if key == Key.Key_Right else -1)
        elif key == Key.Key_Space and not event.isAutoRepeat():
            if self._train.isEnabled():
                self._train.trigger()
        elif ctrl and key in (Key.Key_Plus, Key.Key_Equal):
            self._zoom.zoom_in()
        elif ctrl and key in (Key.Key_Minus, Key.Key_Underscore):
            self._zoom.zoom_out()
        elif ctrl and key == Key.Key_0:
            self._zoom.reset()
        elif not ctrl and Key.Key_1 <= key <= Key.Key_9:
            index = int(key) - int(Key.Key_1)
            if index < self._views.count():
                self._views.setCurrentIndex(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize and watched is self._window:
            QTimer.singleShot(0, self, self._place_caption)
            return False
        keys = (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress, QEvent.Type.KeyRelease)
        if kind not in keys or not self._is_ours(watched):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # no window shortcut fires: the keys are handled here
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self._handle_key(event)
        return True

    def _is_ours(self, watched: QObject) -> bool:
        """Keys for the main window's widgets (a dialog opened meanwhile keeps its keys)."""
        return isinstance(watched, QWidget) and watched.window() is self._window

    # -- caption --------------------------------------------------------------------------
    @Slot(int)
    def _on_view_changed(self, _index: int) -> None:
        if self.active:
            zoom_module.apply_line_scale(PRESENTATION_LINES, self._views.currentWidget())
            self._update_caption()

    @Slot(int)
    def _on_zoom_changed(self, _percent: int) -> None:
        self._update_caption()  # (the status bar that says the zoom is folded away)

    @Slot()
    def _on_repen(self) -> None:
        current = self._views.currentWidget()
        if current is not None:
            zoom_module.apply_line_scale(PRESENTATION_LINES, current)

    @Slot()
    def _update_caption(self) -> None:
        if not self.active:
            return
        views = self._views
        index = views.currentIndex()
        title = views.tabText(index).replace("&&", "&")
        what = STEP_NAMES.get(type(views.currentWidget()).__name__, "")
        arrows = f" \u00b7 \u2190/\u2192 {what}" if what else ""
        percent = self._zoom.percent
        zoomed = f" \u00b7 zoom {percent} %" if percent != 100 else ""
        self.caption.setText(
            f"{title} \u00b7 {index + 1}/{views.count()} \u2014 PgUp/PgDn views{arrows}"
            f" \u00b7 Space trains \u00b7 Esc leaves{zoomed}"
        )
        self._place_caption()
        self.caption.show()
        self._caption_timer.start()

    @Slot()
    def _place_caption(self) -> None:
        """In the bottom right corner, over the view."""
        self.caption.adjustSize()
        rect = self._window.rect()
        self.caption.move(
            rect.width() - self.caption.width(), rect.height() - self.caption.height()
        )
        self.caption.raise_()


class ViewActions(QObject):
    """View ▸ Presentation and the zoom items, added to the window's View menu."""

    STATUS_MS = 2000

    def __init__(
        self, window: QMainWindow, menu: QMenu, presenter: Presenter, zoom: UiZoom
    ) -> None:
        super().__init__(window)
        self._window = window
        self._zoom = zoom
        menu.addSeparator()
        self.presentation = QAction("&Presentation", window)
        self.presentation.setShortcuts([QKeySequence("F11"), QKeySequence("F5")])
        self.presentation.setToolTip(
            "Full screen, one view at a time, larger text and lines.\n"
            "PgUp/PgDn: views · ←/→: steps · Space: train/pause · Esc: leave"
        )
        self.zoom_in = QAction("Zoom &in", window)
        self.zoom_in.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self.zoom_out = QAction("Zoom &out", window)
        self.zoom_out.setShortcuts([QKeySequence("Ctrl+-")])
        self.zoom_reset = QAction(window)
        self.zoom_reset.setShortcut(QKeySequence("Ctrl+0"))
        for action in (self.presentation, self.zoom_in, self.zoom_out, self.zoom_reset):
            action.setStatusTip(action.toolTip().split("\n")[0])
            menu.addAction(action)
        self.presentation.triggered.connect(presenter.toggle)
        self.zoom_in.triggered.connect(zoom.zoom_in)
        self.zoom_out.triggered.connect(zoom.zoom_out)
        self.zoom_reset.triggered.connect(zoom.reset)
        zoom.changed.connect(self._on_zoom_changed)
        self._update_texts()

    @Slot(int)
    def _on_zoom_changed(self, percent: int) -> None:
        self._update_texts()
        self._window.statusBar().showMessage(f"Zoom: {percent} %", self.STATUS_MS)

    def _update_texts(self) -> None:
        percent = self._zoom.percent
        self.zoom_reset.setText(f"&Actual size (zoom now {percent} %)")
        self.zoom_in.setEnabled(percent < MAX_ZOOM)
        self.zoom_out.setEnabled(percent > MIN_ZOOM)
