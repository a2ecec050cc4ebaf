"""A project's approval policy: amount thresholds by role, a budget line's graded tolerance
(warn / require approval / block), reminders, and who approves what (four eyes, delegation).

Pure parts (validation, the level an entry needs, who may approve) take plain values;
`policy_of` / `save_policy` read and write the project's row.
"""

from bot.services.fund_policy.form import (
    P,
    PolicyField,
    form_of,
    policy_form,
    save_policy,
    set_policy,
    snapshot,
    validate_policy,
)
from bot.services.fund_policy.rules import (
    DEFAULTS,
    MAX_PERCENT,
    OFF,
    ROLES,
    LineLevel,
    Policy,
    Role,
    approvers,
    higher,
    holders,
    line_level,
    may_approve,
    policy_of,
    role_for_amount,
)

__all__ = [
    "DEFAULTS",
    "MAX_PERCENT",
    "OFF",
    "ROLES",
    "LineLevel",
    "P",
    "Policy",
    "PolicyField",
    "Role",
    "approvers",
    "form_of",
    "higher",
    "holders",
    "line_level",
    "may_approve",
    "policy_form",
    "policy_of",
    "role_for_amount",
    "save_policy",
    "set_policy",
    "snapshot",
    "validate_policy",
]
