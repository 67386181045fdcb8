"""The store's guard against a save caught halfway: a reload that loses a large share of a file's
entries is refused unless it is asked for (SIGHUP, a restart). Real fixture files, the real loader."""

from __future__ import annotations

from pathlib import Path

from bot.data.directory import check_data
from bot.runtime.live import LiveData
from tests.conftest import TODAY


def drop_lines(path: Path, *needles: str) -> None:
    """Save `path` without the lines that contain any of `needles`."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not any(needle in line for needle in needles)), encoding="utf-8")


def vacate(path: Path, *counties: str) -> None:
    """Mark the posts of `counties` vacant in officers.yaml, keeping the file otherwise as it is."""
    text = path.read_text(encoding="utf-8")
    blocks = text.split("  - county: ")
    kept = [blocks[0]]
    for block in blocks[1:]:
        code = block[1:3]
        kept.append(f'"{code}"\n    officers: []\n' if code in counties else block)
    path.write_text("  - county: ".join(kept), encoding="utf-8")


def dialogue_ids(store: LiveData) -> list[str]:
    return [dialogue.id for dialogues in store.snapshot.directory.dialogues.values() for dialogue in dialogues]


def test_a_reload_losing_most_dialogues_keeps_the_last_good_data_and_says_what_to_do(data_dir: Path) -> None:
    store = LiveData(data_dir)
    assert store.load()
    good = store.snapshot.directory.version
    drop_lines(data_dir / "dialogues.yaml", 'county: "04"')

    assert not store.load()

    assert store.snapshot.directory.version == good
    assert "d-04-1" in dialogue_ids(store)
    answer = store.current.answer("vem har Sörmland?", TODAY)
    assert answer.counties[0].contacts.officers[0].name == "Isabelle Canderskog"
    health = store.health().as_dict()
    assert health["status"] == "ok" and health["data_version"] == good
    [issue] = health["issues"]
    assert (issue["file"], issue["problem"]) == ("data/dialogues.yaml", "lost_entries")
    assert issue["text"]["sv"].startswith("data/dialogues.yaml: 6 av 8 dialoger försvann i en och samma sparning")
    assert issue["text"]["en"].startswith("data/dialogues.yaml: 6 of 8 dialogues went in one save")
    assert "SIGHUP" in issue["text"]["sv"] and "check-data" in issue["text"]["sv"]
    assert health["last_error"] == issue["text"]["sv"]  # the banner's sentence, without a count of problems


def test_a_removal_asked_for_is_served_and_check_data_accepts_it(data_dir: Path) -> None:
    store = LiveData(data_dir)
    assert store.load()
    drop_lines(data_dir / "dialogues.yaml", 'county: "04"')
    assert not store.load()

    assert check_data(data_dir) == ()
    assert store.load(accept_big_removal=True)

    assert dialogue_ids(store) == ["d-14-1", "d-25-1"]
    assert store.health().as_dict()["issues"] == []


def test_a_restart_serves_a_smaller_file_without_asking(data_dir: Path) -> None:
    drop_lines(data_dir / "dialogues.yaml", 'county: "04"')
    store = LiveData(data_dir)

    assert store.load()
    assert dialogue_ids(store) == ["d-14-1", "d-25-1"]


def test_removing_a_few_entries_reloads_as_usual(data_dir: Path) -> None:
    store = LiveData(data_dir)
    assert store.load()
    drop_lines(data_dir / "dialogues.yaml", "d-04-1", "d-04-2")

    assert store.load()
    assert "d-04-1" not in dialogue_ids(store)


def test_a_reload_vacating_most_posts_is_refused(data_dir: Path) -> None:
    store = LiveData(data_dir)
    assert store.load()
    vacate(data_dir / "officers.yaml", "04", "14")

    assert not store.load()

    [issue] = store.health().issues
    assert issue.file == "data/officers.yaml"
    assert "2 av 3 län med handläggare försvann" in issue.sentence()


def test_a_reload_losing_many_municipalities_is_refused_even_when_every_county_keeps_one(data_dir: Path) -> None:
    store = LiveData(data_dir)
    assert store.load()
    # Nyköping, Kalmar, Göteborg and Luleå stay: each county keeps its seat.
    drop_lines(data_dir / "municipalities.yaml", "Eskilstuna", "Borgholm", "Vara", "Kiruna")

    assert not store.load()
    [issue] = store.health().issues
    assert issue.file == "data/municipalities.yaml"
    assert "4 of 8 municipalities went" in issue.sentence("en")
