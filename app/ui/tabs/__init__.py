"""The exploring tabs: Compare epochs, Inside the cell, RNN vs LSTM, Generate, State map."""
