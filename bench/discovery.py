"""Discovery on real list pages: per-page precision, recall and F1 of `read_list` against hand-written lists.

The pages and their expected article lists are `tests/fixtures/listpages/` (`expected.json`, sources in
`SOURCES.md`). Items are matched by canonical URL; a matched item's title and date are checked too (a title
counts as right when one is the other with a truncation mark dropped). Prints one line per page with its time,
then the overall figures (micro: every item of every page counts once).

    .venv/bin/python bench/discovery.py [--verbose]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGES = ROOT / "tests" / "fixtures" / "listpages"
TRUNCATION_MARKS = ".。…· "


@dataclass(frozen=True, slots=True)
class Expected:
    """One page of the set: its file, base URL, capture day and expected items (url, title, date) in page order."""

    file: str
    url: str
    today: dt.date
    items: tuple[tuple[str, str, dt.date | None], ...]


@dataclass(slots=True)
class PageScore:
    """What discovery found on one page, against what was expected."""

    file: str
    expected: int
    found: int
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    wrong_titles: list[tuple[str, str, str]] = field(default_factory=list)  # url, expected, found
    wrong_dates: list[tuple[str, dt.date | None, dt.date | None]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def matched(self) -> int:
        return self.expected - len(self.missing)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def load_expected(directory: Path = PAGES) -> list[Expected]:
    """The pages of `expected.json`, URLs canonical as discovery writes them."""
    from scrapers.discover.urls import canonical_url

    data = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    pages: list[Expected] = []
    for page in data["pages"]:
        items = tuple(
            (canonical_url(i["url"]), i["title"], dt.date.fromisoformat(i["date"]) if i["date"] else None)
            for i in page["items"]
        )
        pages.append(Expected(page["file"], page["url"], dt.date.fromisoformat(page["today"]), items))
    return pages


def same_title(expected: str, found: str) -> bool:
    """Equal, or equal once a truncation mark (`…`, `...`) is dropped from the shorter."""
    if expected == found:
        return True
    short, long = sorted((expected.rstrip(TRUNCATION_MARKS), found.rstrip(TRUNCATION_MARKS)), key=len)
    return bool(short) and long.startswith(short) and len(short) >= len(long) * 0.5


def score_page(page: Expected, directory: Path = PAGES) -> PageScore:
    """Run `read_list` on the page as stored (bytes decoded as the monitor decodes them) and compare."""
    from scrapers.discover.lists import read_list
    from scrapers.errors import ScrapeError
    from scrapers.extract.decode import decode_bytes

    raw = (directory / page.file).read_bytes()
    start = time.perf_counter()
    reading = read_list(decode_bytes(raw, None).text, page.url, page.today)
    seconds = time.perf_counter() - start
    found = [] if isinstance(reading, ScrapeError) else reading.items
    by_url = {item.url: item for item in found}
    expected_urls = [url for url, _, _ in page.items]
    score = PageScore(page.file, len(expected_urls), len(by_url), seconds=seconds)
    score.missing = [url for url in expected_urls if url not in by_url]
    score.extra = [url for url in by_url if url not in set(expected_urls)]
    for url, title, date in page.items:
        item = by_url.get(url)
        if item is None:
            continue
        if not same_title(title, item.title):
            score.wrong_titles.append((url, title, item.title))
        if date != item.published:
            score.wrong_dates.append((url, date, item.published))
    return score


FIXTURES = ROOT / "tests" / "fixtures"


def load_collection() -> list[Expected]:
    """Every list page of the project's collection with its expected items, each table read where it lives: the
    real pages of `listpages/`, the list shapes written to real sites' patterns (`lists/`, expected in
    tests/scrapers/test_list_shapes.py) and the recorded sites' list pages (expected in tests/support/sites.py).
    Files are relative to tests/fixtures."""
    from scrapers.discover.urls import canonical_url
    from tests.scrapers.test_list_shapes import BASE, EXPECTED, TODAY
    from tests.support.sites import FIXTURE_ORIGIN, SITE_NAMES, build_site

    pages = [replace(page, file=f"listpages/{page.file}") for page in load_expected()]
    for name, rows in sorted(EXPECTED.items()):
        html = (FIXTURES / "lists" / name).read_text(encoding="utf-8")
        items = tuple(
            (canonical_url(_as_linked(html, BASE, path)), title, dt.date.fromisoformat(day))
            for day, title, path in rows
        )
        pages.append(Expected(f"lists/{name}", BASE, TODAY, items))
    for site_name in SITE_NAMES:
        for listing in build_site(site_name).listings:
            if listing.kind != "list":
                continue
            items = tuple((canonical_url(i.url), i.title, i.published) for i in listing.items)
            file = "sites" + listing.path
            pages.append(Expected(file, FIXTURE_ORIGIN + listing.path, listing.today, items))
    return pages


def _as_linked(html: str, base: str, path: str) -> str:
    """The absolute URL of a path as the page links it: its own origin where it writes one (a portal's absolute
    links), else resolved against the page's URL (the list-shape table records paths only)."""
    written = re.search(r"(https?://[^\s\"'/<>]+)" + re.escape(path), html)
    return written.group(1) + path if written else urljoin(base, path)


def score_all(directory: Path = PAGES) -> list[PageScore]:
    """The real pages of `directory` (listpages/) alone."""
    return [score_page(page, directory) for page in load_expected(directory)]


def score_collection() -> list[PageScore]:
    """Every page of the collection (see load_collection)."""
    return [score_page(page, FIXTURES) for page in load_collection()]


def overall(scores: Sequence[PageScore]) -> tuple[float, float, float]:
    """Micro-averaged precision, recall and F1 over every item of every page."""
    matched = sum(s.matched for s in scores)
    found = sum(s.found for s in scores)
    expected = sum(s.expected for s in scores)
    precision = matched / found if found else 0.0
    recall = matched / expected if expected else 1.0
    return precision, recall, _f1(precision, recall)


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list missing and extra URLs, wrong titles and dates")
    args = parser.parse_args(list(argv))
    scores = score_collection()
    print(f"{'page':34} {'exp':>4} {'got':>4} {'P':>6} {'R':>6} {'F1':>6} {'title':>5} {'date':>5} {'ms':>7}")
    for s in scores:
        print(
            f"{s.file:34} {s.expected:4d} {s.found:4d} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}"
            f" {len(s.wrong_titles):5d} {len(s.wrong_dates):5d} {s.seconds * 1000:7.1f}"
        )
        if args.verbose:
            for url in s.missing:
                print(f"    missing {url}")
            for url in s.extra:
                print(f"    extra   {url}")
            for url, want, got in s.wrong_titles:
                print(f"    title   {url}: {want!r} != {got!r}")
            for url, want_date, got_date in s.wrong_dates:
                print(f"    date    {url}: {want_date} != {got_date}")
    precision, recall, f1 = overall(scores)
    total_ms = sum(s.seconds for s in scores) * 1000
    print(
        f"overall: {len(scores)} pages, P {precision:.3f} R {recall:.3f} F1 {f1:.3f}, "
        f"{total_ms / max(len(scores), 1):.1f} ms per page"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
