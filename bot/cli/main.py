"""The command line: `regiondorren ask ...`, `check-data [DIR]`, `package`, `migrate`, `lexicon`.

`regiondorren` is the console script pyproject.toml installs into .venv/bin; `python -m bot`
runs the same.

The only module that prints; everything else returns values or logs.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TextIO, assert_never

from bot.cli.export import export_posts
from bot.cli.package import (
    DEFAULT_OUTPUT,
    PROJECT_DIR,
    PackageError,
    PackageSettings,
    build_package,
    default_links,
)
from bot.core.answers import Answerer
from bot.core.clock import stockholm_today
from bot.core.commands import Command
from bot.core.intents import (
    AnswerCounties,
    AnswerPerson,
    AskWhichCounty,
    AskWhichPerson,
    Cancel,
    Intent,
    NoData,
    ShowDirectory,
    ShowHelp,
    Thank,
    UnknownPerson,
    answer_for_counties,
    decide,
)
from bot.core.lookup import PersonMatch
from bot.core.messages import LANGUAGES, SWEDISH, join_words, text
from bot.core.recognition import MAX_QUESTION_CHARS, Status
from bot.data.directory import DEFAULT_DATA_DIR, Directory, load_directory
from bot.data.geography import load_geography
from bot.data.validation import DataError
from bot.render.replies import reply_for
from bot.render.summary import JsonValue, answer_record, person_lead
from bot.settings import DEFAULT_ENV_FILE, Settings, SettingsError, read_env_file
from bot.store import Database, MigrationError, StoreError, StoreUnavailable, migrate, open_database

logger = logging.getLogger(__name__)

# Read at most this much of one input line; one character over the answerer's cap so that it
# still sees that the question was cut. The rest of an over-long line is skipped in chunks.
MAX_LINE_CHARS = MAX_QUESTION_CHARS + 1
EXIT_OK = 0
EXIT_DATA_ISSUES = 1
EXIT_WRITE_FAILED = 1
EXIT_STORE_FAILED = 1  # the database could not be reached or a migration failed: retry or fix, then run again
EXIT_BAD_SETTINGS = 2  # what argparse uses for a usage error: the fix is in how it was called
SEPARATOR = "-" * 40
# Exit codes a shell expects: 128 + SIGINT for Ctrl-C; 141 (128 + SIGPIPE) when the reader left.
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


def run() -> int:
    """Run main(), ending quietly when interrupted or when the output pipe closes (| head)."""
    try:
        return main()
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Python would complain again while flushing stdout at exit; point it at devnull (the
        # recipe in the signal module's documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def main(
    argv: Sequence[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = DEFAULT_ENV_FILE,
) -> int:
    """Run the command line; return the exit status. `environ` and `env_file` are the settings
    `package` and `migrate` read (default: the process environment and .env, as the bot reads them)."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    logging.basicConfig(level=logging.WARNING, stream=stderr, format="%(levelname)s %(name)s: %(message)s")
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "check-data":
        return _check_data(Path(args.data_dir), args.lang, stdout)
    if args.command == "lexicon":
        return _lexicon(Path(args.data), stdout)
    if args.command == "export-posts":
        return _export_posts(
            args.output, os.environ if environ is None else environ, env_file, args.lang, (stdout, stderr)
        )
    if args.command == "package":
        return _package(args.output, os.environ if environ is None else environ, env_file, args.lang, stdout, stderr)
    if args.command == "migrate":
        return _migrate(os.environ if environ is None else environ, env_file, args.lang, stdout, stderr)
    return _ask(args, stdin, stdout, stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="regiondorren", description="Regiondörren on the command line.")
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=SWEDISH,
        help="language of the command line's own messages (answers follow the question)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    ask = commands.add_parser("ask", help="answer a question; without one, read questions from stdin")
    ask.add_argument("question", nargs="*", help="the question (quotes optional)")
    ask.add_argument("--json", action="store_true", help="print JSON: one object, or one line per stdin line")
    ask.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="the data folder (default: data/)")
    ask.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=None,
        help="answer as of this date, YYYY-MM-DD (default: today in Sweden)",
    )
    ask.add_argument("--locale", default=None, help="the Teams locale to assume, e.g. en-US")
    check = commands.add_parser("check-data", help="check the data files and print every issue")
    check.add_argument("data_dir", nargs="?", default=str(DEFAULT_DATA_DIR), help="the data folder (default: data/)")
    package = commands.add_parser("package", help="build the Teams app package from the environment and .env")
    package.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"where to write the zip (default: {DEFAULT_OUTPUT.relative_to(PROJECT_DIR)})",
    )
    migrate_command = commands.add_parser(
        "migrate", help="bring the database (STATE_DIR or DATABASE_URL) up to this release's schema"
    )
    export = commands.add_parser("export-posts", help="print the posts published from Teams as YAML for data/")
    export.add_argument("--output", type=Path, default=None, help="write to this file instead of the screen")
    lexicon = commands.add_parser(
        "lexicon", help="rebuild bot/data/lexicon.json (given names, foreign places) from the build packages"
    )
    lexicon.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="the data folder (default: data/)")
    for command in (
        ask,
        check,
        package,
        migrate_command,
        export,
        lexicon,
    ):  # also after it: "regiondorren package --lang en"
        command.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


