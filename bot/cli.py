"""The `govwatch` command line (placeholder while the skeleton lands)."""


def main() -> int:
    """Entry point of the `govwatch` console script."""
    return 0
