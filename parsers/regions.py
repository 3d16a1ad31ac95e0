"""Region gazetteer: Chinese administrative divisions and a fast matcher for them in text.

The data lives in ``parsers/data/regions.tsv`` (see the comment block at its top for the format); adding
divisions is adding rows. Nothing here reads the file before :meth:`Gazetteer.default` is first called.

Matching is leftmost-longest and non-overlapping. Every name is at least two characters long, so a match
can only start where a character that starts a name is followed by one that is second in a name: one small
regular expression finds those places at C speed, a dict keyed by the two characters rejects most of them,
and the rest are tried with a per-bigram expression shaped like a character trie (longest name first, with
the not_before strings as negative lookaheads). A name or alias that two rows share (城区) is ambiguous and
never matched on its own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from parsers.region_table import default_rows, parse_tsv
from parsers.region_trie import compile_surfaces as _compile

__all__ = [
    "LEVELS",
    "Gazetteer",
    "Region",
    "RegionMatch",
    "Resolution",
    "default_rows",
    "parse_tsv",
]

LEVELS: tuple[str, ...] = ("province", "prefecture", "county")
_DEPTH: dict[str, int] = {level: depth for depth, level in enumerate(LEVELS)}
_FLAGS: frozenset[str] = frozenset({"qualified"})
_CODE_RE = re.compile(r"[0-9]{6}")
# Suffixes of full names, longest first; used to compare a user's query with names by their stems.
_SUFFIXES: tuple[str, ...] = ("特别行政区", "自治区", "自治州", "地区", "省", "市", "县", "区", "盟", "旗")
# Characters a query may carry beyond the names it contains ("古交县" still means 古交市).
_GENERIC_CHARS: frozenset[str] = frozenset("省市县区")
_DOCUMENT_PREFIX = 2000  # document_region() reads this many leading characters of the text
# How a text refers to its own region: 全市, 我县, 本区 ... (not 全市场, 全区域, 全区间).
_SELF_REFERENCE = re.compile(r"[全我本]([省市县区盟旗州])(?![场域间])")
_MAX_CANDIDATES = 10


@dataclass(frozen=True, slots=True)
class Region:
    """One administrative division."""

    code: str
    name: str
    level: str
    parent: str | None
    aliases: tuple[str, ...] = ()

    @property
    def depth(self) -> int:
        """0 for a province, 1 for a prefecture, 2 for a county-level division."""
        return _DEPTH[self.level]


@dataclass(frozen=True, slots=True)
class RegionMatch:
    """A region named in a text: ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str
    region: Region


@dataclass(frozen=True, slots=True)
class Resolution:
    """What :meth:`Gazetteer.resolve` made of a query.

    ``region`` is set when the query names exactly one region. Otherwise ``candidates`` are either the
    regions the query could mean (``ambiguous`` is true) or, for an unknown query, the closest regions by
    shared characters (possibly none).
    """

    region: Region | None
    candidates: tuple[Region, ...] = ()
    ambiguous: bool = False


def _split_list(cell: str | None) -> tuple[str, ...]:
    if not cell:
        return ()
    return tuple(item.strip() for item in cell.split(",") if item.strip())


