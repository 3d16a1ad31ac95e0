"""Several processes on one database: poll claims, the leader lock, one `run` per SQLite file, pruned poll runs,
and start-up storage errors in one line."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from storage import Store
from storage.records import OutboxRow, PollRun, StorageError
from storage.runlock import single_run
from storage.schema import poll_runs

ROOT = Path(__file__).resolve().parent.parent.parent


def test_a_due_source_is_claimed_by_one_process_until_released_and_due_again(store_url: str) -> None:
    one, two = Store.open(store_url), Store.open(store_url)
    try:
        assert one.claim_poll("古交", "A", every=60, lease=600)
        assert not two.claim_poll("古交", "B", every=60, lease=600)  # a live claim
        one.release_poll("古交", "A")
        assert not two.claim_poll("古交", "B", every=60, lease=600)  # released, but not due for 60 s
        assert two.claim_poll("古交", "B", every=60, lease=600, force=True)  # `govwatch poll`: due or not
        assert not one.claim_poll("古交", "A", every=60, lease=600, force=True)  # never beside a live claim
        assert one.claim_poll("交城", "A", every=60, lease=600)  # another source is free
    finally:
        one.close()
        two.close()


def test_the_claim_of_a_process_that_died_expires_at_its_lease(store: Store) -> None:
    assert store.claim_poll("古交", "dead", every=0, lease=0.2)  # its process dies mid-poll: never released
    assert not store.claim_poll("古交", "B", every=0, lease=600)
    with store.engine.begin() as conn:  # time passes
        conn.execute(text("UPDATE poll_claims SET lease_until = :t"), {"t": datetime(2000, 1, 1)})
    assert store.claim_poll("古交", "B", every=0, lease=600)
    owner, lease_until, _ = store.poll_claim("古交") or (None, None, None)
    assert owner == "B" and lease_until is not None


def test_one_leader_at_a_time_and_the_lead_passes_when_its_connection_dies(store_url: str) -> None:
    if not store_url.startswith("postgresql"):
        pytest.skip("SQLite is for one process, which always leads")
    one, two = Store.open(store_url), Store.open(store_url)
    first, second = one.leader_lock(), two.leader_lock()
    try:
        assert first.try_acquire() and first.held
        assert not second.try_acquire()
        first.release()
        assert second.try_acquire()
        assert not first.try_acquire()
        # The leader's backend is terminated (PostgreSQL restarted): it notices, and the lock is free for another.
        with one.engine.begin() as conn:
            pids = conn.execute(
                text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = :c AND granted"),
                {"c": 0x676F7702},
            ).scalars().all()
            assert pids
            for pid in pids:
                conn.execute(select(func.pg_terminate_backend(pid)))
        assert not second.still_held()
        assert first.try_acquire()
    finally:
        first.release()
        second.release()
        one.close()
        two.close()


def test_a_second_run_on_one_sqlite_file_refuses_with_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'govwatch.db'}"
    with single_run(url):
        with pytest.raises(StorageError) as refused, single_run(url):
            pass
        assert str(os.getpid()) in str(refused.value) and "PostgreSQL" in str(refused.value)
    with single_run(url):  # released when the first run ended
        pass
    with single_run("sqlite://"), single_run("sqlite://"):  # memory: nothing to share
        pass


def test_govwatch_run_beside_another_run_says_so_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "govwatch.db"
    config = tmp_path / "settings.toml"
    config.write_text(f'[storage]\nurl = "sqlite:///{db}"\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with single_run(f"sqlite:///{db}"):
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "--config", str(config), "run"],
            capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path,
        )  # fmt: skip
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "another govwatch run" in done.stderr


def test_an_unwritable_database_is_one_line_at_start(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only directories")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    config = tmp_path / "settings.toml"
    config.write_text(f'[storage]\nurl = "sqlite:///{folder / "govwatch.db"}"\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "--config", str(config), "sources"],
            capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path,
        )  # fmt: skip
    finally:
        folder.chmod(stat.S_IRWXU)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_an_unreachable_postgresql_is_one_line_at_start(tmp_path: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text(
        '[storage]\nurl = "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"\n', encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--config", str(config), "sources"],
        capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "cannot open storage" in done.stderr, done.stderr


def test_poll_runs_keep_a_bounded_history_per_source(store: Store) -> None:
    state = store.upsert_source("古交", "http://example.gov.cn/", "list", None)
    now = datetime.now(UTC)
    for i in range(300):
        run = PollRun("古交", now + timedelta(seconds=i), now + timedelta(seconds=i), "ok", 0, 0, 0, None, 1)
        store.finish_poll(state, run, keep_runs=50)
    with store.engine.connect() as conn:
        kept = conn.scalar(select(func.count()).select_from(poll_runs))
    # Pruned on about one poll in 20: never more than the kept runs and what came since the last pruning.
    assert kept is not None and 50 <= kept <= 50 + 120
    assert store.recent_polls("古交", limit=1)[0].started_at.replace(tzinfo=UTC) >= now + timedelta(seconds=299)


def test_alerts_resume_by_themselves_after_the_database_cut_every_connection(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL restarted (every backend terminated) mid-run: the dispatcher waits, reconnects, and sends."""
    if not store_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL server's connections are what is cut")
    import asyncio

    from bot.alerts import dispatcher as dispatching
    from bot.alerts.dispatcher import Dispatcher, Limits
    from storage.engine import PG_APPLICATION
    from tests.storage.test_outbox import one_alert

    monkeypatch.setattr(dispatching, "DB_RETRY", 0.2)
    store = Store.open(store_url)
    sent: list[int] = []

    class Sender:
        async def send_alert(self, row: OutboxRow) -> list[int]:
            sent.append(row.id)
            return [len(sent)]

    def cut_every_connection() -> None:
        admin = Store.open(store_url)
        try:
            with admin.engine.begin() as conn:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE application_name = :app AND pid <> pg_backend_pid()"
                    ),
                    {"app": PG_APPLICATION},
                )
        finally:
            admin.close()

    async def main() -> None:
        stop = asyncio.Event()
        first = one_alert(store, 1, 1)
        running = asyncio.create_task(Dispatcher(store, Sender(), Limits(idle_poll=0.1)).run(stop))
        for _ in range(100):
            if sent:
                break
            await asyncio.sleep(0.05)
        await asyncio.to_thread(cut_every_connection)
        second = await asyncio.to_thread(one_alert, store, 1, 2)
        for _ in range(200):
            if second.id in sent:
                break
            await asyncio.sleep(0.05)
        stop.set()
        await running
        assert sent == [first.id, second.id]

    try:
        asyncio.run(main())
        assert store.outbox_counts()["sent"] == 2
    finally:
        store.close()


def test_a_long_polls_heartbeat_keeps_its_claim_and_only_its_owner_renews_it(store: Store) -> None:
    assert store.claim_poll("古交", "A", every=0, lease=60)
    with store.engine.begin() as conn:  # the first lease is about to run out
        conn.execute(text("UPDATE poll_claims SET lease_until = :t"), {"t": datetime.now(UTC) + timedelta(seconds=1)})
    assert store.renew_poll("古交", "A", lease=60)
    assert not store.renew_poll("古交", "B", lease=60)  # not its claim
    _, until, _ = store.poll_claim("古交") or (None, None, None)
    assert until is not None and until.replace(tzinfo=UTC) > datetime.now(UTC) + timedelta(seconds=30)
    assert not store.claim_poll("古交", "B", every=0, lease=60)
