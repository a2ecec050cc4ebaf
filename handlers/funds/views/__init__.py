"""Block Kit for funds: pure functions of data and a translator (messages, modals, entries)."""

from __future__ import annotations

from handlers.funds.views.messages import FUNDING_KIND as FUNDING_KIND
from handlers.funds.views.messages import budget_chart as budget_chart
from handlers.funds.views.messages import budget_chart_form as budget_chart_form
from handlers.funds.views.messages import line_alert_message as line_alert_message
from handlers.funds.views.messages import line_text as line_text
from handlers.funds.views.messages import line_warning as line_warning
from handlers.funds.views.messages import liquidity_blocks as liquidity_blocks
from handlers.funds.views.messages import runway_alert_message as runway_alert_message
from handlers.funds.views.messages import runway_text as runway_text
from handlers.funds.views.messages import summary_message as summary_message
from handlers.funds.views.messages import used_text as used_text
from handlers.funds.views.modals import drawdown_modal as drawdown_modal
from handlers.funds.views.modals import fund_use_modal as fund_use_modal
from handlers.funds.views.modals import source_modal as source_modal
