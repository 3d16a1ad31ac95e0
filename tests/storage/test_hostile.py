"""Scraped strings are hostile: quotes, SQL, any Unicode, megabytes. They are bound, cleaned and capped."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect

from storage import Store
from tests.storage.builders import REPORT_BODY, document, figure

HOSTILE = [
    "'; DROP TABLE documents; --",
    'Robert"); DROP TABLE figures;--',
    "关于古交市…&…的报告 <b>加粗</b> \\' \\\" %s %(x)s :name ?",
    "مرحبا \u202e\u200f עברית 🇨🇳 e\u0301 \U0001f600 \u3000全角　空格",
]


def test_hostile_strings_are_stored_as_given(store: Store) -> None:
    for i, hostile in enumerate(HOSTILE):
        url = f"https://a.gov.cn/{i}.html?q={hostile}"
        found = [figure(quote=hostile, qualifier=hostile[:20])]
        saved = store.save_document(document(url, title=hostile, text=hostile + REPORT_BODY), found)
        stored = store.document(saved.document_id)
        assert stored is not None
        assert (stored.canonical_url, stored.title, stored.text) == (url, hostile, hostile + REPORT_BODY)
        assert store.known_urls([url]) == {url}
    assert {"documents", "figures"} <= set(inspect(store.engine).get_table_names())
    assert sorted(f.quote for f in store.figures()) == sorted(HOSTILE)
    store.upsert_source(HOSTILE[0], HOSTILE[1], "list", HOSTILE[3])
    assert store.get_source(HOSTILE[0]) is not None


def test_megabyte_strings_are_capped(store: Store) -> None:
    huge = "长" * 1_000_000
    saved = store.save_document(
        document("https://a.gov.cn/huge.html", title=huge, text=huge * 3, published=date(2026, 1, 1)),
        [figure(quote=huge)],
    )
    stored = store.document(saved.document_id)
    assert stored is not None and stored.title == "长" * 500
    assert len(stored.text) == 2_000_000
    [stored_figure] = store.figures()
    assert stored_figure.quote == "长" * 500
    state = store.upsert_source("s", "https://a.gov.cn/", "list", None)
    store.save_source(replace(state, last_error=huge))
    back = store.get_source("s")
    assert back is not None and back.last_error == "长" * 1000


def test_nul_and_lone_surrogates_are_cleaned_not_fatal(store: Store) -> None:
    saved = store.save_document(
        document("https://a.gov.cn/nul.html", title="a\x00b\ud800c", text="正文\x00" + REPORT_BODY),
        [figure(quote="q\x00")],
    )
    stored = store.document(saved.document_id)
    assert stored is not None
    assert stored.title == "ab?c" and "\x00" not in stored.text
    assert store.figures()[0].quote == "q"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=600))
def test_any_nul_free_unicode_title_round_trips(store: Store, title: str) -> None:
    url = f"https://a.gov.cn/{abs(hash(title))}-{len(title)}.html"
    saved = store.save_document(document(url, title=title, text=title + REPORT_BODY), [figure(quote=title)])
    stored = store.document(saved.document_id)
    assert stored is not None
    if saved.status == "new":
        assert stored.title == title[:500]
        assert any(f.quote == title[:500] for f in store.figures())
