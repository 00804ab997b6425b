"""DOCX output: pandoc with the body's reference.docx, then a pass over the package pandoc cannot do.

The pass (1) gives table cells their own small-type styles and explicit borders, (2) fills the
table of contents with the report's headings, linked, and says how to add page numbers (the file
never asks Word to update fields when opened: an updated field may fetch a file or web address),
and (3) sets the document dates to the report date, so a rebuild gives the same file.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from generator.render.report import ooxml
from generator.render.report.ooxml import W, w
from generator.render.report.pandoc import Pandoc

TOC_MARKER = "ZWPJ-TOC"
"""Text of the paragraph the template leaves where the table of contents goes."""
TOC_LEVELS = {"Heading1": "TOC1", "Heading2": "TOC2"}
TOC_NOTE = (
    "目录页码：Word 中右键单击目录，选择“更新域”→“只更新页码”；WPS 中单击目录上方的“更新目录”；"
    "LibreOffice 中选择“工具”→“更新”→“全部更新”。PDF 版报告的目录已含页码。"
)
"""Printed under the table of contents: the DOCX does not make Word update fields when opened."""
CORE = {
    "dcterms": "http://purl.org/dc/terms/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def write_docx(
    markdown: str,
    dest: Path,
    *,
    pandoc: Pandoc,
    reference: Path,
    meta: dict[str, str],
    core: dict[str, str],
    date: dt.date,
) -> None:
    """Convert the report's Markdown to ``dest`` (sandboxed pandoc), then finish the package."""
    args = ["-t", "docx", f"--reference-doc={reference}", "-o", "-"]
    for key, value in meta.items():
        args += ["-M", f"{key}={value}"]
    epoch = int(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp())
    raw = pandoc.run(args, markdown, epoch=epoch)
    dest.write_bytes(finish_docx(raw, core=core, date=date))


def finish_docx(data: bytes, *, core: dict[str, str], date: dt.date) -> bytes:
    """Table styles and borders, a filled table of contents, core properties and fixed dates."""
    parts = ooxml.read_parts(data)
    doc = etree.fromstring(parts["word/document.xml"])
    for table in doc.iter(w("tbl")):
        _style_table(table)
    _fill_toc(doc)
    parts["word/document.xml"] = ooxml.dump(doc)
    parts["word/styles.xml"] = _fonts_in_every_style(parts["word/styles.xml"])
    parts["docProps/core.xml"] = _core(parts["docProps/core.xml"], core, date)
    buf = io.BytesIO()
    ooxml.write_parts(buf, parts)
    return buf.getvalue()


def _fonts_in_every_style(xml: bytes) -> bytes:
    """Styles pandoc adds while writing (code, highlighting) get the default fonts, East-Asian included."""
    root = etree.fromstring(xml)
    default = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    if default is None:
        return xml
    for style in root.iter(w("style")):
        rpr = ooxml.style_part(style, "rPr")
        fonts = rpr.find(w("rFonts"))
        if fonts is None or not fonts.get(w("eastAsia")):
            fonts = ooxml.set_child(rpr, "rFonts", {})
            for key, value in default.attrib.items():
                fonts.set(key, value)
    return ooxml.dump(root)


def _style_table(table: etree._Element) -> None:
    """Header-row cells in TableHeading, others in TableText; a full grid drawn on the table itself."""
    tbl_pr = table.find(w("tblPr"))
    if tbl_pr is not None and tbl_pr.find(w("tblBorders")) is None:
        borders = ooxml.borders("tblBorders", ("top", "left", "bottom", "right", "insideH", "insideV"))
        anchor = tbl_pr.find(w("tblLayout"))
        (anchor.addprevious if anchor is not None else tbl_pr.append)(borders)
    for row in table.findall(w("tr")):
        header = row.find(f"{W}trPr/{W}tblHeader") is not None
        for p_style in row.iterfind(f"{W}tc/{W}p/{W}pPr/{W}pStyle"):
            if p_style.get(w("val")) in ("Compact", "BodyText", "FirstParagraph"):
                p_style.set(w("val"), "TableHeading" if header else "TableText")


