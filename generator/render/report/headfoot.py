"""Section properties and the header and footer parts of a report's reference.docx.

Header and footer are the body template's own (``style.yaml`` ``header`` and ``footer``, the same
texts the PDF's page margins show): text at the left, centre and right, page numbers as PAGE and
NUMPAGES fields. A draft's header also carries a diagonal watermark (VML, as Word writes its own).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from lxml import etree

from generator.render.report.ooxml import CT, NS, PKG_REL, REL, dump, w
from generator.render.report.style import Font, RunningText


def section_properties(*, top: int, bottom: int, left: int, right: int) -> etree._Element:
    """A4 section with header, footer (none on the first page, the cover) and a line grid."""
    sect = etree.Element(w("sectPr"), nsmap={"w": NS["w"], "r": NS["r"]})
    etree.SubElement(sect, w("headerReference"), {w("type"): "default", f"{{{NS['r']}}}id": "rIdZwpjHeader"})
    etree.SubElement(sect, w("footerReference"), {w("type"): "default", f"{{{NS['r']}}}id": "rIdZwpjFooter"})
    etree.SubElement(sect, w("footerReference"), {w("type"): "first", f"{{{NS['r']}}}id": "rIdZwpjFirst"})
    etree.SubElement(sect, w("pgSz"), {w("w"): "11906", w("h"): "16838"})
    etree.SubElement(
        sect,
        w("pgMar"),
        {
            w("top"): str(top),
            w("right"): str(right),
            w("bottom"): str(bottom),
            w("left"): str(left),
            w("header"): "851",
            w("footer"): "992",
            w("gutter"): "0",
        },
    )
    etree.SubElement(sect, w("cols"), {w("space"): "425"})
    etree.SubElement(sect, w("titlePg"))
    return sect


HDR = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{tag} xmlns:w="{w}" xmlns:r="{r}" '
    'xmlns:v="{v}" xmlns:o="{o}">{body}</w:{tag}>'
)
FIELDS = {"page": "PAGE", "pages": "NUMPAGES", "title": "TITLE"}
"""Placeholders of a running text and the Word field each becomes (none fetches anything)."""
PLACEHOLDER = re.compile(r"\{(page|pages|title|draft)\}")


def _part(tag: str, body: str) -> bytes:
    return HDR.format(tag=tag, body=body, **NS).encode("utf-8")


def _rpr(font: Font, size: float, color: str) -> str:
    return (
        f"<w:rPr><w:rFonts w:ascii={quoteattr(font.latin)} w:hAnsi={quoteattr(font.latin)} "
        f"w:eastAsia={quoteattr(font.east_asia)}/><w:color w:val={quoteattr(color)}/>"
        f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/></w:rPr>'
    )


def _runs(text: str, rpr: str, draft: str) -> str:
    """Runs for a running text: literal pieces, fields for {page} {pages} {title}, the marking for {draft}."""
    out, pos = [], 0
    for match in [*PLACEHOLDER.finditer(text), None]:
        piece = text[pos : match.start() if match else len(text)]
        if piece:
            out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{xml_escape(piece)}</w:t></w:r>')
        if match is None:
            break
        name, pos = match.group(1), match.end()
        if name == "draft":
            if draft:
                out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{xml_escape(draft)}</w:t></w:r>')
        else:
            out.append(f'<w:fldSimple w:instr=" {FIELDS[name]} "><w:r>{rpr}<w:t>1</w:t></w:r></w:fldSimple>')
    return "".join(out)


def running_text(
    tag: str, spec: RunningText, *, font: Font, width: int, draft: str | None, watermark: str = ""
) -> bytes:
    """A header (``hdr``) or footer (``ftr``) part: left, centre and right on tab stops, an optional rule."""
    rpr = _rpr(font, spec.size, spec.color)
    side = "bottom" if tag == "hdr" else "top"
    rule = (
        f'<w:pBdr><w:{side} w:val="single" w:sz="8" w:space="1" w:color={quoteattr(spec.color)}/></w:pBdr>'
        if spec.rule
        else ""
    )
    tabs = (
        f'<w:tabs><w:tab w:val="center" w:pos="{width // 2}"/><w:tab w:val="right" w:pos="{width}"/></w:tabs>'
    )
    tab = f"<w:r>{rpr}<w:tab/></w:r>"
    runs = (
        _runs(spec.left, rpr, draft or "")
        + tab
        + _runs(spec.center, rpr, draft or "")
        + tab
        + _runs(spec.right, rpr, draft or "")
    )
    body = f'<w:p><w:pPr>{rule}{tabs}<w:spacing w:before="0" w:after="0"/></w:pPr>{watermark}{runs}</w:p>'
    return _part(tag, body)


def empty_footer() -> bytes:
    """Footer part with one empty paragraph (the cover's)."""
    return _part("ftr", "<w:p/>")


def draft_watermark(mark: str, *, font: Font, color: str) -> str:
    """A light diagonal watermark (VML, as Word writes its own watermarks) to put in a header paragraph."""
    return (
        '<w:r><w:pict><v:shape id="ZwpjDraftWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;rotation:315;'
        "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
        f'fillcolor="#{color}" stroked="f"><v:fill opacity="0.12"/>'
        f'<v:textpath style="font-family:&quot;{xml_escape(font.east_asia)}&quot;;font-size:1pt" '
        f"string={quoteattr(mark)}/></v:shape></w:pict></w:r>"
    )


def add_header_footer(parts: dict[str, bytes], footer: bytes, header_xml: bytes) -> None:
    """Add header and footer parts with the relationship ids ``section_properties`` refers to."""
    files = {
        "header1.xml": ("rIdZwpjHeader", "header", header_xml),
        "footer1.xml": ("rIdZwpjFooter", "footer", footer),
        "footer2.xml": ("rIdZwpjFirst", "footer", empty_footer()),
    }
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    types = etree.fromstring(parts["[Content_Types].xml"])
    for name, (rid, kind, data) in files.items():
        parts[f"word/{name}"] = data
        etree.SubElement(rels, PKG_REL + "Relationship", {"Id": rid, "Type": f"{REL}/{kind}", "Target": name})
        etree.SubElement(
            types,
            CT + "Override",
            {
                "PartName": f"/word/{name}",
                "ContentType": f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml",
            },
        )
    parts["word/_rels/document.xml.rels"] = dump(rels)
    parts["[Content_Types].xml"] = dump(types)
