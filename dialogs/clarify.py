"""Ask which county the user means when a question fits several, and answer the one chosen.

The user may press a button, type the county's name, type its number in the list, or write
"avbryt"/"cancel". Anything that is a new question ends the dialog with the decision on it (an
Intent) as its result, so the bot answers it as if no clarification had been going on.

Each reply is recognised at most once per turn: the prompt's validator reads it and hands the
reading on as the prompt's result, and a new question's Intent travels with the reading, so
neither the answer step nor the bot decides again on the same text.

Conversation state holds only the candidates' codes and the language: the card is rendered
each time it is shown (CountyPrompt), so an open dialog costs a few hundred bytes, not a card.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from botbuilder.core import TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    PromptOptions,
    PromptValidatorContext,
    TextPrompt,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import Activity

from bot.core.answers import Answerer
from bot.core.clock import Clock
from bot.core.intents import AnswerCounties, AskWhichCounty, Cancel, Intent, answer_for_counties, decide
from bot.core.messages import text
from bot.core.names import PlaceNames
from bot.core.normalisation import comparable
from bot.data.geography import County
from bot.render import cards
from bot.render.maps import MapLinks
from bot.runtime.channel import CountyChannel
from bot.runtime.live import LiveData
from bot.teams.outcome import note_intent
from bot.teams.replies import answer_reply, card_reply, group_mention, text_reply

# After this many answers that are neither a choice nor a new question, give up asking.
MAX_ATTEMPTS = 2


class Choice(StrEnum):
    """What a reply to "which county?" means."""

    COUNTY = "county"
    CANCEL = "cancel"
    NEW_QUESTION = "new_question"
    UNCLEAR = "unclear"


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading of the user's reply."""

    choice: Choice
    county: str | None = None  # the chosen county code, for Choice.COUNTY
    language: str | None = None  # the language of a command word ("cancel" is English)
    intent: Intent | None = None  # the decision on the reply as a question of its own, when one was needed


@dataclass(frozen=True, slots=True)
class ClarifyOptions:
    """What the dialog is started with: the candidates, in the order shown, and the language."""

    candidates: tuple[str, ...]
    language: str

    def to_dict(self) -> dict[str, object]:
        """Return a plain dict (dialog state must survive any storage's serialisation)."""
        return {"candidates": list(self.candidates), "language": self.language}

    @classmethod
    def from_dict(cls, value: object) -> ClarifyOptions:
        """Read options back from dialog state."""
        data = value if isinstance(value, dict) else {}
        return cls(tuple(str(code) for code in data.get("candidates", ())), str(data.get("language", "sv")))


def read_choice(reply: str, candidates: tuple[County, ...], place_names: PlaceNames) -> Reading | None:
    """Read `reply` as a candidate's number or name; None when it is neither (no recognition needed)."""
    words = comparable(reply).removesuffix(" län")
    if words.isdigit() and 1 <= int(words) <= len(candidates):
        return Reading(Choice.COUNTY, candidates[int(words) - 1].code)
    for county in candidates:
        names = (*place_names.county_choices(county.code), county.letter)
        if words in {comparable(name).removesuffix(" län") for name in names}:
            return Reading(Choice.COUNTY, county.code)
    return None


def read_reply(reply: str, candidates: tuple[County, ...], place_names: PlaceNames, intent: Intent) -> Reading:
    """Read `reply` to "which county?": a number, a name, cancel, or a new question.

    `intent` is what the bot would do with `reply` as a message of its own; it is kept in the
    reading unless the reply was a plain number or name.
    """
    choice = read_choice(reply, candidates, place_names)
    if choice is not None:
        return choice
    return replace(read_intent(intent, candidates), intent=intent)


def read_intent(intent: Intent, candidates: tuple[County, ...]) -> Reading:
    """Read the decision on a reply that is no candidate's number or name."""
    match intent:
        case Cancel():
            return Reading(Choice.CANCEL, language=intent.language)
        case AnswerCounties(answer=answer) | AskWhichCounty(answer=answer):
            codes = tuple(item.county.code for item in answer.counties)
        case _:
            return Reading(Choice.NEW_QUESTION)  # help, the list, a person: something else was asked
    if not codes:
        return Reading(Choice.UNCLEAR)
    candidate_codes = {county.code for county in candidates}
    if len(codes) == 1 and codes[0] in candidate_codes:
        return Reading(Choice.COUNTY, codes[0])
    if set(codes) == candidate_codes:
        return Reading(Choice.UNCLEAR)  # the same ambiguity again: ask again
    return Reading(Choice.NEW_QUESTION)


