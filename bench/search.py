"""Benchmark the messaging-extension search on the shipped data/.

Prints the time to build the index, and per-query times for what colleagues type (prefixes,
whole names, typos, the empty initial run), against a baseline in the same run: one plain
rapidfuzz scan (WRatio over every name) per query, the least a fuzzy search has to do.
Teams gives a messaging extension 5 seconds; the search should use a tiny part of it. Then the
whole path: composeExtension/query invokes posted to the real app on a loopback port (auth off),
rendering every card, against a GET /healthz on the same server as the floor. (On 2 cores most
of an invoke's ~20 ms is the Bot Framework SDK building msrest clients per turn and serialising
the cards; the search itself is well under a millisecond.)

    python -m bench.search
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
from collections.abc import Awaitable, Callable
from functools import partial

import aiohttp
from aiohttp.test_utils import TestServer
from rapidfuzz import fuzz, process, utils

from app import create_app
from bot.core.search import Searcher
from bot.data.directory import DEFAULT_DATA_DIR, load_directory
from bot.settings import Settings

logger = logging.getLogger(__name__)

QUERIES = (
    "",
    "s",
    "sö",
    "sörml",
    "Eskilstuna",
    "eskilstna",
    "Canderskog",
    "Kronobreg",
    "göteborg",
    "upplands väs",
    "Norrland",
    "xyzzy",
    "Luleå",
    "vasteras",
    "vem har Sörmland?",
    "Göteborg och Malmö",
)
# Enough rounds that one query's median is stable to a few microseconds on a 2-core machine.
ROUNDS = 200
# HTTP round trips are slower and noisier; fewer rounds, still a stable median.
HTTP_ROUNDS = 50
HTTP_QUERIES = (
    ("initial run, all 21 counties", None),
    ("'sörml'", "sörml"),
    ("'Göteborg och Malmö'", "Göteborg och Malmö"),
)


def _median_us(call: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main() -> None:
    """Print build time and per-query medians with the ratio to the baseline scan."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logger.setLevel(logging.INFO)  # the figures; the app's own INFO lines (access log, loads) stay quiet
    directory = load_directory(DEFAULT_DATA_DIR)
    build_us = _median_us(lambda: Searcher(directory), rounds=20)
    searcher = Searcher(directory)
    names = list(dict.fromkeys(key for key in searcher._keys))
    logger.info("data %s: %d searchable keys; index built in %.1f ms", directory.version, len(names), build_us / 1000)
    logger.info("%-22s %8s %10s %8s %6s", "query", "search", "baseline", "ratio", "hits")
    ratios = []
    for query in QUERIES:
        ours = _median_us(partial(searcher.search, query, 0, 10))
        baseline = _median_us(
            partial(
                process.extract,
                query,
                names,
                scorer=fuzz.WRatio,
                processor=utils.default_process,
                score_cutoff=80,
                limit=10,
            )
        )
        ratios.append(ours / baseline)
        logger.info(
            "%-22r %6.0f µs %7.0f µs %7.2fx %6d", query, ours, baseline, ours / baseline, searcher.search(query).total
        )
    logger.info("median ratio search/baseline: %.2fx", statistics.median(ratios))
    asyncio.run(_http())


def _invoke(text: str | None) -> dict[str, object]:
    """Return a composeExtension/query invoke shaped as Teams sends it (initialRun when text is None)."""
    parameters = [{"name": "initialRun", "value": "true"}] if text is None else [{"name": "query", "value": text}]
    return {
        "type": "invoke",
        "name": "composeExtension/query",
        "id": "f:bench",
        "channelId": "msteams",
        "serviceUrl": "http://127.0.0.1:9/",
        "locale": "sv-SE",
        "from": {"id": "29:bench-user", "name": "Bench"},
        "recipient": {"id": "28:bench-bot", "name": "Regiondörren"},
        "conversation": {"id": "a:bench", "conversationType": "personal"},
        "channelData": {"tenant": {"id": "00000000-0000-0000-0000-000000000000"}},
        "value": {"commandId": "searchCounty", "parameters": parameters, "queryOptions": {"skip": 0, "count": 25}},
    }


async def _median_ms(call: Callable[[], Awaitable[object]]) -> float:
    times = []
    for _ in range(HTTP_ROUNDS):
        start = time.perf_counter()
        await call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


async def _http() -> None:
    """Print the median time of search invokes through the running app, and of /healthz."""
    server = TestServer(create_app(Settings.from_env({}, env_file=None)), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as session:
            url = str(server.make_url("/api/messages"))

            async def health() -> None:
                async with session.get(server.make_url("/healthz")) as response:
                    await response.read()

            floor = await _median_ms(health)
            logger.info("GET /healthz (floor): %.2f ms", floor)
            for label, text in HTTP_QUERIES:
                activity = _invoke(text)

                async def search(activity: dict[str, object] = activity) -> None:
                    async with session.post(url, json=activity) as response:
                        assert response.status == 200, response.status
                        await response.read()

                took = await _median_ms(search)
                logger.info(
                    "invoke %-30s %7.2f ms  (%.1fx /healthz, %.2f%% of Teams' 5 s)",
                    label,
                    took,
                    took / floor,
                    took / 50,
                )
    finally:
        await server.close()


if __name__ == "__main__":
    main()
