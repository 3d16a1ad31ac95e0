"""Regions in running text: which division a spelling names here, which mentions are incidental, and what a
document is about.

A spelling that names one division always counts. A county's generated short form (惠民, 高要) counts only
where the text is about its province — the document's region, or an ancestor named just before — because most
of them are also ordinary words (惠民生, 更高要求). A full name several divisions share (鼓楼区, 朝阳区) counts
only where context settles it: a parent named just before, else the document's own region; never a guess.
A mention inside an organisation's name (【香港商报网讯】, 四川省社会科学院) or a leader's visit (考察河南时)
is incidental: it names no subject.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from parsers.region_table import Region
from parsers.region_trie import BigramPatterns

if TYPE_CHECKING:
    from parsers.regions import Gazetteer, RegionMatch, Surface

Matcher = tuple[re.Pattern[str] | None, BigramPatterns]

# A parent named this many characters before an ambiguous name settles it (阳泉市…城区, 福州市…鼓楼区).
NEARBY_CHARS = 60
DOCUMENT_PREFIX = 2000  # document_region() reads this many leading characters of the text
# How a text refers to its own region: 全市, 我县, 本区 ... (not 全市场, 全区域, 全区间).
SELF_REFERENCE = re.compile(r"[全我本]([省市县区盟旗州])(?![场域间])")
# A region right before these is part of an organisation's or a medium's name, not a subject.
ORGANISATION_WORDS: tuple[str, ...] = (
    "日报", "晚报", "商报", "早报", "晨报", "新闻网", "网讯", "电视台", "广播电视台", "卫视", "广播", "报社",
    "融媒", "传媒", "社会科学院", "社科院", "科学院", "研究院", "研究所", "大学", "学院", "银行", "集团",
    "有限公司", "公司", "商会", "协会", "证券", "频道", "在线",
)  # fmt: skip
# A region right after these (in the same clause, before 时) is a place someone visited.
VISIT_WORDS: tuple[str, ...] = ("考察", "视察", "调研", "访问", "出访")
VISIT_REACH = 12
# A title opening with a bracketed region names where a story was filed, not its subject: (内蒙古)准格尔旗….
BRACKETED_PREFIX = re.compile(r"^\s*[（(【\[]([^）)】\]]{2,12})[）)】\]]")


def _incidental(text: str, m: RegionMatch) -> bool:
    """The mention is part of an organisation's name, or a place a visit went to."""
    if text.startswith(ORGANISATION_WORDS, m.end):
        return True
    before = text[max(0, m.start - VISIT_REACH) : m.start]
    after = text[m.end : m.end + VISIT_REACH]
    return any(before.endswith(w) for w in VISIT_WORDS) and "时" in re.split(r"[，,。；;]", after, maxsplit=1)[0]


def _in_context(gaz: Gazetteer, region: Region, near: Sequence[Region], context: Region | None) -> bool:
    """A local short form counts: the text is about its province, or one of its ancestors was just named."""
    if context is not None and gaz.province_of(context) == gaz.province_of(region):
        return True
    chain = gaz.ancestors(region)
    return any(r in chain for r in near)


def _settle(gaz: Gazetteer, options: Sequence[Region], near: Sequence[Region], context: Region | None) -> Region | None:
    """The one division a shared name means here: under a region just named, else under the document's."""
    for named in reversed(near):
        under = [r for r in options if named in gaz.ancestors(r)]
        if len(under) == 1:
            return under[0]
    for level in [context, *gaz.ancestors(context)] if context is not None else []:
        under = [r for r in options if r == level or level in gaz.ancestors(r)]
        if under:
            return under[0] if len(under) == 1 else None
    return None


def _reading(
    gaz: Gazetteer, surface: Surface, near: Sequence[Region], context: Region | None, prose: bool
) -> Region | None:
    if len(surface.regions) > 1:
        return _settle(gaz, surface.regions, near, context)
    region = surface.regions[0]
    if surface.local and prose and not _in_context(gaz, region, near, context):
        return None
    return region


