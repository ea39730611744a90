"""The window's actions, menus and toolbar (built here, connected by the main window)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow, QMenu, QStyle, QToolBar

from app.ui.document.preferences import REFRESH_RATES
from app.ui.shell import help_text

Key = QKeySequence.StandardKey
FALLBACK_KEYS = {
    Key.New: "Ctrl+N",
    Key.Open: "Ctrl+O",
    Key.Save: "Ctrl+S",
    Key.SaveAs: "Ctrl+Shift+S",
    Key.Quit: "Ctrl+Q",
    Key.Undo: "Ctrl+Z",
    Key.Redo: "Ctrl+Shift+Z",
    Key.HelpContents: "F1",
}


@dataclass
class Actions:
    new: QAction
    open: QAction
    save: QAction
    save_as: QAction
    export_figure: QAction
    export_animation: QAction
    export_pytorch: QAction
    export_loss: QAction
    export_gates: QAction
    export_predictions: QAction
    export_history: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    train: QAction
    step: QAction
    reset: QAction
    log_scale: QAction
    documentation: QAction
    guide: QAction
    about: QAction
    recent_menu: QMenu
    presets_menu: QMenu
    view_menu: QMenu
    toolbar: QToolBar
    refresh_combo: QComboBox


def build_actions(window: QMainWindow) -> Actions:
    """Create every action with its shortcut and tooltip, the menu bar and the toolbar."""
    style = window.style()

    def action(text: str, shortcut: QKeySequence | Key | None = None, tip: str = "") -> QAction:
        a = QAction(text, window)
        if isinstance(shortcut, Key):
            bindings = QKeySequence.keyBindings(shortcut)
            # Some platforms (Windows' Save As, headless Linux's Quit) have no standard key.
            a.setShortcuts(bindings or [QKeySequence(FALLBACK_KEYS.get(shortcut, ""))])
        elif shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        if tip:
            a.setToolTip(tip)
            a.setStatusTip(tip.split("\n")[0])
        return a

    new = action("&New\u2026", Key.New, "Start a new project: empty or from an example.")
    open_ = action("&Open\u2026", Key.Open, "Open a saved project (.lstmproj).")
    save = action("&Save", Key.Save, "Save the project with its trained model.")
    save_as = action("Save &As\u2026", Key.SaveAs, "Save the project under a new name.")
    export_figure = action(
        "&Figure of this view\u2026",
        tip="Save the tab on screen as a picture for slides: PNG or SVG, 1920\u00d71080.",
    )
    export_animation = action(
        "&Animation of this view\u2026",
        tip="Save the tab on screen as an animated GIF for slides, 1920\u00d71080: the epochs "
        "replayed (Train, Compare epochs, RNN vs LSTM), the time steps (Inside the cell, "
        "State map) or the text written symbol by symbol (Generate).",
    )
    export_pytorch = action(
        "&PyTorch project\u2026",
        tip="Write this project as a folder PyTorch carries on from: model.py, the weights, "
        "the vocabulary and the text,\npredict.py and train.py (they need PyTorch, not "
        "this app). The same as 'lstm-playground export DIR --to pytorch'.",
    )
    export_loss = action("&Loss and accuracy plot\u2026", tip="Save the loss plot as PNG or SVG.")
    export_gates = action("&Gate heatmaps\u2026", tip="Save the gate heatmaps as PNG or SVG.")
    export_predictions = action(
        "&Prediction vector\u2026", tip="Save the prediction plot as PNG or SVG."
    )
    export_history = action(
        "Training &history (CSV)\u2026", tip="Save every epoch's loss and accuracy as a table."
    )
    quit_ = action("&Quit", Key.Quit, "Close LSTM Playground.")
    quit_.setMenuRole(QAction.MenuRole.QuitRole)
    undo = action("&Undo typing", Key.Undo, "Undo the last edit of the sequences.")
    redo = action("&Redo typing", Key.Redo, "Redo the last undone edit of the sequences.")

    train = action("&Train", QKeySequence(Qt.Key.Key_Space), help_text.TRAIN)
    train.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
    step = action("&Step one epoch", QKeySequence("Ctrl+E"), help_text.STEP)
    step.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipForward))
    reset = action("&Reset", QKeySequence("Ctrl+R"), help_text.RESET)
    reset.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
    log_scale = action("&Loss on log scale", QKeySequence("Ctrl+L"), help_text.LOG_SCALE)
    log_scale.setCheckable(True)
    documentation = action("&Documentation", Key.HelpContents, "Open the user guide.")
    guide = action(
        "&Guide: the lecture, step by step",
        tip="Walk through the lecture's lessons in the app, with pictures.\nThe dinner cycle, "
        "the menu that needs memory, Doug/Jane/Spot, the gates at epoch 1 and later.",
    )
    about = action("&About LSTM Playground", tip="Version and credits.")
    about.setMenuRole(QAction.MenuRole.AboutRole)

    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(new)
    file_menu.addAction(open_)
    recent_menu = file_menu.addMenu("Open &Recent")
    file_menu.addSeparator()
    file_menu.addAction(save)
    file_menu.addAction(save_as)
    export_menu = file_menu.addMenu("&Export")
    export_menu.addAction(export_figure)
    export_menu.addAction(export_animation)
    export_menu.addSeparator()
    for a in (export_loss, export_gates, export_predictions):
        export_menu.addAction(a)
    export_menu.addSeparator()
    export_menu.addAction(export_history)
    export_menu.addAction(export_pytorch)
    file_menu.addSeparator()
    file_menu.addAction(quit_)

    edit_menu = bar.addMenu("&Edit")
    edit_menu.addAction(undo)
    edit_menu.addAction(redo)

    presets_menu = bar.addMenu("&Presets")
    presets_menu.setToolTipsVisible(True)

    training_menu = bar.addMenu("&Training")
    for a in (train, step, reset):
        training_menu.addAction(a)

    view_menu = bar.addMenu("&View")
    view_menu.addAction(log_scale)
    view_menu.addSeparator()

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(documentation)
    help_menu.addAction(guide)
    help_menu.addAction(about)

    toolbar = QToolBar("Training")
    toolbar.setObjectName("trainingToolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setMovable(False)
    for a in (train, step, reset):
        toolbar.addAction(a)
    train_button = toolbar.widgetForAction(train)
    font = train_button.font()
    font.setBold(True)
    train_button.setFont(font)
    train_button.setMinimumWidth(84)  # "Train" and "Pause" take the same room
    toolbar.addSeparator()
    refresh_label = QLabel(" Plot refresh ")
    refresh_label.setToolTip(help_text.REFRESH_RATE)
    refresh_combo = QComboBox()
    for hz in REFRESH_RATES:
        refresh_combo.addItem(f"{hz} per second", hz)
    refresh_combo.setToolTip(help_text.REFRESH_RATE)
    refresh_combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    toolbar.addWidget(refresh_label)
    toolbar.addWidget(refresh_combo)
    window.addToolBar(toolbar)

    return Actions(
        new=new, open=open_, save=save, save_as=save_as, export_figure=export_figure,
        export_animation=export_animation, export_pytorch=export_pytorch,
        export_loss=export_loss,
        export_gates=export_gates, export_predictions=export_predictions,
        export_history=export_history, quit=quit_, undo=undo, redo=redo, train=train,
        step=step, reset=reset, log_scale=log_scale, documentation=documentation,
        guide=guide, about=about, recent_menu=recent_menu, presets_menu=presets_menu,
        view_menu=view_menu, toolbar=toolbar, refresh_combo=refresh_combo,
    )  # fmt: skip
