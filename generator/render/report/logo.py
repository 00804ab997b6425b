"""A body's logo: kept as SVG text in templates/<body>/logo.svg, rasterised once for the DOCX.

The PDF takes the SVG as it is. Word and LibreOffice need a PNG beside (or instead of) an SVG, so
the SVG is laid out by WeasyPrint and rasterised by poppler's ``pdftoppm``; without pdftoppm the
DOCX gets the SVG alone (shown by Word 2016 and later).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Logo:
    """The logo in the forms the two outputs take."""

    svg: bytes
    """The SVG as shipped."""
    png: bytes | None
    """A raster copy for the DOCX, when it could be made."""

    def data_uri(self, target: str) -> str:
        """Inline image for pandoc (which runs sandboxed and may read no file)."""
        mime, data = ("image/png", self.png) if target == "docx" and self.png else ("image/svg+xml", self.svg)
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def load_logo(svg: bytes, cache_dir: Path) -> Logo:
    """The logo ``svg`` (as loaded) with its PNG copy (cached by content hash)."""
    cached = cache_dir / f"logo-{hashlib.sha256(svg).hexdigest()[:16]}.png"
    if not cached.is_file():
        png = rasterise(svg)
        if png is None:
            return Logo(svg, None)
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".png")
        with os.fdopen(fd, "wb") as f:
            f.write(png)
        os.replace(tmp, cached)
    return Logo(svg, cached.read_bytes())


def rasterise(svg: bytes, *, dpi: int = 300) -> bytes | None:
    """PNG of an SVG at its own size, or None when pdftoppm is not installed."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return None
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    width, height = _size(svg.decode("utf-8", errors="replace"))
    uri = f"data:image/svg+xml;base64,{base64.b64encode(svg).decode('ascii')}"
    page = (
        f"<style>@page {{ size: {width}px {height}px; margin: 0 }} body {{ margin: 0 }}"
        f"img {{ display: block; width: {width}px; height: {height}px }}</style><img src='{uri}'>"
    )
    # data: URLs only, as for the PDF: an <image href="file:///…"> in the SVG reads nothing
    pdf = HTML(string=page, base_url=None, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    done = subprocess.run(
        [pdftoppm, "-png", "-r", str(dpi), "-singlefile", "-"],
        input=pdf,
        capture_output=True,
        check=False,
        timeout=60,
    )
    return done.stdout if done.returncode == 0 and done.stdout else None


def _size(svg: str) -> tuple[float, float]:
    """Width and height of the SVG in CSS pixels (from its attributes or its viewBox)."""
    width = re.search(r'<svg[^>]*\bwidth="([\d.]+)', svg)
    height = re.search(r'<svg[^>]*\bheight="([\d.]+)', svg)
    if width and height:
        return float(width.group(1)), float(height.group(1))
    box = re.search(r'viewBox="[\d.\s-]+?([\d.]+)\s+([\d.]+)"', svg)
    return (float(box.group(1)), float(box.group(2))) if box else (240.0, 64.0)
