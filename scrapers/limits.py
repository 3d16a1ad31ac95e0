"""Caps shared by fetching and reading: what one document may weigh."""

from __future__ import annotations

# A response (or a file given to `govwatch parse`) larger than this is cut off while it streams in.
MAX_BODY_BYTES = 20 * 1024 * 1024
