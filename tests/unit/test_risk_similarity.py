"""The "is this risk already open?" check: titles compared by character bigrams."""

from __future__ import annotations

import pytest

from bot.services.risks import SIMILAR, title_similarity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("资金链断裂：过桥贷款未签署", "资金链断裂，过桥贷款尚未签署"),
        ("银团贷款第二笔提款审批延迟", "银团贷款第二笔提款审批延误"),
        ("Bridge loan not signed", "bridge loan not signed yet"),
        ("EPC contractor default", "EPC-contractor defaults"),
        ("资金链断裂: bridge loan not signed", "资金链断裂：Bridge Loan not signed!"),
        ("ＦＸ　ｌｏｓｓ", "FX loss"),  # full-width letters fold to the same title
    ],
)
def test_near_duplicates_are_similar(a: str, b: str) -> None:
    assert title_similarity(a, b) >= SIMILAR
    assert title_similarity(a, b) == title_similarity(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("资金链断裂：过桥贷款未签署", "征地拆迁延误影响第三标段"),
        ("Bridge loan not signed", "Steel price rise"),
        ("汇率波动", "Interest rate rise"),
        ("Land acquisition delayed", "征地延误"),  # another language is another title
    ],
)
def test_different_risks_are_not(a: str, b: str) -> None:
    assert title_similarity(a, b) < SIMILAR


def test_identical_and_empty_titles() -> None:
    assert title_similarity("汇率", "汇率") == 1.0
    assert title_similarity("险", "险") == 1.0
    assert title_similarity("", "汇率") == 0.0
    assert title_similarity("!!!", "???") == 0.0
