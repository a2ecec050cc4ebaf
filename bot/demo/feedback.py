"""Demo feedback between HWY-42's departments over the last ten weeks: ratings, Chinese
comments, some anonymous, some already acknowledged or answered."""

from __future__ import annotations

import datetime as dt
from typing import Final, NamedTuple

from bot.app import Deps
from bot.demo.project import DEMO_TEAM, PEOPLE
from bot.forms import Form
from bot.services import feedback
from bot.services.feedback import FeedbackField
from storage.models import DepartmentKind

_K = DepartmentKind


class Gift(NamedTuple):
    """One feedback as the form gives it: who, from and to which department, what."""

    giver: str
    source: _K
    target: _K
    rating: int
    comment: str
    anonymous: bool


# days ago, the feedback, the reply (None: not answered; "": only acknowledged)
ITEMS: Final[list[tuple[int, Gift, str | None]]] = [
    (
        67,
        Gift(
            "U0ENG1",
            _K.ENGINEERING,
            _K.OPERATIONS,
            3,
            "征地进度表更新不及时,机电管线走向只能按旧图设计。",
            False,
        ),
        "征地进度表改为每周一更新,并抄送工程部。",
    ),
    (
        60,
        Gift(
            "U0DES1",
            _K.DESIGN,
            _K.FINANCE,
            2,
            "设计费支付申请退回两次,退回原因没有一次说清楚。",
            True,
        ),
        "",
    ),
    (
        53,
        Gift("U0LEG1", _K.LEGAL, _K.CONSTRUCTION, 4, "施工合同变更资料齐全,审核顺利。", False),
        None,
    ),
    (
        46,
        Gift(
            "U0CON3",
            _K.CONSTRUCTION,
            _K.SUPERVISION,
            3,
            "计量复核周期偏长,影响进度款申请。",
            True,
        ),
        "计量复核改为五个工作日内完成。",
    ),
    (
        39,
        Gift(
            "U0FIN2", _K.FINANCE, _K.ENGINEERING, 4, "机电设备预付款资料提交完整,一次通过。", False
        ),
        "",
    ),
    (
        33,
        Gift(
            "U0OPS2", _K.OPERATIONS, _K.LEGAL, 5, "拆迁补偿协议范本修改很及时,谈判顺利多了。", False
        ),
        None,
    ),
    (
        26,
        Gift(
            "U0CON1",
            _K.CONSTRUCTION,
            _K.FINANCE,
            2,
            "进度款审批要走五个环节,上月的款晚到了 12 天,分包商已经在催。",
            False,
        ),
        "已把审批环节压缩为三个,并设专人每周二集中处理进度款。",
    ),
    (
        19,
        Gift(
            "U0ENG2",
            _K.ENGINEERING,
            _K.DESIGN,
            3,
            "K18 桥梁变更图纸比约定晚了一周,但技术交底很清楚。",
            False,
        ),
        "",
    ),
    (
        12,
        Gift(
            "U0OPS1",
            _K.OPERATIONS,
            _K.FINANCE,
            4,
            "半月资金使用报告的模板清楚多了,核对用时减半。",
            True,
        ),
        None,
    ),
    (
        8,
        Gift(
            "U0SUP1",
            _K.SUPERVISION,
            _K.CONSTRUCTION,
            2,
            "隐蔽工程验收通知太晚,监理来不及到场。希望至少提前 24 小时通知。",
            True,
        ),
        "已要求各标段在系统中提前一天报验,本周起执行。",
    ),
    (
        5,
        Gift(
            "U0FIN1",
            _K.FINANCE,
            _K.LEGAL,
            5,
            "贷款协议补充条款审核很快,两天就给了意见,帮了大忙。",
            False,
        ),
        None,
    ),
    (
        2,
        Gift(
            "U0CON2",
            _K.CONSTRUCTION,
            _K.ENGINEERING,
            3,
            "现场技术问题的答复平均要三天,希望联合指挥部例会前能给出结论。",
            True,
        ),
        None,
    ),
]


def give(
    deps: Deps, project_id: int, gift: Gift, now: dt.datetime
) -> feedback.FeedbackItem | feedback.Held:
    """`gift` given at `now` through the service, as the form would give it, in a
    transaction of its own (also the scorecard seed's)."""
    with deps.uow() as uow:
        ids = {d.kind: d.id for d in uow.projects.departments(project_id)}
        return feedback.give_feedback(
            uow,
            team_id=DEMO_TEAM,
            project_id=project_id,
            user_id=gift.giver,
            form=Form.of(
                FeedbackField,
                to_department=str(ids[gift.target]),
                from_department=str(ids[gift.source]),
                rating=str(gift.rating),
                comment=gift.comment,
                anonymous=gift.anonymous,
            ),
            now=now,
        )


def answer(deps: Deps, feedback_id: int, target: _K, text: str, now: dt.datetime) -> None:
    """The lead of `target` replies `text` to the feedback, or only acknowledges it when
    `text` is empty (also the scorecard seed's)."""
    lead = PEOPLE[target][0]
    with deps.uow() as uow:
        if text:
            feedback.reply(
                uow, team_id=DEMO_TEAM, feedback_id=feedback_id, user_id=lead, text=text, now=now
            )
        else:
            feedback.acknowledge(
                uow, team_id=DEMO_TEAM, feedback_id=feedback_id, user_id=lead, now=now
            )


def seed(deps: Deps, project_id: int) -> None:
    """Add the demo feedback to the demo project, answered by each department's lead."""
    now = deps.now()
    for days, gift, reply in ITEMS:
        when = now - dt.timedelta(days=days)
        item = give(deps, project_id, gift, when)
        if isinstance(item, feedback.Held):  # released at once: the demo's history is older
            with deps.uow() as uow:
                [item] = feedback.release_now(uow, project_id=project_id, day=item.release_on)
        if reply is not None:
            answer(deps, item.id, gift.target, reply, when + dt.timedelta(hours=20))
