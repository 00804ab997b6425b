"""Only the load stage reads the repository: validation, scoring and rendering work from its facts.

A subprocess runs check, scoring, the pages (plainly and through the build's cached steps) and a
report's Markdown on fixture repositories while an audit hook records every file opened and every
folder listed under the repository's root, with the generator's frames on the stack. Build
frames (the runner, the cache) are skipped; the first stage frame left must be ``load/``, or the
read is the build copying a file into its output. Any other read is a hidden input: one no cache
key could see. (DuckDB opens datasets itself, unseen by the hook: ``load.datasets`` does that and
then locks the connection, so the checks and counts of ``score.measures`` can reach no file.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from buildlib import make_repository
from testpaths import FIXTURES, ROOT

PACKAGE = ROOT / "generator"

OUTPUT = {("render/site/writer.py", "copy"), ("render/report/markdown.py", "image")}
"""Frames that copy a published file into the output (an attachment, an image shown in a report)."""

SCRIPT = r"""
import json, os, sys
from pathlib import Path

root, out, package = (Path(a).resolve() for a in sys.argv[1:4])
prefix = str(package) + os.sep
found = []

def audit(event, args):
    if event not in ("open", "os.listdir", "os.scandir") or not args:
        return
    target = args[0]
    if not isinstance(target, (str, bytes, os.PathLike)):
        return
    path = os.path.abspath(os.fsdecode(target))
    if not (path + os.sep).startswith(str(root) + os.sep):
        return
    frames, frame = [], sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(prefix):
            frames.append((name[len(prefix):], frame.f_code.co_name))
        frame = frame.f_back
    found.append((os.path.relpath(path, root), frames[::-1]))

sys.addaudithook(audit)

from generator import pipeline
from generator.build.cache import Cache
from generator.build.pages import write_pages
from generator.load.site import SiteAddress, read_site_address
from generator.load.templates import load_templates
from generator.render.report.markdown import render_markdown
from generator.render.report.render import prepare_report
from generator.render.site import SiteItem
from generator.score.aggregate import score_evaluation

checked = pipeline.check(root)
cards = pipeline.score_all(checked)
items = [  # the site fixture has errors on purpose: its evaluations are scored as the golden pages are
    SiteItem(e, s, cards.get(e.evaluation.id) or score_evaluation(e, s))
    for e in checked.repo.evaluations
    if (s := checked.repo.system_for(e.evaluation)) is not None
]
systems = list(checked.repo.systems.values())
write_pages(root, items, systems, out / "plain", reports=True)  # the plain path: no cache
cache = Cache(out / "cache")
cached = pipeline.check(root, cache=cache)
cached_cards = pipeline.score_all(cached)
templates = load_templates(root)
config = root / "mkdocs.yml"  # the samples' own; the site fixture has none
site = read_site_address(config) if config.is_file() else SiteAddress()
write_pages(root, items, systems, out / "docs", cache=cache, reports=True, site=site)
for item in items[:2]:
    template, view, files = prepare_report(
        item.loaded, item.system, item.card, repo_root=root, public=True, commit=None,
        templates=templates, cache_dir=out, comparison=None, inputs=cached.checker.inputs_of(item.loaded),
    )
    render_markdown(template, view, target="html", files=files)
print(json.dumps({"reads": found, "items": len(items)}))
"""


def recorded(root: Path, out: Path) -> tuple[list[tuple[str, list[list[str]]]], int]:
    """Every read under ``root`` while the stages run, with the generator's frames (outermost first)."""
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(root), str(out), str(PACKAGE)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    answer = json.loads(run.stdout.splitlines()[-1])
    return answer["reads"], answer["items"]


def reader(frames: list[list[str]]) -> tuple[str, str] | None:
    """Who made a read: None for the load stage or the build's output, else the first stage frame
    that is not the build's own (or the innermost frame, when only the build's are there)."""
    if any(tuple(f) in OUTPUT for f in frames):
        return None
    staged = [tuple(f) for f in frames if f[0].split("/")[0] in ("load", "validate", "score", "render")]
    if staged and staged[0][0].startswith("load/"):
        return None
    return staged[0] if staged else tuple(frames[-1]) if frames else ("?", "?")


def hidden_reads(root: Path, out: Path) -> dict[tuple[str, str], set[str]]:
    reads, items = recorded(root, out)
    assert items and reads, "the stages ran on evaluations and the load stage read them"
    found: dict[tuple[str, str], set[str]] = {}
    for path, frames in reads:
        who = reader(frames)
        if who is not None:
            found.setdefault(who, set()).add(path)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("fixture", ["site", "samples"])
def test_only_the_load_stage_reads_the_repository(fixture: str, tmp_path: Path) -> None:
    root = FIXTURES / fixture if fixture == "site" else make_repository(tmp_path / "repo")
    found = hidden_reads(root, tmp_path / "out")
    hidden = {who: sorted(paths)[:5] for who, paths in found.items()}
    assert not hidden, f"read outside the load stage: {hidden}"


def test_a_read_put_back_into_validation_is_caught(tmp_path: Path) -> None:
    """The check above fails when a check opens a file itself, as validation once re-read frames."""
    frames = [["build/checking.py", "_validate"], ["validate/process/sample_check.py", "check_record"]]
    assert reader(frames) == ("validate/process/sample_check.py", "check_record")
    assert reader([["build/checking.py", "_load_one"], ["load/frames.py", "load_frame"]]) is None
    assert reader([["build/cache.py", "inputs_hash"]]) == ("build/cache.py", "inputs_hash")
