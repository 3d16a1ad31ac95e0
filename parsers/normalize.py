"""The one normalisation the figure parser runs on every text, and its pieces."""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

from parsers.linebreaks import rejoin_hard_wraps
from parsers.numerals import DIGITS, rewrite_numerals

__all__ = [
    "collapse_number_spaces",
    "drop_private_use",
    "fold_noise",
    "fold_width",
    "has_traditional",
    "normalize_line_breaks",
    "normalize_text",
    "opencc_traditional_chars",
    "rewrite_numerals",
    "strip_pinyin",
    "to_simplified",
    "traditional_chars",
]

# --- vocabularies -------------------------------------------------------------------------------

# Ideographs: CJK Extension A, the Unified block, compatibility ideographs, the supplementary planes.
# The characters t2s changes, precomputed from OpenCC (see opencc_traditional_chars).
TRADITIONAL_TABLE = "traditional.txt"
IDEOGRAPH_RANGES: tuple[tuple[int, int], ...] = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x323AF),
)
# Line breaks other than LF, and the literal escapes exported texts carry instead of them.
LINE_BREAKS: tuple[str, ...] = ("\r\n", "\r")
LITERAL_LINE_BREAKS: tuple[str, ...] = ("\\r\\n", "\\n", "\\r")
# Characters folded one for one (full-width digits and Latin letters are added to these).
CHAR_FOLDS: dict[str, str] = {
    "％": "%",
    "﹪": "%",
    "\u00a0": " ",
    "\u1680": " ",
    "\u202f": " ",
    "\u205f": " ",
    "\u3000": " ",
    **{chr(c): " " for c in range(0x2000, 0x200B)},
    "\u0085": "\n",
    "\u2028": "\n",
    "\u2029": "\n",
    "\u200b": "",
    "\u2060": "",
    "\ufeff": "",
}
FULL_WIDTH_RANGES: tuple[tuple[str, str], ...] = (("０", "９"), ("Ａ", "Ｚ"), ("ａ", "ｚ"))
# Pinyin letters: ASCII lowercase plus tone-marked vowels, ü and the syllabic nasals.
PINYIN_MARKED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêếềḿńňǹ"
PINYIN_VOWELS = "aeiouv" + PINYIN_MARKED
PERCENT_ARTEFACT = "_M_M_"  # what some exports put in place of %
ZERO_LOOKALIKES = "".join(ch for ch, v in DIGITS.items() if v == 0 and ch not in "〇零")
NUMERAL_NEIGHBOURS = "〇零一二三四五六七八九十百千万亿"

_IDEOGRAPH = "".join(f"{chr(a)}-{chr(b)}" for a, b in IDEOGRAPH_RANGES)
_CJK = _IDEOGRAPH + "\u3007"
_LETTER = "a-z" + PINYIN_MARKED


def _syllable(required: str) -> str:
    """Regex for one pinyin syllable (1-6 letters, `?` for lost ones) holding one of `required`."""
    return rf"(?=[{_LETTER}?]{{0,5}}[{required}])(?=\?{{0,5}}[{_LETTER}])[{_LETTER}?]{{1,6}}"


_SYLLABLE = _syllable(PINYIN_VOWELS + "?")
_MARKED_SYLLABLE = _syllable(PINYIN_MARKED)
_ANNOTATION = rf"(?:[(（]{_SYLLABLE}(?: {_SYLLABLE}){{0,5}}[)）]|\?+{_MARKED_SYLLABLE}[)）])"
# `八個(gè)`, `（gè）`, `(zhōng guó)`, and `展?fàn)` where the opening bracket itself was lost. 〇 does not
# count as the ideograph before: fold_noise makes it out of ○, and a second pass must find nothing new.
_PINYIN_RE = re.compile(
    rf"[(（?](?<=[{_IDEOGRAPH}].)"
    rf"(?:(?<=[(（]){_SYLLABLE}(?: {_SYLLABLE}){{0,5}}[)）]|(?<=\?)\?*{_MARKED_SYLLABLE}[)）])"
    rf"{_ANNOTATION}*"
)
_LITERAL_BREAK_RE = re.compile("|".join(re.escape(s) for s in LITERAL_LINE_BREAKS))
# One `?` between ideographs is a lost character; a lone full-width `？` is a real question mark.
_LOST_RUN_RE = re.compile(rf"[?？](?<=[{_CJK}].)(?:(?<=\?)[?？]*|(?<=？)[?？]+)(?=[{_CJK}])")
_ZERO_RUN_RE = re.compile(rf"[{ZERO_LOOKALIKES}]+")
# Each starts with a digit so that re can skip ahead quickly; the leading digit is put back.
_DECIMAL_POINT_RE = re.compile(r"([0-9])(?: +[.．] *|[.．] +|．)(?=[0-9])")
# A decimal point typed twice (`14..3%`) is one point: no report writes a range that way.
_DOUBLED_POINT_RE = re.compile(r"(?<=[0-9])[.．]{2,3}(?=[0-9])")
_THOUSANDS_RE = re.compile(r"[0-9](?<![0-9.,].)[0-9]{0,2}(?: [0-9]{3})+(?![0-9])")
_SPACE_BEFORE_PERCENT_RE = re.compile(r"([0-9]) +%")
_SURROGATES_RE = re.compile("([\ud800-\udfff]+)")


