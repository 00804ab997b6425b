"""Feeds of released evaluations: Atom (``feed.xml``) and JSON Feed 1.1 (``feed.json``).

An evaluation is *released* once the result is published (stage 已发布) or the evaluated party has
confirmed it (§8.5.3); its date is the publication date, else the confirmation date, as recorded,
never the time of the build, so rebuilding an unchanged repository writes the same feed.

Addresses: a feed reader needs absolute links, but the site may be opened from a folder or an
intranet address nobody wrote down. With ``site_url`` in mkdocs.yml (read by ``load.site``) the
links are absolute; without it they are relative to the feed (Atom resolves them against the
feed's own address).
Entry ids never depend on the address: they are name-based UUIDs (``urn:uuid:``) of the site name
and the evaluation id, so setting ``site_url`` later does not make readers show every entry twice.
A ``tag:`` URI would need a domain the publisher owns, which an unset ``site_url`` does not give.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.load.site import SiteAddress
from generator.model.evaluation import Evaluation
from generator.model.stages import confirmed, stage_dates
from generator.render.site.writer import DocsWriter
from generator.render.views.evaluation import EvaluationView
from generator.score.rounding import fmt

ATOM_NS = "http://www.w3.org/2005/Atom"
"""The Atom namespace (RFC 4287)."""
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
"""The JSON Feed version this module writes."""
ATOM_TARGET = "feed.xml"
"""Where the Atom feed goes, relative to the docs root."""
JSON_TARGET = "feed.json"
"""Where the JSON Feed goes."""
EMPTY_FEED_DATE = dt.date(2020, 1, 25)
"""``updated`` of a feed of a repository with no evaluation at all: DB34/T 3556-2019 in force."""
CHINA_TIME = dt.timezone(dt.timedelta(hours=8))
"""Dates in the records are dates in China; a feed needs a time and zone, so midnight there."""


@dataclass(frozen=True)
class FeedEntry:
    """One released evaluation as a feed item."""

    id: str
    """Stable ``urn:uuid:`` id."""
    evaluation_id: str
    """The evaluation's id (its page is ``evaluations/<id>.html``)."""
    title: str
    """Evaluation title."""
    released: dt.date
    """Publication date, else confirmation date."""
    author: str
    """The evaluation body."""
    grade: str
    """Grade."""
    text: str
    """One-paragraph summary: party, total, grade, period, status (``StatusView.label``)."""


def released_on(ev: Evaluation) -> dt.date | None:
    """The date a result became public (已发布) or final (confirmed); None while it is neither.

    A released evaluation without either date falls back to the latest date its records show.
    """
    if ev.stage != "已发布" and not confirmed(ev):
        return None
    if ev.stage == "已发布" and ev.published:
        return ev.published
    if ev.confirmation and ev.confirmation.date and confirmed(ev):
        return ev.confirmation.date
    return max((d for d in stage_dates(ev).values() if d), default=None)


def entry_id(site: SiteAddress, evaluation_id: str) -> str:
    """A name-based UUID URN: the same for the same site name and evaluation, wherever it is served."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"zwpj:{site.name}:evaluation:{evaluation_id}"))


def feed_id(site: SiteAddress) -> str:
    """The feed's own id, built the same way from the site name."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"zwpj:{site.name}:feed"))


def feed_entries(
    views: Sequence[EvaluationView], evaluations: Mapping[str, Evaluation], site: SiteAddress
) -> list[FeedEntry]:
    """Released evaluations, newest first (ties by id, descending, so the order is stable)."""
    found = []
    for v in views:
        day = released_on(evaluations[v.id])
        if day is None:
            continue
        total, scale = fmt(v.card.total, v.system.rounding.total), fmt(v.card.scale, 0)
        text = (
            f"被评价方：{v.evaluated.name}；总分 {total}（满分 {scale}）"
            + (f"，等级：{v.card.grade}" if v.card.grade else "")
            + ("，一票否决；" if v.card.vetoes else "；")
            + f"评价期 {v.period_start} 至 {v.period_end}；评价机构：{v.body.name}；{v.status.label}。"
        )
        found.append(FeedEntry(entry_id(site, v.id), v.id, v.title, day, v.body.name, v.card.grade, text))
    return sorted(found, key=lambda e: (e.released, e.evaluation_id), reverse=True)


def _stamp(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(), CHINA_TIME).isoformat()


def feed_updated(entries: Sequence[FeedEntry], views: Sequence[EvaluationView]) -> dt.date:
    """The newest entry's date; with no entry, the latest period end (a feed must have a date)."""
    if entries:
        return entries[0].released
    return max((v.period_end for v in views), default=EMPTY_FEED_DATE)


def atom_feed(entries: Sequence[FeedEntry], site: SiteAddress, updated: dt.date) -> str:
    """The Atom document (RFC 4287): feed id, title, updated, links; per entry id, title, link,
    updated, published, author and summary."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        el.text = text
        return el

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    sub(feed, "id", feed_id(site))
    sub(feed, "title", f"{site.name}：评价结果发布")
    sub(feed, "subtitle", "已发布或经被评价方确认的服务质量评价结果，最新的在前。")
    sub(feed, "updated", _stamp(updated))
    sub(feed, "link", rel="alternate", type="text/html", href=site.link("index.html"))
    sub(feed, "link", rel="self", type="application/atom+xml", href=site.link(ATOM_TARGET))
    sub(sub(feed, "author"), "name", site.name)
    for e in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", e.id)
        sub(entry, "title", e.title)
        page = site.link(f"evaluations/{e.evaluation_id}.html")
        sub(entry, "link", rel="alternate", type="text/html", href=page)
        sub(entry, "updated", _stamp(e.released))
        sub(entry, "published", _stamp(e.released))
        sub(sub(entry, "author"), "name", e.author)
        if e.grade:
            sub(entry, "category", term=e.grade, label=f"等级：{e.grade}")
        sub(entry, "summary", e.text, type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def json_feed(entries: Sequence[FeedEntry], site: SiteAddress) -> str:
    """The JSON Feed 1.1 document; home and feed addresses only when ``site_url`` makes them absolute."""
    document: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": f"{site.name}：评价结果发布",
        "description": "已发布或经被评价方确认的服务质量评价结果，最新的在前。",
        "language": "zh-CN",
    }
    if site.url:
        document["home_page_url"] = site.link("index.html")
        document["feed_url"] = site.link(JSON_TARGET)
    document["items"] = [
        {
            "id": e.id,
            "url": site.link(f"evaluations/{e.evaluation_id}.html"),
            "title": e.title,
            "content_text": e.text,
            "date_published": _stamp(e.released),
            "authors": [{"name": e.author}],
            "tags": [e.grade] if e.grade else [],
        }
        for e in entries
    ]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_feeds(
    writer: DocsWriter,
    views: Sequence[EvaluationView],
    evaluations: Mapping[str, Evaluation],
    site: SiteAddress,
) -> list[FeedEntry]:
    """Write ``feed.xml`` and ``feed.json`` at the docs root; returns the entries."""
    entries = feed_entries(views, evaluations, site)
    writer.text(ATOM_TARGET, atom_feed(entries, site, feed_updated(entries, views)))
    writer.text(JSON_TARGET, json_feed(entries, site))
    return entries
