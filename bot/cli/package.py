"""Build the Teams app package (build/regiondorren.zip) from manifest/ and the settings.

Core: validates the variables it is given (MicrosoftAppId, BOT_DOMAIN, ...), fills in
manifest/manifest.template.json and zips the manifest, its language file and the two icons at
the zip's root, ready to upload to Teams. The command line (`python -m bot package`, `make
package`, `python -m bot.cli.package`) lives in bot/cli/main.py: it reads the environment and .env as
the bot does, and says what happened in the user's language.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.core.messages import ENGLISH, text

logger = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parents[2]
MANIFEST_DIR = PROJECT_DIR / "manifest"
TEMPLATE_NAME = "manifest.template.json"
DEFAULT_OUTPUT = PROJECT_DIR / "build" / "regiondorren.zip"

# The manifest schema's own GUID pattern: Teams rejects an id that does not match it.
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# A bare DNS name (validDomains takes no scheme, path or port): labels of letters, digits, hyphens.
HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$")
# Teams wants a semver app version and refuses an update that does not raise it.
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
# Placeholders in the template look like ${{NAME}} (the Teams Toolkit convention).
PLACEHOLDER = re.compile(r"\$\{\{([A-Z_]+)\}\}")

# Tillväxtverket's public site: a page that exists for every installation. An organisation with
# its own privacy notice or terms for the bot sets PRIVACY_URL / TERMS_URL (the README says so).
DEFAULT_WEBSITE_URL = "https://tillvaxtverket.se"
DEFAULT_PRIVACY_URL = DEFAULT_WEBSITE_URL
DEFAULT_TERMS_URL = DEFAULT_WEBSITE_URL
# Every file in a zip gets this timestamp, so the same inputs build a byte-identical package.
ZIP_TIMESTAMP = (2024, 1, 1, 0, 0, 0)


def default_links(settings: PackageSettings) -> tuple[str, ...]:
    """Name the privacy and terms variables still pointing at the agency's home page."""
    pairs = (
        ("PRIVACY_URL", settings.privacy_url, DEFAULT_PRIVACY_URL),
        ("TERMS_URL", settings.terms_url, DEFAULT_TERMS_URL),
    )
    return tuple(name for name, value, default in pairs if value.rstrip("/") == default.rstrip("/"))


class PackageError(ValueError):
    """The package cannot be built; one line saying what to fix, in either language (`text`).

    `key` names the message in bot.core.messages; `str()` is the English line, for logs.
    """

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(self.text(ENGLISH))

    def text(self, language: str) -> str:
        """Return the message in `language`, with any nested meaning translated too."""
        values = {
            name: text(str(value), language) if name == "meaning" else value for name, value in self.values.items()
        }
        return text(self.key, language, **values)


@dataclass(frozen=True, slots=True)
class PackageSettings:
    """What the manifest needs from the environment, validated."""

    teams_app_id: str
    bot_id: str
    bot_domain: str
    website_url: str
    privacy_url: str
    terms_url: str
    version: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> PackageSettings:
        """Read and check the variables; raise PackageError naming the first bad one."""
        bot_id = _guid(environ, "MicrosoftAppId", "package_meaning_bot_id")
        teams_app_id = bot_id
        if environ.get("TEAMS_APP_ID", "").strip():
            teams_app_id = _guid(environ, "TEAMS_APP_ID", "package_meaning_teams_app_id")
        return cls(
            teams_app_id=teams_app_id.lower(),
            bot_id=bot_id.lower(),
            bot_domain=_domain(environ),
            website_url=_https_url(environ, "WEBSITE_URL", DEFAULT_WEBSITE_URL),
            privacy_url=_https_url(environ, "PRIVACY_URL", DEFAULT_PRIVACY_URL),
            terms_url=_https_url(environ, "TERMS_URL", DEFAULT_TERMS_URL),
            version=_version(environ),
        )

    def placeholders(self) -> dict[str, str]:
        """Return the template's placeholder values by name."""
        return {
            "TEAMS_APP_ID": self.teams_app_id,
            "BOT_ID": self.bot_id,
            "BOT_DOMAIN": self.bot_domain,
            "WEBSITE_URL": self.website_url,
            "PRIVACY_URL": self.privacy_url,
            "TERMS_URL": self.terms_url,
            "APP_VERSION": self.version,
        }


