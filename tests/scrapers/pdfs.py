"""Chinese PDFs built on the fly with reportlab's built-in CID font (no font files needed)."""

from __future__ import annotations

import io

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
FONT_SIZE = 12
LEADING = 20  # 1.67 x the font size, as official documents set their lines
LEFT, TOP = 72, 780


def build_pdf(pages: list[list[str]], running_head: str | None = None) -> bytes:
    """A PDF whose pages hold the given lines, set one under the other, numbered `- n -` at the foot."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=True)  # invariant: no timestamps, the same bytes every run
    for number, lines in enumerate(pages, 1):
        pdf.setFont(FONT, FONT_SIZE)
        top = TOP
        if running_head:
            pdf.drawString(LEFT, 810, running_head)
        for line in lines:
            pdf.drawString(LEFT, top, line)
            top -= LEADING
        pdf.drawString(290, 40, f"- {number} -")
        pdf.showPage()
    pdf.save()
    return buf.getvalue()
