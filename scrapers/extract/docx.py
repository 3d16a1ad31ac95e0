"""DOCX bytes → paragraphs and tables, with the standard library only (zipfile + ElementTree)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from scrapers.errors import ScrapeError
from scrapers.extract.furniture import TABLE_CELL_SEPARATOR

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
BODY_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
# Deeper XML is refused: the body walk recurses once per level.
MAX_XML_DEPTH = 200
# A part inflating past this is a zip bomb or not a report; it is refused, not read.
MAX_PART_BYTES = 64 * 1024 * 1024
# What each run-level element contributes to a paragraph's text (w:t's own text aside).
RUN_MARKS: dict[str, str] = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


@dataclass(frozen=True)
class DocxContent:
    """A Word document's text (tables as tab-separated rows), its tables and core title."""

    text: str
    tables: list[list[list[str]]] = field(default_factory=list)
    title: str | None = None


def _paragraph(p: ElementTree.Element) -> str:
    parts: list[str] = []
    for node in p.iter():
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag in RUN_MARKS:
            parts.append(RUN_MARKS[node.tag])
    return "".join(parts)


def _table(tbl: ElementTree.Element) -> list[list[str]]:
    rows: list[list[str]] = []
    for tr in tbl.iter(f"{_W}tr"):
        cells = [" ".join(_paragraph(p).strip() for p in tc.iter(f"{_W}p")).strip() for tc in tr.iter(f"{_W}tc")]
        if any(cells):
            rows.append(cells)
    return rows


def _walk(node: ElementTree.Element, lines: list[str], tables: list[list[list[str]]]) -> None:
    """Body order: paragraphs as lines, tables as rows; content controls (w:sdt) are looked into."""
    for child in node:
        if child.tag == f"{_W}p":
            lines.append(_paragraph(child))
        elif child.tag == f"{_W}tbl":
            rows = _table(child)
            tables.append(rows)
            lines.extend(TABLE_CELL_SEPARATOR.join(row) for row in rows)
        else:
            _walk(child, lines, tables)


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        return None
    return archive.read(info)


def _core_title(archive: zipfile.ZipFile) -> str | None:
    core = _read_part(archive, CORE_PART)
    if not core:
        return None
    try:
        node = ElementTree.fromstring(core).find(_DC_TITLE)
    except ElementTree.ParseError:
        return None
    return (node.text or "").strip() or None if node is not None else None


def _bounded_parse(xml: bytes) -> ElementTree.Element | ScrapeError:
    """The part's tree, or a ScrapeError when it nests deeper than MAX_XML_DEPTH (the walk over it recurses, and
    no real document comes near: a Word body is a few levels of tables in tables)."""
    depth = 0
    events = ElementTree.iterparse(io.BytesIO(xml), events=("start", "end"))
    root: ElementTree.Element | None = None
    for event, node in events:
        if event == "start":
            depth += 1
            if depth > MAX_XML_DEPTH:
                return ScrapeError(f"unreadable DOCX: nested deeper than {MAX_XML_DEPTH} levels")
            root = node if root is None else root
        else:
            depth -= 1
    if root is None:
        return ScrapeError("unreadable DOCX: empty document part")
    return root


def docx_to_text(data: bytes) -> DocxContent | ScrapeError:
    """Paragraphs and tables of a .docx in body order; ScrapeError when it is not a readable one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            body = _read_part(archive, BODY_PART)
            if body is None:
                return ScrapeError(f"not a Word document: no readable {BODY_PART}")
            root = _bounded_parse(body)
            if isinstance(root, ScrapeError):
                return root
            title = _core_title(archive)
    except Exception as err:  # zipfile and expat raise many kinds on damaged input; each is a bad file
        return ScrapeError(f"unreadable DOCX: {type(err).__name__}")
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    _walk(root, lines, tables)
    text = "\n".join(line.rstrip() for line in lines).strip()
    return DocxContent(text=text, tables=tables, title=title)
