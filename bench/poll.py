"""`make bench`, poll part: the monitor polling N sources (default 1,000) on a local server, in three cycles.

1. baseline — the first poll of every source: every list item is fetched, extracted, parsed and stored;
2. unchanged — every list page answers the conditional GET with 304;
3. one new item — every list page gains one item (its ETag changes): one article per source is read and stored.

The sites run in a separate process (an asyncio server with one listening socket per loopback address
127.0.0.2 … 127.0.0.250, so the fetcher's per-host politeness sees ~250 hosts, as the real source list
spread over many sites would). This process runs a real Fetcher, Monitor and SQLite store; the CPU time
(all threads of this process) and the peak RSS printed are this process's alone. Each cycle is checked
(statuses, documents stored, requests the server saw) so a broken run is reported, not measured.

BASELINE: a baseline goes on, poll after poll, until every listed item is read (so that none alerts later),
and a list answers 304 only once it has; the first cycle therefore reads every item. Lists carry 5 items by
default (5,000 articles at about 20 ms of CPU each: a minute or two on a 2-core machine); `--items 20` is
closer to a real column and four times slower; `--sources 300` takes about 30 s.

    .venv/bin/python bench/poll.py [--sources N] [--items N] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import datetime as dt
import io
import multiprocessing
import pstats
import resource
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from scrapers.http.fetch import FetchConfig, Fetcher  # noqa: E402
from scrapers.monitor import Monitor, PollSummary  # noqa: E402
from scrapers.schedule import SourceSpec  # noqa: E402
from storage.schema import documents, figures  # noqa: E402
from storage.store import Store  # noqa: E402

DEFAULT_SOURCES = 1000
DEFAULT_ITEMS = 5  # items on a list page
CONCURRENCY = 100  # polls in flight at once, as the scheduler's jitter spreads them
PER_HOST_DELAY = 0.02
PER_HOST_CONCURRENCY = 2
HOSTS: tuple[str, ...] = tuple(f"127.0.0.{n}" for n in range(2, 251))
AIM_CPU_MS = 1.0  # per unchanged source
AIM_RSS_MB = 300.0

# Counties of Shanxi: the region of each bench source (cycled), so titles and texts differ per source.
COUNTIES: tuple[str, ...] = (
    "古交市", "清徐县", "阳曲县", "娄烦县", "交城县", "文水县", "汾阳市", "孝义市", "离石区", "中阳县",
    "柳林县", "石楼县", "岚县", "方山县", "临县", "兴县", "交口县", "平遥县", "介休市", "灵石县",
)  # fmt: skip


# --- the sites (run in the server process) ------------------------------------------------------------------

_NAV = "".join(
    f'<li><a href="../../{path}/index.html">{name}</a></li>'
    for path, name in (
        ("zjgj", "走进县情"), ("xwzx", "新闻中心"), ("zwgk", "政务公开"), ("zwfw", "政务服务"),
        ("hdjl", "互动交流"), ("ztzl", "专题专栏"), ("yhyshj", "优化营商环境"), ("zfxxgknb", "政府信息公开年度报告"),
    )
)  # fmt: skip
_FOOTER = (
    '<div class="footer"><div class="yqlj"><span>友情链接：</span>'
    '<a href="http://www.gov.cn/">中国政府网</a> <a href="http://www.shanxi.gov.cn/">山西省人民政府</a> '
    '<a href="http://tjj.shanxi.gov.cn/">山西省统计局</a></div><div class="copyright">'
    '<p><a href="../../wzdt/index.html">网站地图</a> | <a href="../../lxwm/index.html">联系我们</a></p>'
    "<p>主办单位：{region}人民政府办公室　网站标识码：1401810001　晋ICP备05008416号</p></div></div>"
)


@dataclass
class Sites:
    """Every bench source's list page and articles; `generation` new items have appeared since the start."""

    start: dt.date  # the date of item 0; item j is dated start + 2j days
    items: int  # on each list page
    generation: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    _lists: dict[tuple[int, int], bytes] = field(default_factory=dict)

    def answer(self, path: str, if_none_match: str | None) -> tuple[int, str | None, bytes]:
        """(status, ETag, body) for a request path."""
        parts = path.split("/")  # "", "s12", "list" | "art", "index.html" | "7.html"
        try:
            source = int(parts[1][1:])
            kind, leaf = parts[2], parts[3]
        except (IndexError, ValueError):
            self.counts["other"] += 1
            return 404, None, b"not found"
        if kind == "list":
            etag = f'"s{source}-g{self.generation}"'
            if if_none_match == etag:
                self.counts["list_304"] += 1
                return 304, etag, b""
            self.counts["list_200"] += 1
            key = (source, self.generation)
            if key not in self._lists:
                self._lists[key] = list_page(source, self.generation, self.start, self.items)
            return 200, etag, self._lists[key]
        if kind == "art" and leaf.removesuffix(".html").isdigit():
            self.counts["article"] += 1
            return 200, None, article_page(source, int(leaf.removesuffix(".html")), self.start)
        self.counts["other"] += 1
        return 404, None, b"not found"


