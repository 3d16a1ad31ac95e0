"""Figures: history kept, the best figure per indicator and period, the JSON of the contract."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date

from parsers.model import Figure
from storage import Store
from tests.storage.builders import JIAOCHENG, REPORT_BODY, at, document, figure


def save(store: Store, url: str, published: date | None, found: list[Figure], fetched_day: int = 1) -> int:
    doc = document(url, title=url, text=f"{url} " + REPORT_BODY, published=published, fetched_at=at(fetched_day))
    saved = store.save_document(doc, found)
    assert saved.status == "new"
    return saved.document_id


def test_a_revision_is_kept_as_history(store: Store) -> None:
    plan = save(store, "https://a.gov.cn/plan.html", date(2026, 1, 4), [figure(basis="estimate", value=95.0)])
    bulletin = save(store, "https://a.gov.cn/bulletin.html", date(2026, 3, 20), [figure(basis="actual", value=96.2)])
    history = store.figures(region_code="140181", indicator="gdp")
    assert [(f.document_id, f.basis, f.value) for f in history] == [
        (bulletin, "actual", 96.2),
        (plan, "estimate", 95.0),
    ]


def test_figures_filters_orders_and_limits(store: Store) -> None:
    save(store, "https://a.gov.cn/old.html", date(2025, 3, 1), [figure(period="2024"), figure("retail", period="2024")])
    save(store, "https://a.gov.cn/undated.html", None, [figure(period="2023")])
    save(store, "https://a.gov.cn/new.html", date(2026, 3, 1), [figure(period="2025")])
    save(store, "https://jc.gov.cn/x.html", date(2026, 3, 2), [figure(region=JIAOCHENG)])
    assert [f.period for f in store.figures(region_code="140181", indicator="gdp")] == ["2025", "2024", "2023"]
    assert [f.region_code for f in store.figures(limit=1)] == ["141122"]
    assert {f.indicator for f in store.figures(indicator="retail")} == {"retail"}
    assert len(store.figures()) == 5
    assert store.figures(region_code="000000") == []


def test_best_prefers_actual_over_estimate_and_keeps_targets_apart(store: Store) -> None:
    # The 2025 work report: a target for 2025. The 2026 plan report: an estimate for 2025, a target for 2026.
    save(
        store,
        "https://a.gov.cn/gwr2025.html",
        date(2025, 1, 10),
        [figure(basis="target", value=None, yoy=5.5, qualifier="左右")],
    )
    save(
        store,
        "https://a.gov.cn/plan2026.html",
        date(2026, 1, 4),
        [figure(basis="estimate", value=95.0), figure(period="2026", basis="target", value=None, yoy=5.0)],
    )
    # The bulletin, published later: the actual for 2025.
    save(store, "https://a.gov.cn/bulletin2025.html", date(2026, 3, 20), [figure(basis="actual", value=96.2, yoy=1.3)])
    best = store.best_figures("140181")
    assert [(f.period, f.basis, f.value, f.yoy) for f in best] == [
        ("2026", "target", None, 5.0),
        ("2025", "actual", 96.2, 1.3),
        ("2025", "target", None, 5.5),
    ]


def test_best_keeps_an_estimate_when_there_is_no_actual(store: Store) -> None:
    save(store, "https://a.gov.cn/plan.html", date(2026, 1, 4), [figure(basis="estimate", value=95.0)])
    assert [(f.basis, f.value) for f in store.best_figures("140181", "gdp")] == [("estimate", 95.0)]


def test_best_prefers_the_newest_publication_then_the_newest_fetch(store: Store) -> None:
    save(store, "https://a.gov.cn/b1.html", date(2025, 3, 1), [figure(period="2024", value=90.0)], fetched_day=9)
    save(store, "https://a.gov.cn/b2.html", date(2025, 9, 1), [figure(period="2024", value=90.5)], fetched_day=2)
    save(store, "https://a.gov.cn/undated.html", None, [figure(period="2024", value=80.0)], fetched_day=20)
    assert [f.value for f in store.best_figures("140181", "gdp")] == [90.5]
    # Same publication date: the later fetch wins.
    save(
        store,
        "https://a.gov.cn/t1.html",
        date(2025, 6, 1),
        [figure("retail", period="2024", value=10.0)],
        fetched_day=3,
    )
    save(
        store,
        "https://a.gov.cn/t2.html",
        date(2025, 6, 1),
        [figure("retail", period="2024", value=11.0)],
        fetched_day=4,
    )
    assert [f.value for f in store.best_figures("140181", "retail")] == [11.0]


def test_best_orders_by_indicator_then_period_descending(store: Store) -> None:
    save(
        store,
        "https://a.gov.cn/table.html",
        date(2025, 10, 20),
        [
            figure("retail", period="2025-09"),
            figure("gdp", period="2024"),
            figure("gdp", period="2025-09"),
            figure("fai", period="2025-09", value=None, yoy=-3.0),
        ],
    )
    save(store, "https://jc.gov.cn/t.html", date(2025, 10, 21), [figure("gdp", period="2025-09", region=JIAOCHENG)])
    best = store.best_figures("140181")
    assert [(f.indicator, f.period) for f in best] == [
        ("fai", "2025-09"),
        ("gdp", "2025-09"),
        ("gdp", "2024"),
        ("retail", "2025-09"),
    ]
    assert all(f.region_code == "140181" for f in best)


def test_stored_figure_json_is_the_contract_plus_its_document(store: Store) -> None:
    original = figure(qualifier="左右", quote="地区生产总值预计完成95亿元左右，增长1%")
    doc_id = save(store, "https://a.gov.cn/plan.html", date(2026, 1, 4), [original])
    [stored] = store.figures()
    assert stored.figure() == original
    assert stored.document_id == doc_id
    as_json = stored.to_dict()
    contract = {f.name for f in fields(Figure)}
    assert set(as_json) == contract | {"document_url", "document_title", "published"}
    assert as_json["document_url"] == "https://a.gov.cn/plan.html"
    assert as_json["published"] == "2026-01-04"
    assert json.loads(json.dumps(as_json, ensure_ascii=False)) == as_json
