"""The sandbox page's own words, through the translation layer; the page fetches them as JSON."""

from __future__ import annotations

from typing import Final

from bot.i18n import Msg, Translator, _

STRINGS: Final[dict[str, Msg]] = {
    "title": _("ICRM sandbox"),
    "subtitle": _("A local Slack stand-in: nothing leaves this computer."),
    "acting_as": _("Acting as"),
    "channels": _("Channels"),
    "direct_messages": _("Direct messages"),
    "app_home": _("App Home"),
    "composer_placeholder": _("Type a slash command, e.g. /icrm help"),
    "send": _("Send"),
    "composer_hint": _("Commands: /icrm, /funds, /risk, /feedback, /survey (add help to any)."),
    "only_commands": _("The sandbox takes slash commands only; start with a /."),
    "only_visible_to_you": _("Only visible to you"),
    "jobs": _("Scheduled jobs"),
    "run_now": _("Run now"),
    "no_jobs": _("No scheduled jobs are registered yet."),
    "submit": _("Submit"),
    "cancel": _("Cancel"),
    "empty_channel": _("No messages yet."),
    "empty_home": _("The App Home has not been published for this user yet."),
    "bot_error": _("The bot did not accept the request ({detail})."),
    "select_placeholder": _("Choose…"),
    "language": _("Language"),
    "menu": _("Conversations and jobs"),
    "welcome_title": _("Welcome to the ICRM sandbox"),
    "welcome_text": _(
        "This is HWY-42's project channel, with ten weeks of demo data. You act as the person "
        "chosen at the top; everything the bot sends shows here. Try one of these:"
    ),
    "welcome_more": _("Type /icrm help for every command, or run a scheduled job from the menu."),
    "try": _("Try"),
    "bot": _("ICRM bot"),
    "app": _("APP"),
    "required": _("Please fill out this field."),
    "optional": _("(optional)"),
}


# The welcome's three commands: the week at a glance, the money, the risks.
WELCOME: Final[list[tuple[str, Msg]]] = [
    ("/icrm digest", _("the weekly digest: money, risks and feedback at a glance")),
    ("/funds summary", _("budget, spending and how many weeks the funds last")),
    ("/risk list", _("the open risks, worst first, with their owners")),
]


def page_strings(tr: Translator) -> dict[str, str]:
    """Every string of the page in `tr`'s language (placeholders kept for the page to fill)."""
    return {key: tr(msg) for key, msg in STRINGS.items()}


def welcome_commands(tr: Translator) -> list[dict[str, str]]:
    """The commands the welcome suggests, each with what it shows, in `tr`'s language."""
    return [{"command": command, "what": tr(what)} for command, what in WELCOME]
