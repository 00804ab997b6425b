"""Section properties and the header and footer parts of a report's reference.docx.

The footer carries the page number (— 1 —); the header is empty, or for a draft carries the
marking 征求意见稿 and a diagonal watermark (VML, as Word writes its own watermarks).
"""

from __future__ import annotations

from lxml import etree

from .ooxml import CT, NS, PKG_REL, REL, dump, w
from .style import Font


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


def _part(tag: str, body: str) -> bytes:
    return HDR.format(tag=tag, body=body, **NS).encode("utf-8")


def _run(text: str, font: Font, size: int, color: str = "000000") -> str:
    return (
        f'<w:r><w:rPr><w:rFonts w:ascii="{font.latin}" w:hAnsi="{font.latin}" w:eastAsia="{font.east_asia}"/>'
        f'<w:color w:val="{color}"/><w:sz w:val="{size * 2}"/></w:rPr>'
        f'<w:t xml:space="preserve">{text}</w:t></w:r>'
    )


def page_number_footer(font: Font, *, size: int) -> bytes:
    """Footer part: — PAGE — centred."""
    field = (
        f'<w:fldSimple w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="{size * 2}"/></w:rPr>'
        "<w:t>1</w:t></w:r></w:fldSimple>"
    )
    body = (
        f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{_run("— ", font, size)}{field}'
        f"{_run(' —', font, size)}</w:p>"
    )
    return _part("ftr", body)


def empty_footer() -> bytes:
    """Footer part with one empty paragraph (the cover's)."""
    return _part("ftr", "<w:p/>")


def header(mark: str | None, *, font: Font, color: str) -> bytes:
    """Header part: the draft marking at the right and a light diagonal watermark, or nothing."""
    if not mark:
        return _part("hdr", "<w:p/>")
    watermark = (
        '<w:r><w:pict><v:shape id="ZwpjDraftWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;rotation:315;'
        "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
        f'fillcolor="#{color}" stroked="f"><v:fill opacity="0.12"/>'
        f'<v:textpath style="font-family:&quot;{font.east_asia}&quot;;font-size:1pt" string="{mark}"/>'
        "</v:shape></w:pict></w:r>"
    )
    body = f'<w:p><w:pPr><w:jc w:val="right"/></w:pPr>{watermark}{_run(mark, font, 12, color)}</w:p>'
    return _part("hdr", body)


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
