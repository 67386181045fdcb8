"""The Teams adapter: the activity handler, replies as activities, tenant gate, turn log, tokens and the connector.

The only layer (with `bot.web` and `dialogs`) that imports the Bot Framework SDK; may import
every layer below it (`core`, `data`, `render`, `runtime`) and `settings`, never `bot.web`.
"""
