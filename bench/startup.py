"""CLI start-up as a multiple of the venv's bare `python -c pass` (best of 7 runs each), printed by `make bench`.

Aims (issue: "a CLI that answers at once"): `--help` at most 5×, `parse FILE.txt` at most 10×, `ask "/gdp 古交"`
at most 30×. Numbers, not assertions: machines are noisy.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOVWATCH = Path(sys.executable).parent / "govwatch"
SEED = ROOT / "tests" / "fixtures" / "seeds" / "000_8bf610cf3b1391ec.txt"
RUNS = 7
AIMS = {"--help": 5.0, "parse FILE.txt": 10.0, 'ask "/gdp 古交"': 30.0}


def best_of(command: Sequence[str], cwd: Path, runs: int = RUNS) -> float:
    """The fastest wall time of `runs` runs of a command (its output discarded)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    """Time each command and print it beside the bare interpreter."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "settings.toml").write_text(f'[storage]\nurl = "sqlite:///{work / "bench.db"}"\n', encoding="utf-8")
        commands = {
            "--help": [str(GOVWATCH), "--help"],
            "parse FILE.txt": [str(GOVWATCH), "parse", str(SEED)],
            'ask "/gdp 古交"': [str(GOVWATCH), "ask", "/gdp 古交"],
        }
        subprocess.run(commands['ask "/gdp 古交"'], cwd=work, stdout=subprocess.DEVNULL, check=True)  # migrate
        bare = best_of([sys.executable, "-c", "pass"], work)
        print(f"CLI start-up (best of {RUNS}): bare python {bare * 1000:.0f} ms")
        for name, command in commands.items():
            seconds = best_of(command, work)
            ratio = seconds / bare
            verdict = "ok" if ratio <= AIMS[name] else "over"
            aim = f"aim <= {AIMS[name]:.0f}x: {verdict}"
            print(f"  govwatch {name:<16} {seconds * 1000:6.0f} ms = {ratio:5.1f}x  ({aim})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
