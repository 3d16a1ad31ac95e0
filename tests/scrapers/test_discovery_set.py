"""Discovery on real list pages (issue 7): `read_list` against article lists written by hand from each page.

The pages, their sources and licences are in `tests/fixtures/listpages/` (`SOURCES.md`, `expected.json`); the
scoring is `bench/discovery.py`'s, which prints the same figures page by page.
"""

from __future__ import annotations

import pytest

from bench.discovery import PageScore, load_expected, overall, same_title, score_all

MIN_F1 = 0.97


@pytest.fixture(scope="module")
def scores() -> list[PageScore]:
    return score_all()


def _describe(score: PageScore) -> str:
    lines = [f"{score.file}: P {score.precision:.3f} R {score.recall:.3f} F1 {score.f1:.3f}"]
    lines += [f"  missing {url}" for url in score.missing]
    lines += [f"  extra   {url}" for url in score.extra]
    return "\n".join(lines)


def test_every_page_has_a_hand_written_list() -> None:
    pages = load_expected()
    assert pages, "no pages in tests/fixtures/listpages/expected.json"
    for page in pages:
        assert page.items, f"{page.file}: no expected items"
        urls = [url for url, _, _ in page.items]
        assert len(urls) == len(set(urls)), f"{page.file}: an expected URL is listed twice"


def test_no_page_yields_nothing(scores: list[PageScore]) -> None:
    empty = [s.file for s in scores if s.found == 0]
    assert not empty, f"pages where discovery found no item: {empty}"


def test_overall_f1(scores: list[PageScore]) -> None:
    precision, recall, f1 = overall(scores)
    report = "\n".join(_describe(s) for s in scores if s.missing or s.extra)
    assert f1 >= MIN_F1, f"overall P {precision:.3f} R {recall:.3f} F1 {f1:.3f} < {MIN_F1}\n{report}"


@pytest.mark.parametrize("page", [p.file for p in load_expected()])
def test_matched_items_have_their_titles_and_dates(scores: list[PageScore], page: str) -> None:
    score = next(s for s in scores if s.file == page)
    titles = [f"  {url}: expected {want!r}, got {got!r}" for url, want, got in score.wrong_titles]
    dates = [f"  {url}: expected {want}, got {got}" for url, want, got in score.wrong_dates]
    assert not titles and not dates, f"{page}:\n" + "\n".join(titles + dates)


def test_same_title_allows_truncation_marks_only() -> None:
    assert same_title(
        "恒生前海基金管理有限公司关于客服热线故障的公告", "恒生前海基金管理有限公司关于客服热线故障的公告"
    )
    assert same_title("恒生前海基金管理有限公司关于旗下基金新增...", "恒生前海基金管理有限公司关于旗下基金新增")
    assert not same_title("关于客服热线故障的公告", "关于客服热线恢复使用的公告")


def test_the_whole_collection_of_list_pages_reaches_the_aim() -> None:
    """Issue 7: F1 >= 0.97 over at least 20 list pages of the project's collection: the real pages here, the list
    shapes written to real sites' patterns, and the recorded sites' list pages (each expected where it lives)."""
    from bench.discovery import score_collection

    scores = score_collection()
    precision, recall, f1 = overall(scores)
    report = "\n".join(_describe(s) for s in scores if s.missing or s.extra)
    assert len(scores) >= 20
    assert f1 >= MIN_F1, f"{len(scores)} pages: P {precision:.3f} R {recall:.3f} F1 {f1:.3f}\n{report}"
    assert all(s.found for s in scores), [s.file for s in scores if not s.found]
