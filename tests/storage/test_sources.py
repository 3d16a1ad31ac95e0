"""Sources' state, conditional-GET validators and the poll log, round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from storage import PollRun, SourceState, Store

CST = timezone(timedelta(hours=8))  # the sites' own clock


def test_upsert_registers_a_source_with_a_clean_state(store: Store) -> None:
    state = store.upsert_source("古交市人民政府", "https://www.gujiao.gov.cn/zwgk/", "list", "古交市")
    assert (state.name, state.url, state.kind, state.region) == (
        "古交市人民政府",
        "https://www.gujiao.gov.cn/zwgk/",
        "list",
        "古交市",
    )
    assert state.last_status is None and state.consecutive_failures == 0
    assert not state.blocked and not state.baseline_done
    assert state.created_at is not None and state.created_at.tzinfo is not None
    assert store.get_source("古交市人民政府") == state
    assert store.get_source("nobody") is None


def test_save_source_round_trips_every_field(store: Store) -> None:
    state = store.upsert_source("交城县人民政府", "https://www.jiaocheng.gov.cn/", "list", None)
    polled = datetime(2026, 3, 20, 9, 30, tzinfo=CST)
    changed = replace(
        state,
        last_poll_at=polled,
        last_success_at=polled - timedelta(hours=1),
        last_status="blocked",
        consecutive_failures=3,
        last_error="HTTP 412: 瑞数 challenge",
        blocked=True,
        baseline_done=True,
        next_poll_at=polled + timedelta(hours=2),
    )
    store.save_source(changed)
    back = store.get_source("交城县人民政府")
    assert back == changed  # aware datetimes compare by instant
    assert back is not None and back.last_poll_at is not None
    assert back.last_poll_at.tzinfo is not None and back.last_poll_at.utcoffset() == timedelta(0)
    assert back.created_at == state.created_at


def test_upsert_keeps_the_state_unless_the_url_changes(store: Store) -> None:
    state = store.upsert_source("s", "https://a.gov.cn/list.html", "list", None)
    store.save_source(
        replace(state, baseline_done=True, consecutive_failures=2, last_status="error", last_error="timeout")
    )
    same = store.upsert_source("s", "https://a.gov.cn/list.html", "list", "古交市")
    assert (same.baseline_done, same.consecutive_failures, same.region) == (True, 2, "古交市")
    moved = store.upsert_source("s", "https://a.gov.cn/new-list.html", "list", "古交市")
    assert moved.url == "https://a.gov.cn/new-list.html"
    assert (moved.baseline_done, moved.consecutive_failures, moved.last_error) == (False, 0, None)


def test_save_source_inserts_an_unknown_source(store: Store) -> None:
    state = SourceState(name="rss", url="https://a.gov.cn/rss.xml", kind="rss", region=None, last_status="ok")
    store.save_source(state)
    back = store.get_source("rss")
    assert back is not None and back.last_status == "ok" and back.created_at is not None


def test_sources_are_listed_by_name(store: Store) -> None:
    for name in ("b", "c", "a"):
        store.upsert_source(name, f"https://{name}.gov.cn/", "list", None)
    assert [s.name for s in store.sources()] == ["a", "b", "c"]


def test_validators_round_trip(store: Store) -> None:
    url = "https://a.gov.cn/list.html"
    assert store.validators(url) == (None, None)
    store.save_validators(url, '"5f3a-1b"', "Fri, 20 Mar 2026 01:30:00 GMT")
    assert store.validators(url) == ('"5f3a-1b"', "Fri, 20 Mar 2026 01:30:00 GMT")
    store.save_validators(url, 'W/"6a"', None)
    assert store.validators(url) == ('W/"6a"', None)
    store.save_validators(url, None, None)
    assert store.validators(url) == (None, None)
    store.save_validators(url, "x" * 5000, "Fri, 20 Mar 2026 01:30:00 GMT")  # junk ETag: not kept
    assert store.validators(url) == (None, "Fri, 20 Mar 2026 01:30:00 GMT")
    assert store.validators("https://other.gov.cn/") == (None, None)


def test_validators_for_an_overlong_url_are_not_kept(store: Store) -> None:
    url = "https://a.gov.cn/?" + "q" * 5000
    store.save_validators(url, '"e"', None)
    assert store.validators(url) == (None, None)


def test_poll_runs_are_logged(store: Store) -> None:
    start = datetime(2026, 3, 20, 1, 0, tzinfo=UTC)
    runs = [
        PollRun(
            "s", start, start + timedelta(seconds=2), "ok", items_found=20, new_documents=2, figures=7, duration_ms=2000
        ),
        PollRun(
            "s",
            start + timedelta(minutes=30),
            start + timedelta(minutes=30, seconds=1),
            "error",
            error="e" * 5000,
            duration_ms=1000,
        ),
        PollRun("t", start + timedelta(minutes=5), start + timedelta(minutes=5, seconds=1), "unchanged"),
    ]
    for run in runs:
        store.record_poll(run)
    latest = store.recent_polls("s")
    assert [r.status for r in latest] == ["error", "ok"]
    assert latest[1] == runs[0]
    assert latest[0].error == "e" * 1000  # capped
    assert [r.source_name for r in store.recent_polls(limit=2)] == ["s", "t"]
