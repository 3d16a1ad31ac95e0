"""settings.toml: validated at start-up with errors naming the key; environment variables override it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import SettingsError, load_settings, parse_interval

ROOT = Path(__file__).resolve().parent.parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_settings_are_valid_and_name_the_watched_sites() -> None:
    settings = load_settings(ROOT / "settings.toml")
    names = " ".join(s.name for s in settings.sources)
    for site in ("古交市", "交城县", "太原市", "吕梁市", "山西省", "黄河新闻网", "中新网山西"):
        assert site in names
    assert settings.storage.url.startswith("sqlite:///")
    assert settings.telegram.token == ""


@pytest.mark.parametrize(
    ("value", "seconds"), [(90, 90.0), ("90s", 90.0), ("30m", 1800.0), ("6h", 21600.0), ("1d", 86400.0), (2.5, 2.5)]
)
def test_intervals(value: object, seconds: float) -> None:
    assert parse_interval(value) == seconds


@pytest.mark.parametrize("value", ["soon", "-5m", "0", True, "5 minutes"])
def test_bad_intervals(value: object) -> None:
    with pytest.raises(ValueError):
        parse_interval(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[sources]]\nname = "a"\nurl = "http://a.example/"\ncolour = "red"\n', "unknown key 'sources.0.colour'"),
        ("[storagex]\nurl = 'x'\n", "unknown key 'storagex'"),
        ('[[sources]]\nname = "a"\nurl = "ftp://a.example/"\n', "sources.0.url"),
        ('[[sources]]\nname = "a"\nurl = "http://a.example/"\ninterval = "soon"\n', "sources.0.interval"),
        ('[[sources]]\nname = "a"\nurl = "http://a.example/"\nkind = "atom"\n', "sources.0.kind"),
        ('[[sources]]\nname = "a"\nurl = "http://a/"\n[[sources]]\nname = "a"\nurl = "http://b/"\n', "unique"),
        ("this is not toml", "settings.toml"),
        (
            '[[sources]]\nname = "a"\nurl = "http://a/"\nregion = "交成"\n',
            "sources.0.region: Value error, unknown region",
        ),
        (
            '[[sources]]\nname = "a"\nurl = "http://a/"\nregion = "城区"\n',
            "sources.0.region: Value error, region '城区' is ambiguous",
        ),
    ],
)
def test_bad_settings_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SettingsError) as exc:
        load_settings(write(tmp_path, text))
    assert message in str(exc.value)


def test_a_source_region_is_read_across_china(tmp_path: Path) -> None:
    text = '[[sources]]\nname = "a"\nurl = "http://a/"\nregion = "正蓝旗"\n[[sources]]\nname = "b"\nurl = "http://b/"\nregion = "350102"\n'
    assert [s.region for s in load_settings(write(tmp_path, text)).sources] == ["正蓝旗", "350102"]


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[telegram]\ntoken = "from-file"\n[storage]\nurl = "sqlite:///file.db"\n')
    monkeypatch.setenv("GOVWATCH_TELEGRAM_TOKEN", "from-env")
    monkeypatch.setenv("GOVWATCH_TELEGRAM_BASE_URL", "http://127.0.0.1:9/bot")
    settings = load_settings(path)
    assert settings.telegram.token == "from-env"
    assert settings.telegram.base_url == "http://127.0.0.1:9/bot"
    assert settings.storage.url == "sqlite:///file.db"


def test_cli_start_up_error_is_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, '[[sources]]\nname = "a"\nurl = "not a url"\n')
    assert main(["--config", str(path), "sources"]) == 2
    err = capsys.readouterr().err
    assert "sources.0.url" in err and "Traceback" not in err


def test_missing_settings_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(tmp_path / "nope.toml"), "poll"]) == 2
    assert "no such settings file" in capsys.readouterr().err
