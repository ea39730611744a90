"""The open project: the document, the edits that change it, files, preferences."""
