"""`python -m bot export-posts`: the posts officers published from Teams, as YAML for data/.

Posted dialogues come out in dialogues.yaml's own form (id, county, date, title, summary, link),
so a coordinator can paste them into data/dialogues.yaml and check them with check-data; updates
come out as a list beside them, for the record. Followers are never exported.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence

import yaml

from bot.settings import Settings
from bot.store import migrate, open_database
from bot.store.channel import DIALOGUE_KIND, ChannelStore, PostRecord


def posts_yaml(posts: Sequence[PostRecord], today: dt.date) -> str:
    """Return published posts as YAML: `dialogues:` as in data/dialogues.yaml, then `updates:`."""
    dialogues = [
        {
            "id": f"{post.county}-{post.event_date}-post{post.id}",
            "county": post.county,
            "date": dt.date.fromisoformat(post.event_date or post.created_at.date().isoformat()),
            "title": post.title,
            "summary": post.body,
            **({"link": post.link} if post.link else {}),
        }
        for post in posts
        if post.kind == DIALOGUE_KIND
    ]
    updates = [
        {
            "county": post.county,
            "date": (post.published_at or post.created_at).date(),
            "title": post.title,
            "text": post.body,
            **({"link": post.link} if post.link else {}),
            "signed": post.author_name or "role",
        }
        for post in posts
        if post.kind != DIALOGUE_KIND
    ]
    header = (
        f"# Posted from Teams, exported {today.isoformat()}. Paste the dialogues into data/dialogues.yaml\n"
        "# and run `make check-data`; the updates are listed for the record.\n"
    )
    body = yaml.safe_dump({"dialogues": dialogues, "updates": updates}, allow_unicode=True, sort_keys=False)
    return header + body


async def published_posts(settings: Settings) -> list[PostRecord]:
    """Read every published post from the store the settings name."""
    database = open_database(settings.state_dir, settings.database_url)
    await database.open()
    try:
        await migrate(database)
        return await ChannelStore(database).published()
    finally:
        await database.close()


def export_posts(settings: Settings, today: dt.date) -> str:
    """Return the YAML for every published post."""
    return posts_yaml(asyncio.run(published_posts(settings)), today)
