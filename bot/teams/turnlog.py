"""One log line a turn: what came in, what the core matched, what went out, how long it took.

Adapter side (botbuilder middleware). The line holds the activity id and type, the conversation
type, the tenant id, the matched county codes and status, the reply count and the time taken;
the question text only when LOG_QUESTIONS=1; never tokens or whole activities.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ResourceResponse

from bot.logs import TurnRecord, end_turn, start_turn
from bot.teams.handler import question_text
from bot.teams.tenants import tenant_from_channel_data

logger = logging.getLogger("regiondorren.turn")

# A question is a sentence or two; a longer paste is cut in the log line when it is logged at all.
MAX_LOGGED_QUESTION_CHARS = 300


class TurnLogMiddleware(Middleware):
    """Log one structured line when each turn ends (also when it fails)."""

    def __init__(self, log_questions: bool = False) -> None:
        self._log_questions = log_questions

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        record, token = start_turn()
        replies = 0

        async def count_replies(
            _: TurnContext, activities: list[Activity], send: Callable[[], Awaitable[list[ResourceResponse]]]
        ) -> list[ResourceResponse]:
            nonlocal replies
            replies += sum(1 for activity in activities if activity.type != ActivityTypes.typing)
            return await send()

        context.on_send_activities(count_replies)
        started = time.perf_counter()
        outcome = "error"
        try:
            await logic()
            outcome = "ok"
        finally:
            end_turn(token)
            fields = turn_fields(context.activity, record, replies, outcome, time.perf_counter() - started)
            if self._log_questions and context.activity.type == ActivityTypes.message:
                fields["question"] = question_text(context.activity)[:MAX_LOGGED_QUESTION_CHARS]
            logger.info(
                "turn %s %s: %s %s",
                context.activity.type,
                outcome,
                record.status or "-",
                ",".join(record.counties) or "-",
                extra=fields,
            )


def turn_fields(
    activity: Activity, record: TurnRecord, replies: int, outcome: str, seconds: float
) -> dict[str, object]:
    """Return the log fields for one turn: ids and kinds, what was matched, what went out."""
    return {
        "activity_id": activity.id,
        "activity_type": activity.type,
        "invoke_name": activity.name if activity.type == ActivityTypes.invoke else None,
        "conversation_type": activity.conversation.conversation_type if activity.conversation else None,
        "tenant_id": tenant_from_channel_data(activity.channel_data),  # as the gate reads it
        "status": record.status,
        "counties": record.counties,
        "replies": replies,
        "outcome": outcome,
        "duration_ms": round(seconds * 1000, 1),
    }
