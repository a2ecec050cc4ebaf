"""All ORM models; importing this module registers every table on `Base.metadata`."""

from storage.models.base import Base
from storage.models.clock import ClockLease, OutboxMessage, OutboxStatus, RunStatus
from storage.models.feedback import Feedback, FeedbackPending, FeedbackStatus
from storage.models.fund_control import ChangeKind, ChangeOrder, FundPolicy
from storage.models.funds import (
    Drawdown,
    EntryStatus,
    FundDay,
    FundEntry,
    FundingKind,
    FundingSource,
    RunwayAlert,
)
from storage.models.installations import slack_bots, slack_installations, slack_oauth_states
from storage.models.meetings import AgendaItem, Meeting, MeetingRsvp, Rsvp
from storage.models.payloads import Payload
from storage.models.project import (
    BudgetCategory,
    BudgetLine,
    Department,
    DepartmentKind,
    DepartmentMember,
    Phase,
    Project,
    ProjectPM,
    Raci,
    Responsibility,
)
from storage.models.reports import Report, ReportStatus
from storage.models.risks import (
    Risk,
    RiskCategory,
    RiskCounter,
    RiskStatus,
    RiskTreatment,
    RiskUpdate,
)
from storage.models.scorecard import ScorecardEntry, ScorecardMonth, ScorecardWeights
from storage.models.surveys import (
    QuestionKind,
    Survey,
    SurveyParticipant,
    SurveyPendingAnswer,
    SurveyQuestion,
    SurveyResponse,
    SurveyTemplate,
)
from storage.models.system import AuditLog, ClaimedView, JobRun, ProcessedEvent
from storage.models.webhooks import WebhookOutbox

__all__ = [
    "AgendaItem",
    "AuditLog",
    "Base",
    "BudgetCategory",
    "BudgetLine",
    "ChangeKind",
    "ChangeOrder",
    "ClaimedView",
    "ClockLease",
    "Department",
    "DepartmentKind",
    "DepartmentMember",
    "Drawdown",
    "EntryStatus",
    "Feedback",
    "FeedbackPending",
    "FeedbackStatus",
    "FundDay",
    "FundEntry",
    "FundPolicy",
    "FundingKind",
    "FundingSource",
    "JobRun",
    "Meeting",
    "MeetingRsvp",
    "OutboxMessage",
    "OutboxStatus",
    "Payload",
    "Phase",
    "ProcessedEvent",
    "Project",
    "ProjectPM",
    "QuestionKind",
    "Raci",
    "Report",
    "ReportStatus",
    "Responsibility",
    "Risk",
    "RiskCategory",
    "RiskCounter",
    "RiskStatus",
    "RiskTreatment",
    "RiskUpdate",
    "Rsvp",
    "RunStatus",
    "RunwayAlert",
    "ScorecardEntry",
    "ScorecardMonth",
    "ScorecardWeights",
    "Survey",
    "SurveyParticipant",
    "SurveyPendingAnswer",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveyTemplate",
    "WebhookOutbox",
    "slack_bots",
    "slack_installations",
    "slack_oauth_states",
]
