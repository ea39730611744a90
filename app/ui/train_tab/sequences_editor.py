"""The sequences editor: the learner's text, how it is cut into symbols, and its problems.

Typing is checked live (problems underlined in the editor and listed below it), and a
usable text is handed to :class:`~app.ui.document.edits.ProjectEdits` a moment after typing
stops.  Editing the text of a trained model never interrupts the typing and never resets
anything: the edits wait, announced by a bar above the editor with two buttons, "Apply and
reset the model" and "Undo edits" (no keyboard mnemonics, so typed letters cannot press
them).  Choosing how the text is read (one sequence per line, or one stream) waits the
same way; the window (steps per update) is a setting that asks before it resets.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.data import (
    NEWLINE,
    DataError,
    SequenceMode,
    TokenizerSpec,
    Vocabulary,
    check_mode,
    check_text,
    tokenize_text,
)
from app.data.checks import analyse
from app.ui.document.document import Document
from app.ui.document.edits import ProjectEdits, train_for_mode
from app.ui.shell import help_text
from app.ui.train_tab.token_preview import preview_html, vocabulary_html
from app.ui.widgets.line_editor import ERROR_COLOR, WARNING_COLOR, LineEditor

DEBOUNCE_MS = 300
TOKENIZER_CHOICES = (("words", "Words"), ("chars", "Characters"), ("sep", "Separator:"))
MAX_WINDOW = 100_000


class SequencesEditor(QWidget):
    """Text editor, tokeniser choice, token preview, vocabulary and problem list."""

    def __init__(
        self, document: Document, edits: ProjectEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._edits = edits
        self._loading = False
        self._has_errors = False
        self._counts = ""  # "12 sequences, 80 predictions per epoch" of a usable text

        self.tokenizer_combo = QComboBox()
        for kind, label in TOKENIZER_CHOICES:
            self.tokenizer_combo.addItem(label, kind)
        self.tokenizer_combo.setToolTip(help_text.TOKENIZER)
        self.separator_edit = QLineEdit()
        self.separator_edit.setPlaceholderText("e.g. ,")
        self.separator_edit.setMaximumWidth(70)
        self.separator_edit.setToolTip(help_text.SEPARATOR)
        row = QHBoxLayout()
        row.addWidget(QLabel("Symbols are"))
        row.addWidget(self.tokenizer_combo)
        row.addWidget(self.separator_edit)
        row.addStretch(1)

        self.mode_combo = QComboBox()
        for mode, label in help_text.SEQUENCES_MODE_CHOICES:
            self.mode_combo.addItem(label, mode)
        self.mode_combo.setToolTip(help_text.SEQUENCES_MODE)
        self.mode_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.mode_combo.setMinimumContentsLength(12)
        mode_label = QLabel("Read as")
        mode_label.setToolTip(help_text.SEQUENCES_MODE)
        mode_row = QHBoxLayout()
        mode_row.addWidget(mode_label)
        mode_row.addWidget(self.mode_combo, 1)
        self.window_spin = QSpinBox()
        self.window_spin.setRange(0, MAX_WINDOW)
        self.window_spin.setSuffix(" steps")
        self.window_spin.setKeyboardTracking(False)  # one change when typing ends
        self.window_spin.setToolTip(help_text.WINDOW)
        window_label = QLabel("Window")
        window_label.setToolTip(help_text.WINDOW)
        window_row = QHBoxLayout()
        window_row.addWidget(window_label)
        window_row.addWidget(self.window_spin)
        window_row.addStretch(1)

        self.text_edit = LineEditor()
        self.text_edit.setPlaceholderText(help_text.EDITOR_PLACEHOLDER)
        self.text_edit.setToolTip(help_text.EDITOR)
        # Four lines at least: a short dock scrolls (see below) rather than hide the text.
        lines = self.text_edit.fontMetrics().lineSpacing() * 4
        self.text_edit.setMinimumHeight(lines + 2 * self.text_edit.frameWidth() + 8)
        self.preview = _rich_label(help_text.TOKEN_PREVIEW)
        self.vocabulary = _rich_label(help_text.VOCABULARY)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setToolTip(help_text.PROBLEMS)
        self.problems.setMaximumHeight(96)
        self.problems.setWordWrap(True)

        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.title.setToolTip(help_text.DESCRIPTION)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: #4a5568;")
        self.description.setToolTip(help_text.DESCRIPTION)

        # Everything scrolls as one page when the dock is short (a projector at scale 1.5,
        # or tabbed with the settings): a wrapped label is never squeezed below the
        # height its text needs, which cut the preset's description off top and bottom.
        content = QWidget()
        self.page = QScrollArea()
        self.page.setObjectName("sequencesScroll")
        self.page.setWidgetResizable(True)
        self.page.setFrameShape(QFrame.Shape.NoFrame)
        self.page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.page)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.description)
        layout.addLayout(row)
        layout.addLayout(mode_row)
        layout.addLayout(window_row)
        layout.addWidget(self._build_pending_bar())
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.preview)
        layout.addWidget(self.vocabulary)
        layout.addWidget(self.status)
        layout.addWidget(self.problems)
        self.page.setWidget(content)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._apply)

        self.text_edit.textChanged.connect(self._on_text_changed)
        self.tokenizer_combo.currentIndexChanged.connect(self._on_tokenizer_changed)
        self.separator_edit.textEdited.connect(self._on_tokenizer_changed)
        self.mode_combo.currentIndexChanged.connect(self._on_tokenizer_changed)
        self.window_spin.valueChanged.connect(self._on_window_changed)
        self.problems.itemActivated.connect(self._on_problem_activated)
        self.problems.itemClicked.connect(self._on_problem_activated)
        document.replaced.connect(self._update_from_project)
        document.edited.connect(self._update_title)
        document.edited.connect(self._show_window)
        edits.pending_changed.connect(self._update_pending_bar)
        edits.restored.connect(self._on_restored)
        self._update_from_project()

    def minimumSizeHint(self) -> QSize:
        """Never narrower than the rows that cannot wrap (there is no sideways scrolling)."""
        content = self.page.widget()
        if content is None:
            return super().minimumSizeHint()
        bar = self.page.verticalScrollBar().sizeHint().width()
        return QSize(content.minimumSizeHint().width() + bar, super().minimumSizeHint().height())

    def _build_pending_bar(self) -> QFrame:
        """The non-modal "your edits are waiting" bar (hidden while nothing waits)."""
        self.pending_bar = QFrame()
        self.pending_bar.setObjectName("pendingBar")
        self.pending_bar.setStyleSheet(
            "#pendingBar { background: #fefcbf; border: 1px solid #d69e2e; border-radius: 4px; }"
            " QLabel { color: #1a202c; }"
        )
        self.pending_label = QLabel()
        self.pending_label.setWordWrap(True)
        self.pending_label.setTextFormat(Qt.TextFormat.RichText)
        # Never squeezed below its wrapped height: the editor below gives way instead.
        self.pending_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.pending_bar.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        # Plain texts: no "&" mnemonic, so no typed letter can press them.
        self.apply_button = QPushButton(help_text.PENDING_APPLY)
        self.apply_button.setToolTip(help_text.PENDING_APPLY_TIP)
        self.discard_button = QPushButton(help_text.PENDING_DISCARD)
        self.discard_button.setToolTip(help_text.PENDING_DISCARD_TIP)
        for button in (self.apply_button, self.discard_button):
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click never steals the caret
        self.apply_button.clicked.connect(self._on_apply_clicked)
        self.discard_button.clicked.connect(self._on_discard_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self.pending_bar)
        box.setContentsMargins(8, 6, 8, 6)
        box.addWidget(self.pending_label)
        box.addLayout(buttons)
        self.pending_bar.setVisible(False)
        return self.pending_bar

    # -- public -------------------------------------------------------------------------
    def commit_pending(self) -> None:
        """Apply typing that is still waiting for the debounce (before Train or Save)."""
        if self._timer.isActive():
            self._timer.stop()
            self._apply()

    def tokenizer_string(self) -> str:
        """The chosen tokeniser in its stored form; raises DataError if incomplete."""
        kind = self.tokenizer_combo.currentData()
        if kind == "sep":
            return TokenizerSpec("sep", self.separator_edit.text()).to_string()
        return str(kind)

    def mode(self) -> SequenceMode:
        """How the editor's text is to be read: ``"lines"`` or ``"stream"``."""
        return check_mode(self.mode_combo.currentData())

    # -- reacting to the learner -------------------------------------------------------------
    def _on_text_changed(self) -> None:
        if not self._loading:
            self._timer.start()  # never a question here: typing is never interrupted

    def _on_tokenizer_changed(self) -> None:
        if self._loading:
            return
        self._update_separator_visibility()
        self._apply()

    def _on_window_changed(self, value: int) -> None:
        if self._loading:
            return
        if not self._edits.change_settings(tbptt_window=int(value)):
            self._show_window()  # cancelled or refused: show the window really in use

    def _on_apply_clicked(self) -> None:
        self.commit_pending()
        self._edits.apply_pending()
        self._update_pending_bar()
        self.text_edit.setFocus()

    def _on_discard_clicked(self) -> None:
        self._timer.stop()
        self._edits.discard_pending()
        self._show_project_text()
        self.text_edit.setFocus()

    def _on_restored(self) -> None:
        """An undo or redo of a reset put another project back: show its text."""
        self._timer.stop()
        self._show_project_text()

    def _update_pending_bar(self) -> None:
        pending = self._edits.pending is not None
        self.pending_bar.setVisible(pending)
        self._update_ready()
        self._show_window()
        if not pending:
            return
        if self._has_errors:
            self.pending_label.setText(f"{help_text.PENDING_EDITS} {help_text.PENDING_FIX}")
        else:
            self.pending_label.setText(help_text.PENDING_EDITS)
        self.apply_button.setEnabled(not self._has_errors)

    def _on_problem_activated(self, item: QListWidgetItem) -> None:
        line = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(line, int):
            self.text_edit.go_to_line(line)

    # -- applying -------------------------------------------------------------------------
    def _apply(self) -> None:
        self._timer.stop()
        text = self.text_edit.toPlainText()
        try:
            tokenizer = self.tokenizer_string()
        except DataError as exc:
            self._show_analysis(text, None, str(exc))
            return
        self._edits.propose_text(text, tokenizer, self.mode())
        self._show_analysis(text, TokenizerSpec.parse(tokenizer), "")
        self._update_pending_bar()

    def _show_project_text(self) -> None:
        """Put the project's text and tokeniser back, the text as one undoable edit."""
        project = self._document.project
        if self.text_edit.toPlainText() != project.text:
            self._loading = True
            cursor = QTextCursor(self.text_edit.document())
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(project.text)
            self._loading = False
        self._show_tokenizer(project.tokenizer, project.sequences)
        self._analyse(project.text, project.tokenizer)

    def _update_from_project(self) -> None:
        self._timer.stop()
        project = self._document.project
        # Edits a save kept waiting come back waiting (the project holds the model's text).
        pending = self._edits.pending
        text, tokenizer, mode = pending or (project.text, project.tokenizer, project.sequences)
        self._loading = True
        self.text_edit.setPlainText(text)  # a new document: fresh undo history
        self._show_tokenizer(tokenizer, mode)
        self._loading = False
        self._update_title()
        self._analyse(text, tokenizer)

    def _analyse(self, text: str, tokenizer: str) -> None:
        try:
            spec: TokenizerSpec | None = TokenizerSpec.parse(tokenizer)
            error = ""
        except DataError as exc:
            spec, error = None, str(exc)
        self._show_analysis(text, spec, error)
        self._update_pending_bar()

    def _update_title(self) -> None:
        """The project's title and description (an own text has no preset's title)."""
        project = self._document.project
        self.title.setText(project.title)
        self.title.setVisible(bool(project.title))
        self.description.setText(project.description)
        self.description.setVisible(bool(project.description))

    def _show_tokenizer(self, tokenizer: str, mode: SequenceMode) -> None:
        loading, self._loading = self._loading, True
        try:
            spec = TokenizerSpec.parse(tokenizer)
        except DataError:
            spec = TokenizerSpec("words")
        self.tokenizer_combo.setCurrentIndex(self.tokenizer_combo.findData(spec.kind))
        self.separator_edit.setText(spec.separator)
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(mode))
        self._update_separator_visibility()
        self._show_window()
        self._loading = loading

    def _show_window(self) -> None:
        """The project's window; a stream needs one, lines may train whole (0).  While
        another mode waits to be applied, the window it will get, greyed."""
        project = self._document.project
        mode = self.mode()
        train = train_for_mode(project.train, project.sequences, mode)
        stream = mode == "stream"
        loading, self._loading = self._loading, True
        self.window_spin.setMinimum(1 if stream else 0)
        self.window_spin.setSpecialValueText("" if stream else "whole lines")
        self.window_spin.setValue(train.tbptt_window)
        self.window_spin.setEnabled(mode == project.sequences)
        self._loading = loading

    def _update_separator_visibility(self) -> None:
        self.separator_edit.setVisible(self.tokenizer_combo.currentData() == "sep")

    # -- showing the analysis ----------------------------------------------------------------
    def _show_analysis(self, text: str, spec: TokenizerSpec | None, error: str) -> None:
        self._has_errors = True
        if spec is None:
            self.text_edit.set_marks({})
            self.preview.setText("")
            self.vocabulary.setText("")
            self._list_problems([(None, error, "error")])
            self._set_status(help_text.FIX_PROBLEMS, ok=False)
            return
        mode = self.mode()
        problems = check_text(text, spec, mode)
        marks: dict[int, tuple[str, str]] = {}
        for p in problems:
            if p.line is not None and (p.line not in marks or p.is_error):
                marks[p.line] = (p.severity, p.message)
        self._list_problems([(p.line, p.message, p.severity) for p in problems])
        self.text_edit.set_marks(marks)
        self.preview.setText(preview_html(text, spec, stream=mode == "stream"))
        if mode == "stream":
            sequences = [list(p) for p in analyse(text, spec, mode).tokens]
        else:
            sequences = tokenize_text(text, spec)
        symbols = Vocabulary.from_sequences(sequences).symbols if sequences else ()
        self.vocabulary.setText(vocabulary_html(symbols))
        if any(p.is_error for p in problems):
            self._set_status(help_text.FIX_PROBLEMS, ok=False)
        else:
            self._has_errors = False
            self._counts = _counts(sequences, mode)
            self._update_ready()

    def _update_ready(self) -> None:
        """A usable text is ready to train, or waits to be applied (the bar is shown)."""
        if self._has_errors or not self._counts:
            return
        if self._edits.pending is not None:
            self._set_status(help_text.PENDING_STATUS.format(counts=self._counts), ok=True)
        else:
            self._set_status(f"Ready to train: {self._counts}.", ok=True)

    # -- the problems list ---------------------------------------------------------------
    def _list_problems(self, problems: list[tuple[int | None, str, str]]) -> None:
        """``(line, message, severity)`` under the editor: errors first (they stop
        training; warnings only advise), each with the style's icon, not a font glyph."""
        self.problems.clear()
        style = self.style()
        icons = {
            "error": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            "warning": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
        }
        ordered = sorted(problems, key=lambda p: p[2] != "error")  # stable: lines in order
        for line, message, severity in ordered:
            where = f"Line {line}: " if line is not None else ""
            item = QListWidgetItem(icons.get(severity, icons["warning"]), f"{where}{message}")
            item.setForeground(QColor(ERROR_COLOR if severity == "error" else WARNING_COLOR))
            item.setData(Qt.ItemDataRole.UserRole, line)
            item.setToolTip(message)
            self.problems.addItem(item)
        self.problems.scrollToTop()
        self.problems.setVisible(self.problems.count() > 0)

    def _set_status(self, message: str, ok: bool) -> None:
        color = "#276749" if ok else ERROR_COLOR.name()
        self.status.setText(f'<span style="color:{color};">{message}</span>')


def _counts(sequences: list[list[str]], mode: SequenceMode) -> str:
    """ "12 sequences, 80 predictions per epoch", or for a stream its symbols and lines."""
    if mode == "stream":
        n = sum(len(s) for s in sequences)
        breaks = sum(s[-1:] == [NEWLINE] for s in sequences)
        return f"one stream of {n:,} symbols ({breaks:,} line breaks), {n - 1:,} predictions"
    usable = [s for s in sequences if len(s) >= 2]
    steps = sum(len(s) - 1 for s in usable)
    return f"{len(usable):,} sequences, {steps:,} predictions per epoch"


def _rich_label(tooltip: str) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setToolTip(tooltip)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label