def find_regions(gaz: Gazetteer, text: str, context: Region | None = None, *, prose: bool = True) -> list[RegionMatch]:
    """Regions named in ``text``: leftmost-longest, non-overlapping, in order of appearance.

    ``context`` is the region the text is about (a document's, or its source's); with ``prose`` False (a
    user's query) every short form counts. Incidental mentions are left out of prose.
    """
    from parsers.regions import RegionMatch

    starts, by_bigram = gaz.matcher()
    if starts is None:
        return []
    found: list[RegionMatch] = []
    pos = 0
    for start in starts.finditer(text):
        i = start.start()
        trie = by_bigram.get(text[i : i + 2]) if i >= pos else None
        hit = trie.match(text, i) if trie is not None else None
        if hit is None:
            continue
        near = [m.region for m in found if m.end >= i - NEARBY_CHARS]
        region = _reading(gaz, gaz.surface(hit.group()), near, context, prose)
        if region is None:
            continue  # not this spelling here: a shorter one may start inside it
        match = RegionMatch(i, hit.end(), hit.group(), region)
        pos = hit.end()
        if not (prose and _incidental(text, match)):
            found.append(match)
    return found


def _title_region(gaz: Gazetteer, matches: list[RegionMatch]) -> Region:
    """The most specific region of a title, unless it names several divisions of its first region."""
    first = matches[0].region
    inside = {m.region for m in matches if first in gaz.ancestors(m.region)}
    # A chain (`山西省太原市古交市`) names one place; only parallel divisions make it the first region's story.
    leaves = {r for r in inside if not any(r in gaz.ancestors(o) for o in inside)}
    if len(leaves) >= 2:  # `吕梁市经济运行… 交城文水增速领跑`: the city's story
        return first
    return min(matches, key=lambda m: (-m.region.depth, m.start)).region


def _in_title(gaz: Gazetteer, title: str, context: Region | None) -> Region | None:
    matches = find_regions(gaz, title, context)
    prefix = BRACKETED_PREFIX.match(title)
    if prefix is not None and any(m.start >= prefix.end() for m in matches):
        matches = [m for m in matches if m.start >= prefix.end()]  # (内蒙古)准格尔旗…: the story's own place
    return _title_region(gaz, matches) if matches else None


def _in_text(gaz: Gazetteer, text: str, context: Region | None) -> Region | None:
    """The region named most often in the text's opening (see `document_region`)."""
    window = text[:DOCUMENT_PREFIX]
    counts: Counter[Region] = Counter()
    first: dict[Region, int] = {}
    for m in find_regions(gaz, window, context):
        counts[m.region] += 1
        first.setdefault(m.region, m.start)
    kinds = {m.group(1) for m in SELF_REFERENCE.finditer(window)}
    fitting = [r for r in counts if r.name[-1] in kinds]
    if fitting:
        counts = Counter({r: counts[r] for r in fitting})
    if not counts:
        return None
    return max(counts, key=lambda r: (counts[r], r.depth, -first[r]))


def document_region(gaz: Gazetteer, title: str | None, text: str, hint: str | None = None) -> Region | None:
    """The region a document is about.

    1. The title: its most specific region (the first county-level one, else the first prefecture,
       else the first province named) — unless it names several divisions of the first region it
       names (`吕梁市经济运行… 交城文水增速领跑`): then that first region's. A bracketed place opening the
       title (`(内蒙古)准格尔旗…`) gives way to the places after it.
    2. The text's first ~2000 characters: the region named most often; a tie goes to the lower level (a
       county over its own prefecture), then to the one named first. Words such as 全市, 我县 or 本区 name
       no region, but when the text uses them, only regions whose name ends in one of those characters
       (市, 县, 区 ...) are considered, if any is named. Incidental mentions (a newspaper, a visit) count
       for nothing.
    3. The hint (the source's region), read with `Gazetteer.resolve`: a name, short form or code.
    The hint is also the context in which short forms and shared names are read. None when nothing is found.
    """
    context = gaz.resolve(hint).region if hint else None
    found = _in_title(gaz, title, context) if title else None
    return found or (_in_text(gaz, text, context) if text else None) or context
