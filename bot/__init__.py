"""Regiondörren: the Teams bot that finds Tillväxtverket's county officer for any place in Sweden.

The layers, lowest first: `data` (reading and checking data/), `core` (recognition, look-up and
answers, plain Python), `render` (cards and text from core results), `runtime` (the data being
served, reloaded on change), then the adapters `teams` (Bot Framework) and `web` (the aiohttp
host and the local chat page), and `cli` (the command line). tests/test_boundaries.py enforces
which layer may import which; `settings` and `logs` sit beside them.
"""
