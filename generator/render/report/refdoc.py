"""The reference.docx of a template, made from its style spec by editing pandoc's default one.

No binary is kept in the repository: styles, page set-up, footer page numbers and the draft
marking are written into pandoc's own reference.docx here, and the result is cached by the hash
of the spec, the pandoc version and the draft marking.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from pathlib import Path

from lxml import etree

from generator.render.report import headfoot, ooxml
from generator.render.report.ooxml import W, w
from generator.render.report.pandoc import Pandoc
from generator.render.report.style import StyleSpec, TextStyle

MM = 56.693
"""Twips per millimetre."""
HEADING_IDS = re.compile(r"^(Heading\d|Title|Subtitle|AbstractTitle|TOCHeading)")


def reference_docx(spec: StyleSpec, *, draft_mark: str | None, pandoc: Pandoc, cache_dir: Path) -> Path:
    """Path of the reference.docx for a spec (and draft marking), built once per cache folder."""
    mark = hashlib.sha256(draft_mark.encode("utf-8")).hexdigest()[:12] if draft_mark else "final"
    key = f"{spec.digest()}-{pandoc.version}-{mark}"
    path = cache_dir / f"reference-{key}.docx"
    if not path.is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        data = build_reference_docx(spec, draft_mark=draft_mark, base=pandoc.data_file("reference.docx"))
        fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".docx")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # atomic: parallel builds may race to write the same file
    return path


def build_reference_docx(spec: StyleSpec, *, draft_mark: str | None, base: bytes) -> bytes:
    """pandoc's reference.docx with every style, the page and the header/footer set from the spec."""
    parts = ooxml.read_parts(base)
    styles = etree.fromstring(parts["word/styles.xml"])
    _style_defaults(styles, spec)
    _style_all(styles, spec)
    parts["word/styles.xml"] = ooxml.dump(styles)
    parts["word/settings.xml"] = _settings(parts["word/settings.xml"])
    headfoot.add_header_footer(parts, _footer_xml(spec), _header_xml(spec, draft_mark))
    parts["word/document.xml"] = _with_section(parts["word/document.xml"], spec)
    buf = io.BytesIO()
    ooxml.write_parts(buf, parts)
    return buf.getvalue()


def _style_defaults(styles: etree._Element, spec: StyleSpec) -> None:
    """Document defaults: body fonts with explicit East-Asian font; Chinese (zh-CN) as the language."""
    rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    ooxml.set_fonts(rpr, spec.fonts["body"])
    ooxml.set_child(rpr, "lang", {"val": "zh-CN", "eastAsia": "zh-CN", "bidi": "ar-SA"})


def _style_all(styles: etree._Element, spec: StyleSpec) -> None:
    """Explicit fonts in every style; size, colour and spacing in spec'd ones; missing spec'd styles added."""
    by_id = {s.get(f"{W}styleId"): s for s in styles.findall(f"{W}style")}
    wanted = spec.docx_styles()
    for style_id in wanted:
        if style_id not in by_id:
            by_id[style_id] = _new_style(styles, style_id)
    for style_id, el in by_id.items():
        own = wanted.get(style_id)
        linked = el.find(f"{W}link")
        if own is None and linked is not None:
            own = wanted.get(linked.get(f"{W}val"))
        role = own.font if own else ("heading" if HEADING_IDS.match(style_id) else "body")
        rpr = ooxml.style_part(el, "rPr")
        ooxml.set_fonts(rpr, spec.fonts[role])
        if style_id in wanted:
            _apply_text(el, wanted[style_id], rpr)
        if style_id == "Table":
            _table_style(el, spec)


def _new_style(styles: etree._Element, style_id: str) -> etree._Element:
    """A custom paragraph style based on Normal, named as pandoc's custom-style attribute spells it."""
    name = (
        f"toc {style_id[3:]}"
        if re.fullmatch(r"TOC\d", style_id)
        else re.sub(r"(?<=[a-z])(?=[A-Z])", " ", style_id)
    )
    el = etree.SubElement(
        styles, w("style"), {w("type"): "paragraph", w("customStyle"): "1", w("styleId"): style_id}
    )
    etree.SubElement(el, w("name"), {w("val"): name})
    etree.SubElement(el, w("basedOn"), {w("val"): "Normal"})
    etree.SubElement(el, w("qFormat"))
    return el


