"""The Teams adapter: parse the activity, call the core, render a card, send it.

No business rules live here; recognition and answers come from the core (bot.core.answers via the
LiveData), cards from bot.render.cards, the clarify conversation from dialogs/.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import TYPE_CHECKING, TypeGuard

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, ChannelAccount
from botbuilder.schema.teams import (
    MessagingExtensionQuery,
    MessagingExtensionResponse,
    TeamInfo,
)

from bot.core.channel import Said
from bot.core.clock import Clock, stockholm_today
from bot.core.intents import AnswerCounties, AnswerPerson, AskWhichCounty, Intent, decide
from bot.core.language import locale_language
from bot.core.markup import plain_text
from bot.core.messages import LANGUAGES, SWEDISH, text
from bot.core.search import SearchResult, chosen_result, search_answer
from bot.core.voice import VoiceCommand, parse_voice
from bot.render import cards
from bot.render.channel import VERB_PREFIX
from bot.render.maps import MapLinks
from bot.render.replies import reply_for
from bot.runtime.channel import CountyChannel
from bot.runtime.live import LiveData
from bot.store.database import StoreError
from bot.teams.channel import invoke_card_response, language_of, member_lookup, reply_activity, sender_of
from bot.teams.outcome import note_intent, note_search
from bot.teams.replies import (
    activities,
    card_reply,
    group_mention,
    search_message,
    search_reply,
    selected_reply,
    text_reply,
)
from bot.teams.storage import TurnConversationState
from bot.teams.tenants import tenant_from_channel_data
from bot.teams.wire import model_to_json

if TYPE_CHECKING:
    from collections.abc import Callable

    from botbuilder.dialogs import Dialog, DialogContext, DialogSet

logger = logging.getLogger(__name__)

# On initialRun Teams sends this parameter ("true") instead of the manifest's "query" parameter;
# any other parameter is what the user typed, so renaming it in the manifest breaks nothing.
INITIAL_RUN_PARAMETER = "initialRun"
SEARCH_INVOKE = "composeExtension/query"
SEARCH_VALUE_SHAPE = (
    "composeExtension/query: 'value' must be {commandId, parameters: [{name, value: text}], "
    "queryOptions: {skip: number, count: number}}"
)
# The issue asks for up to 10 results per search; the initial list of all counties follows
# Teams' own page size (up to 25) so that all 21 counties show however Teams pages.
SEARCH_RESULTS = 10
SEARCH_PAGE_DEFAULT = 25

# The adaptiveCard/action response types (Universal Actions, "adaptiveCard/action invoke activity").
ADAPTIVE_CARD_TYPE = "application/vnd.microsoft.card.adaptive"
ADAPTIVE_CARD_ERROR_TYPE = "application/vnd.microsoft.error"
REFRESH_VALUE_SHAPE = (
    "adaptiveCard/action: 'value' must be {action: {type: Action.Execute, verb: refreshCounty, "
    "data: {county: code, matched: name}}}"
)

# Conversation-state property names (stored per conversation in the injected storage).
DIALOG_STATE_PROPERTY = "DialogState"
WELCOMED_PROPERTY = "Welcomed"


def strip_recipient_mention(activity: Activity) -> str:
    """Return the message text without the @mention of the bot, trimmed.

    Does what TurnContext.remove_recipient_mention does, without its KeyError on a mention
    entity that lacks "mentioned", and without the whitespace it leaves behind.
    """
    text = activity.text if isinstance(activity.text, str) else ""
    recipient_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or ():
        # An entity from JSON keeps "mentioned" and "text" in additional_properties; a Mention model has them as fields.
        data = {**(entity.additional_properties or {}), **model_to_json(entity)}
        mentioned = data.get("mentioned")
        if data.get("type") != "mention" or not isinstance(mentioned, dict) or mentioned.get("id") != recipient_id:
            continue
        mention_text = data.get("text")
        if isinstance(mention_text, str) and mention_text:
            text = text.replace(mention_text, " ")
    return " ".join(text.split()) if text.strip() else ""


def question_text(activity: Activity) -> str:
    """Return what the user asked: typed text without the @mention, or a card button's question."""
    typed = plain_text(strip_recipient_mention(activity))
    if typed:
        return typed
    value = activity.value
    if isinstance(value, dict) and isinstance(value.get("question"), str):
        return value["question"].strip()
    return ""


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """What the user typed in the search command, and which page Teams wants."""

    text: str  # empty on initialRun: list every county
    skip: int
    count: int


