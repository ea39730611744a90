"""The window's frame: the main window, actions and menus, status bar, dialogs, help
texts and the self-test."""
