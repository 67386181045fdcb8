"""The web host: the request guard in front of the adapter and the local chat page.

May import aiohttp and everything below it, the Teams adapter included; nothing imports it but app.py.
"""
