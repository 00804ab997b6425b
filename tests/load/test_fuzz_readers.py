"""Bounded fuzzing of the readers: the YAML reader and the Markdown checks never raise, whatever the
input, and an internal marker either works or is reported (it never fails open in silence).

Runs are bounded (``max_examples``, no per-example deadline beyond the suite's) so CI stays fast.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from generator.load.complexity import hotspots
from generator.load.markdown import markdown_problems
from generator.load.repository import parse_model
from generator.load.yamlsource import load_yaml
from generator.messages import MESSAGES
from generator.model.evaluation import Evaluation, ScoreFile
from generator.model.narrative import near_misses, strip_internal, unclosed_markers
from generator.model.organisation import BodyRecords, OrganisationRegistry
from generator.model.publishing import Publishing
from generator.model.system import IndicatorPart, IndicatorSystem
from generator.model.workdays import CalendarFile

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

YAML_PIECES = [
    *"{}[]:,-?&*!|>'\"#%@`\t\n ",
    "a",
    "1",
    "key: ",
    "- ",
    "&a ",
    "*a",
    "<<: ",
    "!!binary ",
    "---\n",
    "\\x00",
]
YAML_TEXT = st.lists(st.sampled_from(YAML_PIECES), max_size=200).map("".join)


def _write(tmp: Path, data: bytes) -> Path:
    path = tmp / "f.yaml"
    path.write_bytes(data)
    return path


@FUZZ
@given(
    st.one_of(YAML_TEXT, st.text(max_size=300)).map(lambda s: s.encode("utf-8", "surrogatepass"))
    | st.binary(max_size=300)
)
@example(b"?\r0")  # a lone CR breaks the line for YAML: the error stands on line 3
def test_the_yaml_reader_never_raises(tmp_path: Path, raw: bytes) -> None:
    path = _write(tmp_path, raw)
    source, problems = load_yaml(path, "f.yaml")
    assert source.data is not None or problems
    # YAML breaks lines at CR LF, CR, LF (and NEL, LS, PS): a position may count any of them
    lines = len(re.split("\r\n|[\r\n\x85\u2028\u2029]", raw.decode("utf-8", "replace")))
    for d in problems:
        assert d.code in MESSAGES and 0 <= d.line <= lines + 1


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=8), st.dates())
KEYS = st.sampled_from(
    [
        "id",
        "title",
        "system",
        "edition",
        "team",
        "name",
        "role",
        "indicators",
        "A1",
        "observation",
        "evidence",
        "internal",
        "contact",
        "phone",
        "period",
        "start",
        "x",
        "weight",
        "children",
        "rule",
        "parts",
        "aggregation",
        "stage",
        "when",
        "organisations",
        "parent",
        "kind",
        "organisation",
        "staff",
        "training",
        "mechanism",
        "rankings",
        "groups",
        "levels",
        "holidays",
    ]
)
SALVAGED = (
    Evaluation,
    ScoreFile,
    IndicatorSystem,
    IndicatorPart,
    OrganisationRegistry,
    BodyRecords,
    Publishing,
    CalendarFile,
)
"""Every model a file is read into with salvage (what is valid of a file kept, the rest cut)."""
TREES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=30,
)


@FUZZ
@given(st.dictionaries(KEYS, TREES, max_size=8))
def test_any_mapping_loads_into_diagnostics_never_an_exception(tmp_path: Path, data: dict) -> None:
    folder = tmp_path
    path = folder / "f.yaml"
    with path.open("w", encoding="utf-8") as fh:
        YAML(typ="safe").dump(data, fh)
    for model in SALVAGED:
        source, parsed, problems = parse_model(path, "f.yaml", model, root=folder, salvage=True)
        assert parsed is not None or problems
        assert all(d.code in MESSAGES for d in problems)
        if parsed is not None:  # what salvage kept is a valid model, and a cut is always reported
            assert isinstance(parsed, model)
            assert not source.cut or any(d.severity.value == "error" for d in problems)


MD_PIECES = [
    *"[]()!^<>*_`\\ \n:{}.#|~-",
    "internal",
    "Internal",
    "内部",
    "<!--",
    "-->",
    "<!-- internal -->",
    "<!-- /internal -->",
    "```",
    "```internal",
    "~~~",
    ":::",
    "::: internal",
    "> ",
    "- ",
    "    ",
    "<span>",
]
MARKDOWN = st.lists(st.sampled_from(MD_PIECES), max_size=150).map("".join)


@FUZZ
@given(MARKDOWN)
def test_the_markdown_checks_never_raise(text: str) -> None:
    strip_internal(text)
    unclosed_markers(text)
    near_misses(text)
    hotspots(text)
    for d in markdown_problems("a.md", text):
        assert d.line >= 1


SECRET = "ZWPJSECRETPASSAGE"
MARKERS = [
    ("<!-- internal -->", "<!-- /internal -->"),
    ("```internal", "```"),
    ("::: internal", ":::"),
    ("~~~ {.internal}", "~~~"),
]
MUTATIONS = [
    lambda m: m,
    lambda m: m.upper(),
    lambda m: m.replace("internal", "Internal"),
    lambda m: m.replace("--", "—"),
    lambda m: m.replace("-->", "--->"),
    lambda m: m.replace("<!--", "<!---"),
    lambda m: m.replace(" ", "  "),
    lambda m: m.replace("internal", "internal:"),
    lambda m: "- " + m,
    lambda m: "> " + m,
    lambda m: "1. " + m,
    lambda m: "    " + m,
    lambda m: m.replace("internal", "{.internal}") if "{" not in m else m,
]


@FUZZ
@given(
    st.sampled_from(MARKERS),
    st.sampled_from(range(len(MUTATIONS))),
    st.sampled_from(range(len(MUTATIONS))),
    st.sampled_from(["", "正文。\n\n", "- 列表项\n", "> 引用\n"]),
)
def test_an_internal_marker_works_or_is_reported(
    marker: tuple[str, str], a: int, b: int, before: str
) -> None:
    """The safety property of markers: a passage meant to be internal is either removed from the
    public text, or the check reports the marker (E513 unclosed, E519 near miss): never published
    in silence."""
    text = f"{before}{MUTATIONS[a](marker[0])}\n{SECRET}\n{MUTATIONS[b](marker[1])}\n\n公开的结论。\n"
    published = SECRET in strip_internal(text)
    reported = {d.code for d in markdown_problems("a.md", text)} & {"E513", "E519"}
    assert not published or reported, text
