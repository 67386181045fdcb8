"""Settings for the Teams host, read once at start-up from the environment (and an optional .env).

Plain Python: no botbuilder, no aiohttp. A bad or missing variable raises SettingsError with one
line naming it, so `main()` can print that line and stop before anything is built.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.data.directory import DEFAULT_DATA_DIR

# .env beside the project, whatever the working directory; the process environment wins over it.
DEFAULT_ENV_FILE = Path(__file__).resolve().parent.parent / ".env"
# Loopback by default: with authentication off the bot must not be reachable from the network.
DEFAULT_HOST = "127.0.0.1"
# The port the Bot Framework Emulator and every Bot Framework sample expect.
DEFAULT_PORT = 3978
# The app types Azure Bot registrations use (ConfigurationServiceClientCredentialFactory's names).
APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")
# Azure AD application and tenant ids are GUIDs; anything else is a paste error.
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# A host name as RFC 1123 allows it (an IP address is checked separately).
HOST_NAME = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)
# gunicorn's prefix for a Unix socket bind address ("unix:/run/regiondorren.sock").
UNIX_SOCKET_PREFIX = "unix:"
# Host names that always mean this machine; IP addresses are checked with ipaddress instead.
LOOPBACK_NAMES = ("localhost",)
# Single-tenant registrations live in one tenant: by default only that tenant may use the bot.
SINGLE_TENANT_TYPES = ("SingleTenant", "UserAssignedMSI")
# Azure has not created new multi-tenant bots since 31 July 2025 ("Register a bot with Azure"), so a
# tenant id without an app type means a single-tenant registration, not the SDK's MultiTenant default.
DEFAULT_APP_TYPE_WITH_TENANT = "SingleTenant"
DEFAULT_APP_TYPE = "MultiTenant"
# How often data/ is checked for changes when DATA_RELOAD_SECONDS is unset (see bot.runtime.watcher).
DEFAULT_RELOAD_SECONDS = 2.0
# Listening on every interface, the server is still reached on loopback from this machine's browser.
LOOPBACK_FOR_ANY = {"0.0.0.0": "127.0.0.1", "::": "::1"}
# Where the SQLite store keeps its file when DATABASE_URL is unset (git-ignored).
DEFAULT_STATE_DIR = DEFAULT_ENV_FILE.parent / "var"
# The URL schemes libpq accepts for PostgreSQL (the only server database the store speaks).
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
# How long delivered notifications and member look-ups are kept (RETENTION_DAYS): a quarter is
# long enough for an officer to ask how a post went, short enough to keep little about people.
DEFAULT_RETENTION_DAYS = 90
MAX_RETENTION_DAYS = 3650
# Notifications a second (NOTIFY_RATE): Teams allows an app 30 requests a second per tenant; the
# default leaves 5 of them for answering people while a fan-out runs.
DEFAULT_NOTIFY_RATE = 25.0
MAX_NOTIFY_RATE = 30.0
# Processes sending notifications at once (NOTIFY_SENDERS: instances x workers): each keeps to its
# share of NOTIFY_RATE and of Teams' per-conversation limits. More than this is a typing error.
MAX_NOTIFY_SENDERS = 100
# One KEY=VALUE line of a .env file, optionally prefixed with "export ".
ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


class SettingsError(ValueError):
    """A setting is missing or invalid; the message is one line that names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the host needs to start, validated."""

    app_type: str
    app_id: str  # empty: authentication off (Bot Framework Emulator, local tests)
    app_password: str
    app_tenant_id: str
    host: str
    port: int
    data_dir: Path
    # Lower-case tenant GUIDs whose users may read the directory; empty lets every tenant in,
    # which from_env allows only with authentication off (the Emulator, local tests).
    allowed_tenant_ids: tuple[str, ...] = ()
    # ALLOW_UNAUTHENTICATED=1: the operator accepts serving without tokens beyond loopback.
    allow_unauthenticated: bool = False
    reload_seconds: float = DEFAULT_RELOAD_SECONDS  # 0: no polling (SIGHUP still reloads)
    log_questions: bool = False  # LOG_QUESTIONS=1: turn logs include the question text
    # PUBLIC_URL: the bot's own https address (https://regiondorren.example.se), where Teams
    # fetches the cards' map images; "" locally, where the server's own address serves the page.
    public_url: str = ""
    state_dir: Path = DEFAULT_STATE_DIR  # the SQLite file's folder, when database_url is empty
    # postgresql://user:password@host/db: the shared store for several instances. It may hold a
    # password, so it is kept out of repr (and out of every log line and error message).
    database_url: str = field(default="", repr=False)
    retention_days: int = DEFAULT_RETENTION_DAYS  # RETENTION_DAYS: then the bot purges (docs/privacy.md)
    notify_rate: float = DEFAULT_NOTIFY_RATE  # NOTIFY_RATE: notifications sent per second at most, in all
    notify_senders: int = 1  # NOTIFY_SENDERS: processes sharing NOTIFY_RATE (gunicorn.conf.py: its workers)

    @property
    def notify_rate_per_sender(self) -> float:
        """Return the notifications a second this process may send (its share of NOTIFY_RATE)."""
        return self.notify_rate / self.notify_senders

    @property
    def auth_enabled(self) -> bool:
        """Say whether requests must carry a Bot Framework token."""
        return bool(self.app_id)

    @property
    def maps_url(self) -> str:
        """Return the base address the cards' map images are served from, or "" for no maps:
        PUBLIC_URL, or with authentication off (the chat page) the address the server listens on."""
        if self.public_url:
            return self.public_url
        if self.auth_enabled:
            return ""  # Teams fetches card images over HTTPS from a public address only
        host = LOOPBACK_FOR_ANY.get(self.host, self.host)
        return self.url.replace(f"//{self.host}:", f"//{host}:", 1) if host != self.host else self.url

    @property
    def url(self) -> str:
        """Return the base URL the server listens on."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str], env_file: Path | None = DEFAULT_ENV_FILE) -> Settings:
        """Build settings from `environ`, falling back to `env_file` for unset variables."""
        values = {**read_env_file(env_file), **environ} if env_file else dict(environ)

        def get(name: str, default: str = "") -> str:
            return values.get(name, default).strip()

        app_id = _guid_or_empty("MicrosoftAppId", get("MicrosoftAppId"))
        app_password = get("MicrosoftAppPassword")
        tenant_id = _guid_or_empty("MicrosoftAppTenantId", get("MicrosoftAppTenantId"))
        app_type = _app_type(get("MicrosoftAppType") or _default_app_type(tenant_id))
        _check_credentials(app_type, app_id, app_password, tenant_id)
        host = _host(get("HOST", DEFAULT_HOST))
        allow_unauthenticated = _flag("ALLOW_UNAUTHENTICATED", get("ALLOW_UNAUTHENTICATED"))
        _check_exposure(host, app_id, allow_unauthenticated)
        return cls(
            app_type=app_type,
            app_id=app_id,
            app_password=app_password,
            app_tenant_id=tenant_id,
            host=host,
            port=_port(get("PORT", str(DEFAULT_PORT))),
            data_dir=_data_dir(get("DATA_DIR")),
            allowed_tenant_ids=_allowed_tenants(
                get("ALLOWED_TENANT_IDS"), app_type, app_id, tenant_id, type_given=bool(get("MicrosoftAppType"))
            ),
            allow_unauthenticated=allow_unauthenticated,
            reload_seconds=_seconds("DATA_RELOAD_SECONDS", get("DATA_RELOAD_SECONDS", str(DEFAULT_RELOAD_SECONDS))),
            log_questions=_flag("LOG_QUESTIONS", get("LOG_QUESTIONS", "0")),
            public_url=_public_url(get("PUBLIC_URL"), app_id),
            state_dir=_state_dir(get("STATE_DIR")),
            database_url=_database_url(get("DATABASE_URL")),
            retention_days=_retention_days(get("RETENTION_DAYS", str(DEFAULT_RETENTION_DAYS))),
            notify_rate=_notify_rate(get("NOTIFY_RATE", str(DEFAULT_NOTIFY_RATE))),
            notify_senders=_notify_senders(get("NOTIFY_SENDERS", "1")),
        )


