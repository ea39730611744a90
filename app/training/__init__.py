"""Training in a process of its own, and the window's side of its one connection.

``process`` (the training process: owns the trainer, obeys commands), ``messages``
(every command and event), ``session`` (the trainer as either side holds it),
``connection`` (start the process, send, receive), ``supervisor`` (keep one going:
wake the window, wait, restart), ``credit`` (pace the frames), ``controller`` (the
window's API).  Only ``supervisor``, ``credit`` and ``controller`` import Qt; the
process never does.
"""
