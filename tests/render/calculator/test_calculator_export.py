"""What the calculator inputs hold: what scoring reads, in JSON, and nothing about people."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from buildlib import checked_samples
from scoring_cases.build import entry, evaluation, leaf, node, system

from generator.render.calculator import (
    FORMAT,
    SCRIPTS,
    STYLESHEETS,
    copy_assets,
    export_inputs,
    mount_html,
    write_inputs,
)
from generator.render.calculator.publish import SCRIPT_TARGET, bundle, measured_of, write_evaluation_inputs
from generator.score.aggregate import score_evaluation
from generator.score.card import Measured

DEDUCT = {
    "kind": "deduction",
    "items": [
        {"id": "2", "name": "乙", "points": 1, "cap": 2},
        {"id": "1", "name": "甲", "points": 1, "cap": 2},
    ],
}


@pytest.fixture(scope="module")
def checked():  # type: ignore[no-untyped-def]
    return checked_samples()


def test_samples_export_no_people_or_contacts(checked) -> None:  # type: ignore[no-untyped-def]
    for loaded in checked.repo.evaluations:
        ev = loaded.evaluation
        doc = export_inputs(loaded, checked.repo.system_for(ev), checked.measured.get(ev.id, {}))
        text = json.dumps(doc, ensure_ascii=False)
        people = [*ev.team, *ev.experts, *ev.party_staff]
        secrets = {p.name for p in people} | {p.id for p in people}
        for party in (ev.evaluated, ev.commissioner, ev.body):
            if party.contact:
                secrets |= {v for v in (party.contact.phone, party.contact.email) if v}
        assert [s for s in secrets if s in text] == [], ev.id
        assert set(doc) == {"format", "system", "evaluation", "modes", "measured"}


def test_entries_keep_what_scoring_reads() -> None:
    measured_rule = {"kind": "ratio", "unit": "percent", "floor": 0, "target": 100, "measure": "m"}
    loaded = system(
        [node("A", [leaf("a1", 4, DEDUCT), leaf("a2", 6, {"kind": "binary"})]), leaf("B", 90, measured_rule)],
        measures=[{"name": "m", "dataset": "cases", "kind": "share", "where": "ok"}],
    )
    ev = evaluation(
        {
            "a1": {"2": 1, "1": 3},
            "a2": entry(not_applicable="无此业务。", evaluators=["rater-a"]),
            "B": entry(ratings={"rater-a": 80, "rater-b": 90}),
            "ghost": True,
        }
    )
    figures = {"m": Measured("m", "data/c.csv", 0.5, 1, 2), "unused": Measured("x", "", 1)}
    doc = export_inputs(ev, loaded, figures)
    assert doc["format"] == FORMAT
    entries = doc["modes"][0]["entries"]
    assert doc["modes"][0]["id"] is None
    assert entries == {
        "a1": {"observation": {"map": [["2", 1], ["1", 3]]}},
        "a2": {"not_applicable": "无此业务。"},
        "B": {"ratings": [80, 90]},
    }
    assert doc["measured"] == {"m": {"value": 0.5, "numerator": 1, "denominator": 2, "counts": []}}
    assert [d["id"] for d in doc["system"]["indicators"]] == ["A", "B"]
    assert doc["system"]["indicators"][1]["rule"]["measure"] == "m"
    assert json.loads(json.dumps(doc)) == doc


def test_mount_carries_the_inputs_inline_and_safely(tmp_path: Path) -> None:
    doc = {"format": FORMAT, "evaluation": {"title": "</script><script>alert(1)</script> & <b>"}}
    html = mount_html(doc, inputs_href="whatif.json?a=1&b=2")
    assert html.count("</script>") == 1
    inline = re.search(r'<script type="application/json">(.*?)</script>', html).group(1)
    assert json.loads(inline) == doc
    assert 'data-inputs="whatif.json?a=1&amp;b=2"' in html
    write_inputs(tmp_path / "e" / "whatif.json", doc)
    assert json.loads((tmp_path / "e" / "whatif.json").read_text(encoding="utf-8")) == doc
    copied = copy_assets(tmp_path / "assets")
    assert sorted(p.name for p in copied) == sorted((*SCRIPTS, *STYLESHEETS))


def test_site_inputs_sit_beside_the_page_and_assets_bundle_every_script() -> None:
    rule = {"kind": "ratio", "unit": "ratio", "floor": 0, "target": 1, "measure": "m"}
    share = {"name": "m", "dataset": "cases", "kind": "share", "where": "ok"}
    loaded = system([leaf("A", 100, rule)], measures=[share])
    ev = evaluation({"A": None})
    card = score_evaluation(ev, loaded, measured={"m": Measured("m", "data/c.csv", 0.25, 1, 4)})
    assert measured_of(card) == {"m": Measured("m", "data/c.csv", 0.25, 1, 4)}

    class Collect(dict):
        def text(self, target: str, content: str) -> None:
            self[target] = content

    out = Collect()
    mount = write_evaluation_inputs(out, ev, loaded, card, page="evaluations/test-eval.md")
    assert list(out) == ["evaluations/test-eval/whatif.json"]
    assert json.loads(out["evaluations/test-eval/whatif.json"])["measured"]["m"]["value"] == 0.25
    assert 'data-inputs="test-eval/whatif.json"' in mount
    assert SCRIPT_TARGET == "assets/whatif.js"
    assert [line for line in bundle().splitlines() if line.startswith("/* whatif")] == [
        f"/* {name} */" for name in SCRIPTS
    ]
