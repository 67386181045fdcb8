"""Bot Framework dialogs (the clarify question), given core services through __init__.

May import the Teams adapter and every layer below it; nothing in `bot` imports it but app.py.
"""
