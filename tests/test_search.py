"""Search-as-you-type: what a colleague sees in the messaging extension as they type."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.normalisation import folded
from bot.core.recognition import Status
from bot.core.search import MAX_PAGE_SIZE, MatchKind, Searcher, SearchResult, search_answer
from bot.data.directory import DEFAULT_DATA_DIR, load_directory

# Five counties in the format of data/: a vacancy (Jämtland), a deputy (Sörmland), a municipality
# that is also an officer's surname (Berg), and names that start alike (Södertälje, Södermanland).
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "search"


@pytest.fixture(scope="module")
def searcher() -> Searcher:
    return Searcher(load_directory(FIXTURES))


@pytest.fixture(scope="module")
def shipped_searcher() -> Searcher:
    return Searcher(load_directory(DEFAULT_DATA_DIR))


def _found(searcher: Searcher, query: str) -> list[tuple[str, MatchKind, str]]:
    return [(r.county.code, r.kind, r.matched) for r in searcher.search(query).results]


@pytest.mark.parametrize(
    ("query", "code", "kind", "matched"),
    [
        ("sörml", "04", MatchKind.COUNTY, "Sörmland"),
        ("SÖRML", "04", MatchKind.COUNTY, "Sörmland"),
        ("sorml", "04", MatchKind.COUNTY, "Sörmland"),
        ("Södermanlands län", "04", MatchKind.COUNTY, "Södermanlands län"),
        ("region sörmland", "04", MatchKind.COUNTY, "Region Sörmland"),
        ("Sodermanland County", "04", MatchKind.COUNTY, "Sodermanland County"),
        ("Eskilstuna", "04", MatchKind.MUNICIPALITY, "Eskilstuna"),
        ("eskil", "04", MatchKind.MUNICIPALITY, "Eskilstuna"),
        ("Torshälla", "04", MatchKind.PLACE, "Torshälla"),
        ("Canderskog", "04", MatchKind.OFFICER, "Isabelle Canderskog"),
        ("isabelle c", "04", MatchKind.OFFICER, "Isabelle Canderskog"),
        ("Erik Lind", "04", MatchKind.DEPUTY, "Erik Lind"),
        ("gothenburg", "14", MatchKind.MUNICIPALITY, "Gothenburg"),
        ("West Goth", "14", MatchKind.AREA, "West Gothland"),
        ("lulea", "25", MatchKind.MUNICIPALITY, "Luleå"),
        ("  Östersund\t", "23", MatchKind.MUNICIPALITY, "Östersund"),
    ],
)
def test_first_result_names_the_county_and_why(
    searcher: Searcher, query: str, code: str, kind: MatchKind, matched: str
) -> None:
    assert _found(searcher, query)[0] == (code, kind, matched)


@pytest.mark.parametrize(
    ("typo", "code", "matched"),
    [
        ("Eskilstna", "04", "Eskilstuna"),  # a letter left out
        ("Eskillstuna", "04", "Eskilstuna"),  # a letter doubled
        ("Kanderskog", "04", "Isabelle Canderskog"),  # a letter changed
        ("Östersudn", "23", "Östersund"),  # two letters swapped
        ("Norbotten", "25", "Norrbotten"),
    ],
)
def test_one_typo_is_forgiven(searcher: Searcher, typo: str, code: str, matched: str) -> None:
    assert _found(searcher, typo)[0][::2] == (code, matched)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("vem har Sörmland?", [("04", MatchKind.COUNTY, "Södermanlands län")]),
        ("jag ska till Eskilstuna nästa vecka", [("04", MatchKind.MUNICIPALITY, "Eskilstuna")]),
        (
            "Göteborg och Stockholm",
            [("14", MatchKind.MUNICIPALITY, "Göteborg"), ("01", MatchKind.MUNICIPALITY, "Stockholm")],
        ),
        ("D-län", [("04", MatchKind.COUNTY, "Södermanlands län")]),
    ],
)
def test_a_whole_question_in_the_search_box_finds_its_counties(
    searcher: Searcher, question: str, expected: list[tuple[str, MatchKind, str]]
) -> None:
    assert _found(searcher, question) == expected


@pytest.mark.parametrize("query", ["xyzzy", "Oslo", "Kopenhamn", "1234", "?!", "hallå där"])
def test_no_match_is_an_empty_page(searcher: Searcher, query: str) -> None:
    page = searcher.search(query)
    assert page.results == ()
    assert page.total == 0
    assert not page.has_more


@pytest.mark.parametrize("query", ["Bor", "Mora", "Berq"])
def test_short_queries_match_only_as_typed(searcher: Searcher, query: str) -> None:
    """Four letters are too few to guess a typo: "Berq" is not "Berg"."""
    found = _found(searcher, query)
    assert all(
        folded(matched).split()[-1].startswith(folded(query)) or folded(matched).startswith(folded(query))
        for _, _, matched in found
    )
    if query == "Berq":
        assert found == []


def test_every_county_appears_once_with_its_best_reason(searcher: Searcher) -> None:
    """ "Berg" is a municipality in Jämtland and the surname of Västra Götaland's officer."""
    assert _found(searcher, "Berg") == [
        ("23", MatchKind.MUNICIPALITY, "Berg"),
        ("14", MatchKind.OFFICER, "Anna Berg"),
    ]
    codes = [code for code, _, _ in _found(searcher, "Norr")]
    assert len(codes) == len(set(codes))


