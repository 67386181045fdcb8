"""Benchmark the messaging-extension search on the shipped data/.

Prints the time to build the index, and per-query times for what colleagues type (prefixes,
whole names, typos, the empty initial run), against a baseline in the same run: one plain
rapidfuzz scan (WRatio over every name) per query, the least a fuzzy search has to do.
Teams gives a messaging extension 5 seconds; the search should use a tiny part of it.

    python -m bench.search
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Callable

from rapidfuzz import fuzz, process, utils

from bot.directory import DEFAULT_DATA_DIR, load_directory
from bot.search import Searcher

logger = logging.getLogger(__name__)

QUERIES = ("", "s", "sö", "sörml", "Eskilstuna", "eskilstna", "Canderskog", "Kronobreg",
           "göteborg", "upplands väs", "Norrland", "xyzzy", "Luleå", "vasteras",
           "vem har Sörmland?", "Göteborg och Malmö")
# Enough rounds that one query's median is stable to a few microseconds on a 2-core machine.
ROUNDS = 200


def _median_us(call: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main() -> None:
    """Print build time and per-query medians with the ratio to the baseline scan."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    directory = load_directory(DEFAULT_DATA_DIR)
    build_us = _median_us(lambda: Searcher(directory), rounds=20)
    searcher = Searcher(directory)
    names = list(dict.fromkeys(key for key in searcher._keys))  # noqa: SLF001 - the same names, for the baseline
    logger.info("data %s: %d searchable keys; index built in %.1f ms", directory.version, len(names), build_us / 1000)
    logger.info("%-22s %8s %10s %8s %6s", "query", "search", "baseline", "ratio", "hits")
    ratios = []
    for query in QUERIES:
        ours = _median_us(lambda: searcher.search(query, 0, 10))
        baseline = _median_us(lambda: process.extract(query, names, scorer=fuzz.WRatio,
                                                      processor=utils.default_process, score_cutoff=80, limit=10))
        ratios.append(ours / baseline)
        logger.info("%-22r %6.0f µs %7.0f µs %7.2fx %6d", query, ours, baseline, ours / baseline,
                    searcher.search(query).total)
    logger.info("median ratio search/baseline: %.2fx; slowest query well under Teams' 5 s limit", statistics.median(ratios))


if __name__ == "__main__":
    main()
