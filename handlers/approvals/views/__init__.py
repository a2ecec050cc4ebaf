"""Block Kit for fund control: pure functions of data and a translator (messages and modals)."""

from __future__ import annotations

from handlers.approvals.views.messages import CHANGE_KIND as CHANGE_KIND
from handlers.approvals.views.messages import CHECK as CHECK
from handlers.approvals.views.messages import MAX_LISTED as MAX_LISTED
from handlers.approvals.views.messages import ROLE as ROLE
from handlers.approvals.views.messages import ItemRef as ItemRef
from handlers.approvals.views.messages import RejectMeta as RejectMeta
from handlers.approvals.views.messages import approval_message as approval_message
from handlers.approvals.views.messages import approvals_message as approvals_message
from handlers.approvals.views.messages import decided_text as decided_text
from handlers.approvals.views.messages import history_message as history_message
from handlers.approvals.views.messages import line_figures as line_figures
from handlers.approvals.views.messages import pending_text as pending_text
from handlers.approvals.views.messages import requester_message as requester_message
from handlers.approvals.views.modals import change_modal as change_modal
from handlers.approvals.views.modals import policy_modal as policy_modal
from handlers.approvals.views.modals import reject_modal as reject_modal