class CountyPrompt(TextPrompt):
    """A text prompt that renders "which county?" from the codes in its options each time it asks.

    The SDK's prompts keep the prompt and retry activities in dialog state until answered; here
    the options hold only the codes and language (PromptOptions.validations), never a card.
    """

    def __init__(
        self,
        dialog_id: str,
        render: Callable[[TurnContext, ClarifyOptions, bool], Activity],
        validator: Callable[[PromptValidatorContext], object],
    ) -> None:
        super().__init__(dialog_id, validator)
        self._render = render

    async def on_prompt(
        self, turn_context: TurnContext, state: dict[str, object], options: PromptOptions, is_retry: bool
    ) -> None:
        """Send the card for the codes in `options`; with the "did not understand" line on a retry."""
        options_read = ClarifyOptions.from_dict(options.validations)
        await turn_context.send_activity(self._render(turn_context, options_read, is_retry))


class ClarifyDialog(ComponentDialog):
    """Which county? One button per candidate; answer the chosen one."""

    def __init__(
        self,
        store: LiveData,
        clock: Clock,
        dialog_id: str = "ClarifyDialog",
        maps: MapLinks | None = None,
        channel: CountyChannel | None = None,
    ) -> None:
        super().__init__(dialog_id)
        self._store = store
        self._clock = clock
        self._maps = maps
        self._channel = channel  # the chosen county's card shows its posts, as a direct answer's does
        self.add_dialog(CountyPrompt("CountyPrompt", self._prompt, self.validate_reply))
        self.add_dialog(WaterfallDialog("ClarifyWaterfall", [self.ask_county_step, self.answer_county_step]))
        self.initial_dialog_id = "ClarifyWaterfall"

    async def ask_county_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Show the candidates as buttons and wait for the reply."""
        options = ClarifyOptions.from_dict(step.options)
        step.values["options"] = options.to_dict()
        return await step.prompt("CountyPrompt", PromptOptions(validations=options.to_dict()))

    async def answer_county_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Answer the chosen county, confirm a cancel, or hand a new question back to the bot."""
        options = ClarifyOptions.from_dict(step.values["options"])
        reading = step.result  # validate_reply has read the reply already
        if not isinstance(reading, Reading):
            reading = self._read(str(reading or ""), options, step.context.activity.locale)
        if reading.choice is Choice.CANCEL:
            await step.context.send_activity(text_reply(text("cancelled", reading.language or options.language)))
            return await step.end_dialog()
        if reading.choice is Choice.COUNTY and reading.county:
            await step.context.send_activity(await self._county_reply(reading.county, options.language))
            return await step.end_dialog()
        # A new question (or still unclear): the bot answers the decision already made on it.
        return await step.end_dialog(reading.intent)

    async def validate_reply(self, prompt_context: PromptValidatorContext) -> bool:
        """Read the reply once; accept anything but an unclear reply, and that too after MAX_ATTEMPTS."""
        if not prompt_context.recognized.succeeded:
            return False
        options = ClarifyOptions.from_dict(prompt_context.options.validations)
        reading = self._read(str(prompt_context.recognized.value), options, prompt_context.context.activity.locale)
        prompt_context.recognized.value = reading  # the prompt's result: answer_county_step need not read again
        if reading.choice is not Choice.UNCLEAR:
            return True
        return prompt_context.options.number_of_attempts + 1 >= MAX_ATTEMPTS  # counted after validation

    def _read(self, reply: str, options: ClarifyOptions, locale: str | None) -> Reading:
        """Read `reply`, recognising it (through decide) only when it is no candidate's number or name."""
        answerer = self._store.current  # one snapshot for the whole reading
        candidates = _candidates(answerer, options)
        if answerer is not None:
            choice = read_choice(reply, candidates, answerer.names)
            if choice is not None:
                return choice
        # With no data any more, decide says so (NoData) and the reading is a new question.
        intent = decide(reply, answerer, self._clock(), locale)
        return replace(read_intent(intent, candidates), intent=intent)

    def _prompt(self, turn_context: TurnContext, options: ClarifyOptions, is_retry: bool) -> Activity:
        """Render the question for `options`; a retry leads with "I did not understand"."""
        mention = group_mention(turn_context.activity)
        card = cards.clarify_card(_candidates(self._store.current, options), options.language, mention, self._maps)
        if not is_retry:
            return card_reply([card])
        return card_reply([card], cards.hint("clarify_retry", options.language, mention))

    async def _county_reply(self, code: str, language: str) -> Activity:
        answerer = self._store.current
        assert answerer is not None, "a county is only chosen from candidates, and without data there are none"
        answer = answer_for_counties(answerer, (code,), self._clock(), language)
        if self._channel is not None:
            answer = await self._channel.with_posts(answer, self._clock())
        note_intent(AnswerCounties(language, answer))  # the choice is the turn's answer
        return answer_reply(answer, maps=self._maps)


def _candidates(answerer: Answerer | None, options: ClarifyOptions) -> tuple[County, ...]:
    """Return the candidate counties still in the data, in the order shown."""
    if answerer is None:
        return ()
    geography = answerer.directory.geography
    return tuple(geography.county(code) for code in options.candidates if code in geography.by_code)
