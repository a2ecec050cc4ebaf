"""Human names of the risk enums and scales."""

from __future__ import annotations

from typing import Final

from bot.i18n import Msg, _
from bot.services.risks import RiskLevel
from storage.models import RiskCategory, RiskStatus, RiskTreatment

CATEGORY: Final[dict[str, Msg]] = {
    RiskCategory.FUNDING_LIQUIDITY: _("Funding / liquidity"),
    RiskCategory.COUNTERPARTY_DEFAULT: _("Counterparty default"),
    RiskCategory.CONSTRUCTION_COMPLETION: _("Construction / completion"),
    RiskCategory.COST_OVERRUN: _("Cost overrun"),
    RiskCategory.SCHEDULE: _("Schedule"),
    RiskCategory.REGULATORY_LEGAL: _("Regulatory / legal"),
    RiskCategory.FX: _("Foreign exchange"),
    RiskCategory.INTEREST_RATE: _("Interest rate"),
    RiskCategory.TECHNICAL: _("Technical"),
    RiskCategory.FORCE_MAJEURE: _("Force majeure"),
    RiskCategory.OTHER: _("Other"),
}

TREATMENT: Final[dict[str, Msg]] = {
    RiskTreatment.TREAT: _("Treat (reduce it)"),
    RiskTreatment.TOLERATE: _("Tolerate (accept it)"),
    RiskTreatment.TRANSFER: _("Transfer (insure or contract it out)"),
    RiskTreatment.TERMINATE: _("Terminate (stop the activity)"),
}

STATUS: Final[dict[str, Msg]] = {
    RiskStatus.OPEN: _("Open"),
    RiskStatus.MITIGATING: _("Mitigating"),
    RiskStatus.CLOSED: _("Closed"),
}

LEVEL: Final[dict[str, Msg]] = {
    RiskLevel.LOW: _("Low"),
    RiskLevel.MEDIUM: _("Medium"),
    RiskLevel.HIGH: _("High"),
    RiskLevel.CRITICAL: _("Critical"),
}

LEVEL_EMOJI: Final[dict[str, str]] = {
    RiskLevel.LOW: ":large_green_circle:",
    RiskLevel.MEDIUM: ":large_yellow_circle:",
    RiskLevel.HIGH: ":large_orange_circle:",
    RiskLevel.CRITICAL: ":red_circle:",
}

LIKELIHOOD: Final[tuple[Msg, ...]] = (
    _("1 · Rare"),
    _("2 · Unlikely"),
    _("3 · Possible"),
    _("4 · Likely"),
    _("5 · Almost certain"),
)

IMPACT: Final[tuple[Msg, ...]] = (
    _("1 · Negligible"),
    _("2 · Minor"),
    _("3 · Moderate"),
    _("4 · Major"),
    _("5 · Severe"),
)
