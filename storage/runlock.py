"""One `govwatch run` per SQLite file: SQLite is for one process, PostgreSQL for several.

The lock is an exclusive `flock` on `<database>.run.lock`, held while `run` runs and released by the kernel when
the process ends, however it ends; `poll`, `ask` and `figures` never take it, so they still read beside `run`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from storage.engine import is_memory, parse_url
from storage.records import StorageError

__all__ = ["single_run"]


@contextlib.contextmanager
def single_run(url: str) -> Iterator[None]:
    """Hold the run lock of a SQLite database file (nothing for PostgreSQL or memory); StorageError when another
    process holds it."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite" or is_memory(parsed) or not parsed.database:
        yield
        return
    path = Path(parsed.database.removeprefix("file:").split("?")[0]).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".run.lock")
    with open(lock_path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()[:40] or "?"
            raise StorageError(
                f"another govwatch run (pid {holder}) is using {path}: SQLite is for one process "
                "(poll, ask and figures may still read it); to run several, use PostgreSQL"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
