"""What keeps the core serving over time: the last good data with its answerer, and the watcher that reloads it.

May import `bot.core`, `bot.data` and `bot.store`; plain Python and asyncio, no Bot Framework or web server.
"""
