"""Hyper-parameter validation and the flat parameter buffer behind the named arrays."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.config import (
    ConfigError,
    ModelConfig,
    TrainConfig,
    config_from_dict,
    config_to_dict,
)
from app.engine.params import ParamSet
from tests.engine.conftest import KINDS, make_network


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"kind": "transformer"}, "model must be one of"),
        ({"vocab_size": 0}, "vocabulary size"),
        ({"hidden_size": 0}, "hidden size"),
        ({"hidden_size": 5000}, "hidden size"),
        ({"dtype": "float16"}, "dtype"),
        ({"forget_bias": float("nan")}, "forget bias"),
        ({"forget_bias": 11.0}, "forget bias"),
    ],
)
def test_model_config_refuses(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        ModelConfig(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"optimizer": "lbfgs"}, "optimizer"),
        ({"learning_rate": 0.0}, "learning rate"),
        ({"learning_rate": 11.0}, "learning rate"),
        ({"learning_rate": float("inf")}, "learning rate"),
        ({"learning_rate": True}, "learning rate"),
        ({"momentum": 1.0}, "momentum"),
        ({"batch_size": 0}, "batch size"),
        ({"clip_norm": -1.0}, "clip norm"),
        ({"tbptt_window": -1}, "truncation window"),
        ({"validation_split": 1.0}, "validation split"),
    ],
)
def test_train_config_refuses(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        TrainConfig(**kwargs)  # type: ignore[arg-type]


def test_config_dict_round_trip() -> None:
    model = ModelConfig(kind="gru", vocab_size=7, hidden_size=9, dtype="float32")
    train = TrainConfig(optimizer="rmsprop", learning_rate=0.003, tbptt_window=5)
    assert config_from_dict(ModelConfig, config_to_dict(model)) == model
    assert config_from_dict(TrainConfig, config_to_dict(train)) == train
    assert config_from_dict(TrainConfig, {"learning_rate": 1}).learning_rate == 1.0
    with pytest.raises(ConfigError, match="unknown setting"):
        config_from_dict(TrainConfig, {"learning_rat": 0.1})
    with pytest.raises(ConfigError, match="must be int"):
        config_from_dict(TrainConfig, {"batch_size": 2.0})
    with pytest.raises(ConfigError, match="must be bool"):
        config_from_dict(TrainConfig, {"shuffle": 1})


@pytest.mark.parametrize("kind", KINDS)
def test_named_arrays_are_views_into_one_buffer(kind: str) -> None:
    network = make_network(kind, vocab=4, hidden=3, dtype="float32")
    params = network.init_params(np.random.default_rng(0))
    assert params.buffer.dtype == np.float32
    assert params.buffer.size == sum(int(np.prod(s)) for s in network.shapes.values())
    for name, array in params.items():
        assert array.shape == network.shapes[name] and np.shares_memory(array, params.buffer)
    params["Wh"][0, 0] = 123.0
    assert 123.0 in params.buffer
    copy = params.copy()
    copy.buffer[...] = 0
    assert params["Wh"][0, 0] == 123.0
    snapshot = params.as_dict()
    params.buffer[...] = 1
    assert snapshot["Wh"][0, 0] == 123.0
    params.assign(snapshot)
    assert params["Wh"][0, 0] == 123.0
    with pytest.raises(ValueError, match="expected shape"):
        params.assign({**snapshot, "Wh": np.zeros((2, 2))})
    with pytest.raises(ValueError):
        ParamSet(network.shapes, "float32", np.zeros(3, dtype=np.float32))
