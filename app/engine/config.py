"""Hyper-parameters as plain frozen dataclasses: what a project file stores and a user edits."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from app.engine.gates import GATES, GateError, check_value, resolve_gate
from app.engine.text import quoted

MODEL_KINDS = ("lstm", "rnn", "gru")
OPTIMIZERS = ("adam", "sgd", "rmsprop", "adagrad")
DTYPES = ("float64", "float32")
BIAS_INITS = ("zero", "torch", "torch+forget")
"""How the cell's biases start (the weights are U(−1/√H, 1/√H) in every scheme):
``zero`` — every bias 0, the LSTM forget gate's ``forget_bias`` (the scheme of every
project made before issue 14); ``torch`` — PyTorch's default, random biases;
``torch+forget`` — PyTorch's default plus ``forget_bias`` on the LSTM forget gate, the
default for new projects since issue 14 (bench/RESULTS.md, "Initialisation chosen by
evidence"); a project file without the setting reads as ``zero``."""

MAX_HIDDEN = 1024
MAX_EPOCH = 2**31 - 1
"""The most epochs a project can count: the window's epoch pickers are 32-bit Qt widgets."""
MAX_COUNT = 2**53 - 1
"""The most updates (and other counters) a project can count: the largest integer every
JSON reader keeps exact."""
MAX_VOCAB = 4096


class ConfigError(ValueError):
    """A hyper-parameter is out of range; the message says which and why."""


@dataclass(frozen=True)
class ModelConfig:
    """The network's shape.

    ``kind`` is ``"lstm"``, ``"rnn"`` (vanilla tanh) or ``"gru"``; ``vocab_size`` is the
    number of symbols (one-hot in, softmax out); ``forget_bias`` initialises the LSTM
    forget-gate bias so that memory is kept by default at the start of training.

    ``bias_init`` says how the biases start (one of :data:`BIAS_INITS`): ``"zero"``
    sets every bias to 0 except the LSTM forget gate's (``forget_bias``);
    ``"torch"`` draws them as ``torch.nn.LSTM``/``GRU``/``RNN`` + ``Linear`` do — each
    cell bias the sum of two U(−1/√H, 1/√H) draws (PyTorch adds two bias vectors, b_ih
    and b_hh; this engine has one), the GRU's ``b_n`` and ``bhn`` and the read-out
    ``by`` one draw each — and ignores ``forget_bias``; ``"torch+forget"`` is
    ``"torch"`` with ``forget_bias`` added to the LSTM forget gate.  GRU and RNN have no
    forget gate, so for them ``"torch+forget"`` is ``"torch"``.

    ``clamp`` holds gates at fixed values for every unit, in training and in use: pairs
    ``(gate, value)`` with the engine's gate names (the lecture's words are accepted and
    translated), values in [0, 1], in the model's gate order.  ``(("forget", 1.0),)`` is
    the original 1997 LSTM, which had no forget gate.  Empty (the default): no clamp.
    """

    kind: str = "lstm"
    vocab_size: int = 3
    hidden_size: int = 16
    dtype: str = "float64"
    forget_bias: float = 1.0
    bias_init: str = "torch+forget"
    clamp: tuple[tuple[str, float], ...] = ()

    def __post_init__(self) -> None:
        _check(self.kind in MODEL_KINDS, f"model must be one of {', '.join(MODEL_KINDS)}")
        _check(1 <= self.vocab_size <= MAX_VOCAB, f"vocabulary size must be 1…{MAX_VOCAB}")
        _check(1 <= self.hidden_size <= MAX_HIDDEN, f"hidden size must be 1…{MAX_HIDDEN}")
        _check(self.dtype in DTYPES, f"dtype must be one of {', '.join(DTYPES)}")
        _check(_finite(self.forget_bias) and abs(self.forget_bias) <= 10, "forget bias: -10…10")
        _check(
            self.bias_init in BIAS_INITS,
            f"bias init must be one of {', '.join(BIAS_INITS)}, got {quoted(self.bias_init)}",
        )
        object.__setattr__(self, "clamp", _checked_clamp(self.clamp, self.kind))


def describe_bias_init(model: ModelConfig) -> str:
    """How ``model``'s biases start, in words (the CLI's ``info`` and the window say it)."""
    forget = model.kind == "lstm" and model.forget_bias != 0
    on_forget = f" + {model.forget_bias:g} on the forget gate" if forget else ""
    if model.bias_init == "zero":
        return f"zero{on_forget}"
    if model.bias_init == "torch" or not forget:
        return "PyTorch's default (random, ±1/√H)"
    return f"PyTorch's default (random, ±1/√H){on_forget}"


def _checked_clamp(clamp: object, kind: str) -> tuple[tuple[str, float], ...]:
    """``clamp`` (pairs or a mapping) as checked ``(gate, value)`` pairs in gate order."""
    pairs = list(clamp.items()) if isinstance(clamp, dict) else clamp
    if not isinstance(pairs, tuple | list) or not all(
        isinstance(p, tuple | list) and len(p) == 2 and isinstance(p[0], str) for p in pairs
    ):
        raise ConfigError(f"clamp must map gate names to values, got {quoted(clamp)}")
    values: dict[str, float] = {}
    try:
        for name, value in pairs:
            gate = resolve_gate(name, kind)
            if gate in values:
                raise GateError(f"the {gate} gate is clamped twice")
            values[gate] = check_value(value, gate)
    except GateError as exc:
        raise ConfigError(f"clamp: {exc}") from None
    return tuple((g, values[g]) for g in GATES[kind] if g in values)


@dataclass(frozen=True)
class TrainConfig:
    """How training proceeds.

    One epoch is one pass over every training sequence; ``batch_size`` sequences make
    one update.  ``clip_norm`` clips the global gradient norm (0 = off).
    ``tbptt_window`` truncates back-propagation through time to windows of that many
    steps (0 = exact BPTT over whole sequences).  ``validation_split`` is the fraction
    of sequences held out (0 = none).  ``bucketing`` (with ``shuffle``) makes each batch
    of lines of similar length, less padding (see :mod:`app.engine.bucketing`); a project
    file from before the setting trains as it did, without it.
    """

    optimizer: str = "adam"
    learning_rate: float = 0.01
    momentum: float = 0.9
    batch_size: int = 8
    clip_norm: float = 5.0
    tbptt_window: int = 0
    validation_split: float = 0.0
    shuffle: bool = True
    bucketing: bool = True

    def __post_init__(self) -> None:
        _check(self.optimizer in OPTIMIZERS, f"optimizer must be one of {', '.join(OPTIMIZERS)}")
        _check(
            _finite(self.learning_rate) and 0 < self.learning_rate <= 10,
            f"learning rate must be in (0, 10], got {quoted(self.learning_rate)}",
        )
        _check(_finite(self.momentum) and 0 <= self.momentum < 1, "momentum must be in [0, 1)")
        _check(1 <= self.batch_size <= 100_000, "batch size must be 1…100000")
        _check(_finite(self.clip_norm) and self.clip_norm >= 0, "clip norm must be ≥ 0 (0 = off)")
        _check(0 <= self.tbptt_window <= 1_000_000, "truncation window must be ≥ 0 (0 = off)")
        _check(
            _finite(self.validation_split) and 0 <= self.validation_split < 1,
            "validation split must be in [0, 1)",
        )


def _finite(x: object) -> bool:
    return (
        isinstance(x, int | float) and not isinstance(x, bool) and x == x and abs(x) != float("inf")
    )


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise ConfigError(message)


def config_to_dict(config: ModelConfig | TrainConfig) -> dict[str, Any]:
    """The settings as JSON-ready values (a model's ``clamp`` as a ``{gate: value}`` object)."""
    out = {f.name: getattr(config, f.name) for f in fields(config)}
    if "clamp" in out:
        out["clamp"] = dict(out["clamp"])
    return out


def config_from_dict(cls: type[Any], data: dict[str, Any]) -> Any:
    """Build a config from a dict, refusing unknown keys and wrongly typed values."""
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(unknown)}")
    base = cls()
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "clamp" and cls is ModelConfig:  # the pairs are checked by ModelConfig
            if not isinstance(value, dict):
                got = quoted(value)
                raise ConfigError(f"setting 'clamp' must map gate names to values, got {got}")
            values[name] = tuple(value.items())
            continue
        expected = type(getattr(base, name))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not expected:
            raise ConfigError(f"setting {name!r} must be {expected.__name__}, got {quoted(value)}")
        values[name] = value
    return replace(base, **values)