def _stem(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class Gazetteer:
    """An immutable table of regions with a leftmost-longest matcher; build it with a classmethod."""

    __slots__ = (
        "_by_bigram",
        "_by_code",
        "_children",
        "_exact",
        "_match_region",
        "_max_surface",
        "_regions",
        "_starts",
    )

    def __init__(
        self,
        regions: Sequence[Region],
        blocks: Mapping[str, Mapping[str | None, tuple[str, ...]]],
        qualified: Iterable[str] = (),
    ) -> None:
        """Prefer :meth:`default` or :meth:`from_rows`.

        ``blocks[code][surface]`` are the strings that cancel a match of ``surface`` (key ``None``: of
        any surface of that region); ``qualified`` are codes matched only after their parent's names.
        """
        self._regions: tuple[Region, ...] = tuple(regions)
        self._by_code: dict[str, Region] = {r.code: r for r in self._regions}
        self._children: dict[str, list[Region]] = {}
        for region in self._regions:
            if region.parent is not None:
                self._children.setdefault(region.parent, []).append(region)

        # Every spelling of every region, ambiguous ones included (for resolve()).
        exact: dict[str, list[Region]] = {}
        for region in self._regions:
            for surface in (region.name, *region.aliases):
                bucket = exact.setdefault(surface, [])
                if region not in bucket:
                    bucket.append(region)

        must_qualify = set(qualified)
        surfaces: dict[str, tuple[Region, tuple[str, ...]]] = {}
        shared: set[str] = set()

        def add(surface: str, region: Region, own_surface: str) -> None:
            code_blocks = blocks.get(region.code, {})
            blocked_by = code_blocks.get(None, ()) + code_blocks.get(own_surface, ())
            known = surfaces.get(surface)
            if known is not None and known[0] != region:
                shared.add(surface)
            surfaces[surface] = (region, blocked_by)

        # A surface another region shares, or any surface of a "qualified" region, is matched only
        # right after one of its parent's surfaces (阳泉市城区, 阳泉城区).
        needs_parent: list[tuple[Region, str]] = []
        for region in self._regions:
            for surface in (region.name, *region.aliases):
                if region.code in must_qualify or len(exact[surface]) > 1:
                    needs_parent.append((region, surface))
                else:
                    add(surface, region, surface)
        for region, own in needs_parent:
            parent = self.parent_of(region)
            if parent is None:
                continue
            for parent_surface in (parent.name, *parent.aliases):
                add(parent_surface + own, region, own)
                exact.setdefault(parent_surface + own, []).append(region)
        for surface in shared:
            del surfaces[surface]

        self._exact: dict[str, tuple[Region, ...]] = {s: tuple(rs) for s, rs in exact.items()}
        self._match_region: dict[str, Region] = {s: region for s, (region, _) in surfaces.items()}
        self._max_surface: int = max((len(s) for s in surfaces), default=0)
        self._starts, self._by_bigram = _compile({s: b for s, (_, b) in surfaces.items()})

    # ------------------------------------------------------------------ construction

    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer of the packaged ``parsers/data/regions.tsv`` (built once, then cached)."""
        return _default_gazetteer()

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> Gazetteer:
        """Build from rows shaped like regions.tsv's (``not_before`` and ``flags`` may be absent).

        Raises ValueError on a malformed table: a bad or repeated code, unknown level, missing parent
        or a parent that is not of a higher level, a one-character alias, an unknown flag.
        """
        regions: list[Region] = []
        blocks: dict[str, dict[str | None, tuple[str, ...]]] = {}
        qualified: list[str] = []
        seen: set[str] = set()
        for row in rows:
            code = (row.get("code") or "").strip()
            name = (row.get("name") or "").strip()
            level = (row.get("level") or "").strip()
            parent = (row.get("parent") or "").strip() or None
            where = f"region {code or '?'} {name}"
            if not _CODE_RE.fullmatch(code):
                raise ValueError(f"{where}: code must be 6 digits")
            if code in seen:
                raise ValueError(f"{where}: code repeated")
            seen.add(code)
            if len(name) < 2:
                raise ValueError(f"{where}: names must have at least 2 characters")
            if level not in _DEPTH:
                raise ValueError(f"{where}: level {level!r} is not one of {LEVELS}")
            if (parent is None) != (level == "province"):
                raise ValueError(f"{where}: provinces, and only provinces, have no parent")
            aliases = tuple(dict.fromkeys(a for a in _split_list(row.get("aliases")) if a != name))
            short = [a for a in aliases if len(a) < 2]
            if short:
                raise ValueError(f"{where}: aliases must have at least 2 characters: {short}")
            own = {name, *aliases}
            region_blocks: dict[str | None, tuple[str, ...]] = {}
            for entry in _split_list(row.get("not_before")):
                surface, sep, following = entry.partition(":")
                key: str | None = surface if sep else None
                following = following if sep else surface
                if key is not None and key not in own:
                    raise ValueError(f"{where}: not_before {entry!r} names neither the name nor an alias")
                if not following:
                    raise ValueError(f"{where}: empty not_before entry {entry!r}")
                region_blocks[key] = (*region_blocks.get(key, ()), following)
            if region_blocks:
                blocks[code] = region_blocks
            flags = set(_split_list(row.get("flags")))
            if flags - _FLAGS:
                raise ValueError(f"{where}: unknown flag(s) {sorted(flags - _FLAGS)}")
            if "qualified" in flags:
                qualified.append(code)
            regions.append(Region(code=code, name=name, level=level, parent=parent, aliases=aliases))
        by_code = {r.code: r for r in regions}
        for region in regions:
            if region.parent is None:
                continue
            parent_region = by_code.get(region.parent)
            if parent_region is None:
                raise ValueError(f"region {region.code} {region.name}: unknown parent {region.parent}")
            if parent_region.depth >= region.depth:
                raise ValueError(f"region {region.code} {region.name}: parent {region.parent} is not higher")
        return cls(regions, blocks, qualified)

    # ------------------------------------------------------------------ lookups

    @property
    def regions(self) -> tuple[Region, ...]:
        """Every region, in table order."""
        return self._regions

    def __len__(self) -> int:
        return len(self._regions)

    def by_code(self, code: str) -> Region | None:
        return self._by_code.get(code)

    def parent_of(self, region: Region) -> Region | None:
        return self._by_code.get(region.parent) if region.parent else None

    def ancestors(self, region: Region) -> tuple[Region, ...]:
        """The parent, its parent, ... up to the province."""
        chain: list[Region] = []
        current = self.parent_of(region)
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parent_of(current)
        return tuple(chain)

    def children_of(self, region: Region) -> tuple[Region, ...]:
        return tuple(self._children.get(region.code, ()))

    # ------------------------------------------------------------------ matching

    def find_all(self, text: str) -> list[RegionMatch]:
        """Regions named in ``text``: leftmost-longest, non-overlapping, in order of appearance."""
        if self._starts is None:
            return []
        found: list[RegionMatch] = []
        pos = 0
        trie_at = self._by_bigram.get
        region_of = self._match_region
        for start in self._starts.finditer(text):
            i = start.start()
            if i < pos:
                continue
            trie = trie_at(text[i : i + 2])
            if trie is None:
                continue
            hit = trie.match(text, i)
            if hit is None:
                continue
            surface = hit.group()
            pos = hit.end()
            found.append(RegionMatch(i, pos, surface, region_of[surface]))
        return found

    def resolve(self, query: str) -> Resolution:
        """Read a user's region: a code, a full name, a short form, or a unique prefix or substring."""
        q = "".join(query.split())
        if not q:
            return Resolution(None)
        if _CODE_RE.fullmatch(q):
            by_code = self._by_code.get(q)
            if by_code is not None:
                return Resolution(by_code)
        exact = self._exact.get(q)
        if exact:
            return self._pick(exact)
        for test in (str.startswith, str.__contains__):
            found = [r for r in self._regions if any(test(s, q) for s in (r.name, *r.aliases))]
            if found:
                return self._pick(found)
        named = self._named_in(q)
        if named:
            return self._pick(named)
        return Resolution(None, self._suggest(q))

    def _pick(self, regions: Sequence[Region]) -> Resolution:
        unique = tuple(dict.fromkeys(regions))
        if len(unique) == 1:
            return Resolution(unique[0])
        ordered = sorted(unique, key=lambda r: (r.depth, r.code))
        return Resolution(None, tuple(ordered[:_MAX_CANDIDATES]), ambiguous=True)

    def _named_in(self, q: str) -> list[Region]:
        """Regions a query names, when nothing but generic characters (省市县区) lies between them.

        A chain such as 山西太原 (province, then its prefecture) means its most specific region.
        """
        matches = self.find_all(q)
        if not matches or any(c not in _GENERIC_CHARS for c in self._uncovered(q, matches)):
            return []
        regions = list(dict.fromkeys(m.region for m in matches))
        deepest = max(regions, key=lambda r: r.depth)
        lineage = {deepest, *self.ancestors(deepest)}
        return [deepest] if all(r in lineage for r in regions) else regions

    @staticmethod
    def _uncovered(q: str, matches: Sequence[RegionMatch]) -> str:
        parts: list[str] = []
        pos = 0
        for m in matches:
            parts.append(q[pos : m.start])
            pos = m.end
        parts.append(q[pos:])
        return "".join(parts)

    def _suggest(self, q: str) -> tuple[Region, ...]:
        wanted = set(_stem(q))
        scored: list[tuple[int, float, int, str, Region]] = []
        for region in self._regions:
            best = (0, 0.0)
            for surface in (region.name, *region.aliases):
                stem = set(_stem(surface))
                shared = len(wanted & stem)
                if shared:
                    best = max(best, (shared, shared / len(wanted | stem)))
            if best[0]:
                scored.append((-best[0], -best[1], -region.depth, region.code, region))
        scored.sort(key=lambda t: t[:4])
        return tuple(t[4] for t in scored[:_MAX_CANDIDATES])

    def _title_region(self, matches: list[RegionMatch]) -> Region:
        """The most specific region of a title, unless it names several divisions of its first region."""
        first = matches[0].region
        inside = {m.region for m in matches if first in self.ancestors(m.region)}
        # A chain (`山西省太原市古交市`) names one place; only parallel divisions make it the first region's story.
        leaves = {r for r in inside if not any(r in self.ancestors(o) for o in inside)}
        if len(leaves) >= 2:  # `吕梁市经济运行… 交城文水增速领跑`: the city's story
            return first
        return min(matches, key=lambda m: (-m.region.depth, m.start)).region

    def document_region(self, title: str | None, text: str, hint: str | None = None) -> Region | None:
        """The region a document is about.

        1. The title: its most specific region (the first county-level one, else the first prefecture,
           else the first province named) — unless it names several divisions of the first region it
           names (`吕梁市经济运行… 交城文水增速领跑`): then that first region's.
        2. The text's first ~2000 characters: the region named most often; a tie goes to the lower
           level (a county over its own prefecture), then to the one named first. Words such as 全市,
           我县 or 本区 name no region, but when the text uses them, only regions whose name ends in one
           of those characters (市, 县, 区 ...) are considered, if any is named: a city's report that
           names one of its counties more often than itself still belongs to the city.
        3. The hint, read with :meth:`resolve` (a name, short form or code).
        None when nothing is found.
        """
        if title:
            in_title = self.find_all(title)
            if in_title:
                return self._title_region(in_title)
        if text:
            window = text[: _DOCUMENT_PREFIX + self._max_surface]
            counts: dict[Region, int] = {}
            first: dict[Region, int] = {}
            for m in self.find_all(window):
                if m.start >= _DOCUMENT_PREFIX:
                    break
                counts[m.region] = counts.get(m.region, 0) + 1
                first.setdefault(m.region, m.start)
            kinds = {m.group(1) for m in _SELF_REFERENCE.finditer(window, 0, _DOCUMENT_PREFIX)}
            fitting = [r for r in counts if r.name[-1] in kinds]
            if fitting:
                counts = {r: counts[r] for r in fitting}
            if counts:
                return max(counts, key=lambda r: (counts[r], r.depth, -first[r]))
        if hint:
            return self.resolve(hint).region
        return None


@functools.cache
def _default_gazetteer() -> Gazetteer:
    return Gazetteer.from_rows(default_rows())