def _item_date(start: dt.date, item: int) -> dt.date:
    return start + dt.timedelta(days=2 * item)


def _title(source: int, item: int) -> str:
    region = COUNTIES[source % len(COUNTIES)]
    kinds = ("国民经济和社会发展统计公报", "主要经济指标完成情况", "经济运行情况分析", "政府工作报告")
    return f"{region}第{source}号站点{item}期{kinds[item % len(kinds)]}"


def list_page(source: int, generation: int, start: dt.date, items: int) -> bytes:
    """A county-CMS list page (GBK, like the real ones) with the newest `items` items, newest first."""
    region = COUNTIES[source % len(COUNTIES)]
    newest = items - 1 + generation
    rows = "\n".join(
        f'    <li><a href="../art/{j}.html" target="_blank" title="{_title(source, j)}">{_title(source, j)}</a>'
        f'<span class="date">{_item_date(start, j).isoformat()}</span></li>'
        for j in range(newest, newest - items, -1)
    )
    hot = "".join(
        f'<li><a href="../../xwzx/{k}.html">{region}召开第{k}次常务会议</a><span>{_item_date(start, k)}</span></li>'
        for k in range(5)
    )
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>统计信息_{region}人民政府</title><meta name="SiteName" content="{region}人民政府" />
<meta name="ColumnName" content="统计信息" /></head><body>
<div class="top"><a href="javascript:void(0);">设为首页</a> | <a href="javascript:void(0);">加入收藏</a></div>
<div class="nav"><ul class="nav-main">{_NAV}</ul></div>
<div class="main"><div class="position">当前位置：<a href="../../index.html">首页</a>
 &gt; <a href="../index.html">政务公开</a> &gt; <a href="./index.html">统计信息</a></div>
