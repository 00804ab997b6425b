"""The site's search index: small script files a browser loads a few at a time.

Material's own search downloads one index of every page before its first answer (tens of
megabytes for a thousand evaluations), and opened from a folder (``file://``) it has no search
at all, since browsers refuse ``fetch`` there. This index is split so that a query loads only what
it needs, and every part is a script (``window.zwpjSearch.load(kind, n, data)``) loaded by a
``<script>`` tag, which works over HTTP and from a folder alike
(``overrides/assets/search.js`` is the reader's side):

- ``search/manifest.js``: the number of term files, where each page's documents start;
- ``search/t/<n>.js``: for every term whose hash is ``n``, its postings, or, for a common term,
  how many documents hold it and which ``search/b/<m>.js`` file holds its postings;
- ``search/d/<n>.js``: ``DOCS_PER_FILE`` documents (address, title, text) to show and check results.

A document is a page or one of its sections, as Material's search plugin cuts them (its
exclusions apply). Chinese text is indexed by overlapping pairs of characters (and single
characters): a query of two or more characters finds the documents holding all its pairs, and
the browser then keeps those whose text holds the query itself. No word segmentation is
involved, so the index and the reader cannot cut a word differently (``办件``, ``合肥市``).
Other text is indexed by lowercase runs of letters and digits.
"""

from __future__ import annotations

import json
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
"""Runs of Chinese characters (the reader's script uses the same ranges)."""
WORD = re.compile(r"[0-9a-z]+")
"""Words of other text, after NFKC and lower-casing."""
TAG = re.compile(r"<[^>]*>")
DOCS_PER_FILE = 8
"""Documents per ``search/d/`` file: a result page loads about one file per result."""
TERM_FILE_BYTES = 4000
"""Aim for the size of a ``search/t/`` file."""
COMMON_BYTES = 1500
"""Postings longer than this go to a file of their own, fetched only when a query needs them."""
TITLE_WEIGHT = 10
"""Weight of a term in a section's heading (a page's title counts twice that)."""
MAX_TF = 10
"""Occurrences in a text counted at most."""


@dataclass(frozen=True)
class SearchDoc:
    """One searchable page or section."""

    location: str
    """Address relative to the site root, with the section's anchor."""
    title: str
    """Page title or section heading."""
    text: str
    """Plain text."""


def documents(entries: Iterable[dict]) -> list[SearchDoc]:
    """Search documents from Material's search entries, page by page, tags and word breaks removed."""
    return [SearchDoc(e["location"], _plain(e.get("title", "")), _plain(e.get("text", ""))) for e in entries]


def _plain(text: str) -> str:
    text = TAG.sub(" ", text).replace("\u200b", "")
    return re.sub(r"\s+", " ", text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")).strip()


def normalize(text: str) -> str:
    """What the index and the reader both compare: NFKC (full-width letters and digits) and lower
    case, character by character; a character that NFKC would widen (``…``) stays as it is."""
    return "".join(_NORMAL.get(c) or _normal(c) for c in text)


_NORMAL: dict[str, str] = {}


def _normal(c: str) -> str:
    n = unicodedata.normalize("NFKC", c).lower()
    _NORMAL[c] = n = n if len(n) == 1 else c
    return n


def terms(text: str) -> Counter[str]:
    """Occurrences of each term: Chinese characters and their overlapping pairs, other words."""
    text = normalize(text)
    found: Counter[str] = Counter()
    for run in CJK.findall(text):
        found.update(run)
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    found.update(WORD.findall(CJK.sub(" ", text)))
    return found


def term_file(term: str, files: int) -> int:
    """Which ``search/t/`` file holds a term (CRC-32 of its UTF-8, as the reader computes it)."""
    return zlib.crc32(term.encode("utf-8")) % files


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def _weights(doc: SearchDoc) -> Counter[str]:
    found = Counter({t: min(n, MAX_TF) for t, n in terms(doc.text).items()})
    bonus = TITLE_WEIGHT * (1 if "#" in doc.location else 2)
    for t in terms(doc.title):
        found[t] += bonus
    return found


def _postings(pairs: Sequence[tuple[int, int]]) -> str:
    """``delta[:weight]`` per document, base 36, comma-separated (weight 1 left out)."""
    out, last = [], 0
    for doc, weight in pairs:
        out.append(_b36(doc - last) + ("" if weight == 1 else ":" + _b36(weight)))
        last = doc
    return ",".join(out)


def _script(kind: str, n: int | str, data: object) -> str:
    """One index file: a call with the data as JSON (line and paragraph separators escaped, which
    older engines do not accept inside a script's string literals)."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"zwpjSearch.load({json.dumps(kind)},{json.dumps(n)},{payload});\n"


def write_search_index(docs: Sequence[SearchDoc], folder: Path) -> int:
    """Write the index of ``docs`` (grouped by page, in page order) into ``folder``; files written."""
    postings: dict[str, list[tuple[int, int]]] = {}
    for i, doc in enumerate(docs):
        for term, weight in _weights(doc).items():
            postings.setdefault(term, []).append((i, weight))
    encoded = {t: _postings(p) for t, p in postings.items()}
    del postings
    common = sorted(t for t, text in encoded.items() if len(text) > COMMON_BYTES)
    small = sum(len(t.encode()) + len(text) for t, text in encoded.items() if len(text) <= COMMON_BYTES)
    files = max(1, small // TERM_FILE_BYTES)
    shards: list[dict[str, object]] = [{} for _ in range(files)]
    written = 0
    for m, term in enumerate(common):
        _write(folder / "b" / f"{m}.js", _script("b", m, encoded[term]))
        shards[term_file(term, files)][term] = [encoded[term].count(",") + 1, m]
        written += 1
    for term, text in sorted(encoded.items()):
        shards[term_file(term, files)].setdefault(term, text)
    for n, shard in enumerate(shards):
        _write(folder / "t" / f"{n}.js", _script("t", n, shard))
    for n in range(0, len(docs), DOCS_PER_FILE):
        part = [[d.location, d.title, d.text] for d in docs[n : n + DOCS_PER_FILE]]
        _write(folder / "d" / f"{n // DOCS_PER_FILE}.js", _script("d", n // DOCS_PER_FILE, part))
    starts, last = [], 0
    for i, doc in enumerate(docs):
        if i == 0 or doc.location.split("#")[0] != docs[i - 1].location.split("#")[0]:
            starts.append(_b36(i - last))
            last = i
    manifest = {"terms": files, "docs": len(docs), "per": DOCS_PER_FILE, "pages": ",".join(starts)}
    _write(folder / "manifest.js", _script("m", 0, manifest))
    return written + files + -(-len(docs) // DOCS_PER_FILE) + 1


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
