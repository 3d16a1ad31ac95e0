"""Test helpers shared across packages: a local HTTP server."""
