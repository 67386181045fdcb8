"""End-to-end: the real aiohttp app on a real port, Teams-shaped activities, a stub Bot Connector."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import create_app
from bot.data.validation import DataError, DataIssue
from bot.runtime.live import LiveData
from bot.settings import Settings
from tests import teams_activities as teams
from tests.card_schema import card_buttons, schema_errors
from tests.conftest import RunningBot, ServeBot, StubConnector, test_settings


def _broken_loader(data_dir: Path):
    raise DataError([DataIssue("data/officers.yaml", "file_missing")])


async def test_help_in_personal_chat_replies_with_the_help_card(running_bot: RunningBot, connector: StubConnector):
    response = await running_bot.post(teams.personal_message(connector.url, "hjälp"))

    assert response.status == 201
    [card] = connector.cards()
    assert card["body"][0]["text"] == "Regiondörren"
    assert "Skriv ett län, en kommun eller en ort" in card["body"][1]["text"]
    assert next(a["title"] for a in card_buttons(card)) == "Vem är vår ingång till Sörmland?"
    assert connector.paths == [
        "/v3/conversations/a:1vE3Wq9Kp0Zr8Tn7Ym6Xl5Bk4Jh3Gf2Dd1Ss0Aa9/activities/" + connector.replies[0]["replyToId"]
    ]


async def test_channel_mention_is_stripped_and_reply_goes_to_the_thread(
    running_bot: RunningBot, connector: StubConnector
):
    activity = teams.channel_message(connector.url, "help", locale="en-GB")

    response = await running_bot.post(activity)

    assert response.status == 201
    [card] = connector.cards()
    assert "Name a county, municipality or town" in card["body"][1]["text"]
    [reply] = connector.replies
    assert reply["replyToId"] == activity["id"]
    assert reply["conversation"]["id"] == activity["conversation"]["id"]


async def test_bot_added_to_team_greets_once_with_the_help_card(running_bot: RunningBot, connector: StubConnector):
    await running_bot.post(teams.bot_added_to_team(connector.url))
    await running_bot.post(teams.bot_added_to_team(connector.url))  # Teams retries; greet once

    [card] = connector.cards()
    assert card["body"][0]["text"] == "Regiondörren"


async def test_colleague_joining_the_team_gets_no_greeting(running_bot: RunningBot, connector: StubConnector):
    response = await running_bot.post(teams.user_added_to_team(connector.url))

    assert response.status == 201
    assert connector.replies == []


async def test_healthz_reports_data_version_and_counts(running_bot: RunningBot):
    response = await running_bot.session.get(running_bot.url + "/healthz")

    assert response.status == 200
    body = await response.json()
    assert body["status"] == "ok"
    assert body["data_version"] == "test1234"
    assert body["counties"] == 4
    assert body["officers"] == 3
    assert body["loaded_at"].startswith("2026-11-26T08:00")


async def test_healthz_with_authentication_off_lists_every_issue_of_a_rejected_edit(
    running_bot: RunningBot, loaded_store: LiveData
):
    issue = DataIssue(
        "data/officers.yaml",
        "not_email",
        line=10,
        where=(("county", "04"), ("officer", "1"), ("name", "Isabelle Canderskog")),
        field="email",
        values=(("value", "isabelle(at)tillvaxtverket.se"),),
    )
    other = DataIssue("data/dialogues.yaml", "tab_at_start", line=3)
    loaded_store.fail((issue, other))

    body = await (await running_bot.session.get(running_bot.url + "/healthz")).json()

    swedish = (
        "data/officers.yaml, rad 10, län 04, handläggare 1 (Isabelle Canderskog): email: "
        "\u201disabelle(at)tillvaxtverket.se\u201d är ingen e-postadress; skriv den som "
        "fornamn.efternamn@tillvaxtverket.se"
    )
    english = (
        "data/officers.yaml, line 10, county 04, officer 1 (Isabelle Canderskog): email: "
        "\u201cisabelle(at)tillvaxtverket.se\u201d is not an e-mail address; write it as "
        "firstname.lastname@tillvaxtverket.se"
    )
    # The chat page's banner: the first problem's sentence in the page's language, then how many more.
    assert body["status"] == "ok" and body["last_error"] == f"{swedish} (och 1 fel till)"
    assert body["last_error_text"] == {"sv": f"{swedish} (och 1 fel till)", "en": f"{english} (and 1 more)"}
    assert body["issues"][0] == {
        "file": "data/officers.yaml",
        "line": 10,
        "entry": "county 04, officer 1 (Isabelle Canderskog)",
        "field": "email",
        "problem": "not_email",
        "text": {"sv": swedish, "en": english},
    }
    assert body["issues"][1]["text"]["sv"] == "data/dialogues.yaml, rad 3: en tabb i början av raden; använd mellanslag"


async def test_healthz_is_503_and_questions_get_a_clear_reply_when_no_data_could_be_loaded(
    connector: StubConnector, serve_bot: ServeBot
):
    store = LiveData(Path("/nonexistent"), loader=_broken_loader)
    bot = await serve_bot(create_app(test_settings(), store=store))
    health = await bot.session.get(bot.url + "/healthz")
    assert health.status == 503
    body = await health.json()
    assert body["status"] == "unavailable"
    assert "data/officers.yaml" in body["last_error"]

    await bot.post(teams.personal_message(connector.url, "vem har Sörmland?"))
    [reply] = connector.replies
    assert reply["text"].startswith("Jag kan inte läsa förteckningen just nu.")


async def test_wrong_content_type_is_415(running_bot: RunningBot):
    response = await running_bot.session.post(
        running_bot.url + "/api/messages", data=b"hello", headers={"Content-Type": "text/plain"}
    )

    assert response.status == 415


async def test_malformed_json_is_400(running_bot: RunningBot):
    response = await running_bot.session.post(
        running_bot.url + "/api/messages", data=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status == 400
    assert (await response.json())["error"] == "the body is not valid JSON"


async def test_body_without_activity_type_is_400(running_bot: RunningBot):
    response = await running_bot.post({"text": "hej"})

    assert response.status == 400


async def test_personal_chat_question_gets_the_answer_card(running_bot: RunningBot, connector: StubConnector):
    response = await running_bot.post(teams.personal_message(connector.url, "jag ska till Eskilstuna nästa vecka"))

    assert response.status == 201
    [card] = connector.cards()
    assert schema_errors(card) == []
    assert card["body"][0]["text"] == "Södermanlands län"
    assert "isabelle.canderskog@tillvaxtverket.se" in str(card)
    [reply] = connector.replies
    assert reply["summary"] == "Södermanlands län: Isabelle Canderskog"  # one line for the notification
    assert card["fallbackText"].startswith("Eskilstuna ligger i Södermanlands län.")
    assert reply["conversation"]["id"] == "a:1vE3Wq9Kp0Zr8Tn7Ym6Xl5Bk4Jh3Gf2Dd1Ss0Aa9"
    assert reply["recipient"]["id"] == teams.USER["id"]


async def test_channel_question_with_mention_is_answered_in_the_thread(
    running_bot: RunningBot, connector: StubConnector
):
    activity = teams.channel_message(connector.url, "vem har Gotland?")

    await running_bot.post(activity)

    [card] = connector.cards()
    assert schema_errors(card) == []
    assert card["body"][0]["text"] == "Gotlands län"
    assert connector.paths == [f"/v3/conversations/{activity['conversation']['id']}/activities/{activity['id']}"]


async def test_clarify_over_http_with_a_card_button_press(running_bot: RunningBot, connector: StubConnector):
    await running_bot.post(teams.personal_message(connector.url, "vem har Östersjökusten?"))
    [question] = connector.cards()
    gotland = next(action["data"] for action in card_buttons(question) if action["title"] == "4. Gotlands län")

    await running_bot.post(teams.card_submit(connector.url, gotland))

    answer = connector.cards()[-1]
    assert schema_errors(answer) == []
    assert answer["body"][0]["text"] == "Gotlands län"


async def test_clarify_state_is_kept_per_conversation(running_bot: RunningBot, connector: StubConnector):
    await running_bot.post(teams.personal_message(connector.url, "möte i Ekeby", conversation_id="a:one"))

    await running_bot.post(teams.personal_message(connector.url, "2", conversation_id="a:other"))
    await running_bot.post(teams.personal_message(connector.url, "2", conversation_id="a:one"))

    other, one = connector.cards()[1:]
    assert other["fallbackText"].startswith("Jag hittade inget län")
    assert one["body"][0]["text"] == "Gotlands län"


async def test_unknown_activity_type_is_a_quiet_no_op(running_bot: RunningBot, connector: StubConnector):
    activity = teams.personal_message(connector.url, "x")
    activity["type"] = "somethingNew"

    response = await running_bot.post(activity)

    assert response.status == 201
    assert connector.replies == []


async def test_with_an_app_id_a_request_without_token_is_401_and_gets_no_reply(
    loaded_store: LiveData, connector: StubConnector, serve_bot: ServeBot
):
    settings = Settings.from_env(
        {
            "MicrosoftAppId": "9a1c5e0b-2b7a-4c3e-9d55-0d3f7a1c2b10",
            "MicrosoftAppPassword": "not-used-here",
            "ALLOWED_TENANT_IDS": teams.TENANT_ID,
        },
        env_file=None,
    )
    bot = await serve_bot(create_app(settings, store=loaded_store))
    response = await bot.post(teams.personal_message(connector.url, "vem har Sörmland?"))

    assert response.status == 401
    assert connector.replies == []


@pytest.mark.parametrize("field", [{"entities": "x"}, {"timestamp": "not a date"}, {"from": "someone"}])
async def test_activity_with_a_field_of_the_wrong_type_is_400(
    running_bot: RunningBot, connector: StubConnector, field: dict
):
    activity = {**teams.personal_message(connector.url, "vem har Sörmland?"), **field}

    response = await running_bot.post(activity)

    assert response.status == 400
    assert connector.replies == []
