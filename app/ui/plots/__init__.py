"""Live plots: loss and accuracy, gate heatmaps, and the prediction vector.

Widgets only draw what they are given (epoch reports and sequence views); they hold
no training logic.  Each sets its own light theme, so no global pyqtgraph
configuration is needed.
"""

from __future__ import annotations

from app.ui.plots.gate_heatmaps import GateHeatmaps
from app.ui.plots.heatmap import Heatmap
from app.ui.plots.loss_plot import LossPlot
from app.ui.plots.prediction_view import PredictionView

__all__ = ["GateHeatmaps", "Heatmap", "LossPlot", "PredictionView"]
