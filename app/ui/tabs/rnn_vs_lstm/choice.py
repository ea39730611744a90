"""What the learner chose in the "RNN vs LSTM" view, kept in ``project.ui["versus"]``.

Only selections live here (which second model, how to train both, the sequence, the
prompt); the second model's weights and training state are the project file's own
``rival`` section.  A hand-edited or foreign value never crashes the view: each field
is checked and falls back to its default on its own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from app.engine.config import MAX_HIDDEN, MODEL_KINDS, ModelConfig, TrainConfig

UI_KEY = "versus"
ORDERS = ("together", "sequential")
MAX_STEPS = 200
DEFAULT_STEPS = 16
MAX_PROMPT = 500
MAX_WINDOW = 1000
LECTURE_WINDOW = 1
"""A plain RNN second network learns from this many steps back unless chosen otherwise:
the lecture's RNN, whose "predictions only look back one time step"."""
KIND_NAMES = {"lstm": "LSTM", "rnn": "RNN", "gru": "GRU"}


@dataclass(frozen=True)
class VersusChoice:
    """The view's selections; a field left None follows the default second model.

    ``window`` is how many steps back the second model's training looks (truncated
    back-propagation through time; 0 = the whole line).  None follows the default: a
    plain RNN learns from :data:`LECTURE_WINDOW` step back (the lecture's short-memory
    RNN), any other kind as the project's model.
    """

    kind: str | None = None
    hidden_size: int | None = None
    window: int | None = None
    order: str = "together"
    sequence: int = 0
    prompt: str | None = None
    steps: int = DEFAULT_STEPS
    log_scale: bool = False

    @classmethod
    def from_ui(cls, ui: dict[str, Any]) -> VersusChoice:
        """The choice stored in ``ui`` (any junk replaced by defaults, field by field)."""
        raw = ui.get(UI_KEY)
        if not isinstance(raw, dict):
            return cls()
        d = cls()
        kind = raw.get("kind")
        hidden = raw.get("hidden_size")
        window = raw.get("window")
        order = raw.get("order")
        prompt = raw.get("prompt")
        return cls(
            kind=kind if kind in MODEL_KINDS else None,
            hidden_size=hidden if _int_in(hidden, 1, MAX_HIDDEN) else None,
            window=window if _int_in(window, 0, MAX_WINDOW) else None,
            order=order if order in ORDERS else d.order,
            sequence=raw["sequence"] if _int_in(raw.get("sequence"), 0, 10**9) else d.sequence,
            prompt=prompt if isinstance(prompt, str) and len(prompt) <= MAX_PROMPT else None,
            steps=raw["steps"] if _int_in(raw.get("steps"), 1, MAX_STEPS) else d.steps,
            log_scale=raw.get("log_scale") is True,
        )

    def to_ui(self) -> dict[str, Any]:
        """A JSON-able dict for ``project.ui[UI_KEY]`` (unset fields left out)."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    def rival_model(self, main: ModelConfig) -> ModelConfig:
        """The second model's shape: the chosen kind and size, else :func:`default_rival`."""
        default = default_rival(main)
        return replace(
            default,
            kind=self.kind or default.kind,
            hidden_size=self.hidden_size or default.hidden_size,
        )

    def rival_train(
        self, main: TrainConfig, main_model: ModelConfig, stream: bool = False
    ) -> TrainConfig:
        """The second model's training settings: the project's, with the chosen window
        (by default, 1 step back for a plain RNN: the lecture's short-memory RNN).

        A text read as one ``stream`` trains both in windows (an update per window, so
        a 1-step window would make an epoch thousands of updates): by default the
        second model reads the project's window, and "whole line" (0) means it too.
        """
        if stream:
            return replace(main, tbptt_window=self.window or main.tbptt_window)
        window = self.window
        if window is None and self.rival_model(main_model).kind == "rnn":
            window = LECTURE_WINDOW
        return main if window is None else replace(main, tbptt_window=window)


def _int_in(value: Any, lo: int, hi: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi


def default_rival(main: ModelConfig) -> ModelConfig:
    """The lecture's contrast: a vanilla RNN of the same size next to the project's model.

    An RNN project gets an LSTM instead (an RNN next to itself would show nothing).
    Vocabulary, number type and forget bias are the project model's; a gate the project
    holds fixed (``clamp``) is not: the contrast is with the ordinary cell.  The lecture's
    RNN starts from zero biases (``bias_init="zero"``), as this view has always shown it:
    with the random biases new projects get (issue 14) the preset's seed gives an RNN
    that hides the lecture's mistakes ("Doug saw Doug").
    """
    kind = "lstm" if main.kind == "rnn" else "rnn"
    return replace(main, kind=kind, clamp=(), bias_init="zero" if kind == "rnn" else main.bias_init)


def model_name(model: ModelConfig) -> str:
    """ "LSTM, 16 units": what a legend or a row label calls a model."""
    return f"{KIND_NAMES[model.kind]}, {model.hidden_size} units"


def short_names(left: ModelConfig, right: ModelConfig) -> tuple[str, str]:
    """Names that tell the two models apart in as few characters as possible."""
    if left.kind != right.kind:
        return KIND_NAMES[left.kind], KIND_NAMES[right.kind]
    if left.hidden_size != right.hidden_size:
        return (f"{KIND_NAMES[left.kind]} {left.hidden_size}",
                f"{KIND_NAMES[right.kind]} {right.hidden_size}")  # fmt: skip
    return f"{KIND_NAMES[left.kind]} (left)", f"{KIND_NAMES[right.kind]} (right)"
