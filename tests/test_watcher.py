"""Reloading data/ while the bot runs: bad saves keep the last good data, good saves are picked up.

Real files in tmp_path, the real loader and the real watcher; polls are triggered directly with
`check()` (interval 0) except where the running app's own polling is the point.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shutil
import signal
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import WATCHER_KEY, create_app
from bot.data.directory import DEFAULT_DATA_DIR, Directory, data_version, load_directory
from bot.runtime.live import LiveData
from bot.runtime.watcher import DataWatcher
from tests import teams_activities as teams
from tests.conftest import FIXTURE_DATA, TODAY, ServeBot, StubConnector, test_settings

ISABELLE = "isabelle.canderskog@tillvaxtverket.se"


def replace_in(path: Path, old: str, new: str) -> Callable[[str], str]:
    """Return an edit that replaces `old` (which must occur) with `new`."""

    def edit(text: str) -> str:
        assert old in text, f"{path.name} no longer contains {old!r}"
        return text.replace(old, new, 1)

    return edit


def indent_with_tab(text: str) -> str:
    """Indent the first indented line with a tab, as an editor set to tabs does."""
    lines = text.splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("  "))
    lines[number] = "\t" + lines[number][2:]
    return "".join(lines)


def cut_mid_line(text: str) -> str:
    """Return the first 60 % of the file, ending inside a line: a save caught halfway."""
    cut = len(text) * 6 // 10
    if text[cut - 1] == "\n":
        cut -= 1
    return text[:cut]


FILES = ("counties.yaml", "municipalities.yaml", "areas.yaml", "officers.yaml", "dialogues.yaml")
# (file, edit or None to delete, what one issue in that file must say, or None for "any issue in that file").
BAD_SAVES = [
    *[pytest.param(name, indent_with_tab, None, id=f"{name}-tab-indentation") for name in FILES],
    *[pytest.param(name, lambda text: "", {"problem": "file_empty"}, id=f"{name}-empty") for name in FILES],
    *[pytest.param(name, cut_mid_line, None, id=f"{name}-truncated-write") for name in FILES],
    *[pytest.param(name, None, {"problem": "file_missing"}, id=f"{name}-deleted") for name in FILES],
    # A missing colon is named on its own line, not on the next one where the parser notices.
    pytest.param(
        "counties.yaml", "    letter: D\n", {"line": 4, "problem": "missing_colon"}, id="counties-missing-colon"
    ),
    pytest.param(
        "officers.yaml",
        "        email: isabelle",
        {"line": 10, "problem": "missing_colon"},
        id="officers-missing-colon",
    ),
    pytest.param(
        "dialogues.yaml",
        "{id: d-04-1,",
        {"entry": "dialogue 1", "field": "id", "problem": "missing"},
        id="dialogues-missing-colon",
    ),
    pytest.param(
        "municipalities.yaml",
        '{code: "0480",',
        {"entry": "municipality 1 (Nyköping)", "field": "code", "problem": "missing"},
        id="municipalities-missing-colon",
    ),
    pytest.param(
        "areas.yaml",
        "{name: Bohuslän,",
        {"entry": "province 1", "field": "name", "problem": "missing"},
        id="areas-missing-colon",
    ),
    pytest.param(
        "counties.yaml",
        ('  - code: "08"', '  - code: "04"'),
        {"line": 13, "entry": "county 04", "field": "code", "problem": "code_listed_twice"},
        id="counties-duplicate-county",
    ),
    pytest.param(
        "officers.yaml",
        ('  - county: "08"', '  - county: "04"'),
        {"line": 16, "problem": "county_listed_twice"},
        id="officers-duplicate-county",
    ),
    pytest.param(
        "officers.yaml",
        (ISABELLE, "isabelle.canderskog.tillvaxtverket.se"),
        {"line": 10, "entry": "county 04, officer 1 (Isabelle Canderskog)", "field": "email", "problem": "not_email"},
        id="officers-email-without-at",
    ),
    pytest.param(
        "dialogues.yaml",
        ("2026-09-10", "2026-13-40"),
        {"line": 5, "entry": "dialogue 3 (d-04-3)", "field": "date", "problem": "not_date"},
        id="dialogues-impossible-date",
    ),
    pytest.param(
        "officers.yaml",
        lambda text: text.encode("cp1252"),
        {"line": 7, "problem": "not_utf8"},  # "Länsansvarig"
        id="officers-saved-as-windows-ansi",
    ),
]


def break_file(data_dir: Path, name: str, how: object) -> None:
    """Apply one bad save to data/<name> (an edit returning bytes is written as they are)."""
    path = data_dir / name
    if how is None:
        path.unlink()
        return
    if isinstance(how, str):  # drop the colon after the key that starts `how`
        key, rest = how.split(":", 1)
        how = replace_in(path, how, key + rest)
    elif isinstance(how, tuple):
        how = replace_in(path, *how)
    edited = how(path.read_text(encoding="utf-8"))
    if isinstance(edited, bytes):
        path.write_bytes(edited)
        return
    path.write_text(edited, encoding="utf-8")


def officer_emails(store: LiveData, question: str = "vem har Sörmland?") -> list[str]:
    """Ask the store's answerer and return the officers' e-mails it answers with."""
    answer = store.current.answer(question, TODAY)
    return [officer.email for item in answer.counties for officer in item.contacts.officers]


def good_save(data_dir: Path, new_email: str = "ingrid.nyberg@tillvaxtverket.se") -> None:
    """Save a valid officers.yaml whose Sörmland officer has a new e-mail address."""
    path = data_dir / "officers.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(ISABELLE, new_email), encoding="utf-8")


async def settle(watcher: DataWatcher) -> bool:
    """Poll twice, as two polling intervals would: the first sees the change, the second loads it."""
    await watcher.check()
    return await watcher.check()


@pytest.fixture
async def watched(data_dir: Path) -> tuple[LiveData, DataWatcher]:
    store = LiveData(data_dir)
    assert store.load()
    watcher = DataWatcher(store, interval=0)
    await watcher.start(handle_sighup=False)
    yield store, watcher
    await watcher.stop()


@pytest.mark.parametrize(("name", "how", "expected"), BAD_SAVES)
async def test_bad_save_keeps_last_good_data_names_the_problem_and_next_good_save_is_picked_up(
    watched: tuple[LiveData, DataWatcher], data_dir: Path, name: str, how: object, expected: dict[str, object] | None
) -> None:
    store, watcher = watched
    good = store.snapshot.directory.version
    pristine = (data_dir / name).read_text(encoding="utf-8")

    break_file(data_dir, name, how)
    assert await settle(watcher)

    assert store.snapshot.directory.version == good
    assert officer_emails(store) == [ISABELLE]
    health = store.health().as_dict()
    assert health["status"] == "ok" and health["data_version"] == good
    # The banner's sentence is the first problem's, as check-data prints it, without a count in front.
    assert health["last_error"].startswith(health["issues"][0]["text"]["sv"])
    assert health["last_error_at"] is not None
    files = {issue["file"] for issue in health["issues"]}
    assert f"data/{name}" in files
    if expected is not None:
        assert any(
            issue["file"] == f"data/{name}" and {key: issue[key] for key in expected} == expected
            for issue in health["issues"]
        ), health["issues"]

    (data_dir / name).write_text(pristine, encoding="utf-8")
    good_save(data_dir)
    assert await settle(watcher)

    assert officer_emails(store) == ["ingrid.nyberg@tillvaxtverket.se"]
    health = store.health().as_dict()
    assert health["last_error"] is None and health["issues"] == []


async def test_bad_save_is_logged_with_file_entry_and_field(
    watched: tuple[LiveData, DataWatcher], data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _store, watcher = watched
    break_file(data_dir, "officers.yaml", (ISABELLE, "isabelle.canderskog.tillvaxtverket.se"))
    break_file(data_dir, "dialogues.yaml", ("2026-09-10", "2026-13-40"))

    await settle(watcher)

    errors = [record for record in caplog.records if record.name == "bot.runtime.live" and record.levelname == "ERROR"]
    assert [(r.data_file, r.data_line, r.data_entry, r.data_field) for r in errors] == [
        ("data/officers.yaml", 10, "county 04, officer 1 (Isabelle Canderskog)", "email"),
        ("data/dialogues.yaml", 5, "dialogue 3 (d-04-3)", "date"),
    ]
    assert (
        "data/officers.yaml, line 10, county 04, officer 1 (Isabelle Canderskog): email: "
        "\u201cisabelle.canderskog.tillvaxtverket.se\u201d is not an e-mail address" in errors[0].getMessage()
    )


async def test_half_written_save_is_not_loaded_until_it_holds_still(
    watched: tuple[LiveData, DataWatcher], data_dir: Path
) -> None:
    store, watcher = watched
    path = data_dir / "officers.yaml"
    whole = path.read_text(encoding="utf-8").replace(ISABELLE, "ingrid.nyberg@tillvaxtverket.se")

    path.write_text(whole[: len(whole) // 2], encoding="utf-8")
    assert not await watcher.check()  # changed since the last poll: wait
    path.write_text(whole, encoding="utf-8")
    assert not await watcher.check()  # changed again: still wait
    assert await watcher.check()  # held still for one interval: load

    assert watcher.reloads == 1
    assert officer_emails(store) == ["ingrid.nyberg@tillvaxtverket.se"]
    assert store.health().error is None


async def test_unchanged_files_and_a_failed_version_are_not_loaded_again(
    watched: tuple[LiveData, DataWatcher], data_dir: Path
) -> None:
    _, watcher = watched
    assert not await settle(watcher)
    break_file(data_dir, "officers.yaml", None)
    assert await settle(watcher)

    assert not await settle(watcher)  # the same broken files: logged once, not every poll

    assert watcher.reloads == 1


async def test_resaving_identical_contents_does_not_reload(
    watched: tuple[LiveData, DataWatcher], data_dir: Path
) -> None:
    _, watcher = watched
    path = data_dir / "areas.yaml"
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    os.utime(path, (1, 1))

    assert not await settle(watcher)


async def test_first_good_save_after_a_start_with_broken_data_is_served(data_dir: Path) -> None:
    break_file(data_dir, "officers.yaml", None)
    store = LiveData(data_dir)
    assert not store.load()
    assert store.health().as_dict()["status"] == "unavailable"
    watcher = DataWatcher(store, interval=0)
    await watcher.start(handle_sighup=False)
    try:
        (data_dir / "officers.yaml").write_text(
            (Path(__file__).parent / "fixtures" / "data" / "officers.yaml").read_text(encoding="utf-8"),
            encoding="utf-8",
        )
        assert await settle(watcher)
    finally:
        await watcher.stop()

    assert store.health().as_dict()["status"] == "ok"
    assert officer_emails(store) == [ISABELLE]


async def test_loader_crash_keeps_last_good_data_and_shows_in_health(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    calls = 0

    def loader(path: Path) -> Directory:
        nonlocal calls
        calls += 1
        if calls > 1:
            raise RecursionError("maximum recursion depth exceeded")
        return load_directory(path)

    store = LiveData(data_dir, loader=loader)
    assert store.load()
    watcher = DataWatcher(store, interval=0)
    await watcher.start(handle_sighup=False)
    try:
        good_save(data_dir)
        assert await settle(watcher)
    finally:
        await watcher.stop()

    assert officer_emails(store) == [ISABELLE]
    # The page's banner says it in the page's language, like every data problem.
    assert store.health().as_dict()["last_error_text"] == {
        "sv": "data/: omläsningen misslyckades oväntat (RecursionError), så boten svarar med "
        "förra versionen; kör make check-data och titta i loggen",
        "en": "data/: the reload failed unexpectedly (RecursionError), so the bot answers from "
        "the previous version; run make check-data and look in the log",
    }
    assert any(record.exc_info for record in caplog.records if record.name == "bot.runtime.watcher")


async def test_load_runs_off_the_event_loop(data_dir: Path) -> None:
    loop_ran_during_load = threading.Event()

    def loader(path: Path) -> Directory:
        # Blocks until the event loop sets the flag; if the load ran on the loop, it never could.
        loop_ran_during_load.wait(timeout=5)
        return load_directory(path)

    store = LiveData(data_dir, loader=loader)
    watcher = DataWatcher(store, interval=0)
    await watcher.start(handle_sighup=False)
    try:
        good_save(data_dir)
        await watcher.check()
        reload = asyncio.create_task(watcher.check())
        await asyncio.sleep(0)
        loop_ran_during_load.set()
        assert await reload
    finally:
        await watcher.stop()

    assert officer_emails(store) == ["ingrid.nyberg@tillvaxtverket.se"]


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="SIGHUP exists on Unix only")
async def test_sighup_reloads_even_with_polling_off(data_dir: Path) -> None:
    store = LiveData(data_dir)
    assert store.load()
    watcher = DataWatcher(store, interval=0)
    await watcher.start()
    try:
        good_save(data_dir)
        os.kill(os.getpid(), signal.SIGHUP)
        for _ in range(200):
            await asyncio.sleep(0.01)
            if watcher.reloads:
                break
        await watcher.stop()  # waits for the load the signal started
    finally:
        await watcher.stop()

    assert watcher.reloads == 1
    assert officer_emails(store) == ["ingrid.nyberg@tillvaxtverket.se"]


async def wait_for_health(bot, predicate: Callable[[dict[str, object]], bool]) -> dict[str, object]:
    """Poll /healthz until `predicate` holds (the app's own watcher polls every 20 ms here)."""
    for _ in range(250):
        body = await (await bot.session.get(bot.url + "/healthz")).json()
        if predicate(body):
            return body
        await asyncio.sleep(0.02)
    raise AssertionError(f"/healthz never changed as expected: {body}")


async def test_running_bot_keeps_answering_from_good_data_through_a_bad_save(
    data_dir: Path, connector: StubConnector, serve_bot: ServeBot
) -> None:
    settings = dataclasses.replace(test_settings(data_dir), reload_seconds=0.02)
    bot = await serve_bot(create_app(settings, clock=lambda: TODAY))
    assert bot.app[WATCHER_KEY] is not None
    before = await wait_for_health(bot, lambda body: body["status"] == "ok")
    pristine = (data_dir / "officers.yaml").read_text(encoding="utf-8")

    break_file(data_dir, "officers.yaml", (ISABELLE, "isabelle.canderskog.tillvaxtverket.se"))
    broken = await wait_for_health(bot, lambda body: body["last_error"] is not None)
    await bot.post(teams.personal_message(connector.url, "vem har Sörmland?"))

    assert (await bot.session.get(bot.url + "/healthz")).status == 200
    assert broken["data_version"] == before["data_version"]
    [issue] = broken["issues"]
    assert (issue["file"], issue["line"], issue["entry"], issue["field"], issue["problem"]) == (
        "data/officers.yaml",
        10,
        "county 04, officer 1 (Isabelle Canderskog)",
        "email",
        "not_email",
    )
    assert broken["last_error"] == issue["text"]["sv"]
    assert ISABELLE in str(connector.cards()[-1])

    (data_dir / "officers.yaml").write_text(pristine, encoding="utf-8")
    good_save(data_dir)
    await wait_for_health(
        bot, lambda body: body["last_error"] is None and body["data_version"] != before["data_version"]
    )
    await bot.post(teams.personal_message(connector.url, "vem har Sörmland?"))

    assert "ingrid.nyberg@tillvaxtverket.se" in str(connector.cards()[-1])
    assert ISABELLE not in str(connector.cards()[-1])


async def test_clarify_dialog_in_flight_across_a_reload_is_answered_from_the_new_data(
    data_dir: Path, connector: StubConnector, serve_bot: ServeBot
) -> None:
    # More than three counties: the bot asks which one (recognition.MAX_COUNTIES_ANSWERED_TOGETHER).
    break_file(
        data_dir,
        "areas.yaml",
        ('{name: Norrland, counties: ["25"]}', '{name: Norrland, counties: ["04", "08", "14", "25"]}'),
    )
    settings = dataclasses.replace(test_settings(data_dir), reload_seconds=0.02)
    bot = await serve_bot(create_app(settings, clock=lambda: TODAY))
    conversation = "a:reload-dialog-1"
    before = await wait_for_health(bot, lambda body: body["status"] == "ok")
    await bot.post(teams.personal_message(connector.url, "Vem har Norrland?", conversation_id=conversation))
    [question] = connector.cards()
    assert "Södermanlands län" in str(question) and "Norrbottens län" in str(question)

    good_save(data_dir)
    await wait_for_health(bot, lambda body: body["data_version"] != before["data_version"])
    await bot.post(teams.personal_message(connector.url, "1", conversation_id=conversation))

    answer = connector.cards()[-1]
    assert answer["body"][0]["text"] == "Södermanlands län"
    assert "ingrid.nyberg@tillvaxtverket.se" in str(answer) and ISABELLE not in str(answer)


async def test_polling_survives_a_failed_check(data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    calls = 0

    def flaky_fingerprint(path: Path) -> str:
        nonlocal calls
        calls += 1
        if calls == 2:  # the first poll after start
            raise MemoryError("the hash could not be computed")
        return data_version(path)

    store = LiveData(data_dir)
    assert store.load()
    watcher = DataWatcher(store, interval=0.01, fingerprint=flaky_fingerprint)
    await watcher.start(handle_sighup=False)
    try:
        good_save(data_dir)
        for _ in range(300):
            await asyncio.sleep(0.01)
            if watcher.reloads:
                break
    finally:
        await watcher.stop()  # lets a load in progress finish

    assert watcher.reloads == 1
    assert any("checking" in record.getMessage() and record.exc_info for record in caplog.records)
    assert officer_emails(store) == ["ingrid.nyberg@tillvaxtverket.se"]


GOOD_EMAILS = (ISABELLE, "ingrid.nyberg@tillvaxtverket.se", "sara.holm@tillvaxtverket.se")


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(st.sampled_from(GOOD_EMAILS), st.just("bad"), st.just("check")), max_size=12))
def test_any_sequence_of_saves_and_polls_serves_only_good_data_and_settles_on_the_last_save(
    data_dir: Path, steps: list[str]
) -> None:
    """After any saves (good or bad) and polls, two quiet polls leave the bot on the last save if it
    is good, else on the last good data with the problem reported."""
    pristine = (FIXTURE_DATA / "officers.yaml").read_text(encoding="utf-8")  # data_dir outlives one example

    def save(step: str) -> None:
        email = "no-at-sign.tillvaxtverket.se" if step == "bad" else step
        (data_dir / "officers.yaml").write_text(pristine.replace(ISABELLE, email), encoding="utf-8")

    async def run() -> None:
        save(ISABELLE)
        store = LiveData(data_dir)
        assert store.load()
        watcher = DataWatcher(store, interval=0)
        await watcher.start(handle_sighup=False)
        served = [ISABELLE]
        for step in steps:
            if step == "check":
                await watcher.check()
            else:
                save(step)
            [email] = officer_emails(store)
            assert email in GOOD_EMAILS  # never anything but good data
            served.append(email)
        await settle(watcher)
        await watcher.check()
        await watcher.stop()

        saves = [step for step in steps if step != "check"]
        last = saves[-1] if saves else ISABELLE
        [email] = officer_emails(store)
        if last == "bad":  # the quiet polls changed nothing: still what was served before them
            assert email == served[-1] and store.health().issues[0].field == "email"
        else:
            assert email == last and store.health().error is None

    asyncio.run(run())


