"""The core: recognition of places and people, commands and intents, answers, search, user-facing text.

Plain Python returning frozen dataclasses; may import `bot.data`, never the Bot Framework,
aiohttp or msrest (so a move to another bot SDK leaves it untouched), nor `bot.logs`: it returns
what it decided, and the adapter logs that.
"""
