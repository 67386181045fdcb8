"""The local chat page in a real browser: Debian's chromium driven by Playwright, against the real
app on a real port with the shipped data/, so what the page shows is what Teams would get.

Skips with the reason where chromium, playwright or the npm renderer is missing (fails under CI,
whose .ci/run installs chromium and whose `make test` installs the renderer)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from app import create_app
from bot.data.directory import DEFAULT_DATA_DIR, load_directory
from bot.render import maps
from bot.web import devchat
from tests.conftest import test_settings

pytestmark = pytest.mark.browser
# Whoever data/officers.yaml names for Sörmland (the example directory or the real one).
SORMLAND_OFFICER = load_directory(DEFAULT_DATA_DIR).contacts["04"].officers[0]

CHROMIUM = Path("/usr/bin/chromium")
# Headless and quiet: no GPU, no QUIC, no first-run or background traffic (CI reaches only package
# registries), no sync; Playwright adds a fresh user-data-dir per test.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path(__file__).resolve().parent.parent / "build" / "chat-page-answer.png"
# The day the README's examples are made on, so the dialogues in the screenshot do not move.
TODAY = dt.date(2026, 11, 26)
# Generous: the first render loads 330 KB of renderer; a real failure waits this long, no test does.
WAIT_MS = 15_000
VIEWPORT = {"width": 900, "height": 1260}


def _missing() -> str | None:
    try:
        import playwright.async_api  # noqa: F401 - only checking that it is there
    except ImportError:
        return "playwright is not installed: run `make test` (it is in the test extra)"
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing: `apt-get install -y chromium` (.ci/run does it)"
    for relative in devchat.VENDOR_FILES.values():
        if not (devchat.NPM_MODULES / relative).is_file():
            return f"{relative} is missing: run `make test` (it installs it with npm)"
    return None


@pytest.fixture(autouse=True)
def browser_parts() -> None:
    """Skip (or fail under CI) with the reason when the browser or the renderer is missing."""
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass
class Chat:
    """One chat page in chromium, with the real app behind it."""

    page: Any  # playwright.async_api.Page (imported lazily so the module loads without playwright)
    url: str
    server: TestServer
    posted: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions (CSP, JS)

    async def ask(self, question: str) -> None:
        """Type `question` and press Enter, as a user would."""
        await self.page.locator("#input").fill(question)
        await self.page.locator("#input").press("Enter")

    async def bot_sends(self, activity: dict[str, Any], activity_id: str | None = None, method: str = "POST") -> str:
        """Send `activity` into this page's conversation through the local connector, as the bot's SDK
        would, and return the id the connector gave it (for bot behaviour the bot has no question for)."""
        conversation = self.posted[0]["conversation"]["id"]
        url = f"{self.url.rstrip('/')}{devchat.CONNECTOR_PATH}/v3/conversations/{conversation}/activities"
        async with aiohttp.ClientSession() as session:
            response = await session.request(method, url + (f"/{activity_id}" if activity_id else ""), json=activity)
            assert response.status == 200
            return (await response.json())["id"] if method != "DELETE" else ""

    def bot_cards(self) -> Any:
        return self.page.locator(".row.bot .card")

    def card_with(self, text: str) -> Any:
        return self.bot_cards().filter(has_text=text)


OpenChat = Callable[..., Awaitable[Chat]]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def open_chat(tmp_path: Path) -> AsyncIterator[OpenChat]:
    """Return a function that starts the app on shipped data and opens the page in chromium."""
    from playwright.async_api import async_playwright

    playwright = await async_playwright().start()
    contexts, servers = [], []

    async def open_(locale: str = "sv-SE", data_dir: Path | None = None) -> Chat:
        port = _free_port()  # the settings name the port, so the cards' map images point at this server
        settings = dataclasses.replace(test_settings(data_dir), port=port)
        server = TestServer(create_app(settings, clock=lambda: TODAY), host="127.0.0.1", port=port)
        await server.start_server()
        servers.append(server)
        context = await playwright.chromium.launch_persistent_context(
            tmp_path / f"profile-{len(contexts)}",
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            locale=locale,
            viewport=VIEWPORT,
            timezone_id="Europe/Stockholm",
        )
        contexts.append(context)
        context.set_default_timeout(WAIT_MS)
        page = context.pages[0] if context.pages else await context.new_page()
        chat = Chat(page, str(server.make_url("/")), server)
        page.on(
            "request",
            lambda request: (
                chat.posted.append(request.post_data_json) if request.url.endswith("/api/messages") else None
            ),
        )
        page.on("console", lambda message: chat.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: chat.errors.append(str(error)))
        await page.goto(chat.url)
        await page.locator(".row.bot").first.wait_for()  # the welcome: the stream works
        return chat

    yield open_
    for context in contexts:
        await context.close()
    await playwright.stop()
    for server in servers:
        await server.close()


async def test_a_county_question_shows_the_officers_card_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    await chat.ask("vem har Sörmland?")
    await chat.page.locator(".row.user", has_text="vem har Sörmland?").wait_for()
    card = chat.card_with(SORMLAND_OFFICER.name)
    await card.wait_for()
    assert "Södermanlands län" in await card.inner_text()
    await chat.page.locator("#typing").wait_for(state="hidden")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    await chat.page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000
    assert chat.errors == []


async def test_county_card_shows_the_map_served_by_the_bot_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    await chat.ask("vem har Sörmland?")
    card = chat.card_with("Isabelle Canderskog")
    await card.wait_for()
    image = card.get_by_role("img", name="Karta över Sverige där Södermanlands län är markerat.")
    await image.wait_for()
    await chat.page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=await image.element_handle())
    assert await image.evaluate("(img) => img.naturalWidth") == maps.MAP_WIDTH_PX
    assert "CC BY 4.0" in await card.inner_text()
    assert chat.errors == []


async def test_the_people_component_falls_back_to_the_name_on_the_page_shipped_data(open_chat: OpenChat) -> None:
    # Karin Lundqvist (Stockholm) has an entra_id: Teams shows its people component, other hosts
    # (this page's official renderer) the component's fallback, her name.
    chat = await open_chat()
    await chat.ask("vem har Stockholm?")
    card = chat.card_with("Karin Lundqvist")
    await card.wait_for()
    assert "Stockholms län" in await card.inner_text()
    assert chat.errors == []


async def test_the_page_posts_activities_as_teams_does_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    await chat.ask("vem har Sörmland?")
    await chat.card_with(SORMLAND_OFFICER.name).wait_for()
    welcome, question = chat.posted
    assert welcome["type"] == "conversationUpdate"
    assert {member["id"] for member in welcome["membersAdded"]} >= {welcome["recipient"]["id"]}
    assert question["type"] == "message"
    assert question["text"] == "vem har Sörmland?"
    assert question["channelId"] == "msteams"
    assert question["serviceUrl"] == chat.url.rstrip("/") + devchat.CONNECTOR_PATH + "/"
    assert question["locale"] == "sv-SE"
    assert question["channelData"]["tenant"]["id"]
    assert question["conversation"]["conversationType"] == "personal"
    assert question["conversation"]["id"] == welcome["conversation"]["id"]
    assert question["from"]["id"].startswith("29:")
    assert question["recipient"]["id"].startswith("28:")


async def test_a_clarification_button_answers_the_chosen_county_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    await chat.ask("Vem har Norrland?")
    clarify = chat.bot_cards().filter(has=chat.page.get_by_role("button", name="Avbryt"))
    await clarify.wait_for()
    assert await clarify.get_by_role("button").all_inner_texts() == [
        "1. Gävleborgs län",
        "2. Västernorrlands län",
        "3. Jämtlands län",
        "4. Västerbottens län",
        "5. Norrbottens län",
        "Avbryt",
    ]
    await clarify.get_by_role("button", name="3. Jämtlands län").click()
    # Teams shows a messageBack's displayText as the user's own message and posts its text and value.
    await chat.page.locator(".row.user", has_text="Jämtlands län").wait_for()
    answer = chat.bot_cards().filter(has=chat.page.get_by_role("heading", name="Jämtlands län"))
    await answer.wait_for()
    assert "Länsansvarig" in await answer.inner_text()
    click = chat.posted[-1]
    assert (click["text"], click.get("value")) == ("Jämtlands län", {"question": "Jämtlands län"})
    assert chat.errors == []


async def test_several_counties_come_as_a_carousel_of_cards_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    await chat.ask("vem har Småland?")
    carousel = chat.page.locator(".attachments.carousel")
    await carousel.locator(".card").nth(2).wait_for()
    headings = await carousel.get_by_role("heading").all_inner_texts()
    assert headings == ["Jönköpings län", "Kronobergs län", "Kalmar län"]
    assert chat.errors == []


async def test_an_english_question_gets_the_english_answer_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat("en-GB")
    assert await chat.card_with("Who covers Gothenburg?").count() == 1  # the welcome card follows the locale
    await chat.ask("who covers Gothenburg?")
    await chat.page.get_by_text("Göteborg is in Västra Götalands län.").wait_for()
    card = chat.card_with("Peter Axelsson")
    await card.wait_for()
    assert "County officer" in await card.inner_text()
    assert await chat.page.locator("#input").get_attribute("placeholder") == "Ask, e.g. “who covers Gothenburg?”"


async def test_the_chat_button_opens_teams_in_a_new_tab_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    await chat.page.context.route(
        "https://teams.microsoft.com/**",
        lambda route: route.fulfill(status=200, body="Teams", content_type="text/plain"),
    )
    await chat.ask("vem har Sörmland?")
    card = chat.card_with(SORMLAND_OFFICER.name)
    async with chat.page.context.expect_page() as new_tab:
        await card.get_by_role("link", name="Chatta i Teams").first.click()  # the renderer marks OpenUrl as a link
    tab = await new_tab.value
    assert tab.url == f"https://teams.microsoft.com/l/chat/0/0?users={SORMLAND_OFFICER.email}"
    assert chat.page.url == chat.url  # the chat itself stays put


async def test_the_typing_indicator_shows_while_the_bot_works_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()

    async def slow_bot(route: Any) -> None:
        await asyncio.sleep(1.0)
        await route.continue_()

    await chat.page.route("**/api/messages", slow_bot)
    await chat.ask("vem har Gotland?")
    typing = chat.page.locator("#typing")
    await typing.wait_for(state="visible")
    assert "skriver" in await typing.inner_text()
    await chat.card_with("Gotlands län").wait_for()
    await typing.wait_for(state="hidden")


async def test_an_unreachable_bot_is_said_plainly_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    await chat.server.close()
    await chat.ask("vem har Sörmland?")
    notice = chat.page.locator(".notice.error", has_text="Boten svarar inte")
    await notice.wait_for()
    assert chat.url.rstrip("/") + "/api/messages" in await notice.inner_text()
    await chat.page.locator("#status", has_text="Ingen kontakt med servern").wait_for()
    await chat.page.locator("#typing").wait_for(state="hidden")


async def test_user_text_is_shown_literally_never_as_markup_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    hostile = '<img src=x onerror="window.pwned=1">**fet** [länk](javascript:alert(1))'
    await chat.ask(hostile)
    await chat.page.locator(".row.user .text", has_text="<img").wait_for()
    assert await chat.page.locator(".row.user .text").last.inner_text() == hostile
    await chat.card_with("län").last.wait_for()  # the bot has answered (not recognised)
    assert await chat.page.evaluate("window.pwned") is None
    assert await chat.page.locator("#log img").count() == 0


async def test_the_bots_own_typing_indicator_shows_until_its_message_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    await chat.page.locator("#typing").wait_for(state="hidden")
    await chat.bot_sends({"type": "typing"})
    await chat.page.locator("#typing").wait_for(state="visible")
    await chat.bot_sends({"type": "message", "text": "Klart."})
    await chat.page.locator(".row.bot", has_text="Klart.").wait_for()
    await chat.page.locator("#typing").wait_for(state="hidden")


async def test_bot_markdown_is_rendered_but_never_its_html_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    await chat.bot_sends(
        {"type": "message", "text": "**fet** <b>rå</b> [farlig](javascript:alert(1)) [webb](https://example.org/)"}
    )
    message = chat.page.locator(".row.bot .text.markdown").last
    await message.wait_for()
    assert await message.locator("strong").inner_text() == "fet"
    assert "<b>rå</b>" in await message.inner_text()
    assert await message.locator("b").count() == 0
    assert await message.locator("a[href^='javascript']").count() == 0
    link = message.locator("a", has_text="webb")
    assert (await link.get_attribute("href"), await link.get_attribute("target")) == ("https://example.org/", "_blank")
    await chat.bot_sends({"type": "message", "text": "Se https://tillvaxtverket.se/ ."})
    bare = chat.page.locator(".row.bot .text.markdown a", has_text="https://tillvaxtverket.se/")
    assert await bare.get_attribute("target") == "_blank"  # Teams links bare addresses too
    await chat.bot_sends({"type": "message", "text": "**bokstavligt**", "textFormat": "plain"})
    await chat.page.locator(".row.bot .text", has_text="**bokstavligt**").wait_for()


async def test_a_plain_submit_posts_its_data_and_inputs_as_the_value_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    card = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": "Formulär"}, {"type": "Input.Text", "id": "note", "value": "hej"}],
        "actions": [
            {"type": "Action.Submit", "title": "Skicka in", "data": {"choice": "x"}},
            {"type": "Action.OpenUrl", "title": "Farlig", "url": "javascript:alert(1)"},
        ],
    }
    card_id = await chat.bot_sends(
        {
            "type": "message",
            "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}],
        }
    )
    form = chat.card_with("Formulär")
    await form.get_by_role("button", name="Skicka in").click()
    await chat.page.locator("#typing").wait_for(state="hidden")
    submitted = chat.posted[-1]
    assert (submitted["type"], submitted.get("text"), submitted["replyToId"]) == ("message", None, card_id)
    assert submitted["value"] == {"choice": "x", "note": "hej"}
    assert await chat.page.locator(".row.user").count() == 0  # Teams shows nothing for a plain submit
    await form.get_by_role("link", name="Farlig").click()
    await chat.page.locator(".notice.error", has_text="javascript:alert(1)").wait_for()
    assert len(chat.page.context.pages) == 1


async def test_updated_and_deleted_bot_messages_change_in_place_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    message_id = await chat.bot_sends({"type": "message", "text": "Första versionen"})
    await chat.page.get_by_text("Första versionen").wait_for()
    await chat.bot_sends({"type": "message", "text": "Andra versionen"}, message_id, method="PUT")
    await chat.page.get_by_text("Andra versionen").wait_for()
    assert await chat.page.get_by_text("Första versionen").count() == 0
    await chat.bot_sends({}, message_id, method="DELETE")
    await chat.page.get_by_text("Meddelandet har tagits bort.").wait_for()
    assert await chat.page.get_by_text("Andra versionen").count() == 0


async def test_without_the_renderer_cards_fall_back_to_their_text_shipped_data(
    open_chat: OpenChat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(devchat, "NPM_MODULES", tmp_path / "no-node-modules")
    chat = await open_chat()
    await chat.page.locator(".notice.error", has_text="make run").wait_for()
    await chat.ask("vem har Sörmland?")
    await chat.page.locator(".card-fallback", has_text=SORMLAND_OFFICER.name).wait_for()


async def test_the_page_carries_on_when_the_server_is_back_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    port = chat.server.port
    await chat.server.close()
    await chat.page.locator("#status", has_text="Ingen kontakt med servern").wait_for()
    again = TestServer(create_app(test_settings(), clock=lambda: TODAY), host="127.0.0.1", port=port)
    await again.start_server()
    try:
        await chat.page.locator("#status").wait_for(state="hidden")  # the stream reconnected by itself
        await chat.ask("vem har Sörmland?")
        await chat.card_with(SORMLAND_OFFICER.name).wait_for()
    finally:
        await again.close()


async def test_the_header_names_the_data_being_served_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    async with aiohttp.ClientSession() as session:
        health = await (await session.get(chat.url + "healthz")).json()
    # When the files were saved, as the person who edits them understands it; not the hash.
    status = chat.page.locator("#data-status", has_text="21 län")
    await status.wait_for()
    text = await status.inner_text()
    assert text.startswith("Data sparad ") and health["data_changed_at"] is not None
    assert health["data_version"] not in text
    assert await chat.page.locator("#data-problem").is_hidden()


async def test_broken_data_is_reported_on_the_page(open_chat: OpenChat, data_dir: Path) -> None:
    (data_dir / "officers.yaml").write_text("counties: [unclosed\n", encoding="utf-8")
    chat = await open_chat(data_dir=data_dir)
    problem = chat.page.locator("#data-problem")
    await problem.wait_for()
    # The sentence check-data prints, in the page's language, with no "1 problem(s)" in front.
    assert await problem.inner_text() == (
        "Boten har ingen data att svara med: data/officers.yaml, rad 1: en [ eller { som börjar på raden stängs "
        "aldrig; avsluta med ] eller } på samma rad. Rätta data/ (\u201dmake check-data\u201d visar alla fel) "
        "och starta om."
    )


async def test_the_json_button_shows_the_activity_as_teams_gets_it_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    await chat.ask("vem har Sörmland?")
    row = chat.page.locator(".row.bot", has_text=SORMLAND_OFFICER.name)
    await row.get_by_role("button", name="Visa aktiviteten som Teams får den (JSON)").click()
    shown = row.locator("pre.json")
    assert '"contentType": "application/vnd.microsoft.card.adaptive"' in await shown.inner_text()
    assert SORMLAND_OFFICER.name in await shown.inner_text()
    await row.get_by_role("button", name="Visa aktiviteten som Teams får den (JSON)").click()
    assert await shown.count() == 0


async def test_the_language_link_starts_an_english_chat_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    await chat.page.get_by_role("link", name="In English").click()
    await chat.card_with("Who covers Gothenburg?").wait_for()  # a new chat, welcomed in English
    await chat.ask("vem har Sörmland?")
    await chat.card_with(SORMLAND_OFFICER.name).wait_for()
    assert chat.posted[-1]["locale"] == "en-GB"
    assert chat.posted[-1]["conversation"]["id"] != chat.posted[0]["conversation"]["id"]
    assert await chat.page.get_by_role("link", name="På svenska").count() == 1


async def test_in_a_channel_questions_mention_the_bot_and_stay_in_one_thread_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    await chat.page.get_by_role("link", name="Som i en kanal").click()
    await chat.card_with("Vem har Gotland?").wait_for()  # welcomed in the team's General channel
    await chat.ask("vem har Sörmland?")
    await chat.page.locator(".row.user .mention", has_text="Regiondörren").wait_for()
    await chat.card_with(SORMLAND_OFFICER.name).wait_for()
    await chat.ask("Vem har Norrland?")
    clarify = chat.bot_cards().filter(has=chat.page.get_by_role("button", name="Avbryt"))
    await clarify.get_by_role("button", name="Jämtlands län").click()
    await chat.bot_cards().filter(has=chat.page.get_by_role("heading", name="Jämtlands län")).wait_for()
    welcome, first, second, click = chat.posted[-4:]
    assert welcome["type"] == "conversationUpdate"
    assert welcome["channelData"]["eventType"] == "teamMemberAdded"
    assert first["conversation"]["conversationType"] == "channel"
    assert first["text"] == "<at>Regiondörren</at> vem har Sörmland?"
    assert first["entities"][0]["mentioned"]["id"] == first["recipient"]["id"]
    thread = f"{welcome['conversation']['id']};messageid={first['id']}"
    assert [activity["conversation"]["id"] for activity in (first, second, click)] == [thread] * 3


async def test_carousel_shows_only_the_arrows_that_lead_somewhere_shipped_data(open_chat: OpenChat) -> None:
    chat = await open_chat()
    await chat.ask("vem har Småland?")
    frame = chat.page.locator(".carousel-frame").last
    await frame.locator(".card").nth(2).wait_for()
    previous, following = frame.locator(".carousel-button.previous"), frame.locator(".carousel-button.next")

    assert not await previous.is_visible()  # the first card: nothing before it
    assert await following.is_visible()
    await frame.locator(".attachments.carousel").evaluate("strip => strip.scrollTo({left: strip.scrollWidth})")
    await following.wait_for(state="hidden")
    assert await previous.is_visible()
    assert chat.errors == []


@pytest.mark.parametrize("locale", ["sv-SE", "en-GB"])
async def test_the_input_placeholder_fits_a_390_px_phone(open_chat: OpenChat, locale: str) -> None:
    chat = await open_chat(locale)
    await chat.page.set_viewport_size({"width": 390, "height": 844})

    overflow = await chat.page.locator("#input").evaluate(
        """input => {
            const style = getComputedStyle(input);
            const context = document.createElement("canvas").getContext("2d");
            context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return context.measureText(input.placeholder).width - room;
        }"""
    )

    assert overflow <= 0