<div class="right"><div class="list-title"><h2>统计信息</h2></div>
<ul class="list">
{rows}
</ul>
<div class="page">共9页 <a href="./index.html">首页</a> <span class="cur">1</span> <a href="./index_1.html">2</a>
<a href="./index_1.html">下一页</a> <a href="./index_8.html">尾页</a></div></div></div>
<div class="hot-news"><div class="hot-title"><span>热点新闻</span></div><ul>{hot}</ul></div>
{_FOOTER.format(region=region)}
</body></html>
"""
    return page.replace("\n", "\r\n").encode("gbk")


def article_page(source: int, item: int, start: dt.date) -> bytes:
    """A short report of the county-CMS kind (GBK) with a few figures that differ per source and item."""
    region = COUNTIES[source % len(COUNTIES)]
    title = _title(source, item)
    published = _item_date(start, item)
    year = published.year - 1
    seed = source * 131 + item * 17
    gdp, gdp_yoy = 80 + seed % 97 + (seed % 100) / 100, 1 + seed % 50 / 10
    retail, income = 20 + seed % 53 + (seed % 10) / 10, 30000 + seed % 9000
    body = "\n".join(
        f'<p style="text-indent:2em;">{p}</p>'
        for p in (
            f"今年以来，{region}坚持稳中求进工作总基调，全力以赴稳增长、促转型、惠民生，经济运行总体平稳。",
            f"{year}年全县地区生产总值完成{gdp:.2f}亿元，同比增长{gdp_yoy:.1f}%。",
            f"社会消费品零售总额{retail:.1f}亿元，增长{seed % 7 + 1}.{seed % 10}%；"
            f"城镇居民人均可支配收入{income}元，增长{seed % 5 + 2}.{seed % 9}%。",
            f"分产业看，第一产业增加值{gdp * 0.08:.2f}亿元，增长{seed % 4 + 1}.{seed % 7}%；第二产业增加值"
            f"{gdp * 0.52:.2f}亿元，增长{seed % 6 + 1}.{seed % 3}%；第三产业增加值{gdp * 0.40:.2f}亿元，"
            f"增长{seed % 3 + 1}.{seed % 8}%。",
            "工业生产稳中有进。全县规模以上工业企业生产经营总体平稳，煤炭、焦化、电力等主导行业支撑有力，"
            "新材料、装备制造等新兴产业加快成长，工业转型升级步伐加快。",
            f"固定资产投资增长{seed % 9 + 1}.{seed % 5}%，其中工业投资增长较快，民间投资信心逐步恢复，"
            "重点项目建设有序推进。",
            "消费市场持续回暖。各类促消费活动接续开展，限额以上单位商品零售额保持增长，"
            "餐饮、汽车、家电等消费较为活跃。",
            "下一步，我们将坚持项目为王，强化要素保障，聚焦重点产业链精准招商，扎实推动经济持续回升向好，"
            "确保完成全年目标任务。（来源：县统计局）",
        )
    )
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{title}_{region}人民政府</title><meta name="ArticleTitle" content="{title}" />
<meta name="PubDate" content="{published.isoformat()} 09:30" /><meta name="ContentSource" content="{region}统计局" />
</head><body>
<div class="top"><a href="javascript:void(0);">设为首页</a> | <a href="javascript:void(0);">加入收藏</a></div>
<div class="nav"><ul class="nav-main">{_NAV}</ul></div>
<div class="main"><div class="position">当前位置：<a href="../../index.html">首页</a>
 &gt; <a href="../list/index.html">统计信息</a> &gt; 正文</div>
<div class="article"><h1 class="article-title">{title}</h1>
<div class="article-info">发布时间：{published.isoformat()} 09:30　来源：{region}统计局　【字号：大 中 小】</div>
<div class="TRS_Editor">
{body}
</div>
<div class="share">分享到：<a href="javascript:void(0);">微信</a> <a href="javascript:void(0);">微博</a></div>
<div class="print"><a href="javascript:window.print();">【打印本页】</a>
 <a href="javascript:window.close();">【关闭窗口】</a></div>
<div class="prev-next"><p>上一篇：<a href="./{max(item - 1, 0)}.html">{_title(source, max(item - 1, 0))}</a></p></div>
</div></div>
{_FOOTER.format(region=region)}
</body></html>
"""
    return page.replace("\n", "\r\n").encode("gbk")


