"""Build the Teams app package (build/regiondorren.zip) from manifest/ and the environment.

`python -m bot package` (or `make package`, or `python -m bot.package`) reads the same variables as
the bot (MicrosoftAppId, BOT_DOMAIN, ...: the process environment first, then .env), fills in
manifest/manifest.template.json and zips the manifest, its language file and the two icons at
the zip's root, ready to upload to Teams.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import logging
import os
import re
import sys
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.settings import DEFAULT_ENV_FILE, SettingsError, read_env_file

logger = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parent.parent
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
# Exit status for a configuration error, as argparse uses for a usage error.
EXIT_CONFIG = 2


class PackageError(ValueError):
    """The package cannot be built; the message is one line saying what to fix."""


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
        bot_id = _guid(environ, "MicrosoftAppId", "the bot's Microsoft App ID from its Azure Bot resource")
        teams_app_id = bot_id
        if environ.get("TEAMS_APP_ID", "").strip():
            teams_app_id = _guid(environ, "TEAMS_APP_ID", "the Teams app id (leave it unset to use MicrosoftAppId)")
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
    value = environ.get(name, "").strip()
    if not value:
        raise PackageError(f"{name} is missing: set it to {meaning}")
    if not GUID.match(value):
        raise PackageError(f"{name} is not a GUID (like 00000000-0000-0000-0000-000000000000): set it to {meaning}")
    return value


def _domain(environ: Mapping[str, str]) -> str:
    value = environ.get("BOT_DOMAIN", "").strip()
    example = "regiondorren.azurewebsites.net"
    if not value:
        raise PackageError(f"BOT_DOMAIN is missing: set it to the host name that serves /api/messages, like {example}")
    if not HOST_NAME.match(value):
        raise PackageError(f"BOT_DOMAIN is not a bare host name: write it like {example}, without https://, port or path")
    return value.lower()


def _https_url(environ: Mapping[str, str], name: str, default: str) -> str:
    value = environ.get(name, "").strip()
    if not value:
        return default
    if not value.lower().startswith("https://") or len(value) <= len("https://"):
        raise PackageError(f"{name} must be an https:// address (Teams shows it on the app's page)")
    return value


def _version(environ: Mapping[str, str]) -> str:
    value = environ.get("APP_VERSION", "").strip()
    if not value:
        return _project_version()
    if not SEMVER.match(value):
        raise PackageError("APP_VERSION must look like 1.2.3 (Teams needs a higher version for every update)")
    return value


def _project_version() -> str:
    try:
        return importlib.metadata.version("regiondorren")
    except importlib.metadata.PackageNotFoundError as error:
        raise PackageError("APP_VERSION is missing and the project is not installed: set APP_VERSION=1.0.0") from error


def render_manifest(settings: PackageSettings, manifest_dir: Path = MANIFEST_DIR) -> dict[str, object]:
    """Return the manifest with every ${{PLACEHOLDER}} filled in from `settings`."""
    path = manifest_dir / TEMPLATE_NAME
    try:
        template = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise PackageError(f"{path}: cannot read the manifest template ({error})") from error
    values = settings.placeholders()
    return _fill(template, values, path)


def _fill(node: object, values: Mapping[str, str], path: Path) -> object:
    if isinstance(node, dict):
        return {key: _fill(value, values, path) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(value, values, path) for value in node]
    if not isinstance(node, str):
        return node
    unknown = [name for name in PLACEHOLDER.findall(node) if name not in values]
    if unknown:
        raise PackageError(f"{path}: unknown placeholder ${{{{{unknown[0]}}}}}")
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


def build_package(settings: PackageSettings, output: Path = DEFAULT_OUTPUT,
                  manifest_dir: Path = MANIFEST_DIR) -> Path:
    """Write the app package zip to `output` (replacing it whole) and return its path."""
    manifest = render_manifest(settings, manifest_dir)
    files = package_files(manifest)
    missing = [name for name in files if not (manifest_dir / name).is_file()]
    if missing:
        raise PackageError(f"{manifest_dir / missing[0]} is missing (the manifest refers to it)")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "manifest.json", (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode())
        for name in files:
            _add(archive, name, (manifest_dir / name).read_bytes())
    partial.replace(output)
    return output


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None,
         env_file: Path | None = DEFAULT_ENV_FILE) -> int:
    """Build the package from the environment (and .env, as the bot reads it); print one line and
    return 0, or 2 on bad settings."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    parser = argparse.ArgumentParser(prog="python -m bot package", description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"where to write the zip (default: {DEFAULT_OUTPUT.relative_to(PROJECT_DIR)})")
    args = parser.parse_args(argv)
    try:
        from_file = read_env_file(env_file) if env_file else {}
        settings = PackageSettings.from_env({**from_file, **(os.environ if environ is None else environ)})
        path = build_package(settings, args.output)
    except (PackageError, SettingsError) as error:
        stderr.write(f"Cannot build the Teams package: {error}\n")
        return EXIT_CONFIG
    except OSError as error:
        stderr.write(f"Cannot write the Teams package to {args.output}: {error.strerror or error}\n")
        return EXIT_CONFIG
    logger.info("built %s for app %s", path, settings.teams_app_id)
    stdout.write(f"Wrote {path} (app {settings.teams_app_id}, domain {settings.bot_domain}, "
                 f"version {settings.version}). Upload it in Teams: Apps > Manage your apps > Upload an app.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
