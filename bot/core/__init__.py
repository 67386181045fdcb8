"""The core: recognition of places and people, commands and intents, answers, search, user-facing text.

Plain Python returning frozen dataclasses; may import `bot.data` (and `bot.logs`), never the
Bot Framework, aiohttp or msrest, so a move to another bot SDK leaves it untouched.
"""
