"""A project: the learner's text, how it is tokenised, the model, training settings and state."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from app.data.dataset import DEFAULT_STREAM_WINDOW, SequenceData, split_validation, stream_cut
from app.data.errors import DataError
from app.data.tokenize import SequenceMode, TokenizerSpec, check_mode
from app.engine.config import ModelConfig, TrainConfig
from app.engine.network import Network
from app.engine.params import ParamSet
from app.engine.trainer import Trainer, TrainerState, initial_params, seed_generators

DEFAULT_SEED = 1


@dataclass(eq=False)  # arrays inside: compare fields explicitly, not with ==
class RivalModel:
    """A second model trained on the project's text from the project's seed, for comparing.

    Say a vanilla RNN next to the project's LSTM, or the same kind with another hidden
    size.  It has its own shape, training settings and training state; the text, the
    tokenizer and the seed (so the validation split and the shuffling) are the
    project's.  ``model.vocab_size`` always equals the project's.
    """

    model: ModelConfig
    train: TrainConfig
    trainer_state: TrainerState | None = None


@dataclass(eq=False)  # arrays inside: compare fields explicitly, not with ==
class Project:
    """Everything a ``.lstmproj`` file holds.

    ``model.vocab_size`` always equals the size of the vocabulary built from ``text``.
    ``trainer_state`` is ``None`` for an untrained project; otherwise it holds the
    weights, optimiser and generator state, history and snapshots, so training
    resumes exactly where it stopped.  ``ui`` is free-form view state (selections,
    comparisons) owned by the desktop app; the engine never reads it.  ``rival`` is an
    optional second model trained on the same data from the same seed (``None``: none).

    ``sequences`` says how the text becomes sequences: ``"lines"`` (one per line) or
    ``"stream"`` (the whole text is one, trained in windows of ``train.tbptt_window``
    steps, which must then be at least 1; the rival's too).
    """

    text: str
    tokenizer: str = "words"
    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    seed: int = DEFAULT_SEED
    title: str = ""
    description: str = ""
    preset: str | None = None
    trainer_state: TrainerState | None = None
    ui: dict[str, Any] = field(default_factory=dict)
    rival: RivalModel | None = None
    sequences: SequenceMode = "lines"

    def __post_init__(self) -> None:
        """Refuse a mode that is unknown, or a stream without a truncation window."""
        check_mode(self.sequences)
        if self.sequences == "stream":
            trains = [self.train] if self.rival is None else [self.train, self.rival.train]
            if any(t.tbptt_window < 1 for t in trains):
                raise DataError(
                    "stream mode needs a truncation window of at least 1 step "
                    "(the text is trained in windows of that many symbols)"
                )

    @classmethod
    def from_text(
        cls,
        text: str,
        tokenizer: str = "words",
        model: ModelConfig | None = None,
        train: TrainConfig | None = None,
        seed: int = DEFAULT_SEED,
        sequences: SequenceMode = "lines",
        **kwargs: Any,
    ) -> Project:
        """A new, untrained project; the vocabulary size is taken from the text.

        Without ``train``, a stream trains in windows of
        :data:`~app.data.dataset.DEFAULT_STREAM_WINDOW` steps.  Raises
        :class:`app.data.errors.DataError` when the text, tokenizer or mode is unusable
        (a stream with a ``train`` whose window is 0, too).
        """
        data = SequenceData.from_text(text, TokenizerSpec.parse(tokenizer), mode=sequences)
        model = replace(model or ModelConfig(), vocab_size=len(data.vocabulary))
        if train is None:
            train = TrainConfig()
            if sequences == "stream":
                train = replace(train, tbptt_window=DEFAULT_STREAM_WINDOW)
        return cls(text=text, tokenizer=tokenizer, model=model, train=train, seed=seed,
                   sequences=sequences, **kwargs)  # fmt: skip

    def data(self) -> SequenceData:
        """The text tokenised, checked and encoded (raises DataError when unusable)."""
        spec = TokenizerSpec.parse(self.tokenizer)
        return SequenceData.from_text(self.text, spec, mode=self.sequences)

    def split(self, data: SequenceData | None = None) -> tuple[list[int], list[int]]:
        """Indices of the training and validation sequences (seeded by the project's seed).

        In stream mode, of the excerpts: those starting before the cut of
        :meth:`stream_split` train, the rest (the end of the text) are held out.
        """
        data = data or self.data()
        if data.stream is not None:
            assert data.excerpt_starts is not None
            cut = stream_cut(len(data.stream), self.train.validation_split)
            n_train = int(np.searchsorted(data.excerpt_starts, cut, side="left"))
            return list(range(n_train)), list(range(n_train, data.n_sequences))
        rng = seed_generators(self.seed)["split"]
        train_idx, val_idx = split_validation(data.n_sequences, self.train.validation_split, rng)
        return train_idx.tolist(), val_idx.tolist()

    def stream_split(self, data: SequenceData | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Stream mode: the ids that train and those held out (the last fraction, maybe
        empty), read-only views of the stream.  ``ValueError`` in lines mode."""
        data = data or self.data()
        if data.stream is None:
            raise ValueError("only a project in stream mode has one stream to split")
        cut = stream_cut(len(data.stream), self.train.validation_split)
        return data.stream[:cut], data.stream[cut:]

    def make_trainer(self, measure_start: bool = True) -> Trainer:
        """A trainer at this project's state (fresh from the seed if untrained).

        ``measure_start``: see :class:`Trainer` (a stored state brings its own metrics,
        so they are never measured for one).
        """
        data = self.data()
        if len(data.vocabulary) != self.model.vocab_size:
            raise ValueError(
                f"the text has {len(data.vocabulary)} symbols but the model was built for "
                f"{self.model.vocab_size}"
            )
        measure = measure_start and self.trainer_state is None
        if data.stream is not None:
            train_ids, val_ids = self.stream_split(data)
            trainer = Trainer(self.model, self.train, [train_ids], [val_ids], seed=self.seed,
                              measure_start=measure, stream=True)  # fmt: skip
        else:
            train_idx, val_idx = self.split(data)
            trainer = Trainer(
                self.model,
                self.train,
                [data.ids[i] for i in train_idx],
                [data.ids[i] for i in val_idx],
                seed=self.seed,
                measure_start=measure,
            )
        trainer.measure_start = measure_start  # for Reset
        if self.trainer_state is not None:
            trainer.load_state(self.trainer_state)
        return trainer

    def weights(self) -> tuple[Network, ParamSet]:
        """The network and its latest weights (the seed's initial weights when untrained).

        Raises ``ValueError`` when stored weights do not fit the model.
        """
        network = Network(self.model)
        if self.trainer_state is None:
            return network, initial_params(network, self.seed)
        params = network.new_params()
        try:
            params.assign(self.trainer_state.params)
        except KeyError as exc:
            raise ValueError(f"the stored weights lack {exc}") from None
        return network, params

    def capture(self, trainer: Trainer) -> None:
        """Store the trainer's state (and live settings such as the learning rate)."""
        self.train = trainer.train_config
        self.trainer_state = trainer.export_state()

    def rival_project(self) -> Project:
        """The rival as a project of its own: this text, tokenizer and seed, its model.

        Training it (``make_trainer``) gives exactly what training the rival means; its
        state goes back with :meth:`set_rival_from`.  Raises ``ValueError`` without a rival.
        """
        if self.rival is None:
            raise ValueError("the project has no second model")
        r = self.rival
        return Project(text=self.text, tokenizer=self.tokenizer, model=r.model, train=r.train,
                       seed=self.seed, title=self.title, trainer_state=r.trainer_state,
                       sequences=self.sequences)  # fmt: skip

    def set_rival_from(self, project: Project) -> None:
        """Store ``project``'s model, settings and state as the rival (:meth:`rival_project`)."""
        self.rival = RivalModel(project.model, project.train, project.trainer_state)
