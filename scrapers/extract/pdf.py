"""PDF bytes → text with pdfminer.six, lines rejoined; broken or non-PDF input is an ScrapeError."""

from __future__ import annotations

import io
import re

from pdfminer.high_level import extract_text
from pdfminer.layout import LAParams

from parsers.linebreaks import rejoin_lines, squeeze_cjk_spaces
from scrapers.errors import ScrapeError

# Chinese official documents set lines 1.5-2 times the font size apart; with pdfminer's default
# line_margin (0.5) every line becomes a box of its own, separated by blank lines as if each were
# a paragraph. A wider margin keeps a paragraph's lines in one box.
CJK_LAPARAMS = LAParams(line_margin=1.0, char_margin=2.0, word_margin=0.1, boxes_flow=0.5)
# A PDF must declare itself within its first KB (the spec tolerates leading junk up to there).
PDF_MAGIC_WITHIN = 1024
# Glyphs without a Unicode mapping come out as (cid:123); past this share the text is unreadable.
MAX_UNMAPPED_SHARE = 0.3
_UNMAPPED = re.compile(r"\(cid:\d+\)")


def pdf_to_text(data: bytes, max_pages: int = 500) -> str | ScrapeError:
    """Text of the first max_pages pages, lines broken inside sentences rejoined; or why not."""
    if b"%PDF-" not in data[:PDF_MAGIC_WITHIN]:
        return ScrapeError("not a PDF: no %PDF- header")
    try:
        raw = extract_text(io.BytesIO(data), maxpages=max_pages, laparams=CJK_LAPARAMS)
    except Exception as err:  # pdfminer raises many kinds on broken input; each one is a bad file
        reason = str(err).splitlines()[0] if str(err) else ""
        return ScrapeError(f"unreadable PDF: {type(err).__name__} {reason}".strip())
    unmapped = sum(len(m) for m in _UNMAPPED.findall(raw))
    if unmapped and unmapped > MAX_UNMAPPED_SHARE * len(raw):
        return ScrapeError("PDF fonts carry no Unicode mapping: text unreadable")
    text = rejoin_lines(squeeze_cjk_spaces(_UNMAPPED.sub("", raw)))
    if not text.strip():
        return ScrapeError("PDF has no text layer (a scan?)")
    return text