def read_env_file(path: Path) -> dict[str, str]:
    """Read KEY=VALUE lines from a .env file; a missing file is simply empty."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot be read ({error.__class__.__name__})") from error
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = ENV_LINE.match(line)
        if not match:
            raise SettingsError(f"{path}: line {number} is not KEY=VALUE")
        values[match.group(1)] = _unquote(match.group(2))
    return values


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _app_type(value: str) -> str:
    for app_type in APP_TYPES:
        if value.lower() == app_type.lower():
            return app_type
    raise SettingsError(f"MicrosoftAppType must be one of {', '.join(APP_TYPES)} (got {value!r})")


def _default_app_type(tenant_id: str) -> str:
    return DEFAULT_APP_TYPE_WITH_TENANT if tenant_id else DEFAULT_APP_TYPE


def _guid_or_empty(name: str, value: str) -> str:
    if value and not GUID.match(value):
        raise SettingsError(f"{name} must be a GUID like 00000000-0000-0000-0000-000000000000")
    return value


def _check_credentials(app_type: str, app_id: str, app_password: str, tenant_id: str) -> None:
    if app_password and not app_id:
        raise SettingsError("MicrosoftAppId is missing (MicrosoftAppPassword is set without it)")
    if app_type == "MultiTenant" and app_id and not app_password:
        raise SettingsError("MicrosoftAppPassword is missing (needed with MicrosoftAppId)")
    if app_type == "SingleTenant":
        for name, value in (
            ("MicrosoftAppId", app_id),
            ("MicrosoftAppPassword", app_password),
            ("MicrosoftAppTenantId", tenant_id),
        ):
            if not value:
                raise SettingsError(f"{name} is missing (needed when MicrosoftAppType is SingleTenant)")
    if app_type == "UserAssignedMSI":
        for name, value in (("MicrosoftAppId", app_id), ("MicrosoftAppTenantId", tenant_id)):
            if not value:
                raise SettingsError(f"{name} is missing (needed when MicrosoftAppType is UserAssignedMSI)")


def _host(value: str) -> str:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        if not HOST_NAME.match(value):
            raise SettingsError(f"HOST must be an IP address or host name (got {value!r})") from None
    return value


def is_loopback(host: str) -> bool:
    """Say whether `host` is reachable only from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name may resolve anywhere