# --- the pieces, in the order normalize_text runs them ------------------------------------------


@functools.cache
def _fold_table() -> dict[int, str]:
    """str.translate table for fold_width."""
    table = {ord(k): v for k, v in CHAR_FOLDS.items()}
    for first, last in FULL_WIDTH_RANGES:
        for code in range(ord(first), ord(last) + 1):
            table[code] = chr(code - 0xFEE0)
    return table


@functools.cache
def _foldable_re() -> re.Pattern[str]:
    """Regex for runs of characters fold_width changes (translate alone is slow on CJK text)."""
    return re.compile(f"[{''.join(re.escape(chr(code)) for code in sorted(_fold_table()))}]+")


def fold_width(text: str) -> str:
    """Full-width digits, Latin letters and ％ to ASCII; Unicode spaces to ' '; zero-width marks dropped."""
    table = _fold_table()
    return _foldable_re().sub(lambda m: m[0].translate(table), text)


def normalize_line_breaks(text: str) -> str:
    """CRLF and CR to LF, and the literal escapes `\\r\\n`, `\\n`, `\\r` of exported texts to LF."""
    for old in LINE_BREAKS:
        text = text.replace(old, "\n")
    if "\\" not in text:
        return text
    return _LITERAL_BREAK_RE.sub("\n", text)


def strip_pinyin(text: str) -> str:
    """Remove pinyin glued after ideographs: 八個(gè)方面 → 八個方面, 來(lái)源 → 來源."""
    return _PINYIN_RE.sub("", text)


@functools.cache
def _converter() -> Any:
    """OpenCC's Traditional-to-Simplified converter, built on first use."""
    import opencc

    return opencc.OpenCC("t2s")


def opencc_traditional_chars() -> frozenset[str]:
    """Ideographs OpenCC's t2s changes when they stand alone, computed from OpenCC itself (≈0.15 s).

    `tools/build_traditional.py` writes them to `parsers/data/traditional.txt`, which `traditional_chars`
    reads; a test checks the file against this, so an OpenCC upgrade cannot leave it stale.
    """
    chars = [chr(c) for first, last in IDEOGRAPH_RANGES for c in range(first, last + 1)]
    converted = str(_converter().convert("\n".join(chars))).split("\n")
    if len(converted) != len(chars):
        converted = [str(_converter().convert(ch)) for ch in chars]
    return frozenset(ch for ch, out in zip(chars, converted, strict=True) if out != ch)


@functools.cache
def traditional_chars() -> frozenset[str]:
    """Ideographs OpenCC's t2s changes when they stand alone (the packaged table: no OpenCC at start-up)."""
    text = resources.files("parsers").joinpath("data", TRADITIONAL_TABLE).read_text(encoding="utf-8")
    return frozenset(ch for line in text.splitlines() if not line.startswith("#") for ch in line.strip())


