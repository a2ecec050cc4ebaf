"""The administration screens' buttons and modals (departments, roles, budget, settings)
and the set-up modal of `/icrm setup`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from typing import TypeVar

from slack_bolt import App

from bot.deps import Deps
from bot.errors import PermissionDenied, UserError
from bot.forms import Form
from bot.i18n import Msg, _
from bot.services import budget, departments, project_settings, projects, roles
from bot.services.budget import BudgetField
from bot.services.departments import DepartmentField
from bot.services.project_settings import SettingsField
from bot.services.projects import ProjectField
from bot.services.roles import RoleField, RolesForm
from handlers.common import Acting, Caller, post_to_channel, tell
from handlers.ids import View as V
from handlers.kit import ProjectRef, Request, button, modal
from handlers.projects import views
from handlers.projects.commands import (
    AdminRef,
    SetupMeta,
    Show,
    show_budget,
    show_departments,
    show_roles,
)
from handlers.projects.ids import ProjectAction as A
from handlers.projects.ids import ProjectView as PV
from handlers.projects.views import budget as budget_views
from handlers.projects.views import departments as department_views
from handlers.projects.views import roles as role_views
from handlers.routing import REFS
from handlers.text import esc
from storage.uow import UnitOfWork

F = TypeVar("F", bound=StrEnum)


def _pressed(req: Request) -> tuple[AdminRef, ProjectRef]:
    """The `AdminRef` of a pressed button, and its project (the request's language)."""
    ref = req.value(AdminRef)
    return ref, req.about(ref.project_id)


def _submitted(req: Request) -> tuple[AdminRef, ProjectRef]:
    """The `AdminRef` of a submitted modal, and its project (the request's language)."""
    ref = req.meta(AdminRef)
    return ref, req.about(ref.project_id)


def _answer_to(caller: Caller, ref: AdminRef) -> Caller:
    """Where to send the follow-up of a modal: the channel it was opened from."""
    return replace(caller, channel_id=ref.channel_id or caller.channel_id)


def _meta(req: Request, ref: AdminRef) -> str:
    """A modal's metadata: `ref` plus where to answer."""
    return ref.model_copy(update={"channel_id": req.caller.channel_id}).dump(req.deps)


def _saved(req: Request, ref: AdminRef, project: ProjectRef, show: Show, notice: str) -> None:
    """After a list's modal was saved: the list again, where the modal was opened."""
    req.close()
    show(req.deps, req.client, _answer_to(req.caller, ref), project, notice)


def _item_modal(
    app: App,
    deps: Deps,
    callback_id: str,
    fields: type[F],
    save: Callable[[UnitOfWork, Acting, int | None, Form[F]], str],
    notice: Msg,
    show: Show,
) -> None:
    """The modal that adds or edits one item of an admin list (a department, a budget
    line): `save` saves the form (the item's id, None for a new one) and names the item;
    then the list again, with `notice` naming it, where the modal was opened."""

    @modal(app, deps, callback_id, refusal=UserError)
    def submit(req: Request) -> None:
        ref, project = _submitted(req)
        form = req.form(fields)
        with deps.uow() as uow:
            name = save(uow, req.caller.acting(project.id), ref.item_id, form)
        _saved(req, ref, project, show, req.tr(notice, name=esc(name)))


def register_departments(app: App, deps: Deps) -> None:
    @button(app, deps, A.DEPARTMENT_ADD, A.DEPARTMENT_EDIT)
    def edit(req: Request) -> None:
        ref, project = _pressed(req)
        with deps.uow() as uow:
            form = departments.department_form(
                uow,
                **req.caller.acting(project.id),
                department_id=ref.item_id,
            )
        editing = ref.item_id is not None
        view = department_views.department_modal(
            form, req.tr, editing=editing, metadata=_meta(req, ref)
        )
        req.open_modal(view)

    @button(app, deps, A.DEPARTMENT_REMOVE)
    def remove(req: Request) -> None:
        ref, project = _pressed(req)
        with deps.uow() as uow:
            name = departments.remove_department(
                uow,
                **req.caller.acting(project.id),
                department_id=ref.item_id or 0,
            )
        notice = req.tr(_("Removed the department “{name}”."), name=esc(name))
        show_departments(deps, req.client, req.caller, project, notice)

    def save(
        uow: UnitOfWork, acting: Acting, item_id: int | None, form: Form[DepartmentField]
    ) -> str:
        return departments.save_department(uow, **acting, department_id=item_id, form=form).name

    saved = _("Saved the department “{name}”.")
    _item_modal(app, deps, PV.DEPARTMENT, DepartmentField, save, saved, show_departments)


def register_budget(app: App, deps: Deps) -> None:
    @button(app, deps, A.BUDGET_ADD, A.BUDGET_EDIT)
    def edit(req: Request) -> None:
        ref, project = _pressed(req)
        with deps.uow() as uow:
            form, choices, currency = budget.line_form(
                uow,
                **req.caller.acting(project.id),
                line_id=ref.item_id,
            )
        view = budget_views.budget_line_modal(
            form,
            req.tr,
            currency=currency,
            departments=choices,
            editing=ref.item_id is not None,
            metadata=_meta(req, ref),
        )
        req.open_modal(view)

    def save(uow: UnitOfWork, acting: Acting, item_id: int | None, form: Form[BudgetField]) -> str:
        return budget.save_line(uow, **acting, line_id=item_id, form=form).name

    saved = _("Saved the budget line “{name}”.")
    _item_modal(app, deps, PV.BUDGET_LINE, BudgetField, save, saved, show_budget)


def register_roles(app: App, deps: Deps) -> None:
    @button(app, deps, A.ROLES_ADD, A.ROLES_EDIT)
    def edit(req: Request) -> None:
        ref, project = _pressed(req)
        caller = req.caller
        with deps.uow() as uow:
            projects.pm_project(uow, caller.team_id, project.id, caller.user_id)
            matrix = roles.load_matrix(uow, team_id=caller.team_id, project_id=project.id)
        row = None
        if ref.phase is not None and ref.area is not None:
            row = matrix.row(ref.phase, ref.area)
            if row is None:
                tell(req.client, caller, req.tr(_("That row of the matrix no longer exists.")))
                return
        req.open_modal(role_views.roles_modal(matrix, req.tr, row=row, metadata=_meta(req, ref)))

    @modal(app, deps, PV.ROLES, refusal=UserError)
    def save(req: Request) -> None:
        ref, project = _submitted(req)
        state = req.values
        form = RolesForm(
            area=state.pop(RoleField.AREA, None),
            phase=state.pop(RoleField.PHASE, None),
            roles={k: v for k, v in state.items() if isinstance(v, str) or v is None},
        )
        row = (ref.phase, ref.area) if ref.phase is not None and ref.area is not None else None
        with deps.uow() as uow:
            phase, area = roles.save_row(
                uow,
                **req.caller.acting(project.id),
                row=row,
                form=form,
            )
        notice = req.tr(
            _("Saved the responsibilities for {row}."),
            row=role_views.row_title(req.tr, phase, area),
        )
        _saved(req, ref, project, show_roles, notice)


def register_setup(app: App, deps: Deps) -> None:
    @modal(app, deps, PV.SETTINGS, refusal=UserError)
    def save_settings(req: Request) -> None:
        ref, project = _submitted(req)
        form = req.form(SettingsField)
        with deps.uow() as uow:
            project_settings.save_settings(
                uow,
                **req.caller.acting(project.id),
                form=form,
            )
        req.close()
        saved = req.tr(_("Saved the settings of {code}."), code=project.code)
        values, _errors = project_settings.validate_settings(form)
        warning = project_settings.anonymity_warning(
            values.get("anonymity_min", 5), values.get("comment_anonymity_min", 10)
        )
        if warning is not None:
            saved = f"{saved}\n{req.tr(warning)}"
        tell(req.client, _answer_to(req.caller, ref), saved)

    @modal(app, deps, V.PROJECT_SETUP, refusal=PermissionDenied, refusal_on=ProjectField.CODE)
    def submit_setup(req: Request) -> None:
        caller, meta = req.caller, req.meta(SetupMeta)
        form = req.form(ProjectField)
        tr = req.speak(form.text(ProjectField.LOCALE) or deps.settings.default_locale)
        with deps.uow() as uow:
            saved = projects.save_project(
                uow,
                **caller.who(),
                channel_id=meta.channel_id,
                form=form,
                enterprise_id=caller.enterprise_id,
            )
            # Only the message about a new project lists them: an edit skips the query.
            names = (
                [d.name for d in uow.projects.departments(saved.project_id)]
                if saved.created
                else []
            )
        REFS.forget(caller.team_id, meta.channel_id)  # before the ack: the next command sees it
        req.close()
        text, blocks = views.created_message(
            tr,
            code=saved.code,
            name=(form.text(ProjectField.NAME) or "").strip(),
            user_id=caller.user_id,
            departments=names,
            created=saved.created,
        )
        post_to_channel(
            req.client, meta.channel_id, text, blocks, tr=tr, fallback_user=caller.user_id
        )


def register(app: App, deps: Deps) -> None:
    register_departments(app, deps)
    register_budget(app, deps)
    register_roles(app, deps)
    register_setup(app, deps)
