"""govwatch's HTTP side: health, Prometheus metrics, Atom feeds and CSV, served by `govwatch run` on its loop."""
