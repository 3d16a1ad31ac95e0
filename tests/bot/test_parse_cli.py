"""`govwatch parse` end to end: real files in, the contract's JSON out; bad input gives one line and an exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
SEEDS = FIXTURES / "seeds"
REPORTS = FIXTURES / "reports"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def parse_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = run_cli(capsys, "parse", *args, "--format", "json")
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def test_help_lists_every_subcommand() -> None:
    done = subprocess.run([sys.executable, "-m", "bot.cli", "--help"], capture_output=True, text=True, check=True)
    for command in ("run", "poll", "ask", "parse", "figures", "sources"):
        assert command in done.stdout


def test_plan_report_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    result = parse_json(capsys, str(SEEDS / "003_dd839b69f8cc83e5.txt"), "--published", "2026-01-04")
    doc = result["document"]
    assert doc["region"] == "古交市" and doc["region_code"] == "140181"
    assert doc["kind"] == "plan_report" and doc["published"] == "2026-01-04"
    assert doc["title"].startswith("关于古交市2025年国民经济和社会发展计划执行情况")
    gdp = [f for f in result["figures"] if f["indicator"] == "gdp" and f["period"] == "2025"]
    assert gdp == [
        {
            "region": "古交市",
            "region_code": "140181",
            "indicator": "gdp",
            "period": "2025",
            "basis": "estimate",
            "value": 95,
            "unit": "亿元",
            "yoy": 1,
            "qualifier": None,
            "quote": "地区生产总值预计完成95亿元,同比增长1%",
        }
    ]
    assert len(result["figures"]) == 19


def test_publication_date_is_read_from_the_text_when_not_given(capsys: pytest.CaptureFixture[str]) -> None:
    result = parse_json(capsys, str(SEEDS / "004_189630f876e85d0c.txt"))
    assert result["document"]["published"] == "2023-02-15"
    assert "八个方面" in result["document"]["text"] and "(gè)" not in result["document"]["text"]
    assert [(f["indicator"], f["period"], f["value"]) for f in result["figures"]] == [
        ("investment_signed", "2022", 256)
    ]


def test_gb18030_report_with_crlf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The Hailar reports were born GB18030 with CRLF line ends: give the parser those bytes back.
    text = (REPORTS / "neimenggu-hulunbuir-hailar-2013-gwr.txt").read_text(encoding="utf-8")
    path = tmp_path / "report.txt"
    path.write_bytes(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("gb18030"))
    result = parse_json(capsys, str(path), "--published", "2013-01-20", "--region", "海拉尔区")
    got = {(f["indicator"], f["period"], f["basis"]): (f["value"], f["yoy"]) for f in result["figures"]}
    assert got[("gdp", "2012", "actual")] == (235.2, 18.5)
    assert got[("gdp", "2013", "target")] == (282, 20)  # 增长20%，达到282亿元
    assert "\r" not in result["document"]["text"]


def test_table_format_names_the_document_and_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "parse", str(SEEDS / "002_0d416dbadaf5da07.txt"), "--published", "2024-02-01")
    assert code == 0
    assert "交城县 141122" in out and "figures:   6" in out
    assert any(line.startswith("交城县") and "106.62" in line and "+2.6%" in line for line in out.splitlines())


def test_text_without_figures_is_an_empty_list(capsys: pytest.CaptureFixture[str]) -> None:
    result = parse_json(capsys, str(SEEDS / "000_8bf610cf3b1391ec.txt"), "--published", "2024-02-24")
    assert result["figures"] == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "not a regular file"),
        (lambda d: _write(d / "empty.txt", b""), "empty"),
        (lambda d: _write(d / "blob.bin", bytes(range(256)) * 64), "binary"),
        (lambda d: _write(d / "huge.txt", b"\xe5\x9c\xb0" * (50 * 1024 * 1024 // 3)), "too large"),
        (lambda d: _write(d / "fake.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 8), "PDF"),
    ],
    ids=["missing", "directory", "empty", "binary", "50MB", "broken-pdf"],
)
def test_bad_input_is_one_line_and_a_failing_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any, message: str
) -> None:
    path = make(tmp_path)
    code, out, err = run_cli(capsys, "parse", str(path))
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert message.lower() in err.lower()


def test_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["parse", str(SEEDS / "000_8bf610cf3b1391ec.txt"), "--published", "2024-13-45"])
    assert exc.value.code == 2
    assert "not a date" in capsys.readouterr().err


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ("交成县", "unknown region '交成县'; did you mean"),
        ("乌托邦", "no division of China has that name"),
        ("鼓楼区", "ambiguous"),
    ],
)
def test_unknown_or_ambiguous_region_is_an_error(capsys: pytest.CaptureFixture[str], region: str, message: str) -> None:
    code, out, err = run_cli(capsys, "parse", str(SEEDS / "000_8bf610cf3b1391ec.txt"), "--region", region)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


def test_region_override_takes_any_division_of_china(capsys: pytest.CaptureFixture[str]) -> None:
    doc = parse_json(capsys, str(SEEDS / "000_8bf610cf3b1391ec.txt"), "--region", "涪城区")
    assert doc["document"]["region_code"] == "510703"