async def _handle(sites: Sites, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """One keep-alive HTTP/1.1 connection: request line and headers in, a complete response out."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            target = lines[0].split(" ")[1]
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            status, etag, body = sites.answer(target.split("?")[0], headers.get("if-none-match"))
            reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[status]
            out = [f"HTTP/1.1 {status} {reason}", "Server: bench", f"Content-Length: {len(body)}"]
            if status != 304:
                out.append("Content-Type: text/html")  # no charset: the page's <meta> says GBK, as on the real sites
            if etag is not None:
                out.append(f"ETag: {etag}")
            writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + body)
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                break
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, IndexError):
        pass
    finally:
        writer.close()


async def _serve_async(conn: Connection, hosts: Sequence[str], start: dt.date, items: int) -> None:
    sites = Sites(start, items)
    ports: dict[str, int] = {}
    servers = []
    for host in hosts:
        server = await asyncio.start_server(
            lambda r, w: _handle(sites, r, w), host, 0, backlog=1024, reuse_address=True
        )
        servers.append(server)
        ports[host] = int(server.sockets[0].getsockname()[1])
    conn.send(ports)
    loop = asyncio.get_running_loop()
    while True:
        message = await loop.run_in_executor(None, conn.recv)
        if message == "bump":
            sites.generation += 1
            conn.send(sites.generation)
        elif message == "stats":
            conn.send((dict(sites.counts), time.process_time()))
        else:
            break
    for server in servers:
        server.close()


def serve(conn: Connection, hosts: Sequence[str], start: dt.date, items: int) -> None:
    """The server process: serve the sites until told to stop."""
    asyncio.run(_serve_async(conn, hosts, start, items))


class SiteServer:
    """The server process, seen from the benchmark: URLs, one more item on every list, request counts."""

    def __init__(self, hosts: Sequence[str], start: dt.date, items: int) -> None:
        ctx = multiprocessing.get_context("spawn")  # not fork: a clean process, whatever this one holds
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=serve, args=(child, tuple(hosts), start, items), daemon=True)
        self._process.start()
        deadline = time.monotonic() + 60
        while not self._conn.poll(0.1):
            if not self._process.is_alive() or time.monotonic() > deadline:
                self._process.terminate()
                raise RuntimeError(f"the bench server did not start (exit code {self._process.exitcode})")
        self.ports: dict[str, int] = self._conn.recv()
        self.hosts = tuple(hosts)

    def list_url(self, source: int) -> str:
        host = self.hosts[source % len(self.hosts)]
        return f"http://{host}:{self.ports[host]}/s{source}/list/index.html"

    def _ask(self, message: str) -> Any:
        self._conn.send(message)
        return self._conn.recv()

    def bump(self) -> None:
        self._ask("bump")

    def stats(self) -> tuple[Counter[str], float]:
        """Requests answered so far, by kind, and the server process's CPU seconds."""
        counts, cpu = self._ask("stats")
        return Counter(counts), float(cpu)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self._conn.send("stop")
        self._process.join(5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(5)


def usable_hosts() -> tuple[str, ...]:
    """127.0.0.2 … 127.0.0.250 where the system routes all of 127/8 to lo (Linux); else 127.0.0.1 alone."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((HOSTS[-1], 0))
    except OSError:
        return ("127.0.0.1",)
    return HOSTS


# --- measuring (this process) ------------------------------------------------------------------------------


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark of this process (Linux ≥ 4.0), so each cycle gets its own peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _rss_mb() -> float:
    """This process's resident set now (Linux), 0 where /proc is not there."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0.0)


def _peak_rss_mb(since_reset: bool) -> float:
    """This process's peak RSS: since the last reset (VmHWM), else over its whole life (ru_maxrss, KB on Linux)."""
    if since_reset:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Cycle:
    """What one cycle measured."""

    name: str
    wall: float
    cpu: float  # every thread of this process
    loop_cpu: float  # the event-loop thread alone: fetching, discovery, extraction; the rest is to_thread work
    rss_mb: float
    summaries: list[PollSummary]
    requests: Counter[str]
    documents: int
    figures: int
    server_cpu: float  # the site server's, to show it is not the bottleneck


class ThreadProfiles:
    """cProfile in the event-loop thread and in every worker thread of the loop's executor (the store calls)."""

    def __init__(self) -> None:
        self.profiles: list[cProfile.Profile] = []
        self._lock = threading.Lock()

    def start_in_thread(self) -> None:
        profile = cProfile.Profile(time.thread_time)  # CPU time of this thread: waiting on a lock is not cost
        with self._lock:
            self.profiles.append(profile)
        profile.enable()

    def stats(self) -> pstats.Stats:
        out = io.StringIO()
        stats = pstats.Stats(self.profiles[0], stream=out)
        for profile in self.profiles[1:]:
            stats.add(profile)
        return stats


async def poll_all(monitor: Monitor, specs: Sequence[SourceSpec]) -> list[PollSummary]:
    """Poll every source once, at most CONCURRENCY at a time."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(spec: SourceSpec) -> PollSummary:
        async with gate:
            return await monitor.poll(spec)

    return list(await asyncio.gather(*(one(spec) for spec in specs)))


def _count(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        docs = conn.scalar(select(func.count()).select_from(documents)) or 0
        figs = conn.scalar(select(func.count()).select_from(figures)) or 0
    return int(docs), int(figs)


async def run_cycle(
    name: str, monitor: Monitor, store: Store, server: SiteServer, specs: Sequence[SourceSpec]
) -> Cycle:
    before, server_cpu0 = server.stats()
    resettable = _reset_peak_rss()
    cpu0, loop0, wall0 = time.process_time(), time.thread_time(), time.perf_counter()
    summaries = await poll_all(monitor, specs)
    wall, cpu, loop = time.perf_counter() - wall0, time.process_time() - cpu0, time.thread_time() - loop0
    rss = _peak_rss_mb(resettable)
    after, server_cpu = server.stats()
    after.subtract(before)
    docs, figs = _count(store)
    return Cycle(name, wall, cpu, loop, rss, summaries, +after, docs, figs, server_cpu - server_cpu0)


def check(cycle: Cycle, n: int, expect_status: str, expect_new: int, expect_docs: int) -> list[str]:
    """What is wrong with a cycle's outcome (an empty list when all is as expected)."""
    problems = []
    statuses = Counter(s.status for s in cycle.summaries)
    if statuses != Counter({expect_status: n}):
        errors = Counter(s.error for s in cycle.summaries if s.error)
        seen = f"statuses {dict(statuses)} (expected {n} {expect_status})"
        problems.append(f"{seen}; errors {dict(errors.most_common(3))}")
    wrong_new = [s for s in cycle.summaries if s.new != expect_new]
    if wrong_new:
        problems.append(f"{len(wrong_new)} sources did not store {expect_new} new documents (e.g. {wrong_new[0]})")
    if cycle.documents != expect_docs:
        problems.append(f"{cycle.documents} documents stored (expected {expect_docs})")
    articles = cycle.requests.get("article", 0)
    if articles != n * expect_new:
        problems.append(f"{articles} article requests (expected {n * expect_new})")
    lists = cycle.requests.get("list_304" if expect_status == "unchanged" else "list_200", 0)
    if lists != n:
        problems.append(f"{lists} list requests answered as expected (expected {n}); server saw {dict(cycle.requests)}")
    return problems


def report(cycle: Cycle, n: int, problems: list[str]) -> list[str]:
    """Print a cycle's figures and what was wrong with it; return the latter."""
    ms = 1000 / n
    line = (
        f"poll {cycle.name:<9} wall {cycle.wall:6.2f} s  CPU {cycle.cpu:6.2f} s = {cycle.cpu * ms:6.2f} ms/source "
        f"(loop {cycle.loop_cpu * ms:5.2f}, threads {(cycle.cpu - cycle.loop_cpu) * ms:5.2f})  "
        f"peak RSS {cycle.rss_mb:5.1f} MB  documents {cycle.documents}, figures {cycle.figures}  "
        f"[server CPU {cycle.server_cpu:.1f} s]"
    )
    print(line, flush=True)
    for problem in problems:
        print(f"poll {cycle.name}: WRONG: {problem}", flush=True)
    return problems


async def profiled_cycle(
    profile: ThreadProfiles,
    executor: ThreadPoolExecutor,
    monitor: Monitor,
    store: Store,
    server: SiteServer,
    specs: Sequence[SourceSpec],
) -> Cycle:
    """The unchanged cycle under cProfile, in the loop thread and in a fresh executor's threads."""
    loop = asyncio.get_running_loop()
    profiled = ThreadPoolExecutor(thread_name_prefix="bench-profiled", initializer=profile.start_in_thread)
    loop.set_default_executor(profiled)
    profile.start_in_thread()
    main = profile.profiles[-1]
    try:
        return await run_cycle("unchanged", monitor, store, server, specs)
    finally:
        main.disable()
        profiled.shutdown(wait=True)
        loop.set_default_executor(executor)


@dataclass(frozen=True)
class Plan:
    """What to run."""

    sources: int
    items: int
    profile: bool

    @property
    def baseline_reads(self) -> int:
        """Articles each source's first poll reads."""
        return self.items


async def bench(plan: Plan, hosts: Sequence[str], server: SiteServer, profile: ThreadProfiles | None) -> bool:
    """The three cycles, printed and checked; False when one went wrong."""
    n, items = plan.sources, plan.items
    loop = asyncio.get_running_loop()
    executor = ThreadPoolExecutor(thread_name_prefix="bench-to-thread")  # asyncio's default size, named
    loop.set_default_executor(executor)
    specs = [
        SourceSpec(name=f"bench-{i:04d}", url=server.list_url(i), region=COUNTIES[i % len(COUNTIES)]) for i in range(n)
    ]
    config = FetchConfig(
        per_host_delay=PER_HOST_DELAY, per_host_concurrency=PER_HOST_CONCURRENCY, retries=0, allow_private=True
    )
    with tempfile.TemporaryDirectory(prefix="govwatch-bench-") as tmp:
        store = Store.open(f"sqlite:///{tmp}/bench.db")
        try:
            async with Fetcher(config, validators=store) as fetcher:
                monitor = Monitor(store, fetcher, max_new_per_poll=plan.baseline_reads)
                print(
                    f"poll: {n} sources on {len(hosts)} loopback hosts, {items} items per list "
                    f"(the baseline reads {plan.baseline_reads}), {CONCURRENCY} polls in flight, "
                    f"per-host delay {PER_HOST_DELAY}s × {PER_HOST_CONCURRENCY}; CPU and RSS of the client process "
                    f"(RSS {_rss_mb():.0f} MB before the first cycle)",
                    flush=True,
                )
                stored = n * plan.baseline_reads
                first = await run_cycle("baseline", monitor, store, server, specs)
                problems = report(first, n, check(first, n, "baseline", plan.baseline_reads, stored))
                if profile is None:
                    second = await run_cycle("unchanged", monitor, store, server, specs)
                else:
                    second = await profiled_cycle(profile, executor, monitor, store, server, specs)
                problems += report(second, n, check(second, n, "unchanged", 0, stored))
                server.bump()
                third = await run_cycle("one-new", monitor, store, server, specs)
                problems += report(third, n, check(third, n, "ok", 1, stored + n))
        finally:
            store.close()
            executor.shutdown(wait=True)
    unchanged_ms = second.cpu * 1000 / n
    peak = max(c.rss_mb for c in (first, second, third))
    verdict = "met" if unchanged_ms <= AIM_CPU_MS and peak < AIM_RSS_MB else "MISSED"
    print(
        f"poll aim ≤ {AIM_CPU_MS:.0f} ms CPU per unchanged source and < {AIM_RSS_MB:.0f} MB: {verdict} "
        f"({unchanged_ms:.2f} ms, {peak:.0f} MB)" + ("" if not problems else "; THE RUN WAS WRONG, see above"),
        flush=True,
    )
    return not problems


def _print_profile(profile: ThreadProfiles) -> None:
    stats = profile.stats()
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)
    print("poll profile of the unchanged cycle (loop and executor threads; per-thread CPU, inflated by cProfile):")
    print(out.getvalue())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the poll benchmark; exit status 1 when a cycle's outcome was wrong."""
    parser = argparse.ArgumentParser(prog="bench/poll.py", description="The monitor's poll benchmark.")
    parser.add_argument("--sources", type=int, default=DEFAULT_SOURCES, help="sources to poll (default 1000)")
    parser.add_argument("--items", type=int, default=DEFAULT_ITEMS, help="items per list page (default 5)")
    parser.add_argument("--profile", action="store_true", help="cProfile the unchanged cycle and print the top")
    args = parser.parse_args(argv)
    plan = Plan(max(1, args.sources), max(1, args.items), args.profile)
    hosts = usable_hosts()
    if len(hosts) == 1:
        print("poll: only 127.0.0.1 can be bound here: per-host politeness will serialise the sources")
    # Item dates end a few days before today in China, where the monitor's `today` is.
    today = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date()
    server = SiteServer(hosts, today - dt.timedelta(days=2 * (plan.items + 5)), plan.items)
    profile = ThreadProfiles() if plan.profile else None
    try:
        ok = asyncio.run(bench(plan, hosts, server, profile))
    finally:
        server.stop()
    if profile is not None:
        _print_profile(profile)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
