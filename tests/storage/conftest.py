"""The storage suite runs on both backends through the `store_url` fixture of tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage import Store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated, empty store on the backend under test."""
    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        opened.close()