def _check_exposure(host: str, app_id: str, allow_unauthenticated: bool, where: str = "HOST") -> None:
    if app_id or allow_unauthenticated or is_loopback(host):
        return
    raise SettingsError(
        f"{where} {host} is not loopback and authentication is off (no MicrosoftAppId); "
        "set MicrosoftAppId, or ALLOW_UNAUTHENTICATED=1 to serve without authentication anyway"
    )


def check_bind(addresses: Iterable[str], settings: Settings) -> None:
    """Refuse gunicorn bind addresses beyond loopback with authentication off, as HOST is refused."""
    for address in addresses:
        if address.startswith(UNIX_SOCKET_PREFIX):
            continue  # a socket file: only this machine can open it
        _check_exposure(
            bind_host(address), settings.app_id, settings.allow_unauthenticated, where=f"gunicorn bind {address}:"
        )


def bind_host(address: str) -> str:
    """Return the host of a gunicorn bind address: "0.0.0.0:80" -> "0.0.0.0", "[::1]:80" -> "::1"."""
    if address.startswith("["):
        return address[1:].partition("]")[0]
    if address.count(":") > 1:
        return address  # a bare IPv6 address, no port
    return address.partition(":")[0]  # "" (":80", every interface) is not loopback


def _allowed_tenants(value: str, app_type: str, app_id: str, tenant_id: str, *, type_given: bool) -> tuple[str, ...]:
    tenants = tuple(entry.strip().lower() for entry in value.split(",") if entry.strip())
    for number, tenant in enumerate(tenants, start=1):
        if not GUID.match(tenant):
            raise SettingsError(f"ALLOWED_TENANT_IDS entry {number} ({tenant!r}) is not a tenant id (a GUID)")
    if tenants:
        return tenants
    if app_type in SINGLE_TENANT_TYPES and tenant_id:
        return (tenant_id.lower(),)
    if app_id and type_given:
        raise SettingsError(
            "ALLOWED_TENANT_IDS is missing (needed with a MultiTenant MicrosoftAppId, "
            "so that only your own tenant can read the directory)"
        )
    if app_id:
        raise SettingsError(
            "MicrosoftAppTenantId is missing: new Azure bots are single-tenant, so set it to the bot's "
            "tenant (MicrosoftAppType then defaults to SingleTenant); only a MultiTenant bot made before "
            "August 2025 goes without it, and then ALLOWED_TENANT_IDS must list the tenants that may read the directory"
        )
    return ()


