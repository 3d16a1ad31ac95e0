"""The catalogue of Shanxi sources (bot/data/catalogue.tsv): validated on load, queried by region and kind, printed
by `govwatch sources catalogue` and copied into a settings file by `govwatch sources add --from-catalogue`."""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.catalogue import KINDS, SITES, SOURCE_KINDS, CatalogueError, load_catalogue, parse_catalogue
from bot.cli.cataloguing import add_from_catalogue, catalogue, source_name, sources
from bot.settings import Settings, load_settings
from parsers.regions import Gazetteer

HEADER = "code\tsite\tkind\turl\tsource_kind\tevidence\tnote\n"
EVIDENCE = "https://tjj.shanxi.gov.cn/tjsj/tjgb/ndtjgb/202503/t20250327_9797517.shtml (2025-03-27) via find_string"
PRIORITY = {"140000": "山西省", "140100": "太原市", "140181": "古交市", "141100": "吕梁市", "141122": "交城县"}

# A settings file as people keep them: comments above and beside the keys, one source already there.
SETTINGS_TEXT = """\
# govwatch settings for the tests: these comments must survive `sources add`.

[storage]
url = "sqlite:///unused.db"   # never opened by these commands

[schedule]
interval = "30m"

# The sources we watch today.
[[sources]]
name = "吕梁市人民政府"
url = "http://www.lvliang.gov.cn/"   # the home page, also a catalogue row
region = "吕梁市"
interval = "1h"
"""


def tsv(*rows: str) -> str:
    return "# a comment line\n" + HEADER + "".join(row + "\n" for row in rows)


def row(code: str, url: str, kind: str = "bulletin", site: str = "stats", source_kind: str = "list") -> str:
    return "\t".join([code, site, kind, url, source_kind, EVIDENCE, "a note"])


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(SETTINGS_TEXT, encoding="utf-8")
    return path


@pytest.fixture
def settings(settings_file: Path) -> Settings:
    return load_settings(settings_file)


# ---------------------------------------------------------------- the packaged catalogue


def test_the_packaged_catalogue_is_valid_and_covers_shanxi() -> None:
    cat = load_catalogue()
    gazetteer = Gazetteer.default()
    assert len(cat.rows) > 100
    for r in cat.rows:
        region = gazetteer.by_code(r.code)
        assert region is not None, r
        assert gazetteer.province_of(region).code == "140000", r
        parts = urlsplit(r.url)
        assert parts.scheme in ("http", "https"), r
        assert parts.hostname and parts.hostname.endswith(".cn"), r
        assert r.site in SITES and r.kind in KINDS and r.source_kind in SOURCE_KINDS, r
        assert r.evidence, r
    assert len({(r.code, r.url) for r in cat.rows}) == len(cat.rows)
    assert cat.missing("140000") == []  # every one of the 129 divisions has at least one row
    for code in PRIORITY:
        assert cat.rows_for(code), code


