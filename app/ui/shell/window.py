"""The main window: composes the editor, the settings panel, the plots and the status bar.

Layout: the sequences editor and the model & training panel are docks on the left;
the plots fill the centre.  Dock, splitter and window geometry are saved in QSettings.
"""

from __future__ import annotations

import html
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QWidget

from app.data import list_presets
from app.ui.document.document import Document, empty_project
from app.ui.document.edits import ProjectEdits
from app.ui.document.files import Exportable, FileFlows
from app.ui.document.preferences import Preferences
from app.ui.shell import dialogs, help_text
from app.ui.shell.about import open_documentation, open_guide, show_about
from app.ui.shell.actions import Actions, build_actions
from app.ui.shell.new_dialog import NewProjectDialog
from app.ui.shell.presentation import Presenter, ViewActions
from app.ui.shell.status import StatusPanel
from app.ui.shell.view_export import ViewExport
from app.ui.shell.view_tabs import ViewTabs
from app.ui.shell.zoom import UiZoom
from app.ui.tabs.cell import CellView
from app.ui.tabs.compare_epochs import COMPARE_TIP, COMPARE_TITLE, CompareView
from app.ui.tabs.generate import GENERATE_TIP, GenerateView
from app.ui.tabs.rnn_vs_lstm import VERSUS_TIP, VERSUS_TITLE, VersusView
from app.ui.tabs.state_map import STATE_MAP_TIP, StateMapView
from app.ui.train_tab.plots_area import PlotsArea
from app.ui.train_tab.sequences_editor import SequencesEditor
from app.ui.train_tab.settings_panel import SettingsPanel

if TYPE_CHECKING:
    from app.training.controller import TrainingController
    from app.training.frames import Frame

APP_NAME = "LSTM Playground"
DEFAULT_SIZE = (1600, 1000)
TALL_ENOUGH = 950
"""Below this window height the two left docks share the space as tabs."""


class PanelScroll(QScrollArea):
    """The settings panel's vertical scroll area, never narrower than the panel: it only
    scrolls up and down, so a dock restored narrower (a layout saved by an older version,
    a zoomed font) would otherwise cut every row's right end off."""

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        widget.installEventFilter(self)  # its minimum changes (rows shown, fonts): follow

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.minimumSizeHint().width() + bar, hint.height())


