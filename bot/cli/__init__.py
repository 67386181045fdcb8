"""The command line (`python -m bot`): ask, check-data, package.

May import the plain layers (`core`, `data`, `render`, `runtime`) and `settings`; never the Bot
Framework or the web server. The only package that prints user-facing text.
"""