def _char_class(chars: frozenset[str]) -> str:
    """Regex character class body for a set of characters, as ranges of consecutive code points."""
    ranges: list[list[int]] = []
    for code in sorted(map(ord, chars)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


@functools.cache
def _traditional_gate() -> re.Pattern[str]:
    """Regex for BMP Traditional characters and any astral character (a big astral class is slow in re)."""
    bmp = frozenset(ch for ch in traditional_chars() if ch <= "\uffff")
    return re.compile(f"[{_char_class(bmp)}\U00010000-\U0010ffff]")


def has_traditional(text: str) -> bool:
    """Whether the text holds a character OpenCC's t2s would change."""
    return any(m[0] in traditional_chars() for m in _traditional_gate().finditer(text))


def _t2s(text: str) -> str:
    """OpenCC t2s on any str (it cannot encode lone surrogates: those pass through)."""
    if not _SURROGATES_RE.search(text):
        return str(_converter().convert(text))
    parts = _SURROGATES_RE.split(text)
    return "".join(part if i % 2 else str(_converter().convert(part)) for i, part in enumerate(parts))


def to_simplified(text: str) -> str:
    """Traditional to Simplified with OpenCC t2s, run only on texts holding a Traditional character."""
    for _ in range(3):  # a few characters convert in two steps (薴 → 苧 → 苎)
        if not has_traditional(text):
            break
        converted = _t2s(text)
        if converted == text:
            break
        text = converted
    return text


def _fold_zeros(text: str) -> str:
    """○ and ◯ next to a Chinese numeral character (二○二四, 一百○五) to 〇."""

    def fold(m: re.Match[str]) -> str:
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        beside_numeral = any(ch and ch in NUMERAL_NEIGHBOURS for ch in (before, after))
        return "〇" * len(m[0]) if beside_numeral else m[0]

    return _ZERO_RUN_RE.sub(fold, text)


def fold_noise(text: str) -> str:
    """`_M_M_` to %, ○ in Chinese numerals to 〇, runs of `?` for lost spaces between ideographs dropped."""
    text = text.replace(PERCENT_ARTEFACT, "%")
    if any(ch in text for ch in ZERO_LOOKALIKES):
        text = _fold_zeros(text)
    if "?" in text or "？" in text:
        text = _LOST_RUN_RE.sub("", text)
    return text


def collapse_number_spaces(text: str) -> str:
    """Numbers repaired: `1 234.5` → 1234.5, `12. 16` → 12.16, `3 . 8 %` → 3.8%, `1．5` → 1.5, `14..3` → 14.3."""
    # Each repair runs only where its trigger occurs: a substring test is far cheaper than a regex scan.
    if " " in text:
        text = _THOUSANDS_RE.sub(lambda m: m[0].replace(" ", ""), text)
    if ".." in text or "．．" in text or ".．" in text or "．." in text:
        text = _DOUBLED_POINT_RE.sub(".", text)
    if " ." in text or ". " in text or "．" in text or " ．" in text:
        text = _DECIMAL_POINT_RE.sub(r"\1.", text)
    return _SPACE_BEFORE_PERCENT_RE.sub(r"\1%", text) if " %" in text else text


# Private-use characters: icon glyphs of web fonts that page exports leave in the text (\ue004).
_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff]+")


def drop_private_use(text: str) -> str:
    """The text without private-use characters, which carry no meaning outside the page's own font."""
    return _PRIVATE_USE_RE.sub("", text)


# Passes of normalize_text at most; real hard-wrapped texts settle in two.
MAX_NORMALIZE_PASSES = 6


def normalize_text(text: str) -> str:
    """The figure parser's normalisation: idempotent, never raises, keeps CJK punctuation as it is."""
    # Width folding comes first so that its output (`\ｎ` → `\n`, `（ｇè）`) cannot form what an earlier
    # step looks for; the spaces inside numbers go last, after numerals have become digits.
    text = normalize_line_breaks(fold_width(drop_private_use(text)))
    # Rejoining hard wraps measures line widths, which the later steps change (十亿 → 10亿), and a join may
    # bring together what an earlier step looks for: a text whose lines were joined goes round again, until
    # the rejoin finds nothing more to do. Texts without hard wraps take one pass.
    for _ in range(MAX_NORMALIZE_PASSES):
        simplified = to_simplified(strip_pinyin(text))
        joined = rejoin_hard_wraps(simplified)
        text = collapse_number_spaces(rewrite_numerals(fold_noise(joined)))
        if joined == simplified and rejoin_hard_wraps(text) == text:
            break
    return text
