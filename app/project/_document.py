"""``project.json`` as a whole: building it, checking it, and migrating old schemas."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from app import __version__
from app.data.dataset import SequenceData
from app.data.errors import DataError
from app.data.tokenize import SequenceMode, TokenizerSpec, check_mode
from app.engine.config import (
    ConfigError,
    ModelConfig,
    TrainConfig,
    config_from_dict,
    config_to_dict,
)
from app.engine.network import Network
from app.engine.stream import StreamLayout
from app.engine.text import quoted
from app.project._jsonio import Obj, check_json_value
from app.project._trainer_doc import (
    ArraySpec,
    TrainerDoc,
    assemble_state,
    parse_trainer,
    trainer_to_doc,
)
from app.project.errors import FormatProblem
from app.project.project import Project, RivalModel

FORMAT_NAME = "lstm-playground-project"
SCHEMA_VERSION = 3
JSON_MEMBER = "project.json"
MAX_SEED = 2**128 - 1
RIVAL_PREFIX = "rival/"
"""The second model's arrays live under this folder, in the same layout as the first's."""

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    """Schema 2 added the optional second model (``rival``); a schema-1 file has none."""
    if "rival" in doc:  # schema 1 never had it: refuse it as the schema-1 reader did
        raise FormatProblem("unexpected field(s) rival")
    return {**doc, "schema": 2, "rival": None}


def _v2_to_v3(doc: dict[str, Any]) -> dict[str, Any]:
    """Schema 3 added how the text becomes sequences (``sequences``); before, always lines."""
    if "sequences" in doc:
        raise FormatProblem("unexpected field(s) sequences")
    return {**doc, "schema": 3, "sequences": "lines"}


MIGRATIONS: dict[int, Migration] = {1: _v1_to_v2, 2: _v2_to_v3}
"""``MIGRATIONS[v]`` turns a schema-``v`` document into a schema-``v + 1`` document.

A change to the format adds an entry here (and bumps :data:`SCHEMA_VERSION`), so
every file ever written keeps loading.  Migrations see only the JSON; arrays keep
their names.
"""


@dataclass
class ParsedDocument:
    """A checked document: the project without its arrays, and which arrays it needs."""

    project: Project
    trainer: TrainerDoc | None
    rival_trainer: TrainerDoc | None = None

    @property
    def members(self) -> dict[str, ArraySpec]:
        """Every array member, the project's model first, then the rival's."""
        out: dict[str, ArraySpec] = {}
        for trainer in (self.trainer, self.rival_trainer):
            if trainer is not None:
                out |= trainer.members
        return out

    def assemble(self, arrays: dict[str, np.ndarray]) -> Project:
        """The project with its (and its rival's) training state built from ``arrays``."""
        if self.trainer is not None:
            self.project.trainer_state = assemble_state(self.trainer, arrays)
        if self.rival_trainer is not None:
            assert self.project.rival is not None
            self.project.rival.trainer_state = assemble_state(self.rival_trainer, arrays)
        return self.project


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
        raise FormatProblem(f"the seed must be an integer from 0 to 2**128 - 1, got {quoted(seed)}")
    check_json_value(project.ui, "ui")
    mode = _mode(project.sequences, "project.sequences")
    data = _sequence_data(project.text, project.tokenizer, mode)
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "schema": SCHEMA_VERSION,
        "app_version": __version__,
        "title": project.title,
        "description": project.description,
        "preset": project.preset,
        "seed": str(int(seed)),  # a string: JavaScript and friends round integers past 2**53
        "model": _model_to_doc(project.model),
        "train": config_to_dict(project.train),
        "tokenizer": project.tokenizer,
        "sequences": mode,
        "vocabulary": list(data.vocabulary.symbols),
        "text": project.text,
        "ui": project.ui,
        "trainer": None,
        "rival": None,
    }
    arrays: dict[str, np.ndarray] = {}
    if project.trainer_state is not None:
        doc["trainer"], arrays = _trainer_to_doc(project.trainer_state, project.model, "")
    rival = project.rival
    if rival is not None:
        if not (
            isinstance(rival, RivalModel)
            and isinstance(rival.model, ModelConfig)
            and isinstance(rival.train, TrainConfig)
        ):
            raise FormatProblem("project.rival must be a RivalModel with a model and settings")
        section: dict[str, Any] = {
            "model": _model_to_doc(rival.model),
            "train": config_to_dict(rival.train),
            "trainer": None,
        }
        if rival.trainer_state is not None:
            section["trainer"], more = _trainer_to_doc(
                rival.trainer_state, rival.model, RIVAL_PREFIX
            )
            arrays |= more
        doc["rival"] = section
    return doc, arrays, data