def _fill_toc(doc: etree._Element) -> None:
    """Replace the marker paragraph with a TOC field whose cached result lists the headings."""
    marker = next((p for p in doc.iter(w("p")) if "".join(p.itertext()) == TOC_MARKER), None)
    if marker is None:
        return
    entries = list(_headings(doc))
    width = _text_width(doc)
    paragraphs = [_toc_entry(style, text, anchor, width) for style, text, anchor in entries] or [
        etree.Element(w("p"))
    ]
    begin = [_field_run("begin"), _instr_run(' TOC \\o "1-2" \\h \\z \\u '), _field_run("separate")]
    first_ppr = paragraphs[0].find(w("pPr"))
    at = 1 if first_ppr is not None else 0
    for offset, run in enumerate(begin):
        paragraphs[0].insert(at + offset, run)
    end = etree.Element(w("p"))
    end.append(_field_run("end"))
    parent = marker.getparent()
    index = parent.index(marker)
    parent.remove(marker)
    for i, p in enumerate([*paragraphs, end, _toc_note()]):
        parent.insert(index + i, p)


def _headings(doc: etree._Element) -> Iterator[tuple[str, str, str | None]]:
    """(TOC style, text, bookmark) of each level-1 and level-2 heading after the marker."""
    for p in doc.iter(w("p")):
        style = p.find(f"{W}pPr/{W}pStyle")
        level = TOC_LEVELS.get(style.get(w("val"))) if style is not None else None
        if level is None:
            continue
        mark = p.getprevious()
        anchor = mark.get(w("name")) if mark is not None and mark.tag == w("bookmarkStart") else None
        yield level, "".join(t.text or "" for t in p.iter(w("t"))), anchor


def _toc_entry(style: str, text: str, anchor: str | None, width: int) -> etree._Element:
    p = etree.Element(w("p"))
    ppr = etree.SubElement(p, w("pPr"))
    etree.SubElement(ppr, w("pStyle"), {w("val"): style})
    tabs = etree.SubElement(ppr, w("tabs"))
    etree.SubElement(tabs, w("tab"), {w("val"): "right", w("leader"): "dot", w("pos"): str(width)})
    holder = etree.SubElement(p, w("hyperlink"), {w("anchor"): anchor, w("history"): "1"}) if anchor else p
    run = etree.SubElement(holder, w("r"))
    etree.SubElement(run, w("t"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}).text = text
    return p


def _toc_note() -> etree._Element:
    """How to get page numbers: the file asks no program to update fields on its own."""
    p = etree.Element(w("p"))
    ppr = etree.SubElement(p, w("pPr"))
    etree.SubElement(ppr, w("pStyle"), {w("val"): "TOCNote"})
    run = etree.SubElement(p, w("r"))
    etree.SubElement(run, w("t")).text = TOC_NOTE
    return p


def _field_run(kind: str) -> etree._Element:
    run = etree.Element(w("r"))
    etree.SubElement(run, w("fldChar"), {w("fldCharType"): kind})
    return run


def _instr_run(code: str) -> etree._Element:
    run = etree.Element(w("r"))
    etree.SubElement(
        run, w("instrText"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}
    ).text = code
    return run


def _text_width(doc: etree._Element) -> int:
    """Width between the margins, in twips, from the section properties."""
    size, margins = doc.find(f"{W}body/{W}sectPr/{W}pgSz"), doc.find(f"{W}body/{W}sectPr/{W}pgMar")
    if size is None or margins is None:
        return 9000
    return int(size.get(w("w"))) - int(margins.get(w("left"))) - int(margins.get(w("right")))


def _core(xml: bytes, props: dict[str, str], date: dt.date) -> bytes:
    """Core properties: title, author and the like from ``props``; created and modified at the report date.

    Set here rather than through pandoc's metadata, which would also print a title block above the cover.
    """
    root = etree.fromstring(xml)
    for name, value in props.items():
        prefix = "cp" if name in ("keywords", "lastModifiedBy", "category") else "dc"
        tag = f"{{{CORE[prefix]}}}{name}"
        el = root.find(tag)
        if el is None:
            el = etree.SubElement(root, tag)
        el.text = value
    stamp = f"{date.isoformat()}T00:00:00Z"
    for tag in ("created", "modified"):
        for el in root.iter(f"{{{CORE['dcterms']}}}{tag}"):
            el.text = stamp
    return ooxml.dump(root)
