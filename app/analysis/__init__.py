"""What the views show, computed without Qt: sequence and epoch views, stop conditions,
state-map projections, roll-outs, the RNN-vs-LSTM comparison, cell values and the
plotted metric columns.  The CLI may use all of it; an import-linter contract keeps Qt out.
"""
