# Regiondörren under gunicorn's aiohttp worker.
#   docker build -t regiondorren .
#   docker run -p 3978:3978 -e MicrosoftAppId=... -e MicrosoftAppPassword=... -e MicrosoftAppTenantId=... regiondorren
# Mount edited data over /app/data to change it without a new image; the worker reloads it
# within DATA_RELOAD_SECONDS. Two workers (WEB_CONCURRENCY=2) share conversation state through the
# store: SQLite in /app/var (mount a volume there to keep it across containers), or PostgreSQL
# with DATABASE_URL for several containers (docs/storage.md).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LOG_FORMAT=json \
    HOST=0.0.0.0 \
    PORT=3978 \
    WEB_CONCURRENCY=2

WORKDIR /app
# Dependencies first (with the few files pyproject.toml names), so an edit in bot/, dialogs/ or
# data/ does not reinstall them.
COPY pyproject.toml README.md ./
COPY bot/__init__.py bot/
COPY dialogs/__init__.py dialogs/
COPY app.py gunicorn.conf.py ./
RUN pip install '.[serve]' && pip uninstall -y regiondorren
COPY bot/ bot/
COPY dialogs/ dialogs/
COPY data/ data/

RUN useradd --system --uid 10001 --no-create-home regiondorren \
 && mkdir -p /app/var && chown regiondorren /app/var
# The SQLite store (STATE_DIR defaults to /app/var); unused when DATABASE_URL is set.
VOLUME ["/app/var"]
USER regiondorren
EXPOSE 3978
# /healthz is 200 while data is served (also stale data after a rejected edit), 503 when none
# could be loaded; urlopen raises on 503, which marks the container unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['PORT'], timeout=4)"

# gunicorn.conf.py reads HOST, PORT, WEB_CONCURRENCY and LOG_FORMAT; each worker migrates the
# database at start-up (under a lock), or run `python -m bot migrate` before rolling out. Authentication must be on
# (MicrosoftAppId and friends) for anything but a local trial, which needs ALLOW_UNAUTHENTICATED=1:
# on 0.0.0.0 the app refuses to start without authentication otherwise.
CMD ["gunicorn", "app:app_factory"]
