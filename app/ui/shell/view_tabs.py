"""The window's centre: one tab per way of looking at the network.

"Train" is the live dashboard (:class:`PlotsArea`).  Each further view is a widget
built from the training controller and the document; it keeps its own selections in
``project.ui[<its key>]`` so they are saved with the project.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTabWidget, QWidget

from app.ui.document.document import Document
from app.ui.train_tab.plots_area import PlotsArea

if TYPE_CHECKING:
    from app.training.controller import TrainingController


class ViewTabs(QTabWidget):
    """Tabs holding the dashboard and the views added for comparing and exploring."""

    def __init__(
        self,
        controller: TrainingController,
        document: Document,
        plots: PlotsArea,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("viewTabs")
        self.setDocumentMode(True)
        self._controller = controller
        self._document = document
        self.plots = plots
        self.addTab(plots, "Train")
        self.setTabToolTip(0, "Watch the network learn: loss, predictions and gates, live.")

    def add_view(self, widget: QWidget, title: str, tooltip: str) -> None:
        """Add a view as a tab (views are added in the order the guide teaches them)."""
        index = self.addTab(widget, title)
        self.setTabToolTip(index, tooltip)
