"""The experiment on *Inside the cell*: the panel, the untouched run beside the intervened
one, and the clamped gates pinned on the diagram.

The diagram shows the intervened run (its gates, memory, prediction); the strip under
the panel lines the sequence up — the symbol read, what the untouched network predicts,
what it predicts with the experiment, right (✓) or wrong (✗) — with the current step
framed, then the one-line reading from :func:`app.analysis.experiment.reading`.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QRectF, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import (
    QGraphicsRectItem,
    QGraphicsTextItem,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.analysis.sequence_view import SequenceView, view_at
from app.data.dataset import SequenceData
from app.engine.intervene import ALL, Intervention
from app.engine.network import Network
from app.engine.snapshots import Snapshot
from app.ui.document.document import Document
from app.ui.document.experiment import NONE, Experiment
from app.ui.plots import _theme as theme
from app.ui.tabs.cell.canvas import CellCanvas
from app.ui.tabs.cell.diagram import Diagram
from app.ui.tabs.cell.items import text
from app.ui.widgets.experiment_panel import ACCENT, ExperimentPanel
from app.ui.widgets.experiment_strip import comparison_html

WIPE_TIP = "Wipe the memory (c and h set to 0) just before the step shown: it starts from nothing."


def marks(
    intervention: Intervention, t: int, model_clamp: tuple[tuple[str, float], ...] = ()
) -> list[tuple[str, str]]:
    """(vector, label) for each thing pinned on the diagram at step ``t``: the gates the
    model itself holds fixed (``ModelConfig.clamp``: it was trained so), then what the
    experiment holds, knocks out or wipes."""
    out = [
        (gate, f"pinned: held at {value:g} by the model (trained so)")
        for gate, value in model_clamp
    ]
    for c in intervention.clamps:
        units = "" if c.units is None else f" (units {', '.join(map(str, c.units))})"
        out.append((c.gate, f"pinned: held at {c.value:g}{units}"))
    if intervention.knockout:
        who = "all" if intervention.knockout == ALL else ", ".join(map(str, intervention.knockout))
        out += [(key, f"knocked out: {who}") for key in ("hidden", "cell")]
    if intervention.wipe_after == t and t > 0:
        out += [(key, "wiped before this step") for key in ("hidden_prev", "cell_prev")]
    return out


class Pins:
    """A dashed orange frame and a label on each vector the experiment pins down."""

    def __init__(self) -> None:
        self._items: list[QGraphicsRectItem] = []
        self._diagram: Diagram | None = None  # (kept: its scene holds the pins)
        self._shown: list[tuple[str, str]] = []
        self._rect: QRectF | None = None  # the drawing's own extent, without pins

    def show(
        self,
        diagram: Diagram,
        intervention: Intervention,
        t: int,
        model_clamp: tuple[tuple[str, float], ...] = (),
    ) -> bool:
        """Pin what the model and ``intervention`` hold at step ``t``; True if the
        drawing changed."""
        pinned = marks(intervention, t, model_clamp)
        wanted = [(k, label) for k, label in pinned if k in diagram.vectors]
        if diagram is self._diagram and wanted == self._shown:
            return False
        if diagram is self._diagram:
            for item in self._items:  # same scene: take the old pins away
                diagram.scene.removeItem(item)
        else:
            self._rect = None  # another diagram: the old pins went with its scene
        self._diagram, self._items, self._shown = diagram, [], wanted
        for key, label in wanted:
            vector = diagram.vectors[key]
            r = vector.rect()
            pin = QGraphicsRectItem(QRectF(r.x() - 4, r.y() - 4, r.width() + 8, r.height() + 8))
            pin.setPen(QPen(QColor(ACCENT), 3.0, Qt.PenStyle.DashLine))
            pin.setBrush(QBrush(Qt.BrushStyle.NoBrush))
            pin.setPos(vector.pos())
            pin.setZValue(5)
            words: QGraphicsTextItem = text(pin, f"<b>{label}</b>", (0, 0), size=15, color=ACCENT)
            words.setPos(r.x(), r.bottom() + 3)
            pin.setToolTip(f"Experiment: {label}.")
            diagram.scene.addItem(pin)
            self._items.append(pin)
        # A label below the lowest vector (h_t−1) would be cut off: grow the drawing.
        area = self._rect if self._rect is not None else diagram.scene.sceneRect()
        self._rect = area
        for pin in self._items:
            area = area.united(
                pin.sceneBoundingRect()
                .united(pin.mapRectToScene(pin.childrenBoundingRect()))
                .adjusted(0, 0, 0, 6)
            )
        diagram.scene.setSceneRect(area)
        return True

    def count(self) -> int:
        return len(self._items)


class CellExperiment(QWidget):
    """The panel with "Wipe memory here", and the comparison strip (hidden with no experiment)."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.experiment = Experiment.of(document)
        self.panel = ExperimentPanel(self.experiment)
        self.wipe_here = QPushButton("Wipe memory here")
        self.wipe_here.setToolTip(WIPE_TIP)
        self.panel.add_to_header(self.wipe_here)
        self.compare = QLabel()
        self.compare.setTextFormat(Qt.TextFormat.RichText)
        self.compare.setWordWrap(True)
        self.compare.hide()
        self.pins = Pins()
        self._step = 0
        self._used: Intervention | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.panel)
        layout.addWidget(self.compare)
        self.wipe_here.clicked.connect(self._on_wipe_here)

    @property
    def intervention(self) -> Intervention | None:
        """The experiment the runs on screen were made with (None: none)."""
        return self._used

    def runs(
        self, network: Network, snapshot: Snapshot, data: SequenceData, index: int
    ) -> tuple[SequenceView, SequenceView]:
        """The untouched run of sequence ``index`` and the one with the experiment (the
        same object when there is no experiment that fits ``network``)."""
        plain = view_at(network, snapshot, data, index)
        self._used = self.experiment.fitting(network.config)
        if self._used is None:
            return plain, plain
        return plain, view_at(network, snapshot, data, index, self._used)

    def title(self, html_title: str) -> str:
        """The diagram's headline, saying when it shows the run with the experiment."""
        if self._used is None:
            return html_title
        return f"<span style='color:{ACCENT}'><b>With the experiment ·</b></span> {html_title}"

    def show_step(
        self, canvas: CellCanvas, plain: SequenceView, changed: SequenceView | None, t: int
    ) -> None:
        """Pin the clamped gates and line the two runs up at step ``t`` (0-based)."""
        self._step = t
        self.wipe_here.setEnabled(t > 0)
        self.wipe_here.setText(f"Wipe memory before step {t + 1}")
        iv = self._used if changed is not None and changed is not plain else None
        model_clamp = self.experiment.config.clamp
        if canvas.diagram is not None and self.pins.show(
            canvas.diagram, iv or NONE, t, model_clamp
        ):
            canvas.fit()  # the pins' labels may have grown the drawing
        if iv is None or changed is None:
            self.compare.hide()
            return
        theme.set_label_text(self.compare, comparison_html(plain, changed, iv, t))
        self.compare.show()

    @Slot()
    def _on_wipe_here(self) -> None:
        iv = self.experiment.intervention
        self.panel.apply(replace(iv, wipe_after=self._step))
