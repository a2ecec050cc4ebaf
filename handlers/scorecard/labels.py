"""Human names of the scorecard's components."""

from __future__ import annotations

from typing import Final

from bot.i18n import Msg, _
from bot.scoring import Component

COMPONENT: Final[dict[Component, Msg]] = {
    Component.SATISFACTION: _("Satisfaction"),
    Component.NPS: _("NPS"),
    Component.TIMELINESS: _("Reports on time"),
    Component.RESPONSIVENESS: _("Risk response"),
    Component.ACKNOWLEDGEMENT: _("Feedback acknowledged"),
}
