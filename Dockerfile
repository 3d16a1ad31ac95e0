# govwatch in a container: `docker build -t govwatch .`, then `docker compose up` (compose.yaml: with PostgreSQL).
# Build stage: a virtual environment with the pinned runtime lock and govwatch itself, no compilers left behind.
FROM python:3.12-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/govwatch
COPY requirements-run.lock /src/requirements-run.lock
RUN /opt/govwatch/bin/pip install -r /src/requirements-run.lock
COPY pyproject.toml README.md /src/
COPY bot /src/bot
COPY parsers /src/parsers
COPY scrapers /src/scrapers
COPY storage /src/storage
RUN /opt/govwatch/bin/pip install --no-deps /src \
    && /opt/govwatch/bin/govwatch --help > /dev/null

# Run stage: the environment only, as an unprivileged user.
FROM python:3.12-slim
RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/govwatch govwatch
COPY --from=build /opt/govwatch /opt/govwatch
COPY settings.toml /etc/govwatch/settings.toml
ENV PATH=/opt/govwatch/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    GOVWATCH_STORAGE_URL=sqlite:////var/lib/govwatch/govwatch.db GOVWATCH_HTTP_LISTEN=0.0.0.0:8080
USER govwatch
WORKDIR /var/lib/govwatch
VOLUME ["/var/lib/govwatch"]
EXPOSE 8080
# /healthz answers 200 while the scheduler runs and the store answers (the slim image has no curl).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=5).status != 200)"
ENTRYPOINT ["govwatch", "--config", "/etc/govwatch/settings.toml"]
CMD ["run"]