class MainWindow(QMainWindow):
    """One project, its training controller, and every view of them."""

    def __init__(self, controller: TrainingController, preferences: Preferences) -> None:
        super().__init__()
        self.controller = controller
        self.preferences = preferences
        self.document = Document(empty_project())
        self.edits = ProjectEdits(self.document, controller, partial(dialogs.ask_reset, self))
        self.editor = SequencesEditor(self.document, self.edits)
        self.settings_panel = SettingsPanel(self.document, self.edits)
        self.plots = PlotsArea(controller, self.document, self.edits)
        self.files = FileFlows(
            self, self.document, controller, self.edits, preferences, self.editor.commit_pending
        )
        self.views = ViewTabs(controller, self.document, self.plots)
        self.setCentralWidget(self.views)
        self.views.add_view(CompareView(controller, self.document), COMPARE_TITLE, COMPARE_TIP)
        self.views.add_view(CellView(controller, self.document), CellView.TITLE, CellView.TIP)
        self.views.add_view(VersusView(controller, self.document), VERSUS_TITLE, VERSUS_TIP)
        self.views.add_view(GenerateView(controller, self.document), "Generate", GENERATE_TIP)
        self.views.add_view(StateMapView(controller, self.document), "State map", STATE_MAP_TIP)
        self.setDockNestingEnabled(True)
        self.sequences_dock = self._dock("Sequences", "sequencesDock", self.editor)
        scroll = PanelScroll()
        scroll.setWidget(self.settings_panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.settings_dock = self._dock("Model && training", "settingsDock", scroll)
        self.splitDockWidget(self.sequences_dock, self.settings_dock, Qt.Orientation.Vertical)
        self.menu_actions: Actions = build_actions(self)
        for dock in (self.sequences_dock, self.settings_dock):
            self.menu_actions.view_menu.addAction(dock.toggleViewAction())
        self.zoom = UiZoom(preferences, self)
        docks = [self.sequences_dock, self.settings_dock]
        self.presenter = Presenter(self, self.views, docks, self.zoom, self.menu_actions.train)
        self.view_actions = ViewActions(
            self, self.menu_actions.view_menu, self.presenter, self.zoom
        )
        self.status = StatusPanel(self.statusBar(), controller, self.document, self.edits)
        self.view_export = ViewExport(self, self.views, self.document, controller, preferences)
        self._closing = False
        self._connect()
        self._fill_presets_menu()
        self._update_recent_menu()
        self._update_title()
        self._update_training_actions()
        self._restore_layout()
        self.zoom.apply()  # the zoom remembered from last time

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        return dock

    def _connect(self) -> None:
        a, c, f = self.menu_actions, self.controller, self.files
        a.new.triggered.connect(self._on_new)
        a.open.triggered.connect(f.open_dialog)
        a.save.triggered.connect(f.save)
        a.save_as.triggered.connect(f.save_as)
        a.export_figure.triggered.connect(self.view_export.export_figure)
        a.export_animation.triggered.connect(self.view_export.export_animation)
        a.export_pytorch.triggered.connect(self.view_export.export_pytorch)
        a.export_loss.triggered.connect(lambda: self._export(self.plots.loss_plot, "loss"))
        a.export_gates.triggered.connect(lambda: self._export(self.plots.gates, "gates"))
        a.export_predictions.triggered.connect(
            lambda: self._export(self.plots.predictions, "predictions")
        )
        a.export_history.triggered.connect(f.export_history)
        a.quit.triggered.connect(self.close)
        text = self.editor.text_edit
        a.undo.triggered.connect(self._on_undo)
        a.redo.triggered.connect(self._on_redo)
        text.undoAvailable.connect(self._update_undo_actions)
        text.redoAvailable.connect(self._update_undo_actions)
        self.edits.undo_changed.connect(self._update_undo_actions)
        self._update_undo_actions()
        a.train.triggered.connect(self._on_train_triggered)
        a.step.triggered.connect(self._on_step_triggered)
        a.reset.triggered.connect(self._on_reset_triggered)
        a.log_scale.toggled.connect(self.plots.loss_plot.set_log_scale)
        self.plots.loss_plot.log_check.toggled.connect(self._on_log_scale_toggled)
        a.documentation.triggered.connect(lambda: open_documentation(self))
        a.guide.triggered.connect(lambda: open_guide(self))
        a.about.triggered.connect(lambda: show_about(self))
        combo = a.refresh_combo
        combo.setCurrentIndex(max(combo.findData(self.preferences.refresh_rate()), 0))
        c.set_refresh_rate(combo.currentData())
        combo.currentIndexChanged.connect(self._on_refresh_rate_chosen)
        self.plots.loss_plot.set_log_scale(self.preferences.log_scale())

        c.state_changed.connect(self._update_training_actions)
        c.frame_ready.connect(self._on_frame_ready)
        c.failed.connect(self._on_training_failed)
        c.unavailable.connect(self._on_training_unavailable)
        c.stop_condition_met.connect(self._on_stop_condition_met)
        self.edits.trainable_changed.connect(self._update_training_actions)
        self.edits.applied.connect(self.status.reload)
        self.document.modified_changed.connect(self.setWindowModified)
        self.document.path_changed.connect(self._update_title)
        self.document.replaced.connect(self.plots.dismiss_banner)
        f.recent_changed.connect(self._update_recent_menu)

    # -- opening ----------------------------------------------------------------------
    def open_initial(self, path: Path | None) -> None:
        """Start-up: the project at ``path`` (or the default); a load error is shown later."""
        show_error = self.files.open_initial(path)
        if show_error is not None:
            QTimer.singleShot(0, show_error)

    def _on_new(self) -> None:
        dialog = NewProjectDialog(list_presets(), self)
        if dialog.exec() != NewProjectDialog.DialogCode.Accepted:
            return
        name = dialog.choice()
        if name:
            self.files.new_from_preset(name)
        else:
            self.files.new_empty(dialog.sequences())

    def _export(self, plot: Exportable, name: str) -> None:
        self.plots.flush()  # the image shows the latest frame, not the last one drawn
        self.files.export_plot(plot, name)

    def _fill_presets_menu(self) -> None:
        menu = self.menu_actions.presets_menu
        for preset in list_presets():
            action = menu.addAction(preset.title)
            action.setToolTip(preset.description)
            action.setStatusTip(preset.description)
            action.triggered.connect(partial(self.files.new_from_preset, preset.name))

    def _update_recent_menu(self) -> None:
        menu = self.menu_actions.recent_menu
        menu.clear()
        recent = self.preferences.recent_files()
        for i, path in enumerate(recent, start=1):
            action = menu.addAction(f"&{i}  {path.name}")
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(partial(self.files.open_path, path))
        if recent:
            menu.addSeparator()
            menu.addAction("Clear list", self._on_clear_recent)
        menu.setEnabled(bool(recent))

    def _on_clear_recent(self) -> None:
        self.preferences.clear_recent_files()
        self._update_recent_menu()

    # -- training ---------------------------------------------------------------------
    def _on_train_triggered(self) -> None:
        self.editor.commit_pending()
        if self.controller.state == "running":
            self.controller.pause()
        elif self._ready_to_train():
            self.plots.banner.dismiss()
            self.controller.start()

    def _on_step_triggered(self) -> None:
        self.editor.commit_pending()
        if self.controller.state == "running" or self._ready_to_train():
            self.controller.step_epoch()

    # -- undo: a reset of the model first, else the typing ------------------------------
    def _on_undo(self) -> None:
        if self.edits.can_undo_reset():
            self.edits.undo_reset()
            self._model_restored()
        else:
            self.editor.text_edit.undo()

    def _on_redo(self) -> None:
        if self.edits.can_redo_reset():
            self.edits.redo_reset()
            self._model_restored()
        else:
            self.editor.text_edit.redo()

    def _model_restored(self) -> None:
        """After Undo/Redo of a reset: the banner of the other model goes, the status
        bar reads the model that is back, and the project has changed."""
        self.plots.banner.dismiss()
        self.status.reload()
        self.document.set_modified(True)

    def _update_undo_actions(self) -> None:
        a, doc = self.menu_actions, self.editor.text_edit.document()
        a.undo.setText(help_text.UNDO_RESET if self.edits.can_undo_reset() else "&Undo typing")
        a.redo.setText(help_text.REDO_RESET if self.edits.can_redo_reset() else "&Redo typing")
        a.undo.setEnabled(self.edits.can_undo_reset() or doc.isUndoAvailable())
        a.redo.setEnabled(self.edits.can_redo_reset() or doc.isRedoAvailable())

    def _on_reset_triggered(self) -> None:
        self.edits.reset_model()
        self.plots.banner.dismiss()
        self.status.reload()
        self.document.set_modified(True)

    def _ready_to_train(self) -> bool:
        if not self.edits.trainable:
            self.statusBar().showMessage(help_text.FIX_PROBLEMS, 5000)
            return False
        return True

    def _on_frame_ready(self, frame: Frame) -> None:
        if frame.reports and not frame.replaces_history:
            self.document.set_modified(True)

    def _on_training_failed(self, reason: str) -> None:
        self.plots.banner.show_message(f"<b>{help_text.DIVERGED_TITLE}.</b> {reason}", "error")

    def _on_training_unavailable(self, reason: str) -> None:
        text = help_text.NO_TRAINING_PROCESS.format(reason=html.escape(reason))
        action = (help_text.TRAIN_IN_WINDOW, self._train_in_window)
        self.plots.banner.show_message(text, "error", action)

    def _train_in_window(self) -> None:
        self.controller.use_thread()
        self.status.reload()
        self.statusBar().showMessage(help_text.TRAINING_IN_WINDOW, 8000)

    def _on_stop_condition_met(self, message: str) -> None:
        self.plots.banner.show_message(f"<b>Done.</b> {message} Training paused.", "info")

    def _update_training_actions(self) -> None:
        a, running = self.menu_actions, self.controller.state == "running"
        trainable = self.edits.trainable
        a.train.setText("&Pause" if running else "&Train")
        icon = "SP_MediaPause" if running else "SP_MediaPlay"
        a.train.setIcon(self.style().standardIcon(getattr(self.style().StandardPixmap, icon)))
        a.train.setEnabled(running or trainable)
        a.step.setEnabled(trainable)
        a.reset.setEnabled(trainable)

    def _on_refresh_rate_chosen(self) -> None:
        hz = int(self.menu_actions.refresh_combo.currentData())
        self.controller.set_refresh_rate(hz)
        self.preferences.set_refresh_rate(hz)

    def _on_log_scale_toggled(self, on: bool) -> None:
        self.menu_actions.log_scale.setChecked(on)
        self.preferences.set_log_scale(on)

    # -- title, layout, closing ----------------------------------------------------------
    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.document.display_name()}[*] \u2014 {APP_NAME}")

    def _restore_layout(self) -> None:
        geometry = self.preferences.state("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()
            self.resize(min(DEFAULT_SIZE[0], screen.width()), min(DEFAULT_SIZE[1], screen.height()))
        state = self.preferences.state("dock_state")
        if state is None or not self.restoreState(state):
            self._default_docks()
        for name, splitter in self.plots.splitters().items():
            blob = self.preferences.state(f"splitter_{name}")
            if blob is not None:
                splitter.restoreState(blob)

    def _default_docks(self) -> None:
        """Editor and settings stacked on the left; on a short screen, tabbed instead."""
        if self.height() < TALL_ENOUGH:
            self.tabifyDockWidget(self.sequences_dock, self.settings_dock)
            self.sequences_dock.raise_()
        width = 400 if self.width() >= 1500 else 350
        self.resizeDocks([self.sequences_dock], [width], Qt.Orientation.Horizontal)

    def _save_layout(self) -> None:
        self.preferences.set_state("geometry", self.saveGeometry())
        self.preferences.set_state("dock_state", self.saveState())
        for name, splitter in self.plots.splitters().items():
            self.preferences.set_state(f"splitter_{name}", splitter.saveState())
        self.preferences.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing:
            self.editor.commit_pending()
            if not self.files.maybe_save():
                event.ignore()
                return
            self._closing = True
            self.presenter.leave()  # save the layout as it is outside presentation mode
            self._save_layout()
        self.controller.shutdown()
        event.accept()