def test_the_packaged_catalogue_has_the_known_facts() -> None:
    cat = load_catalogue()
    province = {(r.site, r.kind, r.url) for r in cat.rows if r.code == "140000"}
    assert ("stats", "bulletin", "https://tjj.shanxi.gov.cn/tjsj/tjgb/") in province
    jiaocheng = {urlsplit(r.url).hostname for r in cat.rows_for("141122")}
    assert jiaocheng == {"www.sx-jc.gov.cn"}  # www.jiaocheng.gov.cn is 蕉城区 in Fujian
    assert {urlsplit(r.url).hostname for r in cat.rows_for("140181")} == {"www.sxgujiao.gov.cn"}
    assert not any("jiaocheng.gov.cn" in r.url for r in cat.rows)
    dated = [r for r in cat.rows if r.evidence_date is not None]
    assert len(dated) >= len(cat.rows) - 1  # one row's only listing is undated


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (row("999999", "https://tjj.shanxi.gov.cn/a/"), "no division in the gazetteer"),
        (row("110108", "https://www.bjhd.gov.cn/a/"), "not in Shanxi"),
        (row("14110", "https://www.lvliang.gov.cn/a/"), "not 6 digits"),
        (row("141100", "ftp://www.lvliang.gov.cn/a/"), "not http or https"),
        (row("141100", "https://www.example.com/a/"), "outside .gov.cn and .cn"),
        (row("141100", "https://www.lvliang gov.cn/a/"), "spaces"),
        (row("141100", "https:///a/"), "no valid host"),
        (row("141100", "https://www.lvliang.gov.cn/a/", kind="gdp"), "kind 'gdp'"),
        (row("141100", "https://www.lvliang.gov.cn/a/", site="blog"), "site 'blog'"),
        (row("141100", "https://www.lvliang.gov.cn/a/", source_kind="atom"), "source_kind 'atom'"),
        ("141100\tportal\tnews\thttps://www.lvliang.gov.cn/a/\tlist\t\t", "no evidence"),
        ("141100\tportal\tnews\thttps://www.lvliang.gov.cn/a/\tlist\tx (2025-02-30)\t", "not a date"),
    ],
)
def test_a_bad_row_is_refused_with_its_line(bad_row: str, message: str) -> None:
    text = tsv(row("141100", "https://www.lvliang.gov.cn/ok/"), bad_row)
    with pytest.raises(CatalogueError, match="catalogue line 4") as raised:
        parse_catalogue(text)
    assert message in str(raised.value)


def test_a_repeated_code_and_url_is_refused() -> None:
    text = tsv(row("141100", "https://www.lvliang.gov.cn/a/"), row("141100", "https://www.lvliang.gov.cn/a/", "news"))
    with pytest.raises(CatalogueError, match=r"line 4 .*repeats line 3"):
        parse_catalogue(text)
    # The same URL under two divisions is two rows (a shared provincial platform).
    parse_catalogue(tsv(row("141100", "https://www.lvliang.gov.cn/a/"), row("141122", "https://www.lvliang.gov.cn/a/")))


def test_a_table_without_its_columns_is_refused() -> None:
    with pytest.raises(CatalogueError, match=r"header lacks .*evidence"):
        parse_catalogue("code\tsite\tkind\turl\tsource_kind\n")
    with pytest.raises(CatalogueError, match="no header"):
        parse_catalogue("# only comments\n")
    with pytest.raises(CatalogueError, match="8 cells but 7 columns"):
        parse_catalogue(tsv(row("141100", "https://www.lvliang.gov.cn/a/") + "\textra"))


# ---------------------------------------------------------------- queries


SMALL = tsv(
    row("140000", "https://tjj.shanxi.gov.cn/tjsj/tjgb/"),
    row("141100", "https://www.lvliang.gov.cn/news/", kind="news", site="portal"),
    row("141100", "https://tjj.lvliang.gov.cn/tjgb/"),
    row("141122", "http://www.sx-jc.gov.cn/zwyw/", kind="news", site="portal"),
    row("140181", "https://www.sxgujiao.gov.cn/tjxx/"),
)


def test_rows_for_a_city_include_its_counties() -> None:
    cat = parse_catalogue(SMALL)
    assert [r.url for r in cat.rows_for("141100")] == [
        "https://www.lvliang.gov.cn/news/",
        "https://tjj.lvliang.gov.cn/tjgb/",
        "http://www.sx-jc.gov.cn/zwyw/",
    ]
    assert [r.url for r in cat.rows_for("141100", "bulletin")] == ["https://tjj.lvliang.gov.cn/tjgb/"]
    assert [r.code for r in cat.rows_for("141122")] == ["141122"]  # a county does not include its city
    assert len(cat.rows_for("140000")) == 5  # the province includes everything
    assert [r.code for r in cat.rows_for("140100")] == ["140181"]
    with pytest.raises(ValueError, match="kind 'gdp'"):
        cat.rows_for("141100", "gdp")


