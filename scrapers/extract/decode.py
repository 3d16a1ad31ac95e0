"""Bytes → text: HTTP charset, BOM, in-document declaration, then a detector; never raises."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Literal

Source = Literal["http", "bom", "meta", "detected", "fallback"]

# Declarations are looked for in this many leading bytes: a Wayback page carries ~1.2 KB of toolbar
# markup before its <meta>, and CMS templates put long <style> blocks in <head>.
META_SCAN_BYTES = 8192
# The detector only sees this prefix; it is slow on megabytes and a prefix is as telling.
DETECT_BYTES = 65536
# A declared charset may leave this many undecodable bytes at the very end (a page cut by a size cap
# mid-character) and still count as telling the truth.
TRUNCATION_SLACK = 3

# GB2312 and GBK are subsets of GB18030: pages labelled with them routinely use GBK-only characters
# (堃, 喆, 镕), so every label of the family decodes as the superset. Big5 likewise as Big5-HKSCS.
LABEL_ALIASES: dict[str, str] = {
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gb2312-80": "gb18030",
    "csgb2312": "gb18030",
    "iso-ir-58": "gb18030",
    "chinese": "gb18030",
    "euc-cn": "gb18030",
    "x-euc-cn": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}
# An in-document UTF-16 label was necessarily read as ASCII, so it cannot be true (WHATWG rule).
META_ONLY_ALIASES: dict[str, str] = {"utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8"}
# Servers send these by default whatever the page is (Tomcat's ISO-8859-1): a single-byte codec never
# fails to decode, so such a header cannot be caught lying and is not trusted at all.
WEAK_HTTP_LABELS: frozenset[str] = frozenset({"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"})

# Longest first: UTF-32 LE's BOM starts with UTF-16 LE's.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_CHARSET_ATTR = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the codec used and which step decided it."""

    text: str
    encoding: str
    source: Source


def normalise_label(label: str, *, in_document: bool = False) -> str | None:
    """Map a charset label to a Python codec name (GB family → gb18030); None when unknown."""
    key = label.strip().strip("\"'").lower()
    if in_document:
        key = META_ONLY_ALIASES.get(key, key)
    key = LABEL_ALIASES.get(key, key)
    try:
        info = codecs.lookup(key)
    except LookupError:
        return None
    name = info.name
    return LABEL_ALIASES.get(name, name)


def declared_labels(data: bytes) -> list[str]:
    """Charset labels declared by <meta> tags or an XML declaration in the head of the bytes."""
    head = data[:META_SCAN_BYTES]
    labels: list[str] = []
    xml = _XML_DECL.match(head.lstrip())
    if xml:
        labels.append(xml.group(1).decode("ascii"))
    # Only <meta> tags count: Wayback's <script charset="utf-8"> attributes come earlier and are not
    # about the page.
    for tag in _META_TAG.finditer(head):
        found = _CHARSET_ATTR.search(tag.group(0))
        if found:
            labels.append(found.group(1).decode("ascii"))
    return labels


def _strict(data: bytes, encoding: str) -> str | None:
    """Decode strictly, tolerating only a character cut off at the very end; None when it fails."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        if err.start < len(data) - TRUNCATION_SLACK:
            return None
        # Everything before the first error is valid by definition.
        return data[: err.start].decode(encoding) + data[err.start :].decode(encoding, errors="replace")
    except LookupError:
        return None


def _from_bom(data: bytes) -> Decoded | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(encoding, errors="replace"), encoding, "bom")
    return None


def _try_declared(data: bytes, label: str, source: Source, utf8_text: str | None) -> Decoded | None:
    """Decode with a declared label unless it lies (fails strictly, or UTF-8 bytes under a legacy label)."""
    encoding = normalise_label(label, in_document=source == "meta")
    if encoding is None:
        return None
    if encoding == "utf-8":
        return Decoded(utf8_text, encoding, source) if utf8_text is not None else None
    # Non-ASCII bytes that validate as UTF-8 are UTF-8: legacy CJK text practically never does, while
    # legacy decoders (gb18030 above all) happily turn UTF-8 into plausible-looking nonsense.
    if utf8_text is not None and not data.isascii():
        return None
    text = _strict(data, encoding)
    return Decoded(text, encoding, source) if text is not None else None


def _detect(data: bytes) -> Decoded | None:
    import charset_normalizer  # only for bytes no label and no UTF-8 check could settle

    best = charset_normalizer.from_bytes(data[:DETECT_BYTES]).best()
    if best is None or best.encoding is None:
        return None
    encoding = normalise_label(str(best.encoding)) or "utf-8"
    text = _strict(data, encoding)
    if text is None:
        # The prefix looked like this codec; keep it for the rest rather than guessing again.
        text = data.decode(encoding, errors="replace")
    return Decoded(text, encoding, "detected")


def decode_bytes(data: bytes, http_charset: str | None = None) -> Decoded:
    """Decode page bytes: BOM, HTTP charset, <meta>/XML declaration, UTF-8 check, detector, fallback."""
    # A BOM is unambiguous and beats any label (WHATWG order); a UTF-16 page would otherwise "decode"
    # strictly as GB18030 under a lying gbk header.
    bom = _from_bom(data)
    if bom is not None:
        return bom
    utf8_text = _strict(data, "utf-8")
    if http_charset and http_charset.strip().lower() not in WEAK_HTTP_LABELS:
        found = _try_declared(data, http_charset, "http", utf8_text)
        if found is not None:
            return found
    for label in declared_labels(data):
        found = _try_declared(data, label, "meta", utf8_text)
        if found is not None:
            return found
    if utf8_text is not None:
        return Decoded(utf8_text, "utf-8", "detected")
    try:
        detected = _detect(data)
    except Exception:  # the detector must never take a page down with it
        detected = None
    if detected is not None:
        return detected
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8", "fallback")