def cut_at_line_end(share: float) -> Callable[[str], str]:
    """Return an edit keeping the first `share` of the lines: a save caught halfway at a line end."""

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        return "".join(lines[: int(len(lines) * share)])

    return edit


def keep_first_dialogues(count: int) -> Callable[[str], str]:
    """Return an edit that ends the file just before dialogue number `count + 1` (still valid YAML)."""

    def edit(text: str) -> str:
        starts = [index for index, line in enumerate(text.splitlines(keepends=True)) if line.startswith("  - id:")]
        return "".join(text.splitlines(keepends=True)[: starts[count]])

    return edit


@pytest.fixture
def shipped_data_dir(tmp_path: Path) -> Path:
    """Return a writable copy of the shipped data/ (the reviewer's truncations are of these files)."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


async def ask(bot, connector: StubConnector, question: str) -> str:
    """Ask the running bot one question and return its answer card as text."""
    await bot.post(teams.personal_message(connector.url, question))
    return str(connector.cards()[-1])


@pytest.mark.parametrize(
    ("name", "cut", "entry"),
    [
        pytest.param(
            "municipalities.yaml", cut_at_line_end(0.6), "county_without_municipality", id="municipalities-60%"
        ),
        pytest.param("dialogues.yaml", keep_first_dialogues(39), "lost_entries", id="dialogues-39-of-76"),
    ],
)
async def test_shipped_data_save_cut_at_a_line_end_keeps_answering_from_the_last_good_data(
    shipped_data_dir: Path,
    connector: StubConnector,
    name: str,
    cut: Callable[[str], str],
    entry: str,
    serve_bot: ServeBot,
) -> None:
    settings = dataclasses.replace(test_settings(shipped_data_dir), reload_seconds=0.02)
    bot = await serve_bot(create_app(settings, clock=lambda: TODAY))
    path = shipped_data_dir / name
    before = await wait_for_health(bot, lambda body: body["status"] == "ok")
    cut_text = cut(path.read_text(encoding="utf-8"))
    assert yaml.safe_load(cut_text), "the cut file must still be valid YAML, or this test proves nothing new"
    path.write_text(cut_text, encoding="utf-8")
    broken = await wait_for_health(bot, lambda body: body["last_error"] is not None)

    assert broken["status"] == "ok" and broken["data_version"] == before["data_version"]
    assert any((issue["file"], issue["problem"]) == (f"data/{name}", entry) for issue in broken["issues"]), broken[
        "issues"
    ]
    assert "Norrbottens län" in await ask(bot, connector, "jag ska till Kiruna")
    assert "Värmlands län" in await ask(bot, connector, "vem har Karlstad?")


def drop_county_dialogues(data_dir: Path, county: str) -> None:
    """Save dialogues.yaml without `county`'s dialogues: a big removal made on purpose."""
    path = data_dir / "dialogues.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if f'county: "{county}"' not in line), encoding="utf-8")


