"""Chinese numerals: read them as numbers and rewrite years and amounts as Arabic digits."""

from __future__ import annotations

import re
from decimal import Decimal

# --- vocabularies -------------------------------------------------------------------------------

DIGITS: dict[str, int] = {
    "〇": 0,
    "○": 0,
    "◯": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
TWO = "两"
SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS: dict[str, int] = {"万": 10**4, "亿": 10**8}
DECIMAL_POINT = "点"
# Year digits also cover the look-alikes OCR and careless typing put in place of 〇.
YEAR_DIGITS: dict[str, int] = {**DIGITS, "O": 0, "o": 0, "0": 0, "О": 0}

# Units an amount written in Chinese numerals may carry (after an optional 万/亿 multiplier).
AMOUNT_UNITS: tuple[str, ...] = (
    "元",
    "美元",
    "吨",
    "公斤",
    "千克",
    "斤",
    "人",
    "人次",
    "户",
    "家",
    "辆",
    "套",
    "个百分点",
    "百分点",
    "%",
    "千瓦时",
    "千瓦",
    "兆瓦",
    "亩",
    "公顷",
    "平方米",
    "平方公里",
    "公里",
    "立方米",
    "标准箱",
)
# The only units a lone one-character numeral is rewritten before: elsewhere it is mostly a word
# (一人一策, 一户一档, 二元结构, 最后一公里, 两家医院, 统一多元), except 十 with 余/多 (十余人).
LONE_DIGIT_UNITS: frozenset[str] = frozenset({"%", "个百分点", "百分点"})
# Between a numeral and its unit: 三百多人, 一万余人, 二十多亿元.
CONNECTORS: tuple[str, ...] = ("余", "多")
# A numeral right after one of these is not an amount of its own (第一, 数十亿, 十几).
NOT_AFTER: tuple[str, ...] = ("第", "数", "几", "点", ".", "．")
# Dashes and words joining the first year of a range to the second (二〇二一—二〇二五年).
YEAR_RANGE_JOINERS: tuple[str, ...] = ("—", "–", "-", "~", "～", "至", "到")
PERCENT_PREFIX = "百分之"
# Longer numerals are left alone: nothing real is written with more characters.
MAX_NUMERAL_CHARS = 40

_NUMERAL_CHARS = "".join((*DIGITS, TWO, *SMALL_UNITS, *BIG_UNITS))
_START_CHARS = "".join((*DIGITS, TWO, "十"))
_PLAIN_DIGITS = "〇零一二三四五六七八九"


def _alternation(words: tuple[str, ...]) -> str:
    """Regex alternation of the words, longest first so the longest one wins."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NOT_BEFORE = re.escape(_NUMERAL_CHARS + "".join(NOT_AFTER)) + "0-9"
_INTEGER = rf"[{_START_CHARS}](?<![{_NOT_BEFORE}].)[{_NUMERAL_CHARS}]*"
_NUMERAL = rf"{_INTEGER}(?:{DECIMAL_POINT}[{_PLAIN_DIGITS}]+[万亿]*)?"
_AMOUNT_RE = re.compile(
    rf"(?P<num>{_NUMERAL})"
    rf"(?:(?P<conn>{_alternation(CONNECTORS)})?(?P<mult>万亿|万|亿)?(?P<unit>{_alternation(AMOUNT_UNITS)})"
    r"|(?<=亿))"
)
_PERCENT_RE = re.compile(
    rf"{PERCENT_PREFIX}(?<![{_NOT_BEFORE}]{PERCENT_PREFIX})(?P<num>[{_START_CHARS}][{_NUMERAL_CHARS}]*"
    rf"(?:{DECIMAL_POINT}[{_PLAIN_DIGITS}]+)?)"
)
# A month and day right after a Chinese-numeral year go with it (二〇二五年一月二十日 → 2025年1月20日),
# so that a whole date stays in one script for the date parser. Months and days alone are left as they are.
_MONTH = "十[一二]?|[一二三四五六七八九]"
_DAY = "[二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_YEAR_CHARS = re.escape("".join(YEAR_DIGITS))
_YEAR = rf"[一二三四五六七八九][{_YEAR_CHARS}]{{3}}"
_YEAR_RE = re.compile(
    rf"(?P<year>{_YEAR})(?<![{_NOT_BEFORE}A-Za-z].{{4}})"
    rf"(?=年|(?:{_alternation(YEAR_RANGE_JOINERS)}){_YEAR}年)"
    rf"(?:年(?P<month>{_MONTH})月(?:(?P<day>{_DAY})(?=[日号]))?)?"
)


# --- reading ------------------------------------------------------------------------------------


def _digits_decimal(digits: tuple[int, ...], exponent: int = 0) -> Decimal:
    """An exact Decimal from its digits (no int() on long strings, no context rounding, no E+n)."""
    if exponent > 0:
        digits, exponent = (*digits, *(0,) * exponent), 0
    return Decimal((0, digits or (0,), exponent))


def _section(s: str) -> int | None:
    """Value of a numeral below 10000 (三千五百七十八, 一百零六, 十二, 两百五), or None."""
    total, digit, last_unit, zero_gap = 0, -1, 10**4, False
    for i, ch in enumerate(s):
        if ch in DIGITS and DIGITS[ch] == 0:
            if digit >= 0 or (total == 0 and i > 0):
                return None
            zero_gap = True
        elif ch in DIGITS or ch == TWO:
            if digit >= 0 or (ch == TWO and len(s) > 1 and s[i + 1 : i + 2] not in ("百", "千")):
                return None
            digit = DIGITS.get(ch, 2)
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if unit >= last_unit or (digit < 0 and ch != "十"):
                return None
            total, digit, last_unit, zero_gap = total + max(digit, 1) * unit, -1, unit, False
        else:
            return None
    if digit < 0:
        return total
    if zero_gap or last_unit in (10, 10**4):
        return total + digit
    return total + digit * last_unit // 10  # colloquial 三千五 = 3500


def _below_yi(s: str, *, trailing: bool = False) -> int | None:
    """Value of a numeral below 10^8 (三万五千, 一万五); `trailing` allows an empty string."""
    if not s:
        return 0 if trailing else None
    head, sep, tail = s.partition("万")
    if not sep:
        return _section(s)
    if "万" in tail:
        return None
    high, low = _section(head), _abbreviated(tail, 1000)
    if high is None or low is None or not head:
        return None
    return high * 10**4 + low


def _abbreviated(tail: str, scale: int) -> int | None:
    """Value after 万/亿, where a lone digit is short for a whole order (一万五 = 15000)."""
    if len(tail) == 1 and tail in DIGITS and DIGITS[tail] > 0:
        return DIGITS[tail] * scale
    if tail == TWO:
        return None
    return _below_yi(tail, trailing=True)


def _integer(s: str) -> Decimal | None:
    """Value of a whole-number numeral, or None."""
    if not s:
        return None
    if len(s) > 1 and all(ch in DIGITS for ch in s):
        return _digits_decimal(tuple(DIGITS[ch] for ch in s))
    head, sep, tail = s.partition("亿")
    if not sep:
        value = _below_yi(s)
        return None if value is None else Decimal(value)
    if "亿" in tail:
        return None
    high, low = _below_yi(head), _abbreviated(tail, 10**7)
    if high is None or low is None:
        return None
    return Decimal(high * 10**8 + low)


def _multiplier_exponent(s: str) -> int | None:
    """Power of ten of a trailing multiplier ('' → 0, 万 → 4, 亿 → 8, 万亿 → 12), or None."""
    return {"": 0, "万": 4, "亿": 8, "万亿": 12}.get(s)


def chinese_to_number(s: str) -> Decimal | None:
    """Value of a Chinese numeral (一百零六点六二亿, 两千, 二〇二四 digit by digit), or None if not one."""
    whole, sep, rest = s.partition(DECIMAL_POINT)
    if not sep:
        return _integer(whole)
    decimals = rest.rstrip("万亿")
    exponent = _multiplier_exponent(rest[len(decimals) :])
    value = _integer(whole)
    if value is None or exponent is None or not decimals or any(ch not in DIGITS for ch in decimals):
        return None
    integer_digits = value.as_tuple().digits if value else ()
    digits = (*integer_digits, *(DIGITS[ch] for ch in decimals))
    return _digits_decimal(digits, exponent - len(decimals))


# --- rewriting ----------------------------------------------------------------------------------


def _trailing_multiplier(num: str) -> str:
    """The run of 万/亿 that ends the numeral (kept as a word: 两千三百万 → 2300万)."""
    return num[len(num.rstrip("万亿")) :]


def arabic_numeral(num: str, *, keep_multiplier: bool = True) -> str | None:
    """Arabic form of an amount numeral (一点五万 → 1.5万, or 15000 without keep_multiplier), or None."""
    if len(num) > MAX_NUMERAL_CHARS:
        return None
    whole, sep, rest = num.partition(DECIMAL_POINT)
    if len(whole) > 1 and all(ch in _PLAIN_DIGITS for ch in whole):
        return None  # 三五人 means "three or five", not 35
    value = chinese_to_number(num)
    mult = _trailing_multiplier(num) if keep_multiplier else ""
    exponent = _multiplier_exponent(mult)
    if value is None or exponent is None:
        return None
    if sep and mult:
        return f"{chinese_to_number(whole)}.{''.join(str(DIGITS[ch]) for ch in rest.rstrip('万亿'))}{mult}"
    if sep:
        return f"{value:f}"
    quotient, remainder = divmod(int(value), 10**exponent)
    return None if remainder else f"{quotient}{mult}"


def _rewrite_amount(match: re.Match[str]) -> str:
    """Replacement for one amount match (the match itself when it is not an amount)."""
    num, unit = match["num"], match["unit"]
    if len(num) == 1 and unit not in LONE_DIGIT_UNITS and not (num == "十" and match["conn"]):
        return match[0]
    # 一万余人 → 10000余人: the figure parser reads a hedge between a number and its whole unit.
    arabic = arabic_numeral(num, keep_multiplier=not match["conn"])
    if arabic is None:
        return match[0]
    return arabic + match[0][len(num) :]


def _rewrite_percent(match: re.Match[str]) -> str:
    """Replacement for 百分之 + numeral: 百分之三点八 → 3.8%."""
    num = match["num"]
    arabic = arabic_numeral(num) if not _trailing_multiplier(num) else None
    return match[0] if arabic is None else f"{arabic}%"


def _rewrite_year(match: re.Match[str]) -> str:
    """Replacement for a four-digit Chinese year and the month and day after it: 二〇二四 → 2024."""
    year = "".join(str(YEAR_DIGITS[ch]) for ch in match["year"])
    if not match["month"]:
        return year
    month, day = chinese_to_number(match["month"]), match["day"] and chinese_to_number(match["day"])
    if month is None or not 1 <= month <= 12:
        return year + match[0][len(match["year"]) :]
    if not day or not 1 <= day <= 31:
        return f"{year}年{month}月{match['day'] or ''}"
    return f"{year}年{month}月{day}"


def rewrite_numerals(text: str) -> str:
    """Rewrite Chinese-numeral years (二〇二四年, with a month and day after them) and amounts as digits."""
    if not any(ch in text for ch in _START_CHARS):
        return text
    text = _YEAR_RE.sub(_rewrite_year, text)
    text = _PERCENT_RE.sub(_rewrite_percent, text)
    return _AMOUNT_RE.sub(_rewrite_amount, text)
