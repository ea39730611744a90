"""The window: ``shell`` (main window, actions, status, dialogs), ``document`` (the open
project), ``train_tab``, ``tabs`` (the exploring views), ``plots``, ``widgets``."""
