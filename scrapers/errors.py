"""The error value every extractor returns instead of raising."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExtractError:
    """Why a document gave no text, in one line (errors are values, not exceptions)."""

    message: str
