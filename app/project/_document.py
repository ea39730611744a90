"""``project.json`` as a whole: building it, checking it, and migrating old schemas."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from app import __version__
from app.data.dataset import SequenceData
from app.data.errors import DataError
from app.data.tokenize import TokenizerSpec
from app.engine.config import (
    ConfigError,
    ModelConfig,
    TrainConfig,
    config_from_dict,
    config_to_dict,
)
from app.engine.network import Network
from app.project._jsonio import Obj, check_json_value
from app.project._trainer_doc import ArraySpec, TrainerDoc, parse_trainer, trainer_to_doc
from app.project.errors import FormatProblem
from app.project.project import Project

FORMAT_NAME = "lstm-playground-project"
SCHEMA_VERSION = 1
JSON_MEMBER = "project.json"
MAX_SEED = 2**128 - 1

Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}
"""``MIGRATIONS[v]`` turns a schema-``v`` document into a schema-``v + 1`` document.

Schema 1 is the first published schema, so the table is empty; a change to the
format adds an entry here (and bumps :data:`SCHEMA_VERSION`), so every file ever
written keeps loading.  Migrations see only the JSON; arrays keep their names.
"""


@dataclass
class ParsedDocument:
    """A checked document: the project without its arrays, and which arrays it needs."""

    project: Project
    trainer: TrainerDoc | None

    @property
    def members(self) -> dict[str, ArraySpec]:
        return {} if self.trainer is None else self.trainer.members


def project_to_doc(project: Project) -> tuple[dict[str, Any], dict[str, np.ndarray], SequenceData]:
    """The JSON document and the arrays for ``project`` (not yet checked: see the caller)."""
    for name, kind in (
        ("text", str),
        ("tokenizer", str),
        ("title", str),
        ("description", str),
        ("model", ModelConfig),
        ("train", TrainConfig),
        ("ui", dict),
    ):
        if not isinstance(getattr(project, name), kind):
            raise FormatProblem(f"project.{name} must be a {kind.__name__}")
    seed = project.seed
    if (
        isinstance(seed, bool)
        or not isinstance(seed, int | np.integer)
        or not 0 <= seed <= MAX_SEED
    ):
        raise FormatProblem(f"the seed must be an integer from 0 to 2**128 - 1, got {seed!r}")
    check_json_value(project.ui, "ui")
    data = _sequence_data(project.text, project.tokenizer)
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "schema": SCHEMA_VERSION,
        "app_version": __version__,
        "title": project.title,
        "description": project.description,
        "preset": project.preset,
        "seed": str(int(seed)),  # a string: JavaScript and friends round integers past 2**53
        "model": config_to_dict(project.model),
        "train": config_to_dict(project.train),
        "tokenizer": project.tokenizer,
        "vocabulary": list(data.vocabulary.symbols),
        "text": project.text,
        "ui": project.ui,
        "trainer": None,
    }
    arrays: dict[str, np.ndarray] = {}
    state = project.trainer_state
    if state is not None:
        try:
            doc["trainer"], arrays = trainer_to_doc(state, Network(project.model).shapes)
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise FormatProblem(f"the trainer state is malformed ({type(e).__name__}: {e})") from e
    return doc, arrays, data


def _sequence_data(text: str, tokenizer: str) -> SequenceData:
    try:
        spec = TokenizerSpec.parse(tokenizer)
    except DataError as e:
        raise FormatProblem(f"field tokenizer: {e}") from None
    try:
        return SequenceData.from_text(text, spec)
    except DataError as e:
        raise FormatProblem(f"the text cannot be used: {e}") from None


def _config(obj: Obj, cls: type[Any]) -> Any:
    names = [f.name for f in fields(cls)]
    for name in names:
        obj.raw(name)  # a missing setting is damage, not "use the default"
    obj.finish()
    try:
        return config_from_dict(cls, obj.data)
    except ConfigError as e:
        raise FormatProblem(f"field {obj.where}: {e}") from None


def migrate(doc: Any) -> dict[str, Any]:
    """Bring a document of any older schema up to :data:`SCHEMA_VERSION`."""
    top = Obj(doc, "")
    if top.data.get("format") != FORMAT_NAME:
        raise FormatProblem("not an LSTM Playground project (project.json has the wrong format)")
    version = top.integer("schema", 0, 2**31)
    if version > SCHEMA_VERSION:
        raise FormatProblem(
            f"was written by a newer version (schema {version}); this app reads up to "
            f"schema {SCHEMA_VERSION} — please update LSTM Playground"
        )
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise FormatProblem(f"uses schema {version}, which this version cannot read")
        doc = step(doc)
        version += 1
        if not isinstance(doc, dict) or doc.get("schema") != version:
            raise FormatProblem(f"migrating from schema {version - 1} failed")
    return doc


def parse_document(raw: Any, data: SequenceData | None = None) -> ParsedDocument:
    """Check every field of a document (migrating it first); ``data`` saves re-tokenising."""
    top = Obj(migrate(raw), "")
    top.raw("format")
    top.raw("schema")
    top.string("app_version")
    seed_text = top.string("seed")
    if not (seed_text.isascii() and seed_text.isdigit() and len(seed_text) <= 39):
        raise FormatProblem('field seed must be a decimal string such as "1"')
    seed = int(seed_text)
    if seed > MAX_SEED or seed_text != str(seed):
        raise FormatProblem("field seed must be a decimal string below 2**128, no leading zeros")
    model = _config(top.obj("model"), ModelConfig)
    train = _config(top.obj("train"), TrainConfig)
    text, tokenizer = top.string("text"), top.string("tokenizer")
    if data is None:  # the saver passes the data it just built from this very text
        data = _sequence_data(text, tokenizer)
    vocab = list(data.vocabulary.symbols)
    if top.array("vocabulary", len(vocab) + 1) != vocab:
        raise FormatProblem("field vocabulary does not match the symbols of the stored text")
    if model.vocab_size != len(vocab):
        raise FormatProblem(
            f"the text has {len(vocab)} symbols but the model was built for {model.vocab_size}"
        )
    ui = top.obj("ui").data
    check_json_value(ui, "ui")
    project = Project(
        text=text,
        tokenizer=tokenizer,
        model=model,
        train=train,
        seed=seed,
        title=top.string("title"),
        description=top.string("description"),
        preset=top.optional_string("preset"),
        ui=ui,
    )
    trainer = None
    if top.raw("trainer") is not None:
        n_train = len(project.split(data)[0])
        trainer = parse_trainer(top.obj("trainer"), model, train, n_train)
    top.finish()
    return ParsedDocument(project, trainer)
