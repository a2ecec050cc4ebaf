"""Callback and action ids of project administration (`/icrm departments|roles|budget|settings`)."""

from __future__ import annotations

from enum import StrEnum


class ProjectView(StrEnum):
    """`callback_id` of each administration modal."""

    DEPARTMENT = "project_department"
    ROLES = "project_roles"
    BUDGET_LINE = "project_budget_line"
    SETTINGS = "project_settings"


class ProjectAction(StrEnum):
    """`action_id` of the buttons on the administration lists."""

    DEPARTMENT_ADD = "project_department_add"
    DEPARTMENT_EDIT = "project_department_edit"
    DEPARTMENT_REMOVE = "project_department_remove"
    ROLES_EDIT = "project_roles_edit"
    ROLES_ADD = "project_roles_add"
    BUDGET_ADD = "project_budget_add"
    BUDGET_EDIT = "project_budget_edit"
