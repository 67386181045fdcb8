"""Rendering: Adaptive Cards and plain-text summaries built from core results by pure functions.

May import `bot.core` and `bot.data`; never the Bot Framework or the web server (the Teams
layer wraps these dicts in activities).
"""