def _trainer_to_doc(
    state: Any, model: ModelConfig, prefix: str
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    try:
        return trainer_to_doc(state, Network(model).shapes, prefix)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        what = "the second model's trainer state" if prefix else "the trainer state"
        raise FormatProblem(f"{what} is malformed ({type(e).__name__}: {e})") from e


def _mode(value: object, where: str) -> SequenceMode:
    try:
        return check_mode(value)
    except DataError as e:
        raise FormatProblem(f"{where}: {e}") from None


def _sequence_data(text: str, tokenizer: str, mode: SequenceMode) -> SequenceData:
    try:
        spec = TokenizerSpec.parse(tokenizer)
    except DataError as e:
        raise FormatProblem(f"field tokenizer: {e}") from None
    try:
        return SequenceData.from_text(text, spec, mode=mode)
    except DataError as e:
        raise FormatProblem(f"the text cannot be used: {e}") from None


OPTIONAL_SETTINGS = ("clamp",)
"""Settings written only when they differ from the default, so a file that does not use
them reads in older versions too: a model's ``clamp`` (issue 13; absent = no clamp)."""


def _model_to_doc(model: ModelConfig) -> dict[str, Any]:
    out = config_to_dict(model)
    if not out["clamp"]:
        del out["clamp"]
    return out


def _config(obj: Obj, cls: type[Any]) -> Any:
    names = [f.name for f in fields(cls)]
    for name in names:
        if name in OPTIONAL_SETTINGS and name not in obj.data:
            continue
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
    mode = _mode(top.string("sequences"), "field sequences")
    if mode == "stream" and train.tbptt_window < 1:
        raise FormatProblem(
            "the text is read as a stream, which needs train.tbptt_window of at least 1"
        )
    if data is None:  # the saver passes the data it just built from this very text
        data = _sequence_data(text, tokenizer, mode)
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
        sequences=mode,
    )
    trainer = None
    if top.raw("trainer") is not None:
        n_train, stream = _training_shape(project, data)
        trainer = parse_trainer(top.obj("trainer"), model, train, n_train, stream=stream)
    rival_trainer = None
    if top.raw("rival") is not None:
        rival_trainer = _parse_rival(top.obj("rival"), project, data)
    top.finish()
    return ParsedDocument(project, trainer, rival_trainer)


def _training_shape(project: Project, data: SequenceData) -> tuple[int, tuple[int, int] | None]:
    """The training sequences, and in stream mode (windows per epoch, streams)."""
    if data.stream is None:
        return len(project.split(data)[0]), None
    train_ids, _ = project.stream_split(data)
    t = project.train
    try:
        layout = StreamLayout.of(len(train_ids), t.batch_size, t.tbptt_window)
    except ValueError as e:
        raise FormatProblem(str(e)) from None
    return 1, (layout.windows, layout.streams)


def _parse_rival(obj: Obj, project: Project, data: SequenceData) -> TrainerDoc | None:
    """Check the ``rival`` section; sets ``project.rival`` (without its arrays)."""
    model = _config(obj.obj("model"), ModelConfig)
    train = _config(obj.obj("train"), TrainConfig)
    if project.sequences == "stream" and train.tbptt_window < 1:
        raise FormatProblem(
            "the text is read as a stream, which needs rival.train.tbptt_window of at least 1"
        )
    if model.vocab_size != project.model.vocab_size:
        raise FormatProblem(
            f"the text has {project.model.vocab_size} symbols but the second model (rival) "
            f"was built for {model.vocab_size}"
        )
    project.rival = RivalModel(model, train)
    trainer = None
    if obj.raw("trainer") is not None:
        # Its own validation split (same seed): the number of training lines may differ.
        n_train, stream = _training_shape(project.rival_project(), data)
        trainer = parse_trainer(obj.obj("trainer"), model, train, n_train, RIVAL_PREFIX, stream)
    obj.finish()
    return trainer
