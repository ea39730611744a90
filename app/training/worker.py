"""The training worker: lives on its own QThread and carries out the controller's jobs.

It waits (without spinning) until the controller asks for something, then trains:
in a training process of its own where the system allows it
(:mod:`app.training.process`, relayed from here), else right here with a
:class:`~app.training.loop.TrainLoop`.  Either way the window gets the same frames
and the same ends of runs.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot

from app.training.frames import Frame
from app.training.loop import Ended, TrainLoop
from app.training.process import ProcessRun, process_mode
from app.training.shared import Job, Shared

log = logging.getLogger(__name__)


class TrainingWorker(QObject):
    """Trains in :meth:`run` until ``shared.quit``; touches no widget.

    Signals
    -------
    frame_built(Frame, generation)
        New reports and the selected sequence's view (copies).
    run_ended(generation, run_id, how, message)
        A run stopped: ``how`` is loop.PAUSED, FINISHED (message says which condition)
        or FAILED (message says why).  Always preceded by a final frame.
    finished()
        :meth:`run` returned; the thread may quit.
    """

    frame_built = Signal(object, int)
    run_ended = Signal(int, int, str, str)
    finished = Signal()

    def __init__(self, shared: Shared, in_process: bool | None = None) -> None:
        super().__init__()  # no parent: it is moved to the worker thread
        self._s = shared
        self._loop = TrainLoop(shared, self._send_frame)
        self.in_process = process_mode() if in_process is None else in_process

    def _send_frame(self, frame: Frame, generation: int) -> None:
        self.frame_built.emit(frame, generation)

    @Slot()
    def run(self) -> None:
        """The worker's whole life: wait for a job, do it, repeat until told to quit."""
        s = self._s
        try:
            while True:
                with s.cond:
                    while not s.quit and (
                        s.hold or s.session is None or (s.command is None and not s.frame_wanted)
                    ):
                        s.cond.wait()
                    if s.quit:
                        return
                    s.busy = True
                    assert s.session is not None
                    job = Job(s.session, s.command, s.run_id if s.command else -1)
                    s.current_run = s.run_id if s.command else None
                    s.apply_pending_lr()
                    generation = s.generation
                ended: Ended | None = None
                try:
                    if job.command is None:
                        self._loop.emit_frame(job, running=False)
                    else:
                        ended = self._train(job)
                except Exception as exc:  # the app must outlive any bug in a run
                    log.exception("training failed")
                    ended = self._loop.fail(job, exc)
                finally:
                    with s.cond:
                        s.busy = False
                        s.current_run = None
                        s.cond.notify_all()
                if ended is not None:  # only now: "paused" means out of the trainer
                    self.run_ended.emit(generation, job.run_id, *ended)
        finally:
            with s.cond:
                s.ended = True
                s.cond.notify_all()
            self.finished.emit()

    def _train(self, job: Job) -> Ended | None:
        if self.in_process:
            run = ProcessRun(self._s, job, self._send_frame)
            try:
                return run.run()
            except OSError:  # e.g. no memory for another process: train here instead
                log.warning("no training process; training on the worker thread", exc_info=True)
                self.in_process = False
        return self._loop.train(job)