def search_request(value: object) -> SearchRequest | None:
    """Read a composeExtension/query value as Teams sends it; None when it is not shaped like one."""
    if not isinstance(value, dict):
        return None
    parameters = value.get("parameters", [])
    options = value.get("queryOptions") or {}
    if not isinstance(parameters, list) or not isinstance(options, dict):
        return None
    typed = ""
    for parameter in parameters:
        if not isinstance(parameter, dict):
            return None
        if parameter.get("name") != INITIAL_RUN_PARAMETER:
            if not isinstance(parameter.get("value", ""), str):
                return None
            typed = parameter.get("value", "").strip()
    skip, count = options.get("skip", 0), options.get("count", SEARCH_PAGE_DEFAULT)
    if not all(isinstance(number, int) and not isinstance(number, bool) for number in (skip, count)):
        return None
    return SearchRequest(typed, max(skip, 0), min(count, SEARCH_RESULTS) if typed else count)


def _card_invoke_error(status: HTTPStatus, code: str, message: str) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(
        status_code=status, type=ADAPTIVE_CARD_ERROR_TYPE, value={"code": code, "message": message}
    )


def search_pick(result: SearchResult) -> dict[str, str]:
    """Return what a preview's tap sends back (composeExtension/selectItem) to build its full card."""
    return {"county": result.county.code, "matched": result.matched}


def _is_pick(value: object) -> TypeGuard[dict[str, str]]:
    return isinstance(value, dict) and all(isinstance(value.get(key), str) for key in ("county", "matched"))


class Clarifications:
    """The clarify dialog of each conversation, built on the first turn that needs one.

    Most messages are a question and its answer: they only look whether a clarification is
    running (a read of conversation state) and never build a DialogContext. botbuilder.dialogs,
    whose prompts import date-time recognisers for a dozen languages (about 0.13 s and 18 MB),
    is imported by the first clarification a process starts or continues, not at start-up.
    """

    def __init__(self, conversation_state: TurnConversationState, build: Callable[[], Dialog]) -> None:
        self._state = conversation_state.create_property(DIALOG_STATE_PROPERTY)
        self._build = build  # returns the clarify dialog; importing its module imports botbuilder.dialogs
        self._dialogs: DialogSet | None = None
        self._clarify_id = ""

    async def running(self, turn_context: TurnContext) -> bool:
        """Say whether a clarification is waiting for this conversation's reply."""
        dialog_state = await self._state.get(turn_context)  # None when the conversation never had one
        return bool(getattr(dialog_state, "dialog_stack", None))

    async def begin(self, turn_context: TurnContext, intent: AskWhichCounty) -> None:
        """Ask which of the intent's counties the user means (the dialog sends the card)."""
        codes = [item.county.code for item in intent.answer.counties]
        dialog_context = await self._context(turn_context)
        await dialog_context.begin_dialog(self._clarify_id, {"candidates": codes, "language": intent.language})

    async def continue_with(self, turn_context: TurnContext) -> Intent | None:
        """Hand the reply to the running clarification; return the new question it was instead, if any."""
        from botbuilder.dialogs import DialogTurnStatus  # loaded with the running dialog's state

        result = await (await self._context(turn_context)).continue_dialog()
        if result.status != DialogTurnStatus.Complete or not isinstance(result.result, Intent):
            return None
        return result.result  # the dialog has decided on it already

    async def cancel(self, turn_context: TurnContext) -> None:
        """End the running clarification without a word (a new request replaced it)."""
        await (await self._context(turn_context)).cancel_all_dialogs()

    async def _context(self, turn_context: TurnContext) -> DialogContext:
        if self._dialogs is None:
            from botbuilder.dialogs import DialogSet  # the first clarification of this process

            clarify = self._build()
            dialogs = DialogSet(self._state)
            dialogs.add(clarify)
            self._dialogs, self._clarify_id = dialogs, clarify.id
        return await self._dialogs.create_context(turn_context)