# --- lexicon -----------------------------------------------------------------------------------


def _lexicon(data_dir: Path, stdout: TextIO) -> int:
    from bot.cli import lexicon  # needs the build-time packages (the `lexicon` extra)
    from bot.data.lexicon import LEXICON_FILE

    lexicon.write(load_geography(data_dir))
    stdout.write(f"wrote {LEXICON_FILE}\n")
    return 0


# --- export-posts ------------------------------------------------------------------------------


def _export_posts(
    output: Path | None,
    environ: Mapping[str, str],
    env_file: Path | None,
    lang: str,
    streams: tuple[TextIO, TextIO],
) -> int:
    stdout, stderr = streams
    try:
        settings = Settings.from_env(environ, env_file)
    except SettingsError as error:
        print(f"regiondorren: {error}", file=stderr)
        return EXIT_BAD_SETTINGS
    try:
        exported = export_posts(settings, stockholm_today())
    except StoreError as error:
        print(text("export_store_failed", lang, error=error), file=stderr)
        return EXIT_WRITE_FAILED
    if output is None:
        stdout.write(exported)
        return EXIT_OK
    try:
        output.write_text(exported, encoding="utf-8")
    except OSError as error:
        print(text("export_write_failed", lang, path=output, reason=error.strerror or error), file=stderr)
        return EXIT_WRITE_FAILED
    print(text("export_written", lang, path=output), file=stdout)
    return EXIT_OK


# --- ask ---------------------------------------------------------------------------------------