def _apply_text(el: etree._Element, text: TextStyle, rpr: etree._Element) -> None:
    """Size, weight, colour, alignment, spacing and indent of one style."""
    ooxml.set_child(rpr, "b", {"val": "1" if text.bold else "0"})
    ooxml.set_child(rpr, "bCs", {"val": "1" if text.bold else "0"})
    ooxml.set_child(rpr, "i", {"val": "0"})
    ooxml.set_child(rpr, "color", {"val": text.color})
    ooxml.set_child(rpr, "sz", {"val": str(round(text.size * 2))})
    ooxml.set_child(rpr, "szCs", {"val": str(round(text.size * 2))})
    if el.get(f"{W}type") != "paragraph":
        return
    ppr = ooxml.style_part(el, "pPr")
    if text.keep_next:
        ooxml.set_child(ppr, "keepNext", {})
    if text.fill:
        ooxml.set_child(ppr, "shd", {"val": "clear", "color": "auto", "fill": text.fill})
    spacing = {"before": str(round(text.before * 20)), "after": str(round(text.after * 20))}
    spacing.update(
        {"line": str(round(text.line * 20)), "lineRule": "exact"}
        if text.line
        else {"line": "240", "lineRule": "auto"}
    )
    ooxml.set_child(ppr, "spacing", spacing)
    indent = (
        {
            "firstLineChars": str(text.indent_chars * 100),
            "firstLine": str(round(text.indent_chars * text.size * 20)),
        }
        if text.indent_chars
        else {}
    )
    ooxml.set_child(ppr, "ind", indent or {"firstLine": "0"})
    if text.align:
        ooxml.set_child(ppr, "jc", {"val": text.align})


def _table_style(el: etree._Element, spec: StyleSpec) -> None:
    """Full grid borders and a shaded, bold header row: the look of a table in a Chinese report."""
    tbl_pr = ooxml.style_part(el, "tblPr")
    for old in tbl_pr.findall(f"{W}tblBorders"):
        tbl_pr.remove(old)
    tbl_pr.append(ooxml.borders("tblBorders", ("top", "left", "bottom", "right", "insideH", "insideV")))
    for old in el.findall(f"{W}tblStylePr"):
        el.remove(old)
    first = etree.SubElement(el, w("tblStylePr"), {w("type"): "firstRow"})
    etree.SubElement(etree.SubElement(first, w("rPr")), w("b"))
    tc_pr = etree.SubElement(first, w("tcPr"))
    etree.SubElement(
        tc_pr, w("shd"), {w("val"): "clear", w("color"): "auto", w("fill"): spec.table_header_fill}
    )


def _with_section(document: bytes, spec: StyleSpec) -> bytes:
    """Replace the body's section properties: A4, the spec's margins, footer on all but the cover."""
    root = etree.fromstring(document)
    body = root.find(f"{W}body")
    for old in body.findall(f"{W}sectPr"):
        body.remove(old)
    page = spec.page
    body.append(
        headfoot.section_properties(
            top=round(page.top * MM),
            bottom=round(page.bottom * MM),
            left=round(page.left * MM),
            right=round(page.right * MM),
        )
    )
    return ooxml.dump(root)


def _settings(xml: bytes) -> bytes:
    """Document settings: Chinese as the theme's East-Asian language, and nothing that makes Word
    update fields on opening (``updateFields``): an updated field could fetch a file or web address."""
    root = etree.fromstring(xml)
    for old in root.findall(w("updateFields")):
        root.remove(old)
    lang = root.find(w("themeFontLang"))
    if lang is not None:
        lang.set(w("val"), "zh-CN")
        lang.set(w("eastAsia"), "zh-CN")
    return ooxml.dump(root)


def _text_width(spec: StyleSpec) -> int:
    """Twips between the page margins (A4 is 11906 twips wide)."""
    return 11906 - round(spec.page.left * MM) - round(spec.page.right * MM)


def _footer_xml(spec: StyleSpec) -> bytes:
    """The template's footer (by default the page number between dashes, — 1 —)."""
    foot = spec.footer
    return headfoot.running_text("ftr", foot, font=spec.fonts[foot.font], width=_text_width(spec), draft=None)


def _header_xml(spec: StyleSpec, draft_mark: str | None) -> bytes:
    """The template's header; for a draft with the marking and a diagonal watermark."""
    head = spec.header
    font, color = spec.fonts["heading"], spec.accent
    mark = headfoot.draft_watermark(draft_mark, font=font, color=color) if draft_mark else ""
    return headfoot.running_text(
        "hdr", head, font=spec.fonts[head.font], width=_text_width(spec), draft=draft_mark, watermark=mark
    )
