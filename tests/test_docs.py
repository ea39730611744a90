"""The documentation stays true: its pictures and links exist, its presets are real.

docs/guide.md walks through the lecture with named presets and screenshots; a renamed
preset or a deleted image would silently break it.  The frozen app opens the same
pages, so everything they show must be bundled too.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from app.data import list_presets

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide.md"
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"(!?)\[[^\]]*\]\(([^)\s]+)\)")  # [text](target) and ![alt](target)
HEADING = re.compile(r"^#+\s+(.*)$", re.MULTILINE)
ANCHORS_CHECKED = (ROOT / "README.md", GUIDE)
"""Pages whose ``#anchor`` links are checked too (headings with code need GitHub's rules)."""
MAX_GUIDE_IMAGE_BYTES = 320_000


def _links(page: Path) -> list[tuple[bool, str]]:
    """(is an image, target) for every markdown link of a page, outside code blocks."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    return [(bang == "!", target) for bang, target in LINK.findall(text)]


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_image_and_link_of_a_page_exists(page: Path) -> None:
    anchors = {_slug(h) for h in HEADING.findall(page.read_text(encoding="utf-8"))}
    missing = []
    for is_image, target in _links(page):
        if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
            assert not is_image, f"{page.name}: images must be local, not {target}"
            continue
        path, _, anchor = target.partition("#")
        if not path:
            if page in ANCHORS_CHECKED and anchor not in anchors:
                missing.append(target)
        elif not (page.parent / path).exists():
            missing.append(target)
    assert not missing, f"{page.name} links to what does not exist: {missing}"


def test_the_guide_names_only_real_presets() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    presets = list_presets()
    names = set(re.findall(r"preset\s+`([a-z0-9-]+)`", text))
    assert names >= {"dinner", "dinner-memory", "doug-jane-spot", "long-memory"}
    assert names <= {p.name for p in presets}
    titles = {" ".join(t.split()) for t in re.findall(r"\*\*Presets ▸ (.+?)\*\*", text, re.DOTALL)}
    assert titles and titles <= {p.title for p in presets}
    for name in set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", text)) - {"lstm-playground"}:
        assert name in {p.name for p in presets}, f"`{name}` is not a preset"  # `dinner-memory`


def test_the_guide_pictures_are_small_enough_to_ship() -> None:
    images = [target for is_image, target in _links(GUIDE) if is_image]
    assert len(images) >= 10
    for target in images:
        size = (GUIDE.parent / target).stat().st_size
        assert size <= MAX_GUIDE_IMAGE_BYTES, f"{target}: {size} bytes"


def _bundle_policy() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bundle_policy", ROOT / "build" / "bundle_policy.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_standalone_app_bundles_the_guides_with_their_pictures() -> None:
    datas = _bundle_policy().app_datas(ROOT)
    bundled = {(Path(src).relative_to(ROOT).as_posix(), dest) for src, dest in datas}
    for name in ("using-the-app.md", "guide.md"):
        page = ROOT / "docs" / name
        assert (f"docs/{name}", "docs") in bundled
        for is_image, target in _links(page):
            if is_image:
                assert (f"docs/{target}", "docs/images") in bundled, target
