"""The alert outbox: queued with the document in one transaction, one per document and chat, and its states."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError

from storage import NewDocument, OutboxRow, Store
from storage import outbox as alerts
from storage.engine import make_engine, parse_url
from storage.migrations import MIGRATIONS, current_version, latest_version, migrate
from storage.outbox import SENDING_LEASE
from storage.schema import documents, figures, outbox
from tests.storage.builders import JIAOCHENG, REPORT_BODY, document, figure, save

FIGURES = [figure("gdp", value=95.0, yoy=1.0), figure("fai", value=19.7, yoy=-41.5)]
NOW = datetime(2026, 3, 20, 8, tzinfo=UTC)
REPORT_KINDS = ("work_report", "plan_report", "bulletin", "indicator_table")


def count(store: Store, table: Any = outbox) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


def raw(store: Store, alert_id: int) -> dict[str, Any]:
    """Every column of one outbox row, sent_at and message_ids included."""
    with store.engine.connect() as conn:
        return dict(conn.execute(select(outbox).where(outbox.c.id == alert_id)).one()._mapping)


def doc(n: int, **changes: Any) -> NewDocument:
    """The n-th distinct report of 古交市 (its own URL, title and text: never a repost of another)."""
    made = document(f"https://a.gov.cn/{n}.html", title=f"报告{n}", text=f"第{n}号。" + REPORT_BODY)
    return replace(made, **changes)


def jiaocheng(n: int) -> NewDocument:
    return doc(n, region=JIAOCHENG[0], region_code=JIAOCHENG[1])


def one_alert(store: Store, chat_id: int = 1, n: int = 1) -> OutboxRow:
    """Queue one alert (a new document for one subscriber) and return it."""
    store.subscribe(chat_id, None)
    saved = save(store, doc(n), FIGURES)
    assert saved.alerts >= 1
    return next(a for a in store.due_alerts(NOW + timedelta(days=3650)) if a.document_id == saved.document_id)


# --- queueing with the document -------------------------------------------------------------------------------


def test_a_new_document_queues_one_alert_per_subscriber(store: Store) -> None:
    store.subscribe(1, "140181")
    store.subscribe(2, None)
    store.subscribe(3, "141122")  # another region: nothing
    saved = save(store, doc(1), FIGURES)
    assert saved.status == "new" and saved.alerts == 2
    due = store.due_alerts(NOW)
    assert [(a.document_id, a.chat_id) for a in due] == [(saved.document_id, 1), (saved.document_id, 2)]
    first = due[0]
    assert (first.status, first.attempts, first.next_attempt_at, first.last_error) == ("pending", 0, None, None)
    assert first.created_at.tzinfo is not None


def test_alerts_follow_the_region_hierarchy(store: Store) -> None:
    store.subscribe(1, "141100")  # 吕梁市
    store.subscribe(2, "140000")  # 山西省
    store.subscribe(3, "140100")  # 太原市
    saved = save(store, jiaocheng(1), FIGURES)
    assert saved.alerts == 2
    assert sorted(a.chat_id for a in store.due_alerts(NOW)) == [1, 2]
    gujiao = save(store, doc(2), FIGURES)
    assert gujiao.alerts == 2  # 太原市 and 山西省
    assert sorted(a.chat_id for a in store.due_alerts(NOW) if a.document_id == gujiao.document_id) == [2, 3]


def test_a_document_without_region_reaches_only_everything(store: Store) -> None:
    store.subscribe(1, "140181")
    store.subscribe(2, None)
    saved = save(store, doc(1, region=None, region_code=None), FIGURES)
    assert saved.alerts == 1
    assert [a.chat_id for a in store.due_alerts(NOW)] == [2]


def test_no_subscribers_no_alerts(store: Store) -> None:
    assert save(store, doc(1), FIGURES).alerts == 0
    assert count(store) == 0


def test_a_baseline_document_never_alerts(store: Store) -> None:
    store.subscribe(1, None)
    saved = save(store, doc(1, baseline=True), FIGURES)
    assert saved.status == "new" and saved.alerts == 0
    assert count(store) == 0


def test_a_repost_does_not_alert_again(store: Store) -> None:
    store.subscribe(1, None)
    assert save(store, doc(1), FIGURES).alerts == 1
    repost = save(store, doc(1, canonical_url="https://news.example.com/9.html", title="转载"), FIGURES)
    assert repost.status == "repost" and repost.alerts == 0
    assert count(store) == 1


def test_the_same_url_twice_queues_once(store: Store) -> None:
    store.subscribe(1, None)
    store.subscribe(2, None)
    first = save(store, doc(1), FIGURES)
    again = save(store, doc(1), FIGURES)
    assert (first.alerts, again.status, again.alerts) == (2, "duplicate", 0)
    assert count(store) == 2


def test_news_without_figures_does_not_alert_but_with_figures_does(store: Store) -> None:
    store.subscribe(1, None)
    assert save(store, doc(1, kind="news"), []).alerts == 0
    assert save(store, doc(2, kind="news"), FIGURES).alerts == 1
    assert count(store) == 1


@pytest.mark.parametrize("kind", REPORT_KINDS)
def test_a_report_by_its_kind_alerts_without_figures(store: Store, kind: str) -> None:
    store.subscribe(1, None)
    saved = save(store, doc(1, kind=kind), [])
    assert saved.alerts == 1
    assert [a.document_id for a in store.due_alerts(NOW)] == [saved.document_id]


def test_a_failure_after_queueing_rolls_back_document_figures_and_alerts(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.subscribe(1, None)
    queue = alerts.queue

    def queue_then_fail(*args: Any) -> int:
        assert queue(*args) == 1  # the alert row was written in the transaction
        raise RuntimeError("disk full")

    monkeypatch.setattr(alerts, "queue", queue_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        save(store, doc(1), FIGURES)
    assert (count(store, documents), count(store, figures), count(store)) == (0, 0, 0)
    monkeypatch.undo()
    assert save(store, doc(1), FIGURES).alerts == 1  # and it can be saved properly afterwards


def test_a_failing_figure_queues_nothing(store: Store) -> None:
    store.subscribe(1, None)
    broken = replace(FIGURES[0], indicator=None)  # NOT NULL in the schema
    with pytest.raises(IntegrityError):
        save(store, doc(1), [*FIGURES, broken])
    assert (count(store, documents), count(store)) == (0, 0)


def test_the_database_refuses_a_second_alert_for_a_document_and_chat(store: Store) -> None:
    alert = one_alert(store)
    row = {"document_id": alert.document_id, "chat_id": alert.chat_id, "status": "pending", "attempts": 0}
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(insert(outbox).values(**row, created_at=NOW))
    assert count(store) == 1


def test_queueing_again_adds_only_the_chats_missing(store: Store) -> None:
    store.subscribe(1, None)
    saved = save(store, doc(1), FIGURES)
    with store.engine.begin() as conn:
        assert alerts.queue(conn, saved.document_id, [1, 2, 3], NOW) == 2
        assert alerts.queue(conn, saved.document_id, [3, 2, 1], NOW) == 0
        assert alerts.queue(conn, saved.document_id, [], NOW) == 0
    assert sorted(a.chat_id for a in store.due_alerts(NOW)) == [1, 2, 3]


def test_many_threads_saving_one_report_queue_each_chat_once(store: Store) -> None:
    for chat in (1, 2, 3):
        store.subscribe(chat, None)
    same_url = [doc(1)] * 8
    mirrors = [doc(2, canonical_url=f"https://mirror{i}.example.com/r.html") for i in range(8)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda d: save(store, d, FIGURES), [*same_url, *mirrors]))
    assert sum(r.alerts for r in results) == 6
    assert count(store) == 6  # one report at one URL, one at eight: three chats each


def test_deleting_a_document_deletes_its_alerts(store: Store) -> None:
    alert = one_alert(store)
    with store.engine.begin() as conn:
        conn.execute(delete(documents).where(documents.c.id == alert.document_id))
    assert count(store) == 0


def test_an_alert_reads_its_documents_figures_in_order(store: Store) -> None:
    alert = one_alert(store)
    shown = store.document_figures(alert.document_id)
    assert [(f.indicator, f.value, f.document_id) for f in shown] == [
        ("gdp", 95.0, alert.document_id),
        ("fai", 19.7, alert.document_id),
    ]
    repost = save(store, doc(1, canonical_url="https://news.example.com/1.html"), FIGURES)
    assert store.document_figures(repost.document_id) == []
    assert store.document_figures(99999) == []


# --- what is due --------------------------------------------------------------------------------------------------


def set_created(store: Store, alert_id: int, when: datetime) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(outbox).where(outbox.c.id == alert_id).values(created_at=when))


def test_due_alerts_oldest_first_then_by_id(store: Store) -> None:
    store.subscribe(1, None)
    store.subscribe(2, None)
    ids: dict[int, list[int]] = {}
    for n, hours_ago in ((1, 1), (2, 3), (3, 2)):
        saved = save(store, doc(n), FIGURES)
        ids[n] = sorted(a.id for a in store.due_alerts(NOW) if a.document_id == saved.document_id)
        for alert_id in ids[n]:
            set_created(store, alert_id, NOW - timedelta(hours=hours_ago))
    order = [a.id for a in store.due_alerts(NOW)]
    assert order == [*ids[2], *ids[3], *ids[1]]  # one document's alerts share created_at: then by id
    assert [a.id for a in store.due_alerts(NOW, limit=3)] == order[:3]
    assert store.due_alerts(NOW, limit=0) == []


def test_next_attempt_at_holds_an_alert_back_until_then(store: Store) -> None:
    alert = one_alert(store)
    later = NOW + timedelta(minutes=5)
    assert store.mark_sending(alert.id)
    store.mark_retry(alert.id, later, "TimedOut")
    assert store.due_alerts(NOW) == []
    assert store.due_alerts(later - timedelta(seconds=1)) == []
    due = store.due_alerts(later)  # due at that instant, not only after it
    assert [a.id for a in due] == [alert.id]
    assert due[0].next_attempt_at == later and due[0].attempts == 1 and due[0].last_error == "TimedOut"


def test_retry_times_compare_across_time_zones(store: Store) -> None:
    alert = one_alert(store)
    beijing = timezone(timedelta(hours=8))
    store.mark_retry(alert.id, datetime(2026, 3, 20, 16, tzinfo=beijing), "x")  # = 08:00 UTC
    assert store.due_alerts(NOW - timedelta(seconds=1)) == []
    assert [a.id for a in store.due_alerts(NOW)] == [alert.id]
    assert store.due_alerts(NOW)[0].next_attempt_at == NOW


# --- transitions ------------------------------------------------------------------------------------------------


def test_sending_then_sent(store: Store) -> None:
    alert = one_alert(store)
    assert store.mark_sending(alert.id) is True
    assert store.mark_sending(alert.id) is False  # another dispatcher took it
    assert store.due_alerts(NOW) == []  # sending is not due
    store.mark_sent(alert.id, [101, 102])
    row = raw(store, alert.id)
    assert row["status"] == "sent" and row["message_ids"] == "101,102"
    assert row["sent_at"] is not None and row["sent_at"].tzinfo is not None
    assert store.mark_sending(alert.id) is False
    assert store.due_alerts(NOW + timedelta(days=1)) == []
    assert store.outbox_counts() == {"pending": 0, "sending": 0, "sent": 1, "dropped": 0}


def test_a_sent_alert_stays_sent(store: Store) -> None:
    alert = one_alert(store)
    store.mark_sending(alert.id)
    store.mark_sent(alert.id, [7])
    first = raw(store, alert.id)
    store.mark_retry(alert.id, NOW, "late failure")
    store.mark_dropped(alert.id, "late refusal")
    store.mark_sent(alert.id, [8])
    assert raw(store, alert.id) == first


def test_retry_counts_attempts_and_caps_the_error(store: Store) -> None:
    alert = one_alert(store)
    for attempt in (1, 2, 3):
        assert store.mark_sending(alert.id)
        store.mark_retry(alert.id, NOW, "NetworkError: " + "长" * 5000)
        again = store.due_alerts(NOW)[0]
        assert again.id == alert.id and again.status == "pending" and again.attempts == attempt
        assert again.last_error is not None and len(again.last_error) == 1000


def test_dropped_is_final(store: Store) -> None:
    alert = one_alert(store)
    assert store.mark_sending(alert.id)
    store.mark_dropped(alert.id, "Bad Request: message is too long")
    row = raw(store, alert.id)
    assert row["status"] == "dropped" and row["last_error"] == "Bad Request: message is too long"
    assert store.mark_sending(alert.id) is False
    store.mark_retry(alert.id, NOW, "too late")
    assert raw(store, alert.id)["status"] == "dropped"
    assert store.due_alerts(NOW + timedelta(days=1)) == []


def test_marking_an_unknown_alert_does_nothing(store: Store) -> None:
    assert store.mark_sending(12345) is False
    store.mark_sent(12345, [1])
    store.mark_retry(12345, NOW, "x")
    store.mark_dropped(12345, "x")
    assert count(store) == 0


def test_a_sent_alert_may_come_from_pending_or_dropped(store: Store) -> None:
    # A confirmation is the truth: recover_sending or drop_chat in another process may have moved it meanwhile.
    alert = one_alert(store)
    store.mark_sent(alert.id, [])
    row = raw(store, alert.id)
    assert row["status"] == "sent" and row["message_ids"] == ""


def test_recover_sending_after_a_crash(store_url: str) -> None:
    crashed = Store.open(store_url)
    first, second, third = (one_alert(crashed, 1, n) for n in (1, 2, 3))
    assert crashed.mark_sending(first.id) and crashed.mark_sending(second.id) and crashed.mark_sending(third.id)
    crashed.mark_sent(third.id, [9])
    crashed.close()  # the process died between mark_sending and Telegram's answer
    restarted = Store.open(store_url)
    try:
        assert restarted.due_alerts(NOW + timedelta(days=3650)) == []
        assert restarted.recover_sending() == 0  # their lease runs: another live process may be sending them
        later = datetime.now(UTC) + timedelta(seconds=SENDING_LEASE + 1)
        assert restarted.recover_sending(later) == 2
        assert restarted.recover_sending(later) == 0
        due = restarted.due_alerts(NOW + timedelta(days=3650))
        assert sorted(a.id for a in due) == sorted([first.id, second.id])
        assert all(a.status == "pending" for a in due)
        assert restarted.mark_sending(first.id)
        restarted.mark_sent(first.id, [10])
        assert restarted.outbox_counts() == {"pending": 1, "sending": 0, "sent": 2, "dropped": 0}
    finally:
        restarted.close()


def test_drop_chat_drops_its_open_alerts_and_subscriptions(store: Store) -> None:
    store.subscribe(7, None)
    store.subscribe(8, None)
    for n in (1, 2, 3):
        save(store, doc(n), FIGURES)
    mine = [a for a in store.due_alerts(NOW) if a.chat_id == 7]
    assert len(mine) == 3
    store.mark_sending(mine[0].id)
    store.mark_sent(mine[0].id, [1])
    store.mark_sending(mine[1].id)  # in flight when Telegram answered 403
    assert store.drop_chat(7, "Forbidden: bot was blocked by the user") == 2
    assert [raw(store, a.id)["status"] for a in mine] == ["sent", "dropped", "dropped"]
    assert raw(store, mine[2].id)["last_error"] == "Forbidden: bot was blocked by the user"
    assert store.subscriptions(7) == []
    assert sorted(a.chat_id for a in store.due_alerts(NOW)) == [8, 8, 8]  # the other chat is untouched
    assert save(store, doc(4), FIGURES).alerts == 1  # chat 7 gets nothing new
    assert store.drop_chat(7, "again") == 0


# --- counts -----------------------------------------------------------------------------------------------------


def test_outbox_counts_and_stats(store: Store) -> None:
    assert store.outbox_counts() == {"pending": 0, "sending": 0, "sent": 0, "dropped": 0}
    empty = store.stats()
    assert empty["documents"] == 0 and empty["chats"] == 0 and empty["outbox_pending"] == 0

    store.upsert_source("古交市人民政府", "https://www.gujiao.gov.cn/", "list", "古交市")
    store.subscribe(1, None)
    store.subscribe(2, "140181")
    store.subscribe(2, "141122")
    save(store, doc(1), FIGURES)  # 2 alerts
    save(store, doc(1, canonical_url="https://news.example.com/1.html"), FIGURES)  # a repost: none
    save(store, jiaocheng(2), [])  # a bulletin without figures: 2 alerts
    save(store, doc(3, baseline=True), FIGURES[:1])  # baseline: none
    ids = [a.id for a in store.due_alerts(NOW)]
    assert len(ids) == 4
    store.mark_sending(ids[0])
    store.mark_sending(ids[1])
    store.mark_sent(ids[1], [5])
    store.mark_dropped(ids[2], "rejected")
    assert store.outbox_counts() == {"pending": 1, "sending": 1, "sent": 1, "dropped": 1}
    assert store.stats() == {
        "documents": 4,
        "reposts": 1,
        "figures": 3,
        "sources": 1,
        "subscriptions": 3,
        "chats": 2,
        "outbox_pending": 1,
        "outbox_sending": 1,
        "outbox_sent": 1,
        "outbox_dropped": 1,
    }


def test_outbox_rows_are_plain_records(store: Store) -> None:
    alert = one_alert(store, chat_id=-1001234567890)
    assert isinstance(alert, OutboxRow)
    assert alert.chat_id == -1001234567890
    with pytest.raises(AttributeError):
        alert.status = "sent"  # type: ignore[misc]


# --- migration 2 ------------------------------------------------------------------------------------------------


def test_a_version_1_database_gains_subscriptions_and_the_outbox(store_url: str) -> None:
    engine = make_engine(parse_url(store_url))
    with engine.begin() as conn:
        assert migrate(conn, MIGRATIONS[:1]) == [1]  # as the monitor release left it
    engine.dispose()
    upgraded = Store.open(store_url)
    try:
        with upgraded.engine.connect() as conn:
            assert current_version(conn) == latest_version()
        schema = inspect(upgraded.engine)
        assert {"subscriptions", "outbox", "backfills", "host_slots"} <= set(schema.get_table_names())
        assert ["document_id", "chat_id"] in [u["column_names"] for u in schema.get_unique_constraints("outbox")]
        assert ["chat_id", "region_code"] in [u["column_names"] for u in schema.get_unique_constraints("subscriptions")]
        assert "ix_outbox_due" in {ix["name"] for ix in schema.get_indexes("outbox")}
        assert one_alert(upgraded).status == "pending"
    finally:
        upgraded.close()


def test_migrating_a_chat_moves_its_subscriptions_and_open_alerts_once(store: Store) -> None:
    store.subscribe(1, "140181")
    store.subscribe(1, None)
    first = save(store, doc(1), FIGURES)  # chat 1 only
    store.subscribe(2, None)
    second = save(store, doc(2), FIGURES)  # chats 1 and 2
    assert (first.alerts, second.alerts) == (1, 2)
    assert store.migrate_chat(1, 2) == 1  # the alert chat 2 lacked moves; the one it had is dropped
    assert store.subscriptions(1) == [] and store.subscriptions(2) == [None, "140181"]
    due = sorted((a.chat_id, a.document_id) for a in store.due_alerts(NOW + timedelta(days=3650)))
    assert due == [(2, first.document_id), (2, second.document_id)]
    assert store.outbox_counts()["dropped"] == 1
    assert store.migrate_chat(1, 2) == 0  # nothing left to move


def test_the_only_process_recovers_every_alert_left_sending_at_once(store: Store) -> None:
    alert = one_alert(store)
    assert store.mark_sending(alert.id)
    assert store.recover_sending() == 0
    assert store.recover_sending(every=True) == 1
    assert [a.id for a in store.due_alerts(NOW + timedelta(days=3650))] == [alert.id]


def test_a_live_dispatchers_lease_is_never_taken(store: Store) -> None:
    alert = one_alert(store)
    assert store.mark_sending(alert.id, lease=600)
    assert store.recover_sending(datetime.now(UTC) + timedelta(seconds=300)) == 0
    assert store.mark_sending(alert.id) is False
    assert store.recover_sending(datetime.now(UTC) + timedelta(seconds=601)) == 1
    assert store.mark_sending(alert.id) is True