def dialogue_counties(store: LiveData) -> list[str]:
    return sorted(county for county, dialogues in store.snapshot.directory.dialogues.items() if dialogues)


async def test_big_removal_is_refused_by_polling_and_served_after_a_reload_is_asked_for(
    watched: tuple[LiveData, DataWatcher], data_dir: Path
) -> None:
    store, watcher = watched
    drop_county_dialogues(data_dir, "04")  # 6 of the fixture's 8 dialogues

    assert await settle(watcher)
    assert dialogue_counties(store) == ["04", "14", "25"]
    [issue] = store.health().issues
    assert issue.file == "data/dialogues.yaml" and "SIGHUP" in issue.sentence()
    assert not await settle(watcher)  # the refused save is not retried every poll

    watcher.request_reload()  # what SIGHUP does
    assert await watcher.check()

    assert dialogue_counties(store) == ["14", "25"]
    assert store.health().issues == ()


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="SIGHUP exists on Unix only")
async def test_sighup_serves_a_big_removal(data_dir: Path) -> None:
    store = LiveData(data_dir)
    assert store.load()
    watcher = DataWatcher(store, interval=0)
    await watcher.start()
    try:
        drop_county_dialogues(data_dir, "04")
        os.kill(os.getpid(), signal.SIGHUP)
        for _ in range(200):
            await asyncio.sleep(0.01)
            if watcher.reloads:
                break
    finally:
        await watcher.stop()  # waits for the load the signal started

    assert dialogue_counties(store) == ["14", "25"]
    assert store.health().issues == ()


async def test_a_fifo_in_place_of_a_data_file_is_a_data_error_and_later_saves_still_load(
    watched: tuple[LiveData, DataWatcher], data_dir: Path
) -> None:
    # Opening a FIFO for reading waits for a writer: the watcher once hung on it for good, so
    # later good saves and SIGHUP were ignored while /healthz kept saying ok.
    store, watcher = watched
    path = data_dir / "officers.yaml"
    pristine = path.read_text(encoding="utf-8")
    path.unlink()
    os.mkfifo(path)
    try:
        assert await asyncio.wait_for(settle(watcher), timeout=10)
    except TimeoutError:
        with open(os.open(path, os.O_WRONLY | os.O_NONBLOCK), "wb"):  # release the blocked reader thread
            pass
        pytest.fail("the watcher blocked on a FIFO")

    health = store.health().as_dict()
    assert health["status"] == "ok" and officer_emails(store) == [ISABELLE]
    assert [issue["problem"] for issue in health["issues"]] == ["not_regular_file"]

    path.unlink()
    path.write_text(pristine, encoding="utf-8")
    good_save(data_dir)
    assert await settle(watcher)
    assert officer_emails(store) == ["ingrid.nyberg@tillvaxtverket.se"]
