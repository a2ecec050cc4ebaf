"""Small typed builders over `slack_sdk.models.blocks` that every surface shares.

Each takes already-translated text; Slack's length limits on visible text are enforced here
once. Button values and `private_metadata` are never cut (JSON would break): they come
from `handlers.payloads.pack`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    ExternalDataSelectElement,
    HeaderBlock,
    InputBlock,
    InputInteractiveElement,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
    TimePickerElement,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.i18n import Msg, Translator, _
from bot.services.choices import MAX_OPTIONS, MIN_QUERY
from handlers.ids import VALUE

MAX_SECTION_TEXT = 3000
MAX_PLAIN = 150
MAX_BLOCKS = 100


def indexed(action_id: str, index: int) -> str:
    """The action id of the `index`th of several like buttons in one block: Slack refuses a
    block whose elements share an `action_id`. Listen with `any_index(action_id)`."""
    return f"{action_id}:{index}"


def any_index(action_id: str) -> re.Pattern[str]:
    """Matches `action_id` itself and every `indexed(action_id, i)`."""
    return re.compile(rf"^{re.escape(action_id)}(?::\d+)?$")


def unindexed(action_id: str) -> str:
    """`action_id` without the index `indexed` gave it."""
    base, _, index = action_id.rpartition(":")
    return base if base and index.isdigit() else action_id


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=clip(text, MAX_PLAIN), emoji=True))


def section(
    text: str, *, block_id: str | None = None, accessory: ButtonElement | None = None
) -> SectionBlock:
    return SectionBlock(
        text=MarkdownTextObject(text=clip(text, MAX_SECTION_TEXT)),
        block_id=block_id,
        accessory=accessory,
    )


def fields(pairs: Sequence[tuple[str, str]]) -> SectionBlock:
    """A section of up to ten "*label*\nvalue" fields."""
    return SectionBlock(
        fields=[MarkdownTextObject(text=clip(f"*{k}*\n{v}", 2000)) for k, v in pairs[:10]]
    )


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(text, MAX_SECTION_TEXT))])


def divider() -> DividerBlock:
    return DividerBlock()


def button(
    text: str, action_id: str, value: str = "", *, style: str | None = None
) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=clip(text, 75), emoji=True),
        action_id=action_id,
        value=value or None,  # never cut: `handlers.payloads.pack` keeps long JSON short
        style=style,
    )


def actions(*elements: ButtonElement, block_id: str | None = None) -> ActionsBlock:
    return ActionsBlock(elements=list(elements)[:25], block_id=block_id)


def option(value: str, text: str) -> Option:
    return Option(value=value, text=PlainTextObject(text=clip(text, 75), emoji=True))


def labelled(labels: Mapping[Any, Msg], tr: Translator) -> list[tuple[str, str]]:
    """The (value, text) choices of a label table: each key with its label translated."""
    return [(str(value), tr(label)) for value, label in labels.items()]


def label_of(labels: Mapping[str, Msg], value: str, tr: Translator) -> str:
    """The translated label of a stored `value`, or the value itself where the table has none."""
    label = labels.get(value)
    return tr(label) if label else value


def numbered(labels: Sequence[Msg], tr: Translator, *, first: int = 0) -> list[tuple[str, str]]:
    """The (value, text) choices of labels in order, each valued by its number from `first`."""
    return [(str(number), tr(label)) for number, label in enumerate(labels, first)]


def _plain(text: str | None, limit: int) -> PlainTextObject | None:
    """An optional plain text (a hint, a placeholder): none when there is no text."""
    return PlainTextObject(text=clip(text, limit)) if text else None


def _input(
    block_id: str,
    label: str,
    element: InputInteractiveElement,
    *,
    optional: bool | None = None,
    hint: str | None = None,
) -> InputBlock:
    """The input block every `…_input` builds around its element."""
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text=clip(label, 2000)),
        element=element,
        optional=optional,
        hint=_plain(hint, 2000),
    )


def text_input(
    block_id: str,
    label: str,
    *,
    initial: str | None = None,
    placeholder: str | None = None,
    hint: str | None = None,
    optional: bool = False,
    multiline: bool = False,
    max_length: int | None = None,
) -> InputBlock:
    element = PlainTextInputElement(
        action_id=VALUE,
        initial_value=initial or None,
        placeholder=_plain(placeholder, MAX_PLAIN),
        multiline=multiline,
        max_length=max_length,
    )
    return _input(block_id, label, element, optional=optional, hint=hint)


def reason_input(
    block_id: str,
    question: str,
    *,
    max_length: int = 2000,
    placeholder: str | None = None,
    hint: str | None = None,
) -> InputBlock:
    """The required answer, in a few lines, to why something is done (rejected, voided,
    closed, excused, recorded anyway)."""
    return text_input(
        block_id,
        question,
        placeholder=placeholder,
        hint=hint,
        multiline=True,
        max_length=max_length,
    )


def select_input(
    block_id: str,
    label: str,
    choices: Sequence[tuple[str, str]],
    *,
    initial: str | None = None,
    optional: bool = False,
    hint: str | None = None,
    suggest: str | None = None,
    placeholder: str | None = None,
) -> InputBlock:
    """A select of `choices` (value, text). With `suggest` (an `action_id` that
    `handlers.suggest` answers) and more choices than Slack lets a static select hold, it is
    an `external_select`: Slack asks the app for the options matching what is typed."""
    options = [option(v, t) for v, t in choices]
    chosen = next((o for o in options if o.value == initial), None)
    element: StaticSelectElement | ExternalDataSelectElement
    if suggest is not None and len(options) > MAX_OPTIONS:
        element = ExternalDataSelectElement(
            action_id=suggest,
            initial_option=chosen,
            min_query_length=MIN_QUERY,
            placeholder=_plain(placeholder, MAX_PLAIN),
        )
    else:
        options = options[:MAX_OPTIONS]
        chosen = next((o for o in options if o.value == initial), None)
        element = StaticSelectElement(action_id=VALUE, options=options, initial_option=chosen)
    return _input(block_id, label, element, optional=optional, hint=hint)


def multi_select_input(
    block_id: str,
    label: str,
    choices: Sequence[tuple[str, str]],
    *,
    chosen: Collection[str] = (),
    hint: str | None = None,
) -> InputBlock:
    """A select of several of `choices` (value, text), `chosen` the values chosen at first;
    always optional, like tick boxes."""
    return _several(StaticMultiSelectElement, block_id, label, choices[:MAX_OPTIONS], chosen, hint)


def checkboxes_input(
    block_id: str,
    label: str,
    choices: Sequence[tuple[str, str]],
    *,
    ticked: Collection[str] = (),
    hint: str | None = None,
) -> InputBlock:
    """Tick boxes of `choices` (value, text), `ticked` the values ticked at first; always
    optional, since ticking none is an answer too."""
    return _several(CheckboxesElement, block_id, label, choices, ticked, hint)


def _several(
    element: type[CheckboxesElement | StaticMultiSelectElement],
    block_id: str,
    label: str,
    choices: Sequence[tuple[str, str]],
    chosen: Collection[str],
    hint: str | None,
) -> InputBlock:
    """An optional input of several of `choices`, those in `chosen` chosen at first."""
    options = [option(v, t) for v, t in choices]
    initial = [o for o in options if o.value in chosen] or None
    return _input(
        block_id,
        label,
        element(action_id=VALUE, options=options, initial_options=initial),
        optional=True,
        hint=hint,
    )


def users_input(
    block_id: str, label: str, *, initial: Sequence[str] = (), optional: bool = False
) -> InputBlock:
    element = UserMultiSelectElement(action_id=VALUE, initial_users=list(initial) or None)
    return _input(block_id, label, element, optional=optional)


def user_input(
    block_id: str, label: str, *, initial: str | None = None, optional: bool = False
) -> InputBlock:
    """One person (a lead, an owner, a delegate)."""
    element = UserSelectElement(action_id=VALUE, initial_user=initial or None)
    return _input(block_id, label, element, optional=optional)


def date_input(
    block_id: str, label: str, *, initial: str | None = None, optional: bool = False
) -> InputBlock:
    element = DatePickerElement(action_id=VALUE, initial_date=initial)
    return _input(block_id, label, element, optional=optional)


def time_input(block_id: str, label: str, *, initial: str | None = None) -> InputBlock:
    return _input(block_id, label, TimePickerElement(action_id=VALUE, initial_time=initial))


def modal(
    callback_id: str,
    title: str,
    blocks: Sequence[Block],
    *,
    submit: str | None,
    close: str,
    private_metadata: str = "",
) -> View:
    return View(
        type="modal",
        callback_id=callback_id,
        title=PlainTextObject(text=clip(title, 24)),
        submit=PlainTextObject(text=clip(submit, 24)) if submit else None,
        close=PlainTextObject(text=clip(close, 24)),
        blocks=list(blocks)[:MAX_BLOCKS],
        private_metadata=private_metadata,  # never cut: see `handlers.payloads.pack`
    )


def form_modal(
    callback_id: str,
    title: str,
    blocks: Sequence[Block],
    tr: Translator,
    *,
    submit: str | None = None,
    metadata: str,
) -> View:
    """A form: `submit` (by default Save) sends it, Cancel closes it; `metadata` comes from
    `payloads.pack`."""
    return modal(
        callback_id,
        title,
        blocks,
        submit=submit or tr(_("Save")),
        close=tr(_("Cancel")),
        private_metadata=metadata,
    )


def reason_modal(
    callback_id: str,
    title: str,
    about: str,
    reason: InputBlock,
    tr: Translator,
    *,
    submit: str,
    metadata: str,
) -> View:
    """A form asking why: what it is about (mrkdwn), the reason's input, and the buttons."""
    return form_modal(
        callback_id, title, [section(about), reason], tr, submit=submit, metadata=metadata
    )