def test_missing_lists_the_divisions_without_a_row() -> None:
    cat = parse_catalogue(SMALL)
    gazetteer = Gazetteer.default()
    city = gazetteer.by_code("141100")
    assert city is not None
    lvliang = gazetteer.children_of(city)
    no_bulletin = cat.missing("141100", "bulletin")
    assert [r.code for r in no_bulletin] == [r.code for r in lvliang]  # the city has one; no county has
    no_row = cat.missing("141100")
    assert "141122" not in {r.code for r in no_row} and "141100" not in {r.code for r in no_row}
    assert len(no_row) == len(lvliang) - 1
    assert cat.missing("141122", "news") == []
    assert len(cat.missing("140000")) == 129 - 4


# ---------------------------------------------------------------- `govwatch sources catalogue`


def test_the_catalogue_command_prints_a_city_with_its_counties(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert catalogue(argparse.Namespace(region="吕梁", kind=None), settings) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[0].split()
    assert header[:3] == ["region", "site", "kind"] and "url" in header and header[-2:] == ["evidence", "date"]
    assert "交城县" in out and "http://www.sx-jc.gov.cn/zwyw/" in out and "2026-04-26" in out
    assert "吕梁市" in out and "古交市" not in out
    assert "missing (no row): none of 14 divisions" in out


def test_the_catalogue_command_names_the_divisions_missing_a_kind(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert catalogue(argparse.Namespace(region="吕梁市", kind="bulletin"), settings) == 0
    out = capsys.readouterr().out
    missing = next(line for line in out.splitlines() if line.startswith("missing"))
    assert missing.startswith("missing (no bulletin row): 14 of 14 divisions: 吕梁市、离石区")
    assert "交城县" in missing


def test_the_catalogue_command_defaults_to_all_of_shanxi(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sources(argparse.Namespace(action="catalogue", region=None, kind="bulletin"), settings) == 0
    out = capsys.readouterr().out
    assert "https://tjj.shanxi.gov.cn/tjsj/tjgb/" in out
    assert "rows for 山西省, bulletin" in out


@pytest.mark.parametrize(
    ("region", "message"),
    [("交成", "unknown region '交成'; did you mean"), ("海淀区", "covers 山西省 only; 海淀区 is in 北京市")],
)
def test_the_catalogue_command_refuses_an_unknown_region(
    settings: Settings, capsys: pytest.CaptureFixture[str], region: str, message: str
) -> None:
    assert catalogue(argparse.Namespace(region=region, kind=None), settings) == 1
    assert message in capsys.readouterr().err


# ---------------------------------------------------------------- `govwatch sources add --from-catalogue`


def test_add_appends_tables_and_keeps_the_comments(
    settings_file: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = load_catalogue().rows_for("141100")
    args = argparse.Namespace(region="吕梁市", kind=None, config=str(settings_file))
    assert add_from_catalogue(args, settings) == 0
    out = capsys.readouterr().out
    text = settings_file.read_text(encoding="utf-8")
    assert text.startswith(SETTINGS_TEXT)  # comments, layout and the old table untouched; tables appended
    assert "# the home page, also a catalogue row" in text
    assert text.count("[[sources]]") == len(expected)  # the home page was there already
    reloaded = load_settings(settings_file)
    assert len(reloaded.sources) == len(expected)
    added = {s.url: s for s in reloaded.sources[1:]}
    report = added["http://www.sx-jc.gov.cn/xxgk/zfgzbg/"]
    assert (report.name, report.kind, report.region) == ("交城县人民政府 政府工作报告", "list", "交城县")
    assert added["https://www.lvliang.gov.cn/llxxgk/zfxxgk/xxgkml/zjxx_21583/sjczyshsgjf/"].region == "吕梁市"
    assert "skipped 1 already in" in out and "http://www.lvliang.gov.cn/" in out and "url already there" in out
    assert f"added {len(expected) - 1} sources" in out
    assert "govwatch try http://www.sx-jc.gov.cn/xxgk/zfgzbg/ --kind list --region 交城县" in out


def test_add_twice_adds_nothing_the_second_time(settings_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(region="交城县", kind=None, config=str(settings_file))
    assert add_from_catalogue(args, load_settings(settings_file)) == 0
    after_first = settings_file.read_text(encoding="utf-8")
    capsys.readouterr()
    assert sources(argparse.Namespace(action="add", **vars(args)), load_settings(settings_file)) == 1
    captured = capsys.readouterr()
    assert settings_file.read_text(encoding="utf-8") == after_first
    assert "nothing added" in captured.err
    assert captured.out.count("url already there") == len(load_catalogue().rows_for("141122"))


def test_add_skips_a_name_already_taken(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cat = load_catalogue()
    (bulletin,) = [r for r in cat.rows_for("140000", "indicator_table") if r.code == "140000"]
    path = tmp_path / "settings.toml"
    path.write_text(
        f'# no storage table at all\n\n[[sources]]\nname = "{source_name(cat, bulletin)}"\nurl = "https://other.gov.cn/"\n',
        encoding="utf-8",
    )
    args = argparse.Namespace(region="山西省", kind="indicator_table", config=str(path))
    assert add_from_catalogue(args, load_settings(path)) == 0  # the province's other indicator tables go in
    assert "name already there" in capsys.readouterr().out
    urls = [s.url for s in load_settings(path).sources]
    assert bulletin.url not in urls and len(urls) == len(cat.rows_for("140000", "indicator_table"))


def test_add_to_a_file_without_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[log]\nlevel = "INFO"  # keep me\n', encoding="utf-8")
    args = argparse.Namespace(region="古交市", kind=None, config=str(path))
    assert add_from_catalogue(args, load_settings(path)) == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith('[log]\nlevel = "INFO"  # keep me\n')
    assert [s.region for s in load_settings(path).sources] == ["古交市"] * len(load_catalogue().rows_for("140181"))
    assert "govwatch try https://www.sxgujiao.gov.cn/" in capsys.readouterr().out


def test_add_refuses_an_unknown_region_and_an_empty_kind(
    settings_file: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    before = settings_file.read_text(encoding="utf-8")
    bad = argparse.Namespace(region="交成", kind=None, config=str(settings_file))
    assert add_from_catalogue(bad, settings) == 1
    assert "unknown region" in capsys.readouterr().err
    assert add_from_catalogue(argparse.Namespace(region=None, kind=None, config=str(settings_file)), settings) == 1
    assert "name the region" in capsys.readouterr().err
    empty = argparse.Namespace(region="交城县", kind="bulletin", config=str(settings_file))
    assert add_from_catalogue(empty, settings) == 1
    assert "no row for 交城县 (bulletin)" in capsys.readouterr().err
    assert settings_file.read_text(encoding="utf-8") == before


# ---------------------------------------------------------------- the `govwatch sources …` wiring


def test_govwatch_sources_catalogue_and_add_end_to_end(settings_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import bot.cli

    try:
        parsed = bot.cli.build_parser().parse_args(["sources", "catalogue", "--region", "交城县"])
    except SystemExit:
        capsys.readouterr()
        pytest.skip("`sources catalogue` and `sources add` are not wired into bot/cli/__init__.py yet")
    assert (parsed.action, parsed.region, parsed.kind) == ("catalogue", "交城县", None)
    assert tuple(getattr(bot.cli, "CATALOGUE_KINDS", KINDS)) == KINDS  # spelled there so --help imports nothing
    config = ["--config", str(settings_file)]
    assert bot.cli.main([*config, "sources", "catalogue", "--region", "交城县"]) == 0
    assert "http://www.sx-jc.gov.cn/zwyw/" in capsys.readouterr().out
    assert bot.cli.main([*config, "sources", "add", "--from-catalogue", "交城县", "--kind", "news"]) == 0
    assert "交城县人民政府 政务要闻" in settings_file.read_text(encoding="utf-8")
    assert bot.cli.main([*config, "sources", "add", "--from-catalogue", "交城县", "--kind", "news"]) == 1
