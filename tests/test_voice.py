"""The county channel's core: the words, who may post, the form's rules, posts on the county answer."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot.core.authors import Member, authority, who_may_post
from bot.core.posts import Draft, Post, PostKind, PostState, read_form, with_posts
from bot.core.voice import Voice, VoiceCommand, parse_voice
from bot.data.people import Editor
from tests import factories

TODAY = factories.TODAY


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("ny nyhet", VoiceCommand(Voice.NEW_UPDATE, "sv")),
        ("Ny nyhet!", VoiceCommand(Voice.NEW_UPDATE, "sv")),
        ("new update", VoiceCommand(Voice.NEW_UPDATE, "en")),
        ("ny dialog", VoiceCommand(Voice.NEW_DIALOGUE, "sv")),
        ("New dialogue", VoiceCommand(Voice.NEW_DIALOGUE, "en")),
        ("mina inlägg", VoiceCommand(Voice.MY_POSTS, "sv")),
        ("inlägg Sörmland", VoiceCommand(Voice.COUNTY_POSTS, "sv", place="Sörmland")),
        ("alla inlägg för Sörmland", VoiceCommand(Voice.COUNTY_POSTS, "sv", place="Sörmland")),
        ("Nyheter från Skåne?", VoiceCommand(Voice.COUNTY_POSTS, "sv", place="Skåne")),
        ("posts for Skåne", VoiceCommand(Voice.COUNTY_POSTS, "en", place="Skåne")),
        ("news from Gotland", VoiceCommand(Voice.COUNTY_POSTS, "en", place="Gotland")),
        ("följ Sörmland", VoiceCommand(Voice.FOLLOW, "sv", place="Sörmland")),
        ("FÖLJ sörmland", VoiceCommand(Voice.FOLLOW, "sv", place="sörmland")),
        (
            "följ Sörmland: vi har tre ERUF-projekt i Sörmland",
            VoiceCommand(Voice.FOLLOW, "sv", place="Sörmland", reason="vi har tre ERUF-projekt i Sörmland"),
        ),
        (
            "följ Västra Götaland – vi jobbar där",
            VoiceCommand(Voice.FOLLOW, "sv", place="Västra Götaland", reason="vi jobbar där"),
        ),
        ("follow Skåne", VoiceCommand(Voice.FOLLOW, "en", place="Skåne")),
        ("sluta följa Sörmland", VoiceCommand(Voice.UNFOLLOW, "sv", place="Sörmland")),
        ("unfollow Skåne", VoiceCommand(Voice.UNFOLLOW, "en", place="Skåne")),
        ("vad följer jag?", VoiceCommand(Voice.FOLLOWING, "sv")),
        ("What do I follow?", VoiceCommand(Voice.FOLLOWING, "en")),
        ("vem följer Sörmland?", VoiceCommand(Voice.FOLLOWERS, "sv", place="Sörmland")),
        ("who follows Skåne?", VoiceCommand(Voice.FOLLOWERS, "en", place="Skåne")),
        ("status", VoiceCommand(Voice.STATUS, "sv")),
        ("status 12", VoiceCommand(Voice.STATUS, "sv", post_id=12)),
        ("glöm mig", VoiceCommand(Voice.FORGET_ME, "sv")),
        ("forget me", VoiceCommand(Voice.FORGET_ME, "en")),
        ("vad vet du om mig?", VoiceCommand(Voice.ABOUT_ME, "sv")),
        ("What do you know about me?", VoiceCommand(Voice.ABOUT_ME, "en")),
    ],
)
def test_voice_commands_are_read_in_either_language(said: str, expected: VoiceCommand) -> None:
    assert parse_voice(said) == expected


@pytest.mark.parametrize(
    "said",
    [
        "vem har Sörmland?",
        "jag följer upp Sörmland",  # a question, not a command
        "följ upp Sörmland",
        "follow up on Skåne",
        "glöm det",  # cancel, not forget me
        "följ",
        "status för",
        "status på allt",
        "",
        "   ",
    ],
)
def test_everything_else_is_no_voice_command(said: str) -> None:
    assert parse_voice(said) is None


def test_a_followers_line_is_kept_short() -> None:
    command = parse_voice("följ Sörmland: " + "x" * 1000)
    assert command is not None and len(command.reason) == 200


def member(email: str, upn: str = "") -> Member:
    return Member("29:x", "aad", "Namn", upn, email)


def directory_with_editor():
    return dataclasses.replace(factories.directory(), editors=(Editor("Kim Redaktör", "kim@tillvaxtverket.se"),))


def test_an_officer_and_a_deputy_may_post_for_their_own_counties_only() -> None:
    directory = factories.directory()
    assert authority(member("isabelle.canderskog@tillvaxtverket.se"), directory).counties == ("04",)
    assert authority(member("monika.kval@tillvaxtverket.se"), directory).counties == ("04",)  # deputy
    assert authority(member("PER.PERSSON@tillvaxtverket.se"), directory).counties == ("01", "03", "09")


def test_the_sign_in_name_is_matched_as_well_as_the_email() -> None:
    directory = factories.directory()
    rights = authority(member("", upn="isabelle.canderskog@tillvaxtverket.se"), directory)
    assert rights.may_post_for("04") and not rights.editor


def test_an_editor_may_post_for_every_county_and_see_every_countys_followers() -> None:
    rights = authority(member("kim@tillvaxtverket.se"), directory_with_editor())
    assert rights.editor and rights.counties == ("01", "03", "04", "09")
    assert rights.may_see_followers("09")


def test_anyone_else_may_not_post_and_sees_no_followers() -> None:
    directory = factories.directory()
    for who in (member("anna.andersson@tillvaxtverket.se"), None):
        rights = authority(who, directory)
        assert not rights.may_post and not rights.may_see_followers("04")


def test_the_refusal_names_who_can_post_for_the_county() -> None:
    sentence = who_may_post("04", directory_with_editor(), "sv")
    assert "Isabelle Canderskog, Monika Kväl och Kim Redaktör" in sentence
    assert "Södermanlands län" in sentence


FORM = {"county": "04", "title": "Ny strategi", "text": "Regionen antar\nen ny RUS.", "link": "https://region.se/rus"}


def test_a_good_form_becomes_a_draft_with_the_text_on_one_line() -> None:
    draft = read_form(FORM, PostKind.UPDATE, ("04",), TODAY)
    assert draft == Draft(
        PostKind.UPDATE, "04", "Ny strategi", "Regionen antar en ny RUS.", "https://region.se/rus", None
    )


@pytest.mark.parametrize(
    ("change", "field", "key"),
    [
        ({"title": ""}, "title", "form_missing"),
        ({"title": "  "}, "title", "form_missing"),
        ({"title": "två\nrader"}, "title", "form_one_line"),
        ({"title": "x" * 101}, "title", "form_too_long"),
        ({"text": "x" * 501}, "text", "form_too_long"),
        ({"link": "http://region.se"}, "link", "form_link"),
        ({"link": "https://"}, "link", "form_link"),
        ({"link": "https://region.se/a b"}, "link", "form_link"),
        ({"link": "https://" + "x" * 600}, "link", "form_too_long"),
        ({"county": "14"}, "county", "form_county_not_yours"),
        ({"county": ""}, "county", "form_county_missing"),
    ],
)
def test_each_problem_is_named_for_its_field(change: dict[str, str], field: str, key: str) -> None:
    problems = read_form({**FORM, **change}, PostKind.UPDATE, ("04", "09"), TODAY)
    assert isinstance(problems, tuple)
    assert [(problem.field, problem.key) for problem in problems] == [(field, key)]


@pytest.mark.parametrize(
    ("date", "key"),
    [("", "form_missing"), ("2026-02-30", "form_date"), ("26/11/2026", "form_date"), ("2062-11-26", "form_date_range")],
)
def test_a_dialogue_needs_a_real_date_near_today(date: str, key: str) -> None:
    problems = read_form({**FORM, "date": date}, PostKind.DIALOGUE, ("04",), TODAY)
    assert [(problem.field, problem.key) for problem in problems] == [("date", key)]


def test_a_writer_with_one_county_need_not_choose_it() -> None:
    draft = read_form({**FORM, "county": ""}, PostKind.UPDATE, ("04",), TODAY)
    assert isinstance(draft, Draft) and draft.county == "04"


def post(number: int, kind: PostKind = PostKind.UPDATE, date: dt.date | None = None, state=PostState.PUBLISHED) -> Post:
    published = dt.datetime(2026, 11, 1, tzinfo=dt.UTC) + dt.timedelta(days=number)
    return Post(
        number, kind, "04", f"Titel {number}", "Text", None, date, "29:i", "Isabelle", state, published, published
    )


def test_the_county_answer_gets_the_three_latest_updates_newest_first() -> None:
    answer = factories.answer("04")
    posts = {"04": (*(post(n) for n in range(5)), post(9, state=PostState.WITHDRAWN))}
    [county] = with_posts(answer, posts, TODAY).counties
    assert [item.id for item in county.updates] == [4, 3, 2]


def test_posted_dialogues_merge_with_the_directorys() -> None:
    answer = factories.answer("04")
    posts = {"04": (post(1, PostKind.DIALOGUE, dt.date(2026, 11, 1)), post(2, PostKind.DIALOGUE, dt.date(2026, 12, 1)))}
    [county] = with_posts(answer, posts, TODAY).counties
    assert county.recent[0].title == "Titel 1"  # newer than every past dialogue in the directory
    assert county.upcoming is not None and county.upcoming.title == "Titel 2"  # sooner than 2027-02-03
