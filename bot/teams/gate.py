"""The tenant gate: Bot Framework middleware that lets only allowed tenants reach the bot.

An activity from a tenant outside the policy never reaches the bot, its state or the directory.
A message gets one short refusal; a messaging-extension query, card action or task module gets
the same sentence in the shape Teams shows for that invoke; a conversationUpdate (the bot added
to a foreign team) gets nothing, so no welcome card. Each refusal is logged with the tenant id
and the activity type, never the text.

Adapter code: botbuilder middleware; the rule itself is bot.teams.tenants.TenantPolicy.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from botbuilder.core import InvokeResponse, Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.core.language import locale_language
from bot.core.messages import text
from bot.teams.tenants import TenantPolicy, tenant_from_channel_data

logger = logging.getLogger(__name__)

# A tenant id is a 36-character GUID; anything longer in a log line is someone's payload.
MAX_LOGGED_TENANT_CHARS = 40
# Invoke names that carry a user-visible answer, and how Teams wants a plain message back.
COMPOSE_EXTENSION_PREFIX = "composeExtension/"
TASK_MODULE_PREFIX = "task/"
ADAPTIVE_CARD_ACTION = "adaptiveCard/action"


class TenantGate(Middleware):
    """Refuse every activity whose tenant the policy does not allow."""

    def __init__(self, policy: TenantPolicy) -> None:
        self._policy = policy

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Run the bot for allowed tenants; refuse everyone else without running it."""
        activity = context.activity
        tenant = tenant_from_channel_data(activity.channel_data)
        if self._policy.allows(tenant):
            await logic()
            return
        # %r and cut: type, name and tenant are the caller's strings and must not forge log lines.
        logger.warning(
            "refused %.40r%s from tenant %s: not in ALLOWED_TENANT_IDS",
            activity.type,
            f" {activity.name!r:.60}" if activity.type == ActivityTypes.invoke else "",
            repr(tenant)[:MAX_LOGGED_TENANT_CHARS] if tenant else "(none)",
        )
        await _refuse(context)


async def _refuse(context: TurnContext) -> None:
    activity = context.activity
    refusal = text("tenant_refused", locale_language(activity.locale))  # strangers: their client's language
    if activity.type == ActivityTypes.message:
        await context.send_activity(refusal)
        return
    if activity.type == ActivityTypes.invoke:
        status, body = invoke_refusal(activity.name, refusal)
        await context.send_activity(
            Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=status, body=body))
        )
    # conversationUpdate, typing, events ...: nothing; above all, no welcome card


def invoke_refusal(name: str | None, refusal: str) -> tuple[int, dict[str, object]]:
    """Return the status and body that show `refusal` for an invoke called `name`, and no data."""
    name = name if isinstance(name, str) else ""
    if name.startswith(COMPOSE_EXTENSION_PREFIX):
        return HTTPStatus.OK, {"composeExtension": {"type": "message", "text": refusal}}
    if name.startswith(TASK_MODULE_PREFIX):
        return HTTPStatus.OK, {"task": {"type": "message", "value": refusal}}
    if name == ADAPTIVE_CARD_ACTION:
        return HTTPStatus.OK, {
            "statusCode": HTTPStatus.OK,
            "type": "application/vnd.microsoft.activity.message",
            "value": refusal,
        }
    return HTTPStatus.FORBIDDEN, {"error": "this tenant may not use the bot"}