def _public_url(value: str, app_id: str) -> str:
    if not value:
        return ""
    url = value.rstrip("/")
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].rsplit(":", 1)[0]
    if scheme not in ("https", "http") or not HOST_NAME.match(host or "-"):
        raise SettingsError(
            f"PUBLIC_URL must be the bot's address, like https://regiondorren.example.se (got {value!r})"
        )
    if scheme != "https" and app_id:
        raise SettingsError("PUBLIC_URL must start with https:// (Teams fetches card images over HTTPS only)")
    return url


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise SettingsError(f"PORT must be a number from 1 to 65535 (got {value!r})")
    return int(value)


def _data_dir(value: str) -> Path:
    if not value:
        return DEFAULT_DATA_DIR
    path = Path(value).expanduser()
    if not path.is_absolute():
        # Relative to the project, not the working directory, so `make run` and a service agree.
        path = DEFAULT_ENV_FILE.parent / path
    if not path.is_dir():
        raise SettingsError(f"DATA_DIR {value!r} is not a directory")
    return path


def _state_dir(value: str) -> Path:
    """Return STATE_DIR (relative to the project), which must be, or be creatable as, a writable folder."""
    path = Path(value).expanduser() if value else DEFAULT_STATE_DIR
    if not path.is_absolute():
        path = DEFAULT_ENV_FILE.parent / path
    if path.exists() and not path.is_dir():
        raise SettingsError(f"STATE_DIR {value!r} is not a directory")
    existing = next(parent for parent in (path, *path.parents) if parent.exists())
    if not os.access(existing, os.W_OK | os.X_OK):
        raise SettingsError(f"STATE_DIR {str(path)!r} cannot be written ({existing} is not writable)")
    return path


def _database_url(value: str) -> str:
    """Return DATABASE_URL if it names PostgreSQL; never repeat it in the error (it may hold a password)."""
    if value and not value.startswith(POSTGRES_SCHEMES):
        scheme = value.partition("://")[0] if "://" in value else "no scheme"
        raise SettingsError(f"DATABASE_URL must start with postgresql:// (got {scheme})")
    return value


def _retention_days(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_RETENTION_DAYS:
        raise SettingsError(f"RETENTION_DAYS must be a number of days from 1 to {MAX_RETENTION_DAYS} (got {value!r})")
    return int(value)


def _notify_rate(value: str) -> float:
    try:
        rate = float(value)
    except ValueError:
        rate = 0.0
    if not 0 < rate <= MAX_NOTIFY_RATE:
        raise SettingsError(
            f"NOTIFY_RATE must be notifications a second, more than 0 and at most {MAX_NOTIFY_RATE:g} "
            f"(Teams' limit per app and tenant) (got {value!r})"
        )
    return rate


def _notify_senders(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_NOTIFY_SENDERS:
        raise SettingsError(
            f"NOTIFY_SENDERS must be the number of processes sending notifications (instances times "
            f"workers), from 1 to {MAX_NOTIFY_SENDERS} (got {value!r})"
        )
    return int(value)


def _seconds(name: str, value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise SettingsError(f"{name} must be a number of seconds from 0 (off) to 3600 (got {value!r})")
    return seconds


def _flag(name: str, value: str) -> bool:
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("", "0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be 1 or 0 (got {value!r})")
