"""Saving documents: new, duplicate (same URL), repost (same report elsewhere), one transaction with figures."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from parsers.model import Figure
from storage import NewDocument, Store
from storage.rows import document_row
from storage.schema import documents, figures
from tests.storage.builders import JIAOCHENG, REPORT_BODY, at, document, figure

FIGURES = [figure("gdp", value=95.0, yoy=1.0), figure("fai", value=19.7, yoy=-41.5)]


def count(store: Store, table: object = documents) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


def test_a_new_document_is_saved_with_its_figures(store: Store) -> None:
    saved = store.save_document(document("https://a.gov.cn/1.html"), FIGURES)
    assert saved.status == "new" and saved.duplicate_of is None
    stored = store.document(saved.document_id)
    assert stored is not None
    assert stored.canonical_url == "https://a.gov.cn/1.html"
    assert stored.figures == 2
    assert stored.text == REPORT_BODY
    assert stored.published == date(2026, 3, 20)
    assert stored.fetched_at.tzinfo is not None
    assert len(stored.content_hash or "") == 64
    assert {f.indicator for f in store.figures()} == {"gdp", "fai"}


def test_the_same_url_again_is_a_duplicate_and_writes_nothing(store: Store) -> None:
    first = store.save_document(document("https://a.gov.cn/1.html"), FIGURES)
    again = store.save_document(document("https://a.gov.cn/1.html", text="changed " + REPORT_BODY), [figure("retail")])
    assert again.status == "duplicate"
    assert again.document_id == first.document_id
    assert count(store) == 1 and count(store, figures) == 2


def test_the_same_text_at_another_url_is_a_repost_without_figures(store: Store) -> None:
    first = store.save_document(document("https://a.gov.cn/1.html"), FIGURES)
    # Whitespace and full-width forms do not make another report.
    reposted = document("https://news.example.com/9.html", title="转载", text=REPORT_BODY.replace("，", "， \n"))
    repost = store.save_document(reposted, FIGURES)
    assert repost.status == "repost" and repost.duplicate_of == first.document_id
    assert count(store) == 2 and count(store, figures) == 2  # nothing counted twice
    stored = store.document(repost.document_id)
    assert stored is not None and stored.duplicate_of == first.document_id and stored.figures == 0


def test_the_same_title_and_figures_at_another_url_is_a_repost(store: Store) -> None:
    first = store.save_document(document("https://a.gov.cn/1.html"), FIGURES)
    edited = document(
        "https://b.gov.cn/2.html", title=" 古交市2025年国民经济和社会发展统计公报 ", text="编者按。" + REPORT_BODY
    )
    repost = store.save_document(edited, list(reversed(FIGURES)))  # order does not matter, the set does
    assert repost.status == "repost" and repost.duplicate_of == first.document_id


def test_a_repost_of_a_repost_points_at_the_first_copy(store: Store) -> None:
    first = store.save_document(document("https://a.gov.cn/1.html"), FIGURES)
    second = store.save_document(document("https://b.gov.cn/2.html", title="另一个标题"), FIGURES)
    third = store.save_document(
        document("https://c.gov.cn/3.html", title="另一个标题", text="全文：" + REPORT_BODY), FIGURES
    )
    assert second.duplicate_of == first.document_id
    assert third.status == "repost" and third.duplicate_of == first.document_id


def test_same_title_with_other_figures_is_a_new_document(store: Store) -> None:
    store.save_document(document("https://a.gov.cn/1.html"), FIGURES)
    revised = [figure("gdp", value=96.2, yoy=1.3), figure("fai", value=19.7, yoy=-41.5)]
    saved = store.save_document(document("https://a.gov.cn/2.html", text="修订版。" + REPORT_BODY), revised)
    assert saved.status == "new"
    assert count(store, figures) == 4


def test_short_stub_texts_and_figureless_titles_do_not_make_reposts(store: Store) -> None:
    stub = "详见附件。"
    a = store.save_document(document("https://a.gov.cn/1.html", title="通知", text=stub), [])
    b = store.save_document(document("https://b.gov.cn/2.html", title="通知", text=stub), [])
    assert (a.status, b.status) == ("new", "new")


def test_a_failing_figure_rolls_back_the_document_too(store: Store) -> None:
    broken = Figure(
        region="古交市",
        region_code="140181",
        indicator=None,  # type: ignore[arg-type]
        period="2025",
        basis="actual",
        value=1.0,
        unit="亿元",
        yoy=None,
        qualifier=None,
        quote="q",
    )
    with pytest.raises(IntegrityError):
        store.save_document(document("https://a.gov.cn/1.html"), [*FIGURES, broken])
    assert count(store) == 0 and count(store, figures) == 0
    assert store.known_urls(["https://a.gov.cn/1.html"]) == set()
    # And the URL can be saved properly afterwards.
    assert store.save_document(document("https://a.gov.cn/1.html"), FIGURES).status == "new"


def test_a_concurrent_insert_of_the_same_url_is_a_duplicate_not_an_error(store: Store) -> None:
    first = store.save_document(document("https://a.gov.cn/1.html"), FIGURES)

    def racing(conn: Connection, doc: NewDocument, found: list[Figure]) -> None:
        # As if another writer stored the URL between our check and our insert.
        conn.execute(insert(documents).values(**document_row(doc, found).values))

    store._save_document = racing  # type: ignore[assignment,method-assign]
    again = store.save_document(document("https://a.gov.cn/1.html"), FIGURES)
    assert again.status == "duplicate" and again.document_id == first.document_id


def test_many_threads_saving_one_url_give_one_new(store: Store) -> None:
    doc = document("https://a.gov.cn/1.html")
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: store.save_document(doc, FIGURES), range(16)))
    assert sorted(r.status for r in results).count("new") == 1
    assert {r.status for r in results} == {"new", "duplicate"}
    assert count(store) == 1 and count(store, figures) == 2


def test_many_threads_saving_one_report_at_many_urls_store_its_figures_once(store: Store) -> None:
    docs = [document(f"https://mirror{i}.example.com/r.html") for i in range(12)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda d: store.save_document(d, FIGURES), docs))
    assert [r.status for r in results].count("new") == 1
    assert count(store, figures) == 2


def test_known_urls_answers_in_batches(store: Store) -> None:
    urls = [f"https://a.gov.cn/art/2026/{i:05d}.html" for i in range(2500)]
    stored = set(urls[::97]) | {urls[499], urls[500], urls[2499]}  # both sides of every batch boundary
    for url in sorted(stored):
        store.save_document(document(url, text=f"{url} " + REPORT_BODY, title=url), [])
    asked = [*urls, *urls[:10], "https://elsewhere.example.com/"]  # repeats and strangers too
    assert store.known_urls(asked) == stored
    assert store.known_urls([]) == set()
    assert store.known_urls(iter(["https://a.gov.cn/art/2026/00000.html"])) == {urls[0]}


def test_an_overlong_url_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="too long"):
        store.save_document(document("https://a.gov.cn/?" + "x" * 3000), FIGURES)
    assert count(store) == 0
    assert store.known_urls(["https://a.gov.cn/?" + "x" * 3000]) == set()


def test_latest_documents_newest_first_without_reposts(store: Store) -> None:
    old = store.save_document(
        document("https://a.gov.cn/old.html", title="旧", text="旧" + REPORT_BODY, published=date(2025, 3, 1)), []
    )
    new = store.save_document(
        document("https://a.gov.cn/new.html", title="新", text="新" + REPORT_BODY, published=date(2026, 1, 4)), []
    )
    undated = store.save_document(
        document("https://a.gov.cn/undated.html", title="无日期", text="无" + REPORT_BODY, published=None), []
    )
    store.save_document(
        document("https://mirror.example.com/new.html", title="转", text="新" + REPORT_BODY), []
    )  # repost
    other = store.save_document(
        document(
            "https://jc.gov.cn/1.html",
            title="交城",
            text="交城" + REPORT_BODY,
            region=JIAOCHENG,
            published=date(2026, 2, 1),
        ),
        [],
    )
    ids = [d.id for d in store.latest_documents()]
    assert ids == [other.document_id, new.document_id, old.document_id, undated.document_id]
    assert [d.id for d in store.latest_documents("140181", limit=2)] == [new.document_id, old.document_id]
    assert [d.id for d in store.latest_documents("141122")] == [other.document_id]
    assert store.latest_documents(limit=0) == []


def test_document_by_id(store: Store) -> None:
    saved = store.save_document(document("https://a.gov.cn/1.html", baseline=True, fetched_at=at(5)), FIGURES)
    stored = store.document(saved.document_id)
    assert stored is not None
    assert stored.baseline is True and stored.fetched_at == at(5)
    assert store.document(saved.document_id + 1000) is None
    as_json = stored.to_dict()
    assert as_json["url"] == "https://a.gov.cn/1.html" and as_json["published"] == "2026-03-20"
    assert {"title", "published", "region", "region_code", "kind", "text"} <= set(as_json)


def test_deleting_a_document_deletes_its_figures(store: Store) -> None:
    saved = store.save_document(document("https://a.gov.cn/1.html"), FIGURES)
    with store.engine.begin() as conn:
        conn.execute(delete(documents).where(documents.c.id == saved.document_id))
    assert count(store, figures) == 0
