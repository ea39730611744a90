"""The "RNN vs LSTM" view: two networks trained on the same data from the same seed.

The project's own network and a second one (the *rival*, saved in the project file's
``rival`` section) train together or one after the other; their loss curves are
overlaid, and their predictions and generated text are shown side by side.
"""

from __future__ import annotations

from app.ui.tabs.rnn_vs_lstm.texts import TAB_TIP as VERSUS_TIP
from app.ui.tabs.rnn_vs_lstm.texts import TAB_TITLE as VERSUS_TITLE
from app.ui.tabs.rnn_vs_lstm.view import VersusView

__all__ = ["VERSUS_TIP", "VERSUS_TITLE", "VersusView"]
