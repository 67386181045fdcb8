"""The chat page plays an officer and shows notifications as they arrive: the whole county channel
tried without Teams, in a real browser (Debian's chromium) against the real app on shipped data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from app import create_app
from tests.conftest import test_settings
from tests.test_devchat_browser import CHROMIUM, CHROMIUM_ARGS, TODAY, VIEWPORT, WAIT_MS, browser_parts  # noqa: F401

pytestmark = pytest.mark.browser

ISABELLE = "isabelle.canderskog@tillvaxtverket.se"


async def open_page(playwright: Any, profile: Path, url: str) -> Any:
    context = await playwright.chromium.launch_persistent_context(
        profile, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, locale="sv-SE", viewport=VIEWPORT
    )
    context.set_default_timeout(WAIT_MS)
    page = context.pages[0] if context.pages else await context.new_page()
    await page.goto(url)
    await page.locator(".row.bot").first.wait_for()  # the welcome: the stream works
    return context, page


async def ask(page: Any, text: str) -> None:
    await page.locator("#input").fill(text)
    await page.locator("#input").press("Enter")


async def test_an_officer_posts_from_the_page_and_a_follower_sees_it_arrive_shipped_data(tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    server = TestServer(create_app(test_settings(), clock=lambda: TODAY), host="127.0.0.1")
    await server.start_server()
    playwright = await async_playwright().start()
    try:
        url = str(server.make_url("/"))
        follower_context, follower = await open_page(playwright, tmp_path / "follower", url)
        await ask(follower, "följ Sörmland: vi har tre ERUF-projekt där")
        await follower.locator(".row.bot", has_text="Du följer nu Södermanlands län").wait_for()

        officer_context, officer = await open_page(playwright, tmp_path / "officer", url)
        await officer.locator("#as").select_option(ISABELLE)
        await officer.wait_for_url(f"**as={ISABELLE.replace('@', '%40')}**")
        await officer.locator(".row.bot").first.wait_for()
        assert "som Isabelle Canderskog" in await officer.locator("#as").inner_text()
        await ask(officer, "ny nyhet")
        form = officer.locator(".card", has_text="Ny nyhet från länet")
        await form.wait_for()
        await form.get_by_label("Rubrik").fill("Ny regional utvecklingsstrategi")
        await form.get_by_label("Kort text").fill("Regionen har antagit RUS 2030.")
        await form.get_by_role("button", name="Förhandsvisa").click()
        preview = officer.locator(".card", has_text="så här ser följarna det")
        await preview.wait_for()
        assert "1 följer Södermanlands län" in await preview.inner_text()
        await preview.get_by_role("button", name="Publicera").click()
        await officer.locator(".card", has_text="Publicerat på länskortet").wait_for()

        notification = follower.locator(".card", has_text="Nytt från Södermanlands län")
        await notification.wait_for()
        assert "Ny regional utvecklingsstrategi" in await notification.inner_text()
        assert "Isabelle Canderskog" in await notification.inner_text()
        await officer_context.close()
        await follower_context.close()
    finally:
        await playwright.stop()
        await server.close()
