"""The Teams app package: settings from the environment, the zip's layout, the manifest against
Microsoft's official schema, and the two icons."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, Draft6Validator, validators
from PIL import Image

from bot.cli.main import main
from bot.cli.package import MANIFEST_DIR, PROJECT_DIR, PackageError, PackageSettings, build_package
from bot.core.answers import Answerer
from bot.core.commands import Command, parse_command
from bot.core.recognition import Status
from bot.data.directory import DEFAULT_DATA_DIR, load_directory

BOT_ID = "0f4c3e2a-1b2c-4d5e-8f90-123456789abc"
TEAMS_APP_ID = "7d1e9b40-3c2a-4f6e-9a1b-0c2d3e4f5a6b"
DOMAIN = "regiondorren.azurewebsites.net"
GOOD_ENV = {"MicrosoftAppId": BOT_ID, "BOT_DOMAIN": DOMAIN}
TODAY = dt.date(2026, 11, 26)
EXPECTED_FILES = {"manifest.json", "color.png", "outline.png", "en.json"}

# `make test` installs the npm package @microsoft/app-manifest here (git-ignored); it ships the
# official schema of every manifest version. MANIFEST_SCHEMA_ROOT points elsewhere if needed.
SCHEMA_ROOT = Path(
    os.environ.get(
        "MANIFEST_SCHEMA_ROOT",
        PROJECT_DIR
        / "build"
        / "npm"
        / "node_modules"
        / "@microsoft"
        / "app-manifest"
        / "build"
        / "json-schemas"
        / "teams",
    )
)
# The Teams schemas declare draft-04 but use draft-06's "const" (for manifestVersion); draft-04
# validators silently ignore it, so add it back or a wrong manifestVersion would pass.
TeamsValidator = validators.extend(Draft4Validator, {"const": Draft6Validator.VALIDATORS["const"]})


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    path = build_package(PackageSettings.from_env(GOOD_ENV), tmp_path_factory.mktemp("pkg") / "regiondorren.zip")
    return zipfile.ZipFile(path)


@pytest.fixture(scope="module")
def manifest(package: zipfile.ZipFile) -> dict:
    return json.loads(package.read("manifest.json"))


def _schema(manifest: dict, name: str) -> dict:
    path = SCHEMA_ROOT / f"v{manifest['manifestVersion']}" / name
    if not path.is_file():
        reason = f"official Teams schema {path} is missing: run `make test` (it installs it with npm)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return json.loads(path.read_text(encoding="utf-8"))


def _errors(document: dict, schema: dict) -> list[str]:
    validator = TeamsValidator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


# --- the manifest against the official schema ---------------------------------------------------


def test_manifest_validates_against_the_official_teams_schema(manifest: dict) -> None:
    assert _errors(manifest, _schema(manifest, "MicrosoftTeams.schema.json")) == []


def test_english_language_file_validates_against_the_official_localization_schema(
    package: zipfile.ZipFile, manifest: dict
) -> None:
    english = json.loads(package.read("en.json"))
    assert _errors(english, _schema(manifest, "MicrosoftTeams.Localization.schema.json")) == []


def test_schema_check_catches_a_broken_manifest(manifest: dict) -> None:
    """Guard against a validator that accepts anything (e.g. a draft that ignores const)."""
    schema = _schema(manifest, "MicrosoftTeams.schema.json")
    broken = {**manifest, "manifestVersion": "1.23", "id": "not-a-guid"}
    errors = _errors(broken, schema)
    assert any(error.startswith("manifestVersion:") for error in errors)
    assert any(error.startswith("id:") for error in errors)


# The newest version "All generally available versions" on learn.microsoft.com/microsoft-365/
# extensibility/schema lists (docs/teams.md); the npm package also ships later, unreleased ones.
NEWEST_RELEASED_MANIFEST = "1.27"


def test_manifest_is_the_newest_released_version(manifest: dict) -> None:
    assert manifest["manifestVersion"] == NEWEST_RELEASED_MANIFEST
    assert manifest["$schema"].endswith(f"/v{manifest['manifestVersion']}/MicrosoftTeams.schema.json")


def test_bot_declares_shared_channels_but_not_private_ones_where_it_could_not_reply(manifest: dict) -> None:
    # "bots can't post messages or Adaptive Cards in private channel conversations" (docs/teams.md)
    assert manifest["supportedChannelTypes"] == ["sharedChannels"]
    assert manifest["supportsChannelFeatures"] == "tier1"


def test_search_command_describes_itself_to_copilot_in_swedish_and_english(
    package: zipfile.ZipFile, manifest: dict
) -> None:
    command = manifest["composeExtensions"][0]["commands"][0]
    english = json.loads(package.read("en.json"))
    for description in (command["semanticDescription"], command["parameters"][0]["semanticDescription"]):
        assert "län" in description and "county" in description  # one field, both languages
    prompts = [prompt["text"] for prompt in command["samplePrompts"]]
    assert len(prompts) >= 3 and any("Sörmland" in prompt for prompt in prompts)
    translated = [english[f"composeExtensions[0].commands[0].samplePrompts[{n}].text"] for n in range(len(prompts))]
    assert all(text and text not in prompts for text in translated)


def test_every_english_key_names_a_string_in_the_manifest(package: zipfile.ZipFile, manifest: dict) -> None:
    """A key like bots[0].commandLists[0].commands[2].title that points nowhere is silently ignored."""
    english = json.loads(package.read("en.json"))
    for key in english:
        if key.startswith("$"):
            continue
        node: object = manifest
        for name, index in re.findall(r"([A-Za-z]+)(?:\[(\d+)\])?", key):
            node = node[name]
            if index:
                node = node[int(index)]
        assert isinstance(node, str) and node, key


# --- what the manifest says --------------------------------------------------------------------


def test_ids_and_domain_come_from_the_environment(manifest: dict) -> None:
    assert manifest["id"] == BOT_ID  # TEAMS_APP_ID unset: the bot id
    assert manifest["bots"][0]["botId"] == BOT_ID
    assert manifest["composeExtensions"][0]["botId"] == BOT_ID
    assert manifest["validDomains"] == [DOMAIN]
    assert "${{" not in json.dumps(manifest)


def test_bot_is_available_in_personal_team_and_group_chat(manifest: dict) -> None:
    assert set(manifest["bots"][0]["scopes"]) == {"personal", "team", "groupChat"}


def test_command_list_offers_help_list_and_an_example_question(manifest: dict) -> None:
    titles = [command["title"] for command in manifest["bots"][0]["commandLists"][0]["commands"]]
    assert titles[:2] == ["hjälp", "lista"]
    assert any(title.endswith("?") for title in titles[2:])


def test_search_command_runs_initially_with_one_text_parameter(manifest: dict) -> None:
    (command,) = manifest["composeExtensions"][0]["commands"]
    assert command["title"] == "Sök län, kommun eller person"
    assert command["type"] == "query"
    assert command["initialRun"] is True
    assert [parameter["name"] for parameter in command["parameters"]] == ["query"]


def test_name_is_swedish_with_an_english_localisation(package: zipfile.ZipFile, manifest: dict) -> None:
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "sv-se"
    assert manifest["name"]["short"] == "Regiondörren"
    assert "länsansvariga" in manifest["description"]["short"]
    languages = {
        language["languageTag"]: language["file"] for language in manifest["localizationInfo"]["additionalLanguages"]
    }
    english = json.loads(package.read(languages["en"]))
    assert "county officer" in english["description.short"]


def test_english_applies_to_every_english_client(manifest: dict) -> None:
    """Teams layers default -> language -> language+region strings, so "en" reaches en-GB too;
    an "en-us" file alone would leave a British English client with the Swedish texts."""
    tags = [language["languageTag"] for language in manifest["localizationInfo"]["additionalLanguages"]]
    assert "en" in tags


@pytest.mark.parametrize(("language", "file"), [("sv", "manifest.json"), ("en", "en.json")])
def test_command_list_is_what_the_bot_understands(
    package: zipfile.ZipFile, manifest: dict, language: str, file: str
) -> None:
    """A colleague who clicks a listed command must get an answer, not "I didn't understand"."""
    commands = manifest["bots"][0]["commandLists"][0]["commands"]
    titles = [command["title"] for command in commands]
    if file != "manifest.json":
        strings = json.loads(package.read(file))
        titles = [strings[f"bots[0].commandLists[0].commands[{number}].title"] for number in range(len(commands))]
    parsed = [parse_command(title) for title in titles]
    assert [p.command if p else None for p in parsed[:2]] == [Command.HELP, Command.LIST]
    assert all(p.language == language for p in parsed[:2] if p)
    answer = Answerer(load_directory(DEFAULT_DATA_DIR)).answer(titles[2], TODAY)
    assert answer.status is Status.ANSWER and answer.language == language and answer.counties


def test_privacy_and_terms_urls_are_configurable(tmp_path: Path) -> None:
    env = {
        **GOOD_ENV,
        "PRIVACY_URL": "https://intranet.example.se/integritet",
        "TERMS_URL": "https://intranet.example.se/villkor",
        "TEAMS_APP_ID": TEAMS_APP_ID,
    }
    with zipfile.ZipFile(build_package(PackageSettings.from_env(env), tmp_path / "app.zip")) as archive:
        developer = json.loads(archive.read("manifest.json"))["developer"]
        app_id = json.loads(archive.read("manifest.json"))["id"]
    assert developer["privacyUrl"] == "https://intranet.example.se/integritet"
    assert developer["termsOfUseUrl"] == "https://intranet.example.se/villkor"
    assert app_id == TEAMS_APP_ID


# --- settings errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"BOT_DOMAIN": DOMAIN}, "MicrosoftAppId is missing"),
        ({"MicrosoftAppId": "  ", "BOT_DOMAIN": DOMAIN}, "MicrosoftAppId is missing"),
        ({"MicrosoftAppId": "regiondorren-bot", "BOT_DOMAIN": DOMAIN}, "MicrosoftAppId is not a GUID"),
        ({"MicrosoftAppId": BOT_ID + "0", "BOT_DOMAIN": DOMAIN}, "MicrosoftAppId is not a GUID"),
        ({"MicrosoftAppId": BOT_ID}, "BOT_DOMAIN is missing"),
        ({**GOOD_ENV, "BOT_DOMAIN": f"https://{DOMAIN}/api/messages"}, "BOT_DOMAIN is not a bare host name"),
        ({**GOOD_ENV, "BOT_DOMAIN": f"{DOMAIN}:3978"}, "BOT_DOMAIN is not a bare host name"),
        ({**GOOD_ENV, "TEAMS_APP_ID": "teams-app"}, "TEAMS_APP_ID is not a GUID"),
        ({**GOOD_ENV, "PRIVACY_URL": "http://example.se/privacy"}, "PRIVACY_URL must be an https:// address"),
        ({**GOOD_ENV, "APP_VERSION": "2"}, "APP_VERSION must look like 1.2.3"),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(PackageError) as caught:
        PackageSettings.from_env(env)
    assert str(caught.value).startswith(named)
    assert "\n" not in str(caught.value)


def test_main_returns_2_and_writes_nothing_when_the_app_id_is_missing(tmp_path: Path) -> None:
    output, stdout, stderr = tmp_path / "app.zip", io.StringIO(), io.StringIO()
    assert (
        main(
            ["--lang", "en", "package", "--output", str(output)],
            environ={"BOT_DOMAIN": DOMAIN},
            stdout=stdout,
            stderr=stderr,
            env_file=None,
        )
        == 2
    )
    assert not output.exists()
    assert stdout.getvalue() == ""
    assert stderr.getvalue() == (
        "Cannot build the Teams package: MicrosoftAppId is missing: "
        "set it to the bot's Microsoft App ID from its Azure Bot resource\n"
    )


def test_settings_come_from_dot_env_like_the_bots_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"MicrosoftAppId={BOT_ID}\nBOT_DOMAIN=old.example.se\n", encoding="utf-8")
    output, stdout = tmp_path / "app.zip", io.StringIO()
    assert (
        main(
            ["--lang", "en", "package", "--output", str(output)],
            environ={"BOT_DOMAIN": DOMAIN},
            stdout=stdout,
            stderr=io.StringIO(),
            env_file=env_file,
        )
        == 0
    )
    with zipfile.ZipFile(output) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert (manifest["id"], manifest["validDomains"]) == (BOT_ID, [DOMAIN])


def test_a_broken_dot_env_is_one_line_too(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("this is not a setting\n", encoding="utf-8")
    stderr = io.StringIO()
    assert (
        main(
            ["--lang", "en", "package", "--output", str(tmp_path / "app.zip")],
            environ=GOOD_ENV,
            stdout=io.StringIO(),
            stderr=stderr,
            env_file=env_file,
        )
        == 2
    )
    assert stderr.getvalue().count("\n") == 1 and "line 1 is not KEY=VALUE" in stderr.getvalue()


COMMANDS = pytest.mark.parametrize("command", [["-m", "bot", "package"]])


@pytest.mark.slow
@COMMANDS
def test_python_dash_m_fails_with_one_line_and_no_traceback(tmp_path: Path, command: list[str]) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("MicrosoftAppId", "TEAMS_APP_ID")}
    env.update({"MicrosoftAppId": "not-a-guid", "BOT_DOMAIN": DOMAIN})
    result = subprocess.run(
        [sys.executable, *command, "--lang", "en", "--output", str(tmp_path / "app.zip")],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Cannot build the Teams package: MicrosoftAppId is not a GUID (like 00000000-0000-0000-0000-000000000000): "
        "set it to the bot's Microsoft App ID from its Azure Bot resource"
    ]


@pytest.mark.slow
@COMMANDS
def test_python_dash_m_builds_the_zip(tmp_path: Path, command: list[str]) -> None:
    env = {**os.environ, **GOOD_ENV}
    env.pop("TEAMS_APP_ID", None)
    output = tmp_path / "out" / "regiondorren.zip"
    result = subprocess.run(
        [sys.executable, *command, "--lang", "en", "--output", str(output)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert zipfile.is_zipfile(output)
    assert result.stdout.startswith(f"Wrote {output} (app {BOT_ID}, domain {DOMAIN}")


def test_messages_are_swedish_by_default(tmp_path: Path) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    assert (
        main(
            ["package", "--output", str(tmp_path / "app.zip")],
            stdout=stdout,
            stderr=stderr,
            environ={"BOT_DOMAIN": DOMAIN},
            env_file=None,
        )
        == 2
    )
    assert stderr.getvalue().startswith("Jag kan inte bygga Teams-paketet: MicrosoftAppId saknas")
    assert (
        main(
            ["package", "--output", str(tmp_path / "app.zip")],
            stdout=stdout,
            stderr=stderr,
            environ=GOOD_ENV,
            env_file=None,
        )
        == 0
    )
    assert stdout.getvalue().startswith(f"Skrev {tmp_path / 'app.zip'} (app {BOT_ID}, domän {DOMAIN}")
    assert "Ladda upp den i Teams" in stdout.getvalue()


def test_a_folder_that_cannot_be_written_exits_1_with_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be", encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    assert (
        main(
            ["--lang", "en", "package", "--output", str(blocker / "app.zip")],
            stdout=stdout,
            stderr=stderr,
            environ=GOOD_ENV,
            env_file=None,
        )
        == 1
    )
    assert stdout.getvalue() == ""
    assert stderr.getvalue().startswith(f"Cannot write the Teams package to {blocker / 'app.zip'}: ")
    assert stderr.getvalue().count("\n") == 1


# --- the zip -----------------------------------------------------------------------------------


def test_zip_holds_manifest_language_file_and_icons_at_its_root(package: zipfile.ZipFile) -> None:
    assert set(package.namelist()) == EXPECTED_FILES
    assert package.testzip() is None


def test_same_settings_build_a_byte_identical_zip(tmp_path: Path) -> None:
    settings = PackageSettings.from_env(GOOD_ENV)
    first = build_package(settings, tmp_path / "a.zip").read_bytes()
    second = build_package(settings, tmp_path / "b.zip").read_bytes()
    assert first == second


def test_a_missing_icon_stops_the_build_and_keeps_the_old_zip(tmp_path: Path) -> None:
    manifest_dir = tmp_path / "manifest"
    manifest_dir.mkdir()
    for name in ("manifest.template.json", "en.json", "color.png"):
        (manifest_dir / name).write_bytes((MANIFEST_DIR / name).read_bytes())
    output = tmp_path / "app.zip"
    output.write_bytes(b"previous package")
    with pytest.raises(PackageError, match=r"outline\.png is missing"):
        build_package(PackageSettings.from_env(GOOD_ENV), output, manifest_dir)
    assert output.read_bytes() == b"previous package"


# --- the icons ---------------------------------------------------------------------------------


def _pixels(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """Return RGBA pixels row by row (Image.getdata is deprecated in Pillow 12)."""
    data = image.convert("RGBA").tobytes()
    return [tuple(data[i : i + 4]) for i in range(0, len(data), 4)]


def _icon(package: zipfile.ZipFile, name: str) -> Image.Image:
    image = Image.open(io.BytesIO(package.read(name)))
    assert image.format == "PNG"
    return image.convert("RGBA")


def test_color_icon_is_192_square_opaque_and_colourful(package: zipfile.ZipFile) -> None:
    image = _icon(package, "color.png")
    assert image.size == (192, 192)
    assert image.getchannel("A").getextrema() == (255, 255)
    assert len(set(_pixels(image))) > 3


def test_outline_icon_is_32_square_white_on_transparent(package: zipfile.ZipFile) -> None:
    image = _icon(package, "outline.png")
    assert image.size == (32, 32)
    pixels = _pixels(image)
    visible = [pixel for pixel in pixels if pixel[3] > 0]
    assert [pixel for pixel in visible if pixel[:3] != (255, 255, 255)] == []
    assert len(visible) < len(pixels) // 2  # mostly transparent background
    assert sum(pixel[3] == 255 for pixel in visible) > 32  # a drawn shape, not a faint smudge
    assert all(pixel[3] == 0 for pixel in pixels[:32])  # the top row is background


def test_drawing_script_reproduces_icons_of_the_right_size_and_kind() -> None:
    sys.path.insert(0, str(MANIFEST_DIR))
    try:
        import draw_icons
    finally:
        sys.path.remove(str(MANIFEST_DIR))
    assert draw_icons.draw_color().size == (192, 192)
    outline = draw_icons.draw_outline()
    assert outline.size == (32, 32)
    assert {pixel[:3] for pixel in _pixels(outline) if pixel[3]} == {(255, 255, 255)}


@pytest.mark.parametrize(
    ("env", "swedish"),
    [
        ({"BOT_DOMAIN": DOMAIN}, "MicrosoftAppId saknas: ange botens Microsoft App ID från dess Azure Bot-resurs"),
        ({"MicrosoftAppId": BOT_ID}, "BOT_DOMAIN saknas"),
        ({**GOOD_ENV, "PRIVACY_URL": "http://example.se/privacy"}, "PRIVACY_URL måste vara en https://-adress"),
        ({**GOOD_ENV, "APP_VERSION": "2"}, "APP_VERSION ska se ut som 1.2.3"),
    ],
)
def test_a_bad_setting_is_said_in_swedish_from_start_to_end(tmp_path: Path, env: dict[str, str], swedish: str) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()

    code = main(
        ["package", "--output", str(tmp_path / "app.zip")], stdout=stdout, stderr=stderr, environ=env, env_file=None
    )

    assert code == 2
    assert stderr.getvalue().startswith(f"Jag kan inte bygga Teams-paketet: {swedish}")
    assert not any(word in stderr.getvalue() for word in (" is ", " must ", "set it"))


def test_default_privacy_and_terms_links_are_warned_about_in_the_users_language(tmp_path: Path) -> None:
    for lang, warning in (
        ("sv", "PRIVACY_URL och TERMS_URL pekar fortfarande på"),
        ("en", "the address in PRIVACY_URL and TERMS_URL"),
    ):
        stdout, stderr = io.StringIO(), io.StringIO()

        code = main(
            ["--lang", lang, "package", "--output", str(tmp_path / "app.zip")],
            stdout=stdout,
            stderr=stderr,
            environ=GOOD_ENV,
            env_file=None,
        )

        assert code == 0
        assert warning in stderr.getvalue()
    own = {**GOOD_ENV, "PRIVACY_URL": "https://example.se/integritet", "TERMS_URL": "https://example.se/villkor"}
    stdout, stderr = io.StringIO(), io.StringIO()
    assert (
        main(
            ["package", "--output", str(tmp_path / "app.zip")], stdout=stdout, stderr=stderr, environ=own, env_file=None
        )
        == 0
    )
    assert stderr.getvalue() == ""
