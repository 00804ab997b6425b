"""Fingerprints and verify: a report matches its repository until an input changes; rebuilds are equal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from testpaths import FIXTURES, ROOT

from generator.cli import main
from generator.load.templates import load_templates
from generator.pipeline import check, score_one
from generator.render.report import ReportFiles, render_report
from generator.render.report.fingerprint import UNCOMMITTED, Fingerprint, compute_fingerprint, hash_inputs
from generator.render.report.verify import Rebuilds, verify_report

pytestmark = pytest.mark.slow  # renders and rebuilds reports


FIXTURE = FIXTURES / "report"
TEMPLATES = ROOT / "templates"


def render(
    root: Path, out: Path, cache: Path, eid: str = "2024-alpha", *, public: bool = True
) -> ReportFiles:
    checked = check(root)  # scored as the build scores (measures, input hash)
    evaluation = next(e for e in checked.repo.evaluations if e.evaluation.id == eid)
    system = checked.repo.system_for(evaluation.evaluation)
    card = score_one(checked, evaluation)
    return render_report(
        evaluation,
        system,
        card,
        out,
        repo_root=root,
        commit=None,
        templates=load_templates(TEMPLATES.parent, [TEMPLATES]),
        cache_dir=cache,
        public=public,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    return root


def test_fingerprint_round_trips_and_detects_tampering() -> None:
    fp = Fingerprint("evaluations/x", "indicators/y", "ab" * 32, UNCOMMITTED, "2024", "0.1.0")
    parsed, digest = Fingerprint.decode(fp.encode())
    assert parsed == fp and digest == fp.digest
    tampered = fp.encode().replace("edition=2024", "edition=2025")
    parsed, digest = Fingerprint.decode(tampered)
    assert parsed.digest != digest


def test_input_hash_covers_names_and_contents(repo: Path) -> None:
    folders = ["evaluations/2024-alpha", "indicators/mini"]
    before = hash_inputs(repo, folders)
    (repo / "evaluations/2024-alpha/summary.md").rename(repo / "evaluations/2024-alpha/summary2.md")
    renamed = hash_inputs(repo, folders)
    (repo / "evaluations/2024-alpha/summary2.md").write_text("changed", encoding="utf-8")
    assert len({before, renamed, hash_inputs(repo, folders)}) == 3
    assert hash_inputs(repo, ["evaluations/2024-beta", "indicators/mini"]) != before


def test_fingerprint_includes_edition_and_generator(repo: Path) -> None:
    args = (repo, "evaluations/2024-alpha", "indicators/mini")
    base = compute_fingerprint(*args, edition="2024", generator="0.1.0", commit=None)
    assert base.commit == UNCOMMITTED
    assert base.digest != compute_fingerprint(*args, edition="2025", generator="0.1.0", commit=None).digest
    assert base.digest != compute_fingerprint(*args, edition="2024", generator="0.2.0", commit=None).digest
    assert base.digest != compute_fingerprint(*args, edition="2024", generator="0.1.0", commit="abc").digest


def test_verify_matches_then_detects_a_changed_input(repo: Path, tmp_path: Path) -> None:
    files = render(repo, tmp_path / "out", tmp_path / "cache")
    made = Rebuilds()  # the three files are made again together, once
    for path in (files.docx, files.pdf, files.archive):
        result = verify_report(path, repo, rebuilds=made)
        assert result.ok, result.checks
        assert result.recorded is not None and result.recorded.digest == files.fingerprint.digest
    scores = repo / "evaluations/2024-alpha/scores.yaml"
    scores.write_text(
        scores.read_text(encoding="utf-8").replace("observation: 90", "observation: 95"), "utf-8"
    )
    for path in (files.docx, files.pdf):
        result = verify_report(path, repo)
        assert not result.ok and any("输入文件" in c.detail for c in result.failed)
        (rebuilt,) = [c for c in result.checks if c.name.startswith("与记录的提交重新生成")]
        assert rebuilt.status == "skipped", "made again from the changed inputs, never an earlier run's bytes"


def test_verify_command_exit_codes(repo: Path, tmp_path: Path) -> None:
    files = render(repo, tmp_path / "out", tmp_path / "cache")
    runner = CliRunner()
    ok = runner.invoke(main, ["verify", str(files.pdf), "--root", str(repo)])
    assert ok.exit_code == 0 and "与仓库一致" in ok.output
    (repo / "indicators/mini/extra.txt").write_text("x", encoding="utf-8")
    bad = runner.invoke(main, ["verify", str(files.docx), "--root", str(repo)])
    assert bad.exit_code == 1 and "不同" in bad.output
    stray = tmp_path / "plain.pdf"
    stray.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert runner.invoke(main, ["verify", str(stray), "--root", str(repo)]).exit_code == 1


def test_rebuild_gives_identical_files(repo: Path, tmp_path: Path) -> None:
    first = render(repo, tmp_path / "a", tmp_path / "cache-a", "2024-beta")
    second = render(repo, tmp_path / "b", tmp_path / "cache-b", "2024-beta")
    assert first.docx.read_bytes() == second.docx.read_bytes()
    assert first.pdf.read_bytes() == second.pdf.read_bytes()


def test_internal_facts_stay_out_of_public_reports(repo: Path, tmp_path: Path) -> None:
    public = render(repo, tmp_path / "public", tmp_path / "cache")
    internal = render(repo, tmp_path / "internal", tmp_path / "cache", public=False)
    public_text = "".join(page.extract_text() for page in PdfReader(public.pdf).pages)
    internal_text = "".join(page.extract_text() for page in PdfReader(internal.pdf).pages)
    for secret in ("原始事项台账", "internal/ledger.csv", "138 0000 0001"):
        assert secret not in public_text and secret in internal_text
    assert "事项目录比对表" in public_text


def test_recorded_commit_follows_templates_and_shared_records(repo: Path) -> None:
    """A report shows the templates and the body's records too: changing them moves its commit."""
    from buildlib import git

    from generator.render.report.fingerprint import git_commit, report_folders

    (repo / "templates").mkdir(exist_ok=True)
    (repo / "templates" / "note.txt").write_text("a", encoding="utf-8")
    (repo / "organisations.yaml").write_text("organisations: []\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "one", when="2020-01-01T00:00:00+00:00")
    folders = report_folders("evaluations/2024-alpha", "indicators/mini")
    first = git_commit(repo, folders)
    for path in (repo / "organisations.yaml", repo / "templates" / "note.txt"):
        path.write_text(path.read_text(encoding="utf-8") + "#\n", encoding="utf-8")
        assert git_commit(repo, folders) is None  # changed and not committed
        git(repo, "commit", "-qam", "two", when="2020-01-02T00:00:00+00:00")
        now = git_commit(repo, folders)
        assert now not in (None, first)
        first = now
    (repo / "README.md").write_text("elsewhere", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "three", when="2020-01-03T00:00:00+00:00")
    assert git_commit(repo, folders) == first  # a commit elsewhere leaves it as it was
