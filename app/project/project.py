"""A project: the learner's text, how it is tokenised, the model, training settings and state."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from app.data.dataset import SequenceData, split_validation
from app.data.tokenize import TokenizerSpec
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

    @classmethod
    def from_text(
        cls,
        text: str,
        tokenizer: str = "words",
        model: ModelConfig | None = None,
        train: TrainConfig | None = None,
        seed: int = DEFAULT_SEED,
        **kwargs: Any,
    ) -> Project:
        """A new, untrained project; the vocabulary size is taken from the text.

        Raises :class:`app.data.errors.DataError` when the text or tokenizer is unusable.
        """
        data = SequenceData.from_text(text, TokenizerSpec.parse(tokenizer))
        model = replace(model or ModelConfig(), vocab_size=len(data.vocabulary))
        return cls(text=text, tokenizer=tokenizer, model=model, train=train or TrainConfig(),
                   seed=seed, **kwargs)  # fmt: skip

    def data(self) -> SequenceData:
        """The text tokenised, checked and encoded (raises DataError when unusable)."""
        return SequenceData.from_text(self.text, TokenizerSpec.parse(self.tokenizer))

    def split(self, data: SequenceData | None = None) -> tuple[list[int], list[int]]:
        """Indices of the training and validation sequences (seeded by the project's seed)."""
        data = data or self.data()
        rng = seed_generators(self.seed)["split"]
        train_idx, val_idx = split_validation(data.n_sequences, self.train.validation_split, rng)
        return train_idx.tolist(), val_idx.tolist()

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
        train_idx, val_idx = self.split(data)
        trainer = Trainer(
            self.model,
            self.train,
            [data.ids[i] for i in train_idx],
            [data.ids[i] for i in val_idx],
            seed=self.seed,
            measure_start=measure_start and self.trainer_state is None,
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
                       seed=self.seed, title=self.title, trainer_state=r.trainer_state)  # fmt: skip

    def set_rival_from(self, project: Project) -> None:
        """Store ``project``'s model, settings and state as the rival (:meth:`rival_project`)."""
        self.rival = RivalModel(project.model, project.train, project.trainer_state)
