"""Fund control renderers: pure, valid Block Kit, user text inert, both languages."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from bot.i18n import Translator
from bot.sandbox.blockkit import assert_valid_blocks, assert_valid_view
from bot.services.approvals import ApprovalCard, ItemKind
from bot.services.fund_policy import DEFAULTS, form_of
from bot.services.funds import LineStatus
from handlers.approvals import views
from tests.headers import header

HOSTILE = "<!channel> *R&D* <https://evil.example|bank>"
LINE = LineStatus(
    1, f"路基 {HOSTILE}", "construction", None, Decimal("600000"), Decimal("100000"),
    Decimal("540000"), Decimal("50000"), Decimal("-1000"),
)  # fmt: skip


def card(**changes: object) -> ApprovalCard:
    values: dict[str, object] = {
        "kind": ItemKind.ENTRY,
        "id": 7,
        "project": header(channel_id="C1"),
        "status": "pending",
        "role": "finance",
        "requester": "UMEMBER",
        "amount": Decimal("540000"),
        "line": LINE,
        "text": HOSTILE,
        "reference": HOSTILE,
        "created_at": dt.datetime(2026, 11, 27, 4, 0, tzinfo=dt.UTC),
        "spent_on": dt.date(2026, 11, 26),
        "checks": ("duplicate_reference",),
        "check_reason": HOSTILE,
        "approvers": ("ULEAD",),
    }
    values.update(changes)
    return ApprovalCard(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("locale", ["en", "zh-Hans"])
@pytest.mark.parametrize("kind", [ItemKind.ENTRY, ItemKind.CHANGE])
def test_the_approvers_dm_is_valid_and_inert(locale: str, kind: ItemKind) -> None:
    tr = Translator(locale)
    item = card(kind=kind, change_kind="transfer" if kind == ItemKind.CHANGE else None,
                to_line=LINE if kind == ItemKind.CHANGE else None)  # fmt: skip
    text, blocks = views.approval_message(item, tr)
    shown = [block.to_dict() for block in blocks]
    assert_valid_blocks(shown, "message")
    body = json.dumps(shown, ensure_ascii=False)
    assert "<!channel>" not in body and "<https://evil" not in body
    assert "<@UMEMBER>" in text  # the bot's own mention stays live
    if locale == "zh-Hans":
        assert "需要您审批" in text and "批准" in body and "驳回" in body
    # decided: no buttons left, the reason shown escaped
    decided = card(status="rejected", decided_by="ULEAD", decision_note=HOSTILE, approvers=())
    _text, after = views.approval_message(decided, tr)
    rendered = json.dumps([b.to_dict() for b in after], ensure_ascii=False)
    assert '"actions"' not in rendered and "&lt;!channel&gt;" in rendered


def test_line_figures_show_every_figure() -> None:
    tr = Translator("en")
    shown = views.line_figures(LINE, "CNY", tr)
    for figure in ("600,000.00", "50,000.00", "650,000.00", "100,000.00", "540,000.00",
                   "640,000.00", "-¥1,000.00", "9,000.00"):  # fmt: skip
        assert figure in shown, figure


@pytest.mark.parametrize("locale", ["en", "zh-Hans"])
def test_modals_are_valid(locale: str) -> None:
    tr = Translator(locale)
    assert_valid_view(views.policy_modal(form_of(DEFAULTS), "CNY", tr, metadata="{}").to_dict())
    assert_valid_view(views.change_modal([LINE], "CNY", tr, metadata="{}", line_id=1).to_dict())
    assert_valid_view(views.reject_modal(card(), tr, metadata="{}").to_dict())
    _text, blocks = views.approvals_message(
        [card(), card(id=8)], [card(id=9)], code="HWY-42", tr=tr
    )
    assert_valid_blocks([b.to_dict() for b in blocks], "message")