def _guid(environ: Mapping[str, str], name: str, meaning: str) -> str:
    """Return the GUID in variable `name`; `meaning` is the message key that says what it is."""
    value = environ.get(name, "").strip()
    if not value:
        raise PackageError("package_missing", name=name, meaning=meaning)
    if not GUID.match(value):
        raise PackageError("package_not_guid", name=name, meaning=meaning)
    return value


def _domain(environ: Mapping[str, str]) -> str:
    value = environ.get("BOT_DOMAIN", "").strip()
    example = "regiondorren.azurewebsites.net"
    if not value:
        raise PackageError("package_domain_missing", example=example)
    if not HOST_NAME.match(value):
        raise PackageError("package_domain_not_bare", example=example)
    return value.lower()


def _https_url(environ: Mapping[str, str], name: str, default: str) -> str:
    value = environ.get(name, "").strip()
    if not value:
        return default
    if not value.lower().startswith("https://") or len(value) <= len("https://"):
        raise PackageError("package_not_https", name=name)
    return value


def _version(environ: Mapping[str, str]) -> str:
    value = environ.get("APP_VERSION", "").strip()
    if not value:
        return _project_version()
    if not SEMVER.match(value):
        raise PackageError("package_bad_version")
    return value


def _project_version() -> str:
    try:
        return importlib.metadata.version("regiondorren")
    except importlib.metadata.PackageNotFoundError as error:
        raise PackageError("package_no_version") from error


def render_manifest(settings: PackageSettings, manifest_dir: Path = MANIFEST_DIR) -> dict[str, object]:
    """Return the manifest with every ${{PLACEHOLDER}} filled in from `settings`."""
    path = manifest_dir / TEMPLATE_NAME
    try:
        template = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise PackageError("package_template_unreadable", path=path, reason=error) from error
    filled = _fill(template, settings.placeholders(), path)
    if not isinstance(filled, dict):
        raise PackageError("package_template_not_object", path=path)
    return filled


def _fill(node: object, values: Mapping[str, str], path: Path) -> object:
    if isinstance(node, dict):
        return {key: _fill(value, values, path) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(value, values, path) for value in node]
    if not isinstance(node, str):
        return node
    unknown = [name for name in PLACEHOLDER.findall(node) if name not in values]
    if unknown:
        raise PackageError("package_unknown_placeholder", path=path, name=unknown[0])
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], node)


def package_files(manifest: Mapping[str, object]) -> tuple[str, ...]:
    """Return the files the manifest refers to: icons and language files, in a stable order."""
    icons = manifest.get("icons", {})
    names = [icons["color"], icons["outline"]] if isinstance(icons, dict) else []
    localization = manifest.get("localizationInfo", {})
    if isinstance(localization, dict):
        if "defaultLanguageFile" in localization:
            names.append(localization["defaultLanguageFile"])
        for language in localization.get("additionalLanguages", []):
            names.append(language["file"])
    return tuple(dict.fromkeys(str(name) for name in names))


def build_package(settings: PackageSettings, output: Path = DEFAULT_OUTPUT, manifest_dir: Path = MANIFEST_DIR) -> Path:
    """Write the app package zip to `output` (replacing it whole) and return its path."""
    manifest = render_manifest(settings, manifest_dir)
    files = package_files(manifest)
    missing = [name for name in files if not (manifest_dir / name).is_file()]
    if missing:
        raise PackageError("package_file_missing", path=manifest_dir / missing[0])
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "manifest.json", (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode())
        for name in files:
            _add(archive, name, (manifest_dir / name).read_bytes())
    partial.replace(output)
    logger.info("built %s for app %s", output, settings.teams_app_id)
    return output


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)
