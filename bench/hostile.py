"""`make bench`, hostile inputs: parse rate of inputs shaped to hit each loop's worst case, against a typical report.

Each input is about 1 MB: a name repeated on one line and on a line each, a 、-list of names before 分别, a
sentence of figures without a full stop, a tag with 10^5 attributes, a table of 8,000 rows. The aim (issue 10):
none slower than 10x a typical report of the same size. Numbers, not assertions.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers.document import parse_document  # noqa: E402
from scrapers.extract.content import ExtractedDocument, extract_document  # noqa: E402

NAME = "地区生产总值"


def _texts() -> dict[str, str]:
    typical = (ROOT / "tests" / "fixtures" / "reports" / "shanxi-changzhi-2024-gwr.txt").read_text(encoding="utf-8")
    return {
        "typical report (x20)": typical * 20,
        "one name x60,000, one line": NAME * 60_000,
        "one name x60,000, a line each": (NAME + "\n") * 60_000,
        "、-list of 60,000 names + 分别": "、".join(["粮食产量"] * 60_000) + "分别增长5%。",
        "8,000 figures, one sentence": "，".join(f"{2000 + i % 20}年地区生产总值{100 + i}亿元" for i in range(8_000)),
    }


def _pages() -> dict[str, bytes]:
    attributes = " ".join(f'a{i}="{i}"' for i in range(100_000))
    rows = "".join(f"<tr><td>指标{i}</td><td>亿元</td><td>{i}</td><td>5.1</td></tr>" for i in range(8_000))
    return {
        "tag with 10^5 attributes": f"<html><body><div {attributes}><p>GDP 1亿元</p></div></body></html>".encode(),
        "table of 8,000 rows": f"<html><body><table>{rows}</table></body></html>".encode(),
    }


def _rate(size: int, work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return size / 1e6 / max(time.process_time() - start, 1e-9)


def _page_work(page: bytes) -> Callable[[], object]:
    def work() -> object:
        extracted = extract_document(page)
        return parse_document(extracted.text) if isinstance(extracted, ExtractedDocument) else extracted

    return work


def main() -> int:
    """Print each hostile input's parse rate and its slowdown against the typical report."""
    texts = _texts()
    rates = {name: _rate(len(t.encode()), lambda t=t: parse_document(t)) for name, t in texts.items()}
    typical = rates.pop("typical report (x20)")
    print(f"hostile inputs (aim: at most 10x slower than a typical report, {typical:.2f} MB/s):")
    for name, rate in rates.items():
        print(f"  {name:<32} {rate:6.2f} MB/s  {typical / rate:5.1f}x")
    for name, page in _pages().items():
        rate = _rate(len(page), _page_work(page))
        print(f"  {name:<32} {rate:6.2f} MB/s  (extraction and parse)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