def _ask(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    directory = _load_or_report(args.data, args.lang, stderr)
    if directory is None:
        return EXIT_DATA_ISSUES
    answerer = Answerer(directory)
    today = args.today or stockholm_today()
    question = " ".join(args.question)
    if question:
        _print_answer(answerer, question, today, args, stdout)
        return EXIT_OK
    if args.json or not stdin.isatty():
        for number, line in enumerate(read_questions(stdin)):
            if number and not args.json:
                print(SEPARATOR, file=stdout)
            _print_answer(answerer, line, today, args, stdout)
            stdout.flush()
        return EXIT_OK
    return _interactive(answerer, today, args, stdin, stdout)


def _load_or_report(data_dir: Path, lang: str, stderr: TextIO) -> Directory | None:
    try:
        return load_directory(data_dir)
    except DataError as error:
        print(text("cli_data_error", lang, path=data_dir, count=len(error.issues)), file=stderr)
        return None


def _print_answer(answerer: Answerer, question: str, today: dt.date, args: argparse.Namespace, stdout: TextIO) -> None:
    intent = decide(question, answerer, today, args.locale)  # the same decision the Teams bot makes
    if args.json:
        print(json.dumps(intent_record(intent), ensure_ascii=False), file=stdout)
    else:
        print(intent_text(intent), file=stdout)


# --- replies as text and JSON ------------------------------------------------------------------

# The name each conversational command has in --json output ("command": "help"); the commands
# that show the directory are named by their own Command value ("list").
COMMAND_NAMES: dict[type[ShowHelp | Thank | Cancel], Command] = {
    ShowHelp: Command.HELP,
    Thank: Command.THANKS,
    Cancel: Command.CANCEL,
}


def intent_text(intent: Intent) -> str:
    """Return the reply to one message as plain text: what the Teams bot shows, without cards."""
    return reply_for(intent).text


def intent_record(intent: Intent) -> dict[str, JsonValue]:
    """Return the reply as one JSON object.

    County answers and clarifications are exactly the answer's record. A person's answer is the
    record of their counties plus "person" and "lead"; every other reply has status "none", no
    counties, "command" naming the command (or "person": null when no officer has the name), and
    "message", its text.
    """
    record: dict[str, JsonValue] = {
        "status": Status.NONE.value,
        "language": intent.language,
        "counties": [],
        "mentions": [],
        "example_data": False,
        "truncated": False,
    }
    match intent:
        case AnswerCounties(answer=answer) | AskWhichCounty(answer=answer):
            return answer_record(answer)
        case AnswerPerson(answer=answer, person=person):
            return {**answer_record(answer), "person": _person_record(person), "lead": person_lead(person, answer)}
        case ShowHelp() | Thank() | Cancel():
            record["command"] = COMMAND_NAMES[type(intent)].value
        case ShowDirectory(command=command, directory=directory):
            record["command"] = command.value
            # A view of the directory says in its text when it is example data; so does this.
            record["example_data"] = directory.example_data
        case AskWhichPerson(people=people):
            record["status"] = Status.CLARIFY.value
            record["people"] = [_person_record(match) for match in people]
        case UnknownPerson():
            record["person"] = None
        case NoData():
            pass
        case _:
            assert_never(intent)
    record["message"] = intent_text(intent)
    return record


def _person_record(match: PersonMatch) -> dict[str, JsonValue]:
    return {
        "name": match.officer.name,
        "email": match.officer.email,
        "counties": list(match.counties),
        "deputy_for": list(match.deputy_for),
    }


def read_questions(stream: TextIO) -> Iterator[str]:
    """Yield one question per input line, each cut to MAX_LINE_CHARS without reading more."""
    while True:
        line = stream.readline(MAX_LINE_CHARS)
        if not line:
            return
        rest = line
        while rest and not rest.endswith("\n"):  # skip what is left of an over-long line
            rest = stream.readline(MAX_LINE_CHARS)
        yield line.rstrip("\r\n")


def _interactive(answerer: Answerer, today: dt.date, args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    print(text("cli_welcome", args.lang), file=stdout)
    asked: AskWhichCounty | None = None  # the last reply, when it asked "which county?"
    while True:
        question = _prompt(text("cli_prompt", args.lang), stdin, stdout)
        if not question or not question.strip():
            return EXIT_OK
        intent = chosen_county(question, asked, answerer, today) or decide(
            question[:MAX_LINE_CHARS], answerer, today, args.locale
        )
        print(intent_text(intent), file=stdout)
        print(file=stdout)
        asked = intent if isinstance(intent, AskWhichCounty) else None


def chosen_county(
    reply: str, asked: AskWhichCounty | None, answerer: Answerer, today: dt.date
) -> AnswerCounties | None:
    """Answer a reply "2" to "which county?" (`asked`) with that candidate, as the bot's dialog does.

    Return None for anything else: a county's name is a question the bot answers directly anyway.
    """
    if asked is None:
        return None
    candidates = tuple(item.county.code for item in asked.answer.counties)
    words = reply.strip()
    if not words.isdigit() or not 1 <= int(words) <= len(candidates):
        return None
    answer = answer_for_counties(answerer, (candidates[int(words) - 1],), today, asked.language)
    return AnswerCounties(asked.language, answer)


def _prompt(prompt: str, stdin: TextIO, stdout: TextIO) -> str | None:
    try:
        if stdin is sys.stdin and stdout is sys.stdout:
            return input(prompt)  # line editing and history on a terminal
        stdout.write(prompt)
        stdout.flush()
        line = stdin.readline()
        return line.rstrip("\r\n") if line else None
    except (EOFError, KeyboardInterrupt):
        print(file=stdout)
        return None


# --- package -----------------------------------------------------------------------------------


def _package(
    output: Path, environ: Mapping[str, str], env_file: Path | None, lang: str, stdout: TextIO, stderr: TextIO
) -> int:
    """Build the Teams app package from the settings (.env first, the environment wins)."""
    try:
        from_file = read_env_file(env_file) if env_file else {}
        settings = PackageSettings.from_env({**from_file, **environ})
        path = build_package(settings, output)
    except PackageError as error:
        print(text("package_bad_settings", lang, error=error.text(lang)), file=stderr)
        return EXIT_BAD_SETTINGS
    except SettingsError as error:
        print(text("package_bad_settings", lang, error=error), file=stderr)
        return EXIT_BAD_SETTINGS
    except OSError as error:
        print(text("package_write_failed", lang, path=output, reason=error.strerror or error), file=stderr)
        return EXIT_WRITE_FAILED
    print(
        text(
            "package_written",
            lang,
            path=path,
            app=settings.teams_app_id,
            domain=settings.bot_domain,
            version=settings.version,
        ),
        file=stdout,
    )
    if names := default_links(settings):
        print(text("package_default_links", lang, names=join_words(names, lang, "and")), file=stderr)
    return EXIT_OK


# --- migrate -----------------------------------------------------------------------------------


def _migrate(environ: Mapping[str, str], env_file: Path | None, lang: str, stdout: TextIO, stderr: TextIO) -> int:
    """Apply pending migrations to the database the bot's settings name (what start-up does too)."""
    try:
        settings = Settings.from_env(environ, env_file=env_file)
    except SettingsError as error:
        print(text("migrate_bad_settings", lang, error=error), file=stderr)
        return EXIT_BAD_SETTINGS
    database = open_database(settings.state_dir, settings.database_url)
    where = {"backend": database.backend, "location": database.location}
    try:
        version = asyncio.run(_open_and_migrate(database))
    except StoreUnavailable as error:
        print(text("migrate_unreachable", lang, error=error, **where), file=stderr)
        return EXIT_STORE_FAILED
    except MigrationError as error:
        print(text("migrate_failed", lang, error=error), file=stderr)
        return EXIT_STORE_FAILED
    print(text("migrate_done", lang, version=version, **where), file=stdout)
    return EXIT_OK


async def _open_and_migrate(database: Database) -> int:
    await database.open()
    try:
        return await migrate(database)
    finally:
        await database.close()


# --- check-data --------------------------------------------------------------------------------


def _check_data(data_dir: Path, lang: str, stdout: TextIO) -> int:
    if not data_dir.is_dir():
        print(text("no_data_dir", lang, path=data_dir), file=stdout)
        return EXIT_DATA_ISSUES
    try:
        directory = load_directory(data_dir)
    except DataError as error:
        for issue in error.issues:
            print(issue.sentence(lang), file=stdout)
        print(text("check_failed", lang, count=len(error.issues), path=data_dir), file=stdout)
        return EXIT_DATA_ISSUES
    contacts = directory.contacts.values()
    print(
        text(
            "check_ok",
            lang,
            path=data_dir,
            counties=len(directory.geography.counties),
            officers=sum(len(c.officers) for c in contacts),
            vacant=sum(c.vacant for c in contacts),
            dialogues=sum(len(d) for d in directory.dialogues.values()),
        ),
        file=stdout,
    )
    return EXIT_OK
