"""The engine: NumPy only.  LSTM, GRU and vanilla RNN cells, loss and exact BPTT,
optimisers, the trainer (a generator of per-epoch reports), snapshots, history,
inference and generation."""
