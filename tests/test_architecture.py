"""Guards on the structure of docs/ARCHITECTURE.md: layers point one way, module names are unique, parsers stay pure."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# parsers ← storage ← scrapers ← bot: a package may import only those before it (and itself).
LAYERS = ("parsers", "storage", "scrapers", "bot")
# parsers is pure text → facts: no network, no database, no HTML or PDF machinery.
PARSERS_NEVER_IMPORT = frozenset(
    {"httpx", "sqlalchemy", "psycopg", "socket", "urllib.request", "telegram", "trafilatura", "pdfminer", "lxml",
     "bs4", "apscheduler", "matplotlib", "subprocess", "requests"}
)  # fmt: skip


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module an import statement in the file names (function-level imports included), with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def layer_violations(package: str, paths: list[Path]) -> list[str]:
    """Imports in `paths` (modules of `package`) of a layer above it."""
    allowed = set(LAYERS[: LAYERS.index(package) + 1])
    return [
        f"{path.name}:{line} imports {name}"
        for path in paths
        for line, name in _imports(path)
        if name.split(".")[0] in LAYERS and name.split(".")[0] not in allowed
    ]


@pytest.mark.parametrize("package", LAYERS)
def test_a_layer_imports_no_higher_layer(package: str) -> None:
    assert layer_violations(package, _modules(package)) == []


def test_parsers_do_no_io() -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _modules("parsers")
        for line, name in _imports(path)
        if name in PARSERS_NEVER_IMPORT or name.split(".")[0] in PARSERS_NEVER_IMPORT
    ]
    assert wrong == []


def test_no_module_name_repeats_across_packages() -> None:
    names = Counter(
        path.stem for package in LAYERS for path in _modules(package) if path.stem not in ("__init__", "__main__")
    )
    assert [name for name, n in names.items() if n > 1] == []


def test_the_guard_catches_an_upward_import_even_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "leaky.py"
    module.write_text("import sqlalchemy\n\ndef f():\n    from bot.app import run\n    import scrapers.monitor\n")
    assert layer_violations("storage", [module]) == [
        "leaky.py:4 imports bot.app",
        "leaky.py:5 imports scrapers.monitor",
    ]
    assert layer_violations("bot", [module]) == []
