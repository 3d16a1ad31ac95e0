"""Write parsers/data/traditional.txt: the ideographs OpenCC's t2s changes, so start-up needs no OpenCC.

Run after upgrading OpenCC: `.venv/bin/python tools/build_traditional.py`. A test fails while the file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers.normalize import TRADITIONAL_TABLE, opencc_traditional_chars  # noqa: E402

LINE = 80  # characters per line of the table


def main() -> int:
    """Compute the characters from OpenCC and write them, sorted, LINE to a line."""
    import opencc

    chars = sorted(opencc_traditional_chars())
    header = f"# Ideographs OpenCC ({getattr(opencc, '__version__', '?')}) t2s changes; tools/build_traditional.py\n"
    body = "\n".join("".join(chars[i : i + LINE]) for i in range(0, len(chars), LINE))
    target = ROOT / "parsers" / "data" / TRADITIONAL_TABLE
    target.write_text(header + body + "\n", encoding="utf-8")
    print(f"{target.relative_to(ROOT)}: {len(chars)} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