def test_names_typed_with_diacritics_rank_before_folded_lookalikes(searcher: Searcher) -> None:
    assert [code for code, _, _ in _found(searcher, "Söder")] == ["04", "01"]
    assert _found(searcher, "Söder")[1] == ("01", MatchKind.MUNICIPALITY, "Södertälje")


def test_a_vacant_county_is_still_found_and_says_so(searcher: Searcher) -> None:
    (result,) = searcher.search("Jämtland").results
    assert result.county.code == "23"
    assert result.contacts.vacant


def test_a_result_carries_the_officer_and_office(searcher: Searcher) -> None:
    result = searcher.search("Eskilstuna").results[0]
    assert isinstance(result, SearchResult)
    assert [officer.name for officer in result.contacts.officers] == ["Isabelle Canderskog"]
    assert result.contacts.officers[0].office == "Eskilstuna"
    assert result.county.name == "Södermanlands län"
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.kind = MatchKind.ALL  # type: ignore[misc]


@pytest.mark.parametrize("query", ["", "   ", "\n"])
def test_empty_query_lists_every_county_in_code_order(searcher: Searcher, query: str) -> None:
    page = searcher.search(query, skip=0, count=25)
    assert [r.county.code for r in page.results] == ["01", "04", "14", "23", "25"]
    assert {r.kind for r in page.results} == {MatchKind.ALL}


def test_shipped_data_empty_query_pages_through_all_21_counties(shipped_searcher: Searcher) -> None:
    pages = [shipped_searcher.search("", skip=skip, count=10) for skip in (0, 10, 20)]
    assert [len(page.results) for page in pages] == [10, 10, 1]
    assert [page.has_more for page in pages] == [True, True, False]
    codes = [r.county.code for page in pages for r in page.results]
    assert codes == sorted(codes) and len(codes) == 21 == pages[0].total
    assert codes[0] == "01" and codes[-1] == "25"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("sörml", "04"),
        ("Eskilstuna", "04"),
        ("Visby", "09"),
        ("Kronobreg", "07"),
        ("Göteborg", "14"),
        ("lulea", "25"),
        ("Västerås", "19"),
        ("Upplands-Väsby", "01"),
    ],
)
def test_shipped_data_finds_places_colleagues_type(shipped_searcher: Searcher, query: str, code: str) -> None:
    assert shipped_searcher.search(query).results[0].county.code == code


def test_shipped_data_a_county_named_exactly_is_not_buried_in_an_area_that_starts_with_it(
    shipped_searcher: Searcher,
) -> None:
    # "Stockholm-Mälardalen" (an alias of Mälardalen) starts with "Stockholm": typing the county's
    # name must not also list Uppsala, Sörmland, Örebro and Västmanland.
    assert [r.county.name for r in shipped_searcher.search("Stockholm").results] == ["Stockholms län"]


def test_shipped_data_a_town_named_exactly_drops_areas_that_only_start_with_it(shipped_searcher: Searcher) -> None:
    codes = [r.county.code for r in shipped_searcher.search("Berg").results]  # Berg, Jämtland; not Bergslagen
    assert codes[0] == "23" and {"17", "18", "19", "20"}.isdisjoint(codes)


MALARDALEN = ["01", "03", "04", "18", "19"]


@pytest.mark.parametrize(
    "query", ["Mälardalen", "malardalen", "Stockholm-Mälardalen", "stockholm mälardalen", "Mälardalsregionen"]
)
def test_shipped_data_an_area_typed_in_full_lists_its_counties(shipped_searcher: Searcher, query: str) -> None:
    results = shipped_searcher.search(query).results
    assert sorted(r.county.code for r in results) == MALARDALEN
    assert {r.kind for r in results} == {MatchKind.AREA}


