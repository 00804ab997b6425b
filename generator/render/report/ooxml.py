"""Small WordprocessingML helpers: zip parts in and out, elements in schema order, fonts and borders.

Word rejects elements out of schema order, so every insertion goes through ``set_child`` with
the order of the parent's type.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO

from lxml import etree

from generator.render.report.style import Font

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
}
W = f"{{{NS['w']}}}"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Fixed time stamp of every zip entry, so equal inputs give equal bytes."""

ORDER = {
    "rPr": (
        "rStyle",
        "rFonts",
        "b",
        "bCs",
        "i",
        "iCs",
        "caps",
        "smallCaps",
        "strike",
        "dstrike",
        "outline",
        "shadow",
        "emboss",
        "imprint",
        "noProof",
        "snapToGrid",
        "vanish",
        "webHidden",
        "color",
        "spacing",
        "w",
        "kern",
        "position",
        "sz",
        "szCs",
        "highlight",
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
    ),
    "pPr": (
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ),
    "style": (
        "name",
        "aliases",
        "basedOn",
        "next",
        "link",
        "autoRedefine",
        "hidden",
        "uiPriority",
        "semiHidden",
        "unhideWhenUsed",
        "qFormat",
        "locked",
        "personal",
        "personalCompose",
        "personalReply",
        "rsid",
        "pPr",
        "rPr",
        "tblPr",
        "trPr",
        "tcPr",
        "tblStylePr",
    ),
}


def w(tag: str) -> str:
    """Qualified name in the w: namespace."""
    return W + tag


def read_parts(data: bytes) -> dict[str, bytes]:
    """Every part of a zip package, in archive order."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def write_parts(target: IO[bytes], parts: dict[str, bytes]) -> None:
    """Write parts as a package with fixed time stamps; [Content_Types].xml first, as Office expects."""
    names = sorted(parts, key=lambda n: (n != "[Content_Types].xml",))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, parts[name])


def dump(root: etree._Element) -> bytes:
    """Serialise a part with its XML declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_child(parent: etree._Element, tag: str, attrs: dict[str, str]) -> etree._Element:
    """Replace (or add) the child ``tag`` with these w: attributes, at its place in schema order."""
    for old in parent.findall(w(tag)):
        parent.remove(old)
    el = etree.Element(w(tag), {w(k): v for k, v in attrs.items()})
    _insert_ordered(parent, el)
    return el


def _insert_ordered(parent: etree._Element, el: etree._Element) -> None:
    order = ORDER.get(etree.QName(parent).localname, ())
    tag = etree.QName(el).localname
    rank = order.index(tag) if tag in order else len(order)
    for i, child in enumerate(parent):
        name = etree.QName(child).localname
        if name in order and order.index(name) > rank:
            parent.insert(i, el)
            return
    parent.append(el)


def style_part(style: etree._Element, tag: str) -> etree._Element:
    """The style's pPr / rPr / tblPr, created at its place when missing."""
    found = style.find(w(tag))
    if found is None:
        found = etree.Element(w(tag))
        _insert_ordered(style, found)
    return found


def set_fonts(rpr: etree._Element, font: Font) -> None:
    """Explicit fonts for every script (theme fonts removed): Latin and East-Asian named separately."""
    set_child(
        rpr,
        "rFonts",
        {"ascii": font.latin, "hAnsi": font.latin, "eastAsia": font.east_asia, "cs": font.latin},
    )


def borders(tag: str, sides: tuple[str, ...], *, size: int = 4) -> etree._Element:
    """A borders element with single lines on the given sides."""
    el = etree.Element(w(tag))
    for side in sides:
        etree.SubElement(
            el, w(side), {w("val"): "single", w("sz"): str(size), w("space"): "0", w("color"): "000000"}
        )
    return el
