"""`govwatch try`, `/try` and `govwatch backfill` end to end, against local sites served on 127.0.0.1.

`try` stores nothing and shows a list page's items, block and pager, or an article's figures (a stub followed to
its attachment); `backfill` walks a paginated column into the store, and the stored history then answers
`figures`, `/gdp` by year and `/chart` with every year.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.chat.answers import Answers
from bot.chat.try_answers import fetch_preview
from bot.cli import main
from storage import Store
from tests.monitor.conftest import TEST_FETCH
from tests.support.httpserver import LocalHTTPServer, Reply, closed_port_url, ruishu_challenge
from tests.support.paginated import FIRST_YEAR, gdp_of, serve_column
from tests.support.sites import Site

ADMIN = 42


def write_settings(tmp_path: Path, sources: str = "") -> Path:
    config = tmp_path / "settings.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "govwatch.db"}"\n[http]\nlisten = ""\n\n'
        "[fetch]\nallow_private = true\nper_host_delay = 0\nretries = 0\nconnect_timeout = 2\nread_timeout = 3\ntotal_timeout = 8\n\n"
        f"{sources}",
        encoding="utf-8",
    )
    return config


def cli(capsys: pytest.CaptureFixture[str], config: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--config", str(config), *args])
    out, err = capsys.readouterr()
    return code, out, err


# --- govwatch try ---------------------------------------------------------------------------------------------


def test_try_a_list_page_shows_every_item_in_order_with_block_and_pager(
    server: LocalHTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    column = serve_column(server, "trs", encoding="gbk", pages=3)
    code, out, err = cli(capsys, write_settings(tmp_path), "try", column.first_url, "--format", "json")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["kind"] == "list"
    assert [i["title"] for i in shown["items"]] == [f"古交市{y}年国民经济和社会发展统计公报" for y in (2025, 2024, 2023)]
    assert shown["items"][0]["date"] == f"{FIRST_YEAR + 1}-03-20"
    assert shown["block"] and "ul" in shown["block"]
    assert shown["pager"] == {"kind": "trs", "next_url": server.url("/trs-gbk/index_1.html"), "total": 3}
    code, table, _ = cli(capsys, write_settings(tmp_path), "try", column.first_url)
    assert code == 0
    assert "items:     3" in table and "trs, next" in table and "3 pages" in table
    assert table.index("2025年") < table.index("2024年") < table.index("2023年")
    assert not (tmp_path / "govwatch.db").exists() or Store.open(f"sqlite:///{tmp_path / 'govwatch.db'}").stats()[
        "documents"
    ] == 0


def test_try_an_article_shows_its_figures_and_follows_a_stub_to_its_attachment(
    sites: dict[str, Site], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stub, attachment = next(iter(sites["stats-bureau"].stubs.items()))
    code, out, err = cli(capsys, write_settings(tmp_path), "try", stub, "--format", "json")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["attachment_url"] == attachment
    assert shown["document"]["kind"] == "bulletin" and shown["document"]["region_code"] == "140181"
    assert any(f["indicator"] == "gdp" and f["basis"] == "actual" for f in shown["figures"])
    code, table, _ = cli(capsys, write_settings(tmp_path), "try", stub)
    assert code == 0 and f"attachment: {attachment}" in table and "gdp" in table


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (ruishu_challenge(), "blocked"),
        (Reply(200, [("Content-Type", "text/html; charset=utf-8")], b"<html><body><p>hi</p></body></html>"), "no "),
        (Reply(404), "404"),
    ],
    ids=["waf", "nothing", "missing"],
)
def test_try_exits_1_with_the_reason_when_a_page_gives_nothing(
    server: LocalHTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], route: Reply, reason: str
) -> None:
    server.route("/page", route)
    code, out, err = cli(capsys, write_settings(tmp_path), "try", server.url("/page"), "--kind", "list")
    assert code == 1 and out == ""
    assert reason in err and server.url("/page") in err


def test_try_refuses_an_unknown_region(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, write_settings(tmp_path), "try", closed_port_url(), "--region", "古交不存在县")
    assert code == 1 and "古交不存在县" in err


# --- /try in the chat ------------------------------------------------------------------------------------------


def test_slash_try_is_for_admins_and_gives_the_first_items(server: LocalHTTPServer) -> None:
    column = serve_column(server, "next-link", pages=2, per_page=12)
    store = Store.open("sqlite://")
    try:
        answers = Answers(store, admins=frozenset({ADMIN}), previewer=fetch_preview(TEST_FETCH))
        refused = answers.answer(f"/try {column.first_url}", 5, user_id=ADMIN + 1)[0].plain_text()
        assert "仅供管理员" in refused and not server.requests
        said = answers.answer(f"/try {column.first_url}", 5, user_id=ADMIN)[0]
        assert store.stats()["documents"] == 0
    finally:
        store.close()
    text = said.plain_text()
    assert "共 12 条，前 10 条" in text and "下一页" in text
    assert text.count("国民经济和社会发展统计公报") == 10
    assert '<a href="' in said.html and "<script" not in said.html


def test_slash_try_reads_an_article_and_explains_a_failure(sites: dict[str, Site], server: LocalHTTPServer) -> None:
    article = sites["county-cms"].articles[0]
    server.route("/blocked", ruishu_challenge())
    store = Store.open("sqlite://")
    try:
        answers = Answers(store, admins=frozenset({ADMIN}), previewer=fetch_preview(TEST_FETCH))
        read = answers.answer(f"/try {article}", 5, user_id=ADMIN)[0].plain_text()
        failed = answers.answer(f"/try {server.url('/blocked')}", 5, user_id=ADMIN)[0].plain_text()
        usage = answers.answer("/try javascript:alert(1)", 5, user_id=ADMIN)[0].plain_text()
    finally:
        store.close()
    assert "试读文章" in read and "读出" in read and "地区生产总值" in read
    assert "试读失败" in failed and "blocked" in failed
    assert "用法：/try" in usage


# --- govwatch backfill, then the history it stored ---------------------------------------------------------------


def test_backfill_stores_the_history_that_figures_gdp_and_chart_then_show(
    server: LocalHTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    column = serve_column(server, "query", encoding="gbk", pages=4, per_page=3)
    years = sorted(column.articles.values())
    config = write_settings(
        tmp_path, f'[[sources]]\nname = "古交统计公报"\nurl = "{column.first_url}"\nregion = "古交市"\n'
    )
    code, out, err = cli(capsys, config, "backfill", "--source", "古交统计公报")
    assert code == 0, err
    assert "古交统计公报" in out and "last page" in out
    # No terminal under pytest: one log line per page, with the source's name.
    pages = [r.getMessage() for r in caplog.records if "backfill page" in r.getMessage()]
    assert len(pages) == 4 and all(p.startswith("source 古交统计公报: backfill page") for p in pages)

    code, out, err = cli(capsys, config, "figures", "--region", "古交", "--indicator", "gdp", "--format", "json")
    assert code == 0, err
    stored = {int(f["period"]): f["value"] for f in json.loads(out) if f["basis"] == "actual"}
    assert stored == {y: gdp_of(y) for y in years}

    code, out, _ = cli(capsys, config, "ask", "/gdp 古交")
    assert code == 0
    for year in years[-5:]:
        assert f"{year}年" in out
    chart = tmp_path / "chart.png"
    code, out, _ = cli(capsys, config, "ask", "/chart 古交", "--chart-out", str(chart))
    assert code == 0 and chart.read_bytes().startswith(b"\x89PNG")
    assert f"{years[0]}" in out and f"{years[-1]}" in out

    # A second run fetches no article again.
    before = len(server.requests)
    code, _, err = cli(capsys, config, "backfill")
    assert code == 0, err
    again = [r.path for r in server.requests[before:]]
    assert not any("/art/" in p for p in again)


def test_backfill_names_an_unknown_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_settings(tmp_path, '[[sources]]\nname = "甲"\nurl = "http://127.0.0.1:9/"\nregion = "古交市"\n')
    code, _, err = cli(capsys, config, "backfill", "--source", "乙")
    assert code == 1 and "乙" in err and "甲" in err


def test_backfill_of_an_unreachable_source_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_settings(tmp_path, f'[[sources]]\nname = "甲"\nurl = "{closed_port_url()}"\nregion = "古交市"\n')
    code, out, _ = cli(capsys, config, "backfill")
    assert code == 3 and "failed" in out


# --- backfill_since: `govwatch run` walks a new source once, in the background -------------------------------------


def test_run_backfills_a_new_source_after_its_first_poll_without_alerts(
    server: LocalHTTPServer, tmp_path: Path
) -> None:
    import asyncio

    from bot.app import open_parts, serve, source_specs
    from bot.settings import load_settings

    column = serve_column(server, "suffix", pages=5, per_page=2)  # bulletins of 2025 back to 2016
    config = write_settings(
        tmp_path,
        "[schedule]\nbackfill_pause = 0.05\n\n"
        f'[[sources]]\nname = "古交统计公报"\nurl = "{column.first_url}"\nregion = "古交市"\nbackfill_since = 2019\n',
    )
    settings = load_settings(config)

    async def main() -> None:
        stop = asyncio.Event()
        async with open_parts(settings) as parts:
            running = asyncio.create_task(serve(parts, source_specs(settings), stop))
            for _ in range(200):
                state = await asyncio.to_thread(parts.store.backfill, "古交统计公报")
                if state is not None and state.status == "done":
                    break
                await asyncio.sleep(0.05)
            stop.set()
            await running

    asyncio.run(main())
    store = Store.open(settings.storage.url)
    try:
        state = store.backfill("古交统计公报")
        assert state is not None and state.status == "done" and "2019" in (state.stop_reason or "")
        years = {int(f.period) for f in store.figures(region_code="140181", indicator="gdp")}
        assert {2019, 2020, 2021, 2022, 2023, 2024, 2025} <= years and 2016 not in years
        assert store.outbox_counts().get("pending", 0) == 0 and store.outbox_counts().get("sent", 0) == 0
    finally:
        store.close()
    walked = [r.path for r in server.requests if r.path.endswith(".html") and "/art/" not in r.path]
    # Page 5 lists only bulletins older than 2019: read to learn that, its articles never fetched.
    assert walked[-1] == "/suffix-utf-8/news_5.html"
    assert not [r for r in server.requests if r.path.endswith("_2016.html") or r.path.endswith("_2017.html")]
