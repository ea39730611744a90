"""The ``trainer`` section of ``project.json`` and the arrays that go with it.

:func:`trainer_to_doc` turns a :class:`TrainerState` into JSON plus named arrays;
:func:`parse_trainer` checks the JSON against the model and training settings and
says exactly which arrays (name, dtype, shape) must be in the archive;
:func:`assemble_state` puts the two back together.  The project's own model keeps its
arrays at the top of the archive (``weights/…``); a second model (the rival) keeps the
same layout under a prefix (``rival/weights/…``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.engine.config import MAX_EPOCH, ModelConfig, TrainConfig
from app.engine.history import HISTORY_CAPACITY
from app.engine.network import Network
from app.engine.optim import OPTIMIZER_CLASSES
from app.engine.trainer import TrainerState
from app.project._jsonio import Obj, encode_metric
from app.project.errors import FormatProblem

MAX_SNAPSHOTS = 2000
MAX_HISTORY = HISTORY_CAPACITY  # what the engine keeps: 200,000 epochs per model
MAX_METRICS = 32
INDEX_DTYPE = "<i8"
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,38}")

# Field kinds: "count" integer ≥ 0, "nonneg" finite ≥ 0, "positive" finite > 0, "metric" any
# float (NaN/±inf as strings), "metric?" also null, "text?" string or null.
HISTORY_FIELDS = {
    "epoch": "count",
    "train_loss": "metric",
    "train_accuracy": "metric",
    "val_loss": "metric?",
    "val_accuracy": "metric?",
    "grad_norm": "metric",
    "elapsed": "nonneg",
    "total_elapsed": "nonneg",
    "updates": "count",
    "total_updates": "count",
    "updates_per_second": "nonneg",
    "learning_rate": "positive",
    "stop_reason": "text?",
}
CURSOR_FIELDS = {
    "next_batch": "count",
    "loss_sum": "nonneg",
    "correct": "count",
    "n_tokens": "count",
    "grad_norm_sum": "nonneg",
    "updates": "count",
    "elapsed": "nonneg",
}

ArraySpec = tuple[str, tuple[int, ...]]  # (dtype string such as "<f8", shape)


def float_dtype(model: ModelConfig) -> str:
    return np.dtype(model.dtype).newbyteorder("<").str


def weight_member(name: str, prefix: str = "") -> str:
    return f"{prefix}weights/{name}.npy"


def slot_member(slot: str, prefix: str = "") -> str:
    return f"{prefix}optimizer/{slot}.npy"


def snapshot_member(epoch: int, prefix: str = "") -> str:
    return f"{prefix}snapshots/{epoch:06d}.npy"


def order_member(prefix: str = "") -> str:
    return f"{prefix}cursor/order.npy"


ORDER_MEMBER = order_member()


def state_member(k: int, prefix: str = "") -> str:
    """Stream mode: array ``k`` of the streams' state carried into the next window
    (``0`` the hidden state h, ``1`` an LSTM's cell state c)."""
    return f"{prefix}cursor/state_{k}.npy"


def encode_decimal(value: int) -> str:
    return str(int(value))


def _encode_value(kind: str, value: Any) -> Any:
    if value is None or kind.startswith("text"):
        return value
    if kind == "count":
        return int(value)
    return encode_metric(value) if kind.startswith("metric") else float(value)


def trainer_to_doc(
    state: TrainerState, shapes: dict[str, tuple[int, ...]], prefix: str = ""
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """JSON for the trainer section, and the arrays keyed by archive member name."""
    rng = state.rng_state
    doc: dict[str, Any] = {
        "epoch": int(state.epoch),
        "total_updates": int(state.total_updates),
        "optimizer_steps": int(state.optimizer_steps),
        "total_elapsed": float(state.total_elapsed),
        "rng": {
            "bit_generator": rng["bit_generator"],
            "state": encode_decimal(rng["state"]["state"]),
            "inc": encode_decimal(rng["state"]["inc"]),
            "has_uint32": int(rng["has_uint32"]),
            "uinteger": int(rng["uinteger"]),
        },
        "parameters": [{"name": n, "shape": list(s)} for n, s in shapes.items()],
        "optimizer_slots": list(state.optimizer_state),
        "history": [
            {k: _encode_value(HISTORY_FIELDS.get(k, "text"), v) for k, v in entry.items()}
            for entry in state.history
        ],
        "snapshots": {
            "stride": int(state.snapshot_stride),
            "best_epoch": None if state.best_epoch is None else int(state.best_epoch),
            "items": [
                {"epoch": int(e), "metrics": {k: encode_metric(v) for k, v in m.items()}}
                for e, m in zip(state.snapshot_epochs, state.snapshot_metrics, strict=True)
            ],
        },
        "cursor": None
        if state.cursor is None
        else {k: _encode_value(CURSOR_FIELDS.get(k, "text"), v) for k, v in state.cursor.items()},
    }
    arrays = {weight_member(n, prefix): state.params[n] for n in state.params}
    arrays |= {slot_member(s, prefix): a for s, a in state.optimizer_state.items()}
    if state.cursor_order is not None:
        arrays[order_member(prefix)] = state.cursor_order
    for k, a in enumerate(state.cursor_state or []):
        arrays[state_member(k, prefix)] = a
    arrays |= {
        snapshot_member(int(e), prefix): w
        for e, w in zip(state.snapshot_epochs, state.snapshot_weights, strict=True)
    }
    return doc, arrays


@dataclass
class TrainerDoc:
    """The checked trainer section: everything of a TrainerState except its arrays."""

    fields: dict[str, Any]
    members: dict[str, ArraySpec]
    param_names: list[str]
    slots: list[str]
    prefix: str = ""  # where its arrays live in the archive: "" or "rival/"


def _read_fields(obj: Obj, kinds: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, kind in kinds.items():
        if kind == "count":
            out[key] = obj.integer(key)
        elif kind.startswith("metric"):
            out[key] = obj.optional_metric(key) if kind.endswith("?") else obj.metric(key)
        elif kind == "nonneg":
            out[key] = obj.number(key)
        elif kind == "positive":
            out[key] = obj.number(key, lo=5e-324)
        else:
            out[key] = obj.optional_string(key)
    obj.finish()
    return out


def _decimal(obj: Obj, key: str, bits: int) -> int:
    value = obj.raw(key)
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value) or int(value) >= 2**bits:
        raise FormatProblem(
            f"field {obj.name(key)} must be a decimal string of an integer below 2**{bits}"
        )
    return int(value)


def _parse_rng(obj: Obj) -> dict[str, Any]:
    if obj.string("bit_generator") != "PCG64":
        raise FormatProblem(f'field {obj.name("bit_generator")} must be "PCG64"')
    state, inc = _decimal(obj, "state", 128), _decimal(obj, "inc", 128)
    if inc % 2 == 0:  # PCG64 increments are always odd; an even one is not numpy's
        raise FormatProblem(f"field {obj.name('inc')} must be odd")
    has_uint32 = obj.integer("has_uint32", 0, 1)
    uinteger = obj.integer("uinteger", 0, 2**32 - 1)
    obj.finish()
    return {
        "bit_generator": "PCG64",
        "state": {"state": state, "inc": inc},
        "has_uint32": has_uint32,
        "uinteger": uinteger,
    }


def _parse_snapshots(
    obj: Obj, epoch: int, dtype: str, n_params: int, prefix: str
) -> dict[str, Any]:
    stride = obj.integer("stride", 1)
    best = obj.raw("best_epoch")
    if best is not None:
        best = obj.integer("best_epoch", 0, epoch)
    epochs: list[int] = []
    metrics: list[dict[str, float]] = []
    for k, raw in enumerate(obj.array("items", MAX_SNAPSHOTS)):
        item = Obj(raw, f"{obj.name('items')}[{k}]")
        e = item.integer("epoch", 0, epoch)
        if epochs and e <= epochs[-1]:
            raise FormatProblem(f"field {item.name('epoch')}: snapshot epochs must increase")
        m = item.obj("metrics")
        if len(m.data) > MAX_METRICS:
            raise FormatProblem(f"field {m.where} has more than {MAX_METRICS} entries")
        metrics.append({key: m.metric(key) for key in m.data})
        m.finish()
        item.finish()
        epochs.append(e)
    obj.finish()
    members = {snapshot_member(e, prefix): (dtype, (n_params,)) for e in epochs}
    return {
        "snapshot_stride": stride,
        "best_epoch": best,
        "snapshot_epochs": epochs,
        "snapshot_metrics": metrics,
        "members": members,
    }


def parse_trainer(
    obj: Obj,
    model: ModelConfig,
    train: TrainConfig,
    n_train: int,
    prefix: str = "",
    stream: tuple[int, int] | None = None,
) -> TrainerDoc:
    """Check the trainer section against the model and the number of training sequences.

    ``prefix`` is where the arrays live in the archive ("" or ``"rival/"``).  ``stream``
    (stream mode): ``(windows per epoch, streams)``; a cursor then counts windows and
    comes with the streams' state (``n_train`` is 1: the stream).
    """
    shapes = Network(model).shapes
    dtype = float_dtype(model)
    n_params = sum(int(np.prod(s)) for s in shapes.values())
    slots = list(OPTIMIZER_CLASSES[train.optimizer].slots)
    fields: dict[str, Any] = {
        "epoch": obj.integer("epoch", 0, MAX_EPOCH),  # the window's pickers are 32-bit
        "total_updates": obj.integer("total_updates"),
        "optimizer_steps": obj.integer("optimizer_steps"),
        "total_elapsed": obj.number("total_elapsed"),
        "rng_state": _parse_rng(obj.obj("rng")),
    }
    if fields["optimizer_steps"] > fields["total_updates"]:
        raise FormatProblem(
            f"field {obj.name('optimizer_steps')} is larger than {obj.name('total_updates')}"
        )
    expected = [{"name": n, "shape": list(s)} for n, s in shapes.items()]
    if obj.raw("parameters") != expected:
        raise FormatProblem(
            f"field {obj.name('parameters')} does not match a {model.kind} model with "
            f"{model.vocab_size} symbols and {model.hidden_size} hidden units"
        )
    if obj.raw("optimizer_slots") != slots:
        raise FormatProblem(
            f"field {obj.name('optimizer_slots')} must be {slots} for {train.optimizer}"
        )
    history: list[dict[str, Any]] = []
    for k, raw in enumerate(obj.array("history", MAX_HISTORY)):
        where = f"{obj.name('history')}[{k}]"
        entry = _read_fields(Obj(raw, where), HISTORY_FIELDS)
        if not (history[-1]["epoch"] if history else 0) < entry["epoch"] <= fields["epoch"]:
            raise FormatProblem(f"field {where}.epoch is out of order or too large")
        history.append(entry)
    fields["history"] = history
    snaps = _parse_snapshots(obj.obj("snapshots"), fields["epoch"], dtype, n_params, prefix)
    snapshot_members: dict[str, ArraySpec] = snaps.pop("members")
    fields |= snaps
    order_members: dict[str, ArraySpec] = {}
    raw_cursor = obj.raw("cursor")
    fields["cursor"] = None
    if raw_cursor is not None:
        cursor = _read_fields(obj.obj("cursor"), CURSOR_FIELDS)
        if cursor["next_batch"] > (n_train if stream is None else stream[0]):
            where = obj.name("cursor")
            raise FormatProblem(f"field {where}.next_batch is past the end of the epoch")
        fields["cursor"] = cursor
        order_members[order_member(prefix)] = (INDEX_DTYPE, (n_train,))
        if stream is not None:
            n_state = 2 if model.kind == "lstm" else 1  # (h, c) or h
            for k in range(n_state):
                order_members[state_member(k, prefix)] = (dtype, (stream[1], model.hidden_size))
    fields["n_state"] = len(order_members) - 1 if stream is not None else 0
    obj.finish()
    # In archive order: weights, optimiser state, epoch order, snapshots.
    members = {weight_member(n, prefix): (dtype, s) for n, s in shapes.items()}
    members |= {slot_member(s, prefix): (dtype, (n_params,)) for s in slots}
    members |= order_members | snapshot_members
    return TrainerDoc(fields, members, list(shapes), slots, prefix)


def assemble_state(doc: TrainerDoc, arrays: dict[str, np.ndarray]) -> TrainerState:
    """A TrainerState from the checked section and the checked arrays."""
    f, prefix = doc.fields, doc.prefix
    order = arrays.get(order_member(prefix))
    if order is not None and not np.array_equal(np.sort(order), np.arange(order.size)):
        raise FormatProblem(
            f"array {order_member(prefix)!r} is not an ordering of the training sequences"
        )
    return TrainerState(
        epoch=f["epoch"],
        total_updates=f["total_updates"],
        total_elapsed=f["total_elapsed"],
        params={n: arrays[weight_member(n, prefix)] for n in doc.param_names},
        optimizer_state={s: arrays[slot_member(s, prefix)] for s in doc.slots},
        optimizer_steps=f["optimizer_steps"],
        rng_state=f["rng_state"],
        history=f["history"],
        snapshot_epochs=f["snapshot_epochs"],
        snapshot_weights=[arrays[snapshot_member(e, prefix)] for e in f["snapshot_epochs"]],
        snapshot_metrics=f["snapshot_metrics"],
        snapshot_stride=f["snapshot_stride"],
        best_epoch=f["best_epoch"],
        cursor=f["cursor"],
        cursor_order=order,
        cursor_state=[arrays[state_member(k, prefix)] for k in range(f["n_state"])] or None,
    )
