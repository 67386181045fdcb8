"""Activities shaped exactly as Microsoft Teams posts them to a bot's messaging endpoint.

Field names, nesting and id formats follow payloads Teams sends (personal chat, channel and group
chat messages with an <at> mention, conversationUpdate when the bot is added to a team).
"""

from __future__ import annotations

import itertools
from typing import Any

BOT_ID = "28:9a1c5e0b-2b7a-4c3e-9d55-0d3f7a1c2b10"
BOT_NAME = "Regiondörren"
TENANT_ID = "4f1a0c2e-6b3d-4e8f-9a7b-2c5d8e1f3a60"
USER = {
    "id": "29:1Xq3H7zLm0pQa9wYk4tR5uV6s8dF2gJ1hK3lZ7xC9vB0nM",
    "name": "Anna Andersson",
    "aadObjectId": "b3c1d2e4-5f60-4a7b-8c9d-0e1f2a3b4c5d",
}
TEAM_ID = "19:Xz8kLp2Qw4Er6Ty8Ui0Op2As4Df6Gh8J@thread.tacv2"

_ids = itertools.count(1732642200000)


def _client_info(locale: str) -> dict[str, Any]:
    return {
        "locale": locale,
        "country": locale.split("-")[-1],
        "platform": "Web",
        "timezone": "Europe/Stockholm",
        "type": "clientInfo",
    }


def personal_message(
    service_url: str,
    text: str,
    *,
    locale: str = "sv-SE",
    conversation_id: str = "a:1vE3Wq9Kp0Zr8Tn7Ym6Xl5Bk4Jh3Gf2Dd1Ss0Aa9",
) -> dict[str, Any]:
    """Return a 1:1 chat message."""
    activity_id = str(next(_ids))
    return {
        "text": text,
        "textFormat": "plain",
        "type": "message",
        "timestamp": "2026-11-26T16:30:00.1234567Z",
        "localTimestamp": "2026-11-26T17:30:00.1234567+01:00",
        "id": activity_id,
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": USER,
        "conversation": {"conversationType": "personal", "tenantId": TENANT_ID, "id": conversation_id},
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "entities": [_client_info(locale)],
        "channelData": {"tenant": {"id": TENANT_ID}},
        "locale": locale,
        "localTimezone": "Europe/Stockholm",
    }


def card_submit(
    service_url: str,
    data: dict[str, Any],
    *,
    locale: str = "sv-SE",
    conversation_id: str = "a:1vE3Wq9Kp0Zr8Tn7Ym6Xl5Bk4Jh3Gf2Dd1Ss0Aa9",
) -> dict[str, Any]:
    """Return the message Teams posts for an Action.Submit without imBack (value, no text)."""
    activity = personal_message(service_url, "", locale=locale, conversation_id=conversation_id)
    del activity["text"]
    activity["value"] = data
    activity["replyToId"] = str(next(_ids))
    return activity


# Channel ids by membership type: a shared or private channel has its own thread id under the
# host team, and Teams names its type in channelData.channel.type.
CHANNEL_IDS = {
    "standard": "19:Qa1Ws2Ed3Rf4Tg5Yh6Uj7Ik8Ol9P0@thread.tacv2",
    "shared": "19:Sh4r3dCh4nn3lZx8Cv7Bn6Mm5Kk4Jj3@thread.tacv2",
    "private": "19:Pr1v4t3Ch4nn3lQq1Ww2Ee3Rr4Tt5Yy@thread.tacv2",
}


def channel_message(
    service_url: str, question: str, *, locale: str = "sv-SE", channel_type: str = "standard"
) -> dict[str, Any]:
    """Return a channel message that @mentions the bot, as Teams sends it."""
    activity_id = str(next(_ids))
    channel_id = CHANNEL_IDS[channel_type]
    mention = f"<at>{BOT_NAME}</at>"
    return {
        "text": f"{mention} {question}\n",
        "textFormat": "plain",
        "attachments": [
            {
                "contentType": "text/html",
                "content": f'<div><div><span itemtype="http://schema.skype.com/Mention" '
                f'itemscope="" itemid="0">{BOT_NAME}</span> {question}</div></div>',
            }
        ],
        "type": "message",
        "timestamp": "2026-11-26T16:31:00.1234567Z",
        "localTimestamp": "2026-11-26T17:31:00.1234567+01:00",
        "id": activity_id,
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": USER,
        "conversation": {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": TENANT_ID,
            "id": f"{channel_id};messageid={activity_id}",
        },
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "entities": [
            {"mentioned": {"id": BOT_ID, "name": BOT_NAME}, "text": mention, "type": "mention"},
            _client_info(locale),
        ],
        "channelData": {
            "teamsChannelId": channel_id,
            "teamsTeamId": TEAM_ID,
            "channel": {"id": channel_id} if channel_type == "standard" else {"id": channel_id, "type": channel_type},
            "team": {"id": TEAM_ID},
            "tenant": {"id": TENANT_ID},
        },
        "locale": locale,
        "localTimezone": "Europe/Stockholm",
    }


GROUP_CHAT_ID = "19:7b1f0c2d3e4a5b6c7d8e9f0a1b2c3d4e@thread.v2"


def group_chat_message(service_url: str, question: str, *, locale: str = "sv-SE") -> dict[str, Any]:
    """Return a group chat message that @mentions the bot, as Teams sends it (no team, no thread id)."""
    activity = channel_message(service_url, question, locale=locale)
    activity["conversation"] = {
        "isGroup": True,
        "conversationType": "groupChat",
        "tenantId": TENANT_ID,
        "id": GROUP_CHAT_ID,
    }
    activity["channelData"] = {"tenant": {"id": TENANT_ID}}
    return activity


def bot_added_to_team(service_url: str, *, locale: str = "sv-SE") -> dict[str, Any]:
    """Return the conversationUpdate Teams sends when the bot is added to a team."""
    return {
        "membersAdded": [{"id": BOT_ID}],
        "type": "conversationUpdate",
        "timestamp": "2026-11-26T16:20:00.1234567Z",
        "id": f"f:{next(_ids)}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": USER["id"], "aadObjectId": USER["aadObjectId"]},
        "conversation": {"isGroup": True, "conversationType": "channel", "tenantId": TENANT_ID, "id": TEAM_ID},
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "channelData": {
            "team": {"aadGroupId": "0d9f5c3e-1a2b-4c5d-8e9f-a0b1c2d3e4f5", "name": "Regional tillväxt", "id": TEAM_ID},
            "eventType": "teamMemberAdded",
            "tenant": {"id": TENANT_ID},
        },
        "locale": locale,
    }


def user_added_to_team(service_url: str) -> dict[str, Any]:
    """Return the conversationUpdate Teams sends when a colleague (not the bot) joins the team."""
    activity = bot_added_to_team(service_url)
    activity["membersAdded"] = [{"id": "29:1Other", "aadObjectId": "c0c0c0c0-1111-2222-3333-444455556666"}]
    return activity


def message_back(activity: dict[str, Any], card_data: dict[str, Any]) -> dict[str, Any]:
    """Return what Teams posts when a card's messageBack button is pressed in the conversation of
    `activity`: the button's text and value, no @mention (card actions always reach the bot)."""
    msteams = card_data["msteams"]
    pressed = {**activity, "id": str(next(_ids)), "text": msteams["text"], "value": msteams["value"]}
    pressed["replyToId"] = str(next(_ids))
    pressed.pop("attachments", None)
    pressed["entities"] = [entity for entity in activity.get("entities", ()) if entity.get("type") != "mention"]
    return pressed