class RegiondorrenBot(TeamsActivityHandler):
    """Answer "who is our contact for <place>?" in Teams chats and channels."""

    def __init__(
        self,
        store: LiveData,
        conversation_state: TurnConversationState,
        clarify: Callable[[], Dialog],
        clock: Clock = stockholm_today,
        channel: CountyChannel | None = None,
        maps: MapLinks | None = None,
    ) -> None:
        super().__init__()
        self._store = store
        self._conversation_state = conversation_state
        self._welcomed = conversation_state.create_property(WELCOMED_PROPERTY)
        self._clarifications = Clarifications(conversation_state, clarify)
        self._clock = clock
        self._channel = channel  # follows and posts (bot.runtime.channel); None: the directory only
        self._maps = maps  # where the cards' maps are served; None: cards without maps

    async def on_turn(self, turn_context: TurnContext) -> None:
        await super().on_turn(turn_context)
        if self._holds_nothing(turn_context):
            # Most conversations are one question and one answer: keep no state for them, so the
            # storage holds only running clarifications and greeted chats, not every chat ever.
            # A conversation that had none needs no delete (a round trip to the store each turn).
            if self._conversation_state.found_stored(turn_context):
                await self._conversation_state.delete(turn_context)
            return
        await self._conversation_state.save_changes(turn_context)

    def _holds_nothing(self, turn_context: TurnContext) -> bool:
        """Say whether this turn loaded conversation state that is empty: no dialog, no greeting."""
        cached = self._conversation_state.get_cached_state(turn_context)
        if cached is None:
            return False  # not loaded this turn: nothing to save or delete
        dialog_state = cached.state.get(DIALOG_STATE_PROPERTY)
        running = bool(getattr(dialog_state, "dialog_stack", None))
        return not running and not cached.state.get(WELCOMED_PROPERTY)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        logger.debug("message %s from tenant %s", activity.id, tenant_from_channel_data(activity.channel_data))
        activity.text = question_text(activity)  # the prompt in a running dialog reads it too
        running = await self._clarifications.running(turn_context)
        voice = parse_voice(activity.text) if self._channel is not None else None
        if voice is not None and self._channel is not None:
            if running:  # "följ Sörmland" mid-clarify: the new request wins
                await self._clarifications.cancel(turn_context)
            await turn_context.send_activity(await self._channel_reply(turn_context, voice))
            return
        if running:
            new_question = await self._clarifications.continue_with(turn_context)
            if new_question is not None:  # the user asked something new instead of choosing
                await self._reply(turn_context, new_question)
            return
        intent = decide(activity.text, self._store.current, self._clock(), activity.locale)
        await self._reply(turn_context, intent)

    async def _reply(self, turn_context: TurnContext, intent: Intent) -> None:
        if isinstance(intent, AskWhichCounty):  # the dialog shows the candidates and reads the choice
            note_intent(intent)
            await self._clarifications.begin(turn_context, intent)
            return
        if isinstance(intent, AnswerCounties | AnswerPerson) and self._channel is not None:
            intent = await self._with_posts(intent)
        note_intent(intent)
        reply = reply_for(intent, group_mention(turn_context.activity))
        await turn_context.send_activities(activities(reply, self._maps))

    async def _with_posts(self, intent: AnswerCounties | AnswerPerson) -> AnswerCounties | AnswerPerson:
        """Return the intent with its counties' published posts (updates, posted dialogues)."""
        assert self._channel is not None
        return replace(intent, answer=await self._channel.with_posts(intent.answer, self._clock()))

    async def _channel_reply(self, turn_context: TurnContext, voice: VoiceCommand) -> Activity:
        """Carry out a voice command ("följ Sörmland", "ny nyhet" ...) and return the reply."""
        assert self._channel is not None
        activity = turn_context.activity
        try:
            reply = await self._channel.command(voice, sender_of(activity, voice.language), member_lookup(turn_context))
        except StoreError as error:
            logger.warning("voice command %s failed: the store failed (%s)", voice.voice, error)
            return text_reply(text("store_unavailable", voice.language))
        return reply_activity(reply)

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        action = invoke_value.action or {}
        verb = action.get("verb") if isinstance(action, dict) else None
        if verb == cards.REFRESH_VERB:
            return await self._refreshed_card(action.get("data"))
        if self._channel is None or not isinstance(verb, str) or not verb.startswith(VERB_PREFIX):
            return _card_invoke_error(HTTPStatus.BAD_REQUEST, "BadRequest", REFRESH_VALUE_SHAPE)
        raw = action.get("data")
        data: dict[str, object] = raw if isinstance(raw, dict) else {}
        activity = turn_context.activity
        language = language_of(activity, "")
        try:
            reply = await self._channel.form_action(
                verb[len(VERB_PREFIX) :], data, sender_of(activity, language), member_lookup(turn_context)
            )
        except StoreError as error:
            logger.warning("card action %s failed: the store failed (%s)", verb, error)
            reply = Said(text("store_unavailable", language))
        return invoke_card_response(reply)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        # The SDK would raise on a malformed search value (on_turn_error, then a 501): answer 400.
        activity = turn_context.activity
        if activity.name == SEARCH_INVOKE and search_request(activity.value) is None:
            logger.warning("malformed %s invoke %s", SEARCH_INVOKE, activity.id)
            return InvokeResponse(status=HTTPStatus.BAD_REQUEST, body={"error": SEARCH_VALUE_SHAPE})
        return await super().on_invoke_activity(turn_context)

    def _create_adaptive_card_invoke_error_response(
        self, status_code: HTTPStatus, code: str, message: str
    ) -> AdaptiveCardInvokeResponse:
        # The SDK's version puts an Exception in `value`, which cannot be serialised (HTTP 500 for
        # an adaptiveCard/action with an empty or malformed value); this is the documented shape.
        return AdaptiveCardInvokeResponse(
            status_code=int(status_code), type=ADAPTIVE_CARD_ERROR_TYPE, value={"code": code, "message": message}
        )

    async def on_teams_messaging_extension_query(
        self, turn_context: TurnContext, query: MessagingExtensionQuery
    ) -> MessagingExtensionResponse:
        request = search_request(turn_context.activity.value)  # checked in on_invoke_activity
        language = locale_language(turn_context.activity.locale)  # the client's language: stable while typing
        snapshot = self._store.snapshot
        if snapshot is None or request is None:
            return search_message(text("search_unavailable", language))
        page = snapshot.searcher.search(request.text, request.skip, request.count)
        previews = [(cards.search_preview(result, language), search_pick(result)) for result in page.results]
        note_search(tuple(result.county.code for result in page.results))
        logger.info("search: %d of %d result(s) from %d", len(previews), page.total, request.skip)
        return search_reply(previews)

    async def on_teams_messaging_extension_select_item(
        self, turn_context: TurnContext, query: object
    ) -> MessagingExtensionResponse:
        pick = turn_context.activity.value
        snapshot = self._store.snapshot
        language = locale_language(turn_context.activity.locale)
        if snapshot is None or not _is_pick(pick):
            return search_message(text("search_unavailable", language))
        result = chosen_result(snapshot.searcher, snapshot.directory, pick["county"], pick["matched"])
        if result is None:
            return search_message(text("search_unavailable", language))
        answer = search_answer(result, snapshot.directory, self._clock(), language)
        if self._channel is not None:  # the inserted card shows the county's posts, as its refresh will
            answer = await self._channel.with_posts(answer, self._clock())
        note_search((result.county.code,))
        return selected_reply(cards.county_card(answer.counties[0], answer, maps=self._maps))

    async def _refreshed_card(self, data: object) -> AdaptiveCardInvokeResponse:
        """Answer a county card's refresh (Universal Actions): today's card for the same county."""
        snapshot = self._store.snapshot
        if not _is_pick(data):
            return _card_invoke_error(HTTPStatus.BAD_REQUEST, "BadRequest", REFRESH_VALUE_SHAPE)
        if snapshot is None:
            return _card_invoke_error(HTTPStatus.SERVICE_UNAVAILABLE, "ServiceUnavailable", "no directory loaded")
        result = chosen_result(snapshot.searcher, snapshot.directory, data["county"], data["matched"])
        if result is None:
            return _card_invoke_error(HTTPStatus.NOT_FOUND, "NotFound", "no such county")
        language = data["language"] if data.get("language") in LANGUAGES else SWEDISH
        answer = search_answer(result, snapshot.directory, self._clock(), language)
        if self._channel is not None:  # today's card includes today's posts
            answer = await self._channel.with_posts(answer, self._clock())
        card = cards.county_card(answer.counties[0], answer, maps=self._maps)
        return AdaptiveCardInvokeResponse(status_code=HTTPStatus.OK, type=ADAPTIVE_CARD_TYPE, value=card)

    async def on_teams_members_added_dispatch(
        self, members_added: list[ChannelAccount], team_info: TeamInfo, turn_context: TurnContext
    ) -> None:
        # Replaces the SDK's version, which asks the connector about every member
        # (TeamsInfo.get_member); all the welcome needs is whether the bot itself was added.
        await self.on_members_added_activity(members_added, turn_context)

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        recipient = turn_context.activity.recipient
        if recipient is None or not any(member.id == recipient.id for member in members_added):
            return
        if await self._welcomed.get(turn_context, False):
            return
        await self._welcomed.set(turn_context, True)
        language = locale_language(turn_context.activity.locale)
        await turn_context.send_activity(card_reply([cards.help_card(language, group_mention(turn_context.activity))]))
