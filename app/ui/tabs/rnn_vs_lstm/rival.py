"""The second model: its own training controller, on the project's data and seed.

The window's controller trains the project's model; this one trains the rival, built
as a project of its own (:meth:`Project.rival_project`: the same text, tokenizer and
seed, the rival's shape, settings and state).  The view decides *when* to train; this
class only installs, resets, captures (for saving) and shuts down.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject

from app.data import DataError
from app.engine.config import ConfigError, ModelConfig, TrainConfig
from app.project import Project, RivalModel
from app.training.controller import TrainingController


def usable(project: Project) -> bool:
    """Can ``project``'s text be trained on (and so a second network be built on it)?"""
    try:
        project.data()
    except DataError:
        return False
    return True


def data_key(project: Project) -> tuple[str, str, int]:
    """What the rival shares with the project: a change means a fresh rival."""
    return project.text, project.tokenizer, project.seed


class RivalSide(QObject):
    """The second :class:`TrainingController` and the rival project it trains."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = TrainingController(self)
        self.project: Project | None = None
        """The rival as a project (None: nothing installed, e.g. the text is unusable)."""
        self.error = ""
        self._key: tuple[str, str, int] | None = None

    @property
    def model(self) -> ModelConfig | None:
        return None if self.project is None else self.project.model

    def install(self, project: Project, rival: RivalModel) -> bool:
        """Train ``rival`` next to ``project`` from now on (its state resumes exactly).

        False (and :attr:`error` says why) when it cannot be trained on this text.
        """
        self.controller.pause()
        try:
            rival_project = replace(project, rival=rival, ui={}).rival_project()
            self.controller.set_project(rival_project)
        except (DataError, ConfigError, ValueError) as exc:
            self.project, self._key, self.error = None, None, str(exc)
            return False
        self.project, self._key, self.error = rival_project, data_key(project), ""
        return True

    def install_fresh(self, project: Project, model: ModelConfig, train: TrainConfig) -> bool:
        """A new, untrained rival of shape ``model`` trained with ``train``.

        Same seed, so its initial weights are exactly a fresh trainer's for that shape.
        """
        model = replace(model, vocab_size=project.model.vocab_size)
        return self.install(project, RivalModel(model, train))

    def fits(self, project: Project) -> bool:
        """Was the rival built on ``project``'s text, tokenizer and seed?"""
        return self.project is not None and self._key == data_key(project)

    def is_trained(self) -> bool:
        """Would a reset lose training (epochs done, or training or stopped mid-epoch)?"""
        return self.project is not None and (
            self.controller.epoch > 0 or self.controller.state != "idle"
        )

    def capture(self) -> RivalModel | None:
        """The rival's exact state for saving; None when it has not trained at all."""
        if self.project is None:
            return None
        snapshot = replace(self.project)
        self.controller.capture_into(snapshot)
        state = snapshot.trainer_state
        if state is None or state.total_updates == 0:
            return None
        return RivalModel(snapshot.model, snapshot.train, state)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """End the rival's training process and wait for it; True when it is gone."""
        return self.controller.shutdown(timeout_ms)