def test_shipped_data_a_half_typed_area_ranks_after_counties_and_towns_that_start_alike(
    shipped_searcher: Searcher,
) -> None:
    # "stock" could be Stockholm or Stockholm-Mälardalen: the county first, the area's other counties after.
    results = shipped_searcher.search("stock").results
    assert results[0].county.name == "Stockholms län"
    assert [r.county.code for r in results[1:]] == ["03", "04", "18", "19"]
    # "Göta": Västra Götaland by its own name before the nine counties of Götaland.
    assert shipped_searcher.search("Göta").results[0].county.code == "14"


def test_paging_past_the_end_is_empty_not_an_error(searcher: Searcher) -> None:
    page = searcher.search("", skip=100, count=10)
    assert page.results == () and page.total == 5


@pytest.mark.parametrize(("skip", "count", "expected"), [(-5, 2, 2), (0, 0, 0), (0, 1000, 5), (3, 10, 2)])
def test_odd_skip_and_count_are_clamped(searcher: Searcher, skip: int, count: int, expected: int) -> None:
    assert len(searcher.search("", skip=skip, count=count).results) == expected


def test_page_size_is_capped_at_what_teams_shows(shipped_searcher: Searcher) -> None:
    assert len(shipped_searcher.search("", count=1000).results) == MAX_PAGE_SIZE - 4  # 21 counties < 25
    assert len(shipped_searcher.search("a", count=1000).results) <= MAX_PAGE_SIZE


def test_huge_query_is_cut_not_choked_on(searcher: Searcher) -> None:
    assert [r.county.code for r in searcher.search("Eskilstuna " + "x" * 100_000).results] == ["04"]
    assert searcher.search("x" * 100_000 + " Eskilstuna").results == ()  # only the first 100 characters count


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_a_page_never_an_error(text: str) -> None:
    page = _HYPOTHESIS_SEARCHER.search(text, skip=0, count=10)
    assert len(page.results) <= 10
    assert len({r.county.code for r in page.results}) == len(page.results)


_HYPOTHESIS_SEARCHER = Searcher(load_directory(FIXTURES))


TODAY = dt.date(2026, 11, 26)


def test_chosen_municipality_becomes_an_answer_that_says_where_it_lies(searcher: Searcher) -> None:
    directory = load_directory(FIXTURES)
    result = searcher.search("Eskilstuna").results[0]
    answer = search_answer(result, directory, TODAY, "sv")
    assert answer.status is Status.ANSWER
    assert [item.county.code for item in answer.counties] == ["04"]
    assert [(m.name, m.kind, m.counties) for m in answer.mentions] == [("Eskilstuna", "municipality", ("04",))]
    assert [d.id for d in answer.counties[0].recent] == ["d-04-1"]  # the county's dialogues come along
    assert answer.example_data is True


@pytest.mark.parametrize("query", ["Sörmland", "Canderskog", "Erik Lind", ""])
def test_chosen_county_or_person_needs_no_place_line(searcher: Searcher, query: str) -> None:
    result = searcher.search(query).results[0]
    answer = search_answer(result, load_directory(FIXTURES), TODAY, "en")
    assert answer.mentions == ()
    assert answer.language == "en"


def test_shipped_data_every_municipality_alias_and_town_leads_to_its_county(shipped_searcher: Searcher) -> None:
    directory = load_directory(DEFAULT_DATA_DIR)
    counties_by_name: dict[str, set[str]] = {}
    for municipality in directory.geography.municipalities:
        for name in (municipality.name, *municipality.aliases, *municipality.places):
            counties_by_name.setdefault(name, set()).add(municipality.county)
    wrong = []
    for name, counties in counties_by_name.items():
        found = [result.county.code for result in shipped_searcher.search(name).results]
        # A town in one county leads to it; one in several (Alby) leads to all of them first.
        if set(found[: len(counties)]) != counties:
            wrong.append((name, sorted(counties), found[:3]))
    assert wrong == []


def test_shipped_data_every_county_name_is_found_from_its_first_three_letters(shipped_searcher: Searcher) -> None:
    directory = load_directory(DEFAULT_DATA_DIR)
    missing = []
    for county in directory.geography.counties:
        for name in (county.name, *county.short_names, *county.english, county.region):
            for length in range(3, len(name) + 1):
                codes = [r.county.code for r in shipped_searcher.search(name[:length], count=MAX_PAGE_SIZE).results]
                if county.code not in codes:
                    missing.append((name[:length], county.code))
    assert missing == []


def test_shipped_data_every_officer_is_found_by_surname(shipped_searcher: Searcher) -> None:
    directory = load_directory(DEFAULT_DATA_DIR)
    missing = []
    for code, contacts in directory.contacts.items():
        for officer in contacts.officers:
            surname = officer.name.split()[-1]
            if code not in [r.county.code for r in shipped_searcher.search(surname, count=MAX_PAGE_SIZE).results]:
                missing.append((surname, code))
    assert missing == []
