"""A project trained with a gate held fixed still gets its RNN-vs-LSTM contrast."""

from __future__ import annotations

from app.engine.config import ModelConfig
from app.ui.tabs.rnn_vs_lstm.choice import VersusChoice, default_rival


def test_the_rival_of_a_clamped_lstm_is_an_ordinary_rnn() -> None:
    main = ModelConfig(kind="lstm", vocab_size=5, hidden_size=8, clamp=(("forget", 1.0),))
    rival = default_rival(main)
    assert (rival.kind, rival.clamp, rival.hidden_size) == ("rnn", (), 8)
    assert VersusChoice(kind="gru").rival_model(main).clamp == ()
