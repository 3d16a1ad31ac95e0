"""The package as installed elsewhere: a wheel that holds every module and data file, and the container image
(built where a Docker daemon answers; skipped, with the reason, where none does)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "scrapers", "parsers", "storage")


def _source_files() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".tsv", ".txt", ".json"):
                found.add(path.relative_to(ROOT).as_posix())
    return found


def test_the_wheel_holds_every_module_and_data_file(tmp_path: Path) -> None:
    # The build backend (setuptools, from pyproject.toml) comes from the package index, as in `docker build`.
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if done.returncode != 0 and any(w in done.stderr.lower() for w in ("connection", "network", "resolve")):
        pytest.skip(f"the build backend cannot be fetched here: {done.stderr.strip().splitlines()[-1]}")
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("govwatch-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(_source_files() - names)
    assert not missing, f"left out of the wheel: {missing}"
    assert not any(n.startswith(("tests/", "bench/")) for n in names)


def test_the_dockerfile_copies_what_exists_and_runs_unprivileged() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for line in dockerfile.splitlines():
        if line.startswith("COPY") and "--from" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), f"Dockerfile copies {source}, which does not exist"
    assert "\nUSER govwatch" in dockerfile and "requirements-run.lock" in dockerfile
    assert dockerfile.count("FROM ") == 2  # multi-stage


def test_docker_build_succeeds(tmp_path: Path) -> None:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("docker is not installed here")
    info = subprocess.run([docker, "info"], capture_output=True, text=True, timeout=60)
    if info.returncode != 0:
        reason = (info.stderr.strip().splitlines() or ["docker info failed"])[-1]
        pytest.skip(f"no Docker daemon answers here: {reason}")
    tag = "govwatch-test:latest"
    done = subprocess.run([docker, "build", "-t", tag, str(ROOT)], capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    ran = subprocess.run([docker, "run", "--rm", tag, "--help"], capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0 and "govwatch" in ran.stdout
