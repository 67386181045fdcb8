"""The turn context and adapter this bot runs on: the SDK's, with a leaner way of addressing replies.

TurnContext.send_activities builds a ConversationReference for every call, copying the sender,
the bot and the conversation out of the incoming activity (copy.copy of msrest models), and then
copies them into each reply. A reply here is serialised as soon as it is sent and never changed
afterwards (bot.teams.connector), so it can point at the incoming activity's own accounts. Profiled
under load that copying was about 3 % of a message's CPU. Everything else is the SDK's: the
send hooks (the turn log counts replies), expect-replies delivery, `responded`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from copy import deepcopy

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    DeliveryModes,
    InputHints,
    ResourceResponse,
)
from botframework.connector import Channels, ConnectorClient
from botframework.connector.auth import ClaimsIdentity, ConnectorFactory, UserTokenClient

# Channels whose replies carry no replyToId (as TurnContext.get_conversation_reference decides).
_NO_REPLY_TO = frozenset({Channels.direct_line, Channels.webchat})


class LeanTurnContext(TurnContext):
    """A TurnContext whose replies share the incoming activity's accounts instead of copies."""

    async def send_activities(self, activities: list[Activity]) -> list[ResourceResponse]:
        """Address each activity as a reply to this turn's activity and send them, as TurnContext does."""
        output = [self._addressed(deepcopy(activity)) for activity in activities]
        sent_non_trace = any(activity.type != ActivityTypes.trace for activity in output)

        async def logic() -> list[ResourceResponse]:
            if self.activity.delivery_mode == DeliveryModes.expect_replies:
                responses = self._buffer(output)
            else:
                responses = await self.adapter.send_activities(self, output)
            if sent_non_trace:
                self.responded = True
            return responses

        return await self._emit(self._on_send_activities, output, logic())

    def _addressed(self, reply: Activity) -> Activity:
        incoming = self.activity
        reply.channel_id = incoming.channel_id
        reply.locale = incoming.locale
        reply.service_url = incoming.service_url
        reply.conversation = incoming.conversation
        reply.from_property = incoming.recipient
        reply.recipient = incoming.from_property
        if (
            incoming.id
            and incoming.type != ActivityTypes.conversation_update
            and incoming.channel_id not in _NO_REPLY_TO
        ):
            reply.reply_to_id = incoming.id
        reply.type = reply.type or ActivityTypes.message
        reply.input_hint = reply.input_hint or InputHints.accepting_input
        reply.id = None
        return reply

    def _buffer(self, output: list[Activity]) -> list[ResourceResponse]:
        """Keep the replies for the caller's expect-replies response instead of sending them."""
        for activity in output:
            self.buffered_reply_activities.append(activity)
            if activity.type == ActivityTypes.invoke_response:
                self.turn_state[TurnContext._INVOKE_RESPONSE_KEY] = activity
        return [ResourceResponse() for _ in output]


class LeanCloudAdapter(CloudAdapter):
    """CloudAdapter whose turns run on LeanTurnContext (the same turn state as CloudAdapterBase sets)."""

    def _create_turn_context(
        self,
        activity: Activity,
        claims_identity: ClaimsIdentity,
        oauth_scope: str,
        connector_client: ConnectorClient,
        user_token_client: UserTokenClient,
        logic: Callable[[TurnContext], Awaitable[None]],
        connector_factory: ConnectorFactory,
    ) -> TurnContext:
        context = LeanTurnContext(self, activity)
        context.turn_state.update(
            {
                self.BOT_IDENTITY_KEY: claims_identity,
                self.BOT_CONNECTOR_CLIENT_KEY: connector_client,
                self.USER_TOKEN_CLIENT_KEY: user_token_client,
                self.BOT_CALLBACK_HANDLER_KEY: logic,
                self.CONNECTOR_FACTORY_KEY: connector_factory,
                self.BOT_OAUTH_SCOPE_KEY: oauth_scope,
            }
        )
        return context
