# Regiondörren under gunicorn's aiohttp worker. A trial on your own machine, no .env needed:
#   docker build -t regiondorren .
#   docker run --rm -p 127.0.0.1:3978:3978 -e ALLOW_UNAUTHENTICATED=1 regiondorren
# In production pass MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId instead of
# ALLOW_UNAUTHENTICATED (README, "Docker"). Mount edited data over /app/data to change it without
# a new image; the worker reloads it within DATA_RELOAD_SECONDS. Two workers (WEB_CONCURRENCY=2)
# share conversation state through the store: SQLite in /app/var (mount a volume there to keep
# it across containers), or PostgreSQL with DATABASE_URL for several containers (docs/storage.md).
#
# Behind an agency network that inspects TLS, or without access to pypi.org:
#   docker build --build-arg EXTRA_CA_CERT="$(cat agency-root-ca.pem)" \
#     --build-arg PIP_INDEX_URL=https://pypi.example.internal/simple -t regiondorren .

# Python 3.11, the version requirements.lock is resolved and the tests run with, pinned by digest
# so every build starts from the same image. To move to a newer patch release, look the digest up
# and replace it here:
#   docker buildx imagetools inspect python:3.11-slim --format '{{json .Manifest.Digest}}'
ARG PYTHON_IMAGE=python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7
FROM ${PYTHON_IMAGE}

# An extra root certificate (PEM text), added to the system's trusted ones for pip at build time
# and for the bot's calls to Microsoft at run time; empty: the system's certificates only.
ARG EXTRA_CA_CERT=""
# Where pip finds packages (a mirror or proxy of PyPI).
ARG PIP_INDEX_URL=https://pypi.org/simple

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    LOG_FORMAT=json \
    HOST=0.0.0.0 \
    PORT=3978 \
    WEB_CONCURRENCY=2

RUN if [ -n "$EXTRA_CA_CERT" ]; then \
      printf '%s\n' "$EXTRA_CA_CERT" > /usr/local/share/ca-certificates/extra-ca.crt && update-ca-certificates; \
    fi

WORKDIR /app
# Dependencies first, exactly as locked, so an edit in bot/, dialogs/ or data/ does not
# reinstall them. The app itself runs from /app and needs no install.
COPY requirements.lock ./
RUN pip install --no-deps -r requirements.lock
COPY app.py gunicorn.conf.py ./
COPY bot/ bot/
COPY dialogs/ dialogs/
COPY data/ data/
# Bytecode for the app, as pip wrote it for the packages: PYTHONDONTWRITEBYTECODE (and a
# read-only /app) would otherwise have every worker compile the app's modules at each start
# (about 75 ms of a 0.5 s start-up on the development machine).
RUN python -m compileall -q app.py bot dialogs

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
