"""The project managers' forms: create a project, edit its basics (optimistic concurrency), set its sectors and
nexus profile, answer the screening checklist, add a location, move it to its next phase, add a budget or a
transaction. Thin: reads go through the selectors, writes through the services; a DomainError is attached to the
form and answered with its status (400 invalid, 403 forbidden, 409 conflict, 412 stale edit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bakuhub.accounts.models import User
from bakuhub.accounts.permissions import editor_organisation_ids, focal_country_ids, is_secretariat
from bakuhub.core.errors import DomainError, PreconditionFailed
from bakuhub.core.models import AdminUnit
from bakuhub.finance import services as finance_services
from bakuhub.projects import nexus, services
from bakuhub.projects.models import Project, Screening
from bakuhub.projects.permissions import can

from ..forms_projects import (
    BudgetForm,
    HumanitarianForm,
    LocationForm,
    NexusForm,
    PhaseForm,
    ProjectCreateForm,
    ProjectEditForm,
    ScreeningForm,
    SectorsForm,
    TransactionForm,
)
from .errors import attach
from .projects import visible_project

Write = Callable[[User, Project, dict[str, Any]], Any]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _managed(request: HttpRequest, pk: int, rule: str = "change_project") -> tuple[User, Project]:
    """The signed-in user and the project, or 404 (not visible) / 403 (visible, but not theirs to manage)."""
    user = _user(request)
    project = visible_project(request, pk)
    if not can(user, rule, project):
        if rule == "screen_project":
            message = _("Only the secretariat and the country's focal points screen projects.")
        else:
            message = _("Only the secretariat, the country's focal points and the lead organisation edit this project.")
        raise PermissionDenied(message)
    return user, project


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int | None = None) -> HttpResponse:
    if status is None:
        status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


def _saved(request: HttpRequest, project: Project, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("portal:project", pk=project.pk)


def _simple_form(
    request: HttpRequest,
    project: Project,
    user: User,
    form: forms.Form,
    write: Write,
    *,
    title: str,
    done: str,
    intro: str = "",
) -> HttpResponse:
    """The common shape: a valid POST calls `write`; a DomainError goes on the form with its status."""
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            write(user, project, form.cleaned_data)
        except DomainError as exc:
            attach(form, exc)
            status = exc.status
        else:
            return _saved(request, project, done)
    context = {"project": project, "form": form, "title": title, "intro": intro}
    return _page(request, "portal/projects/form.html", context, status)


# --- create and edit ------------------------------------------------------------------------------------------


def _may_create_somewhere(user: User) -> bool:
    return bool(is_secretariat(user) or focal_country_ids(user) or editor_organisation_ids(user))


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _may_create_somewhere(user):
        raise PermissionDenied(
            _("The secretariat, focal points and partner editors create projects; ask the secretariat for access.")
        )
    form = ProjectCreateForm(request.POST or None)
    status = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                actor=user,
                country=data["country"],
                identifier=data["identifier"].strip(),
                titles=form.titles(),
                lead_organisation=data["lead_organisation"],
                planned_start=data["planned_start"],
                planned_end=data["planned_end"],
            )
        except DomainError as exc:
            attach(form, exc)
            status = exc.status
        else:
            return _saved(request, project, _("Project %(id)s created.") % {"id": project.identifier})
    context = {"project": None, "form": form, "title": _("New project"), "intro": ""}
    return _page(request, "portal/projects/form.html", context, status)


def _changed_values(project: Project, fields: list[str]) -> list[tuple[str, str]]:
    """The current value of each field another editor changed, to show next to the stale form."""
    shown = []
    for name in fields:
        value: Any = getattr(project, name, None)
        if isinstance(value, dict):
            value = "; ".join(f"{lang}: {text}" for lang, text in value.items())
        shown.append((name, "" if value is None else str(value)))
    return shown


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the basics. A save based on an old version is refused (412) with the fields changed since; the form keeps
    what the editor typed and now carries the current version, so saving again deliberately overwrites them."""
    user, project = _managed(request, pk)
    form = ProjectEditForm(request.POST or None, initial=ProjectEditForm.initial_for(project))
    status = None
    stale: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                actor=user,
                project=project,
                expected_version=form.cleaned_data["version"],
                **form.changes(project),
            )
        except PreconditionFailed as exc:
            status = exc.status
            changed = sorted(exc.errors)
            stale = _changed_values(project, changed)
            attach(form, exc)
            data = request.POST.copy()
            data["version"] = str(project.version)
            form.data = data  # the hidden field now carries the current version
        except DomainError as exc:
            attach(form, exc)
            status = exc.status
        else:
            return _saved(request, project, _("Saved %(id)s.") % {"id": project.identifier})
    context = {"project": project, "form": form, "stale": stale}
    return _page(request, "portal/projects/edit.html", context, status)


# --- tagging --------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_sectors(request: HttpRequest, pk: int) -> HttpResponse:
    user, project = _managed(request, pk)
    if request.method == "POST":
        form = SectorsForm(request.POST, rows=SectorsForm.rows_in(request.POST))
    else:
        form = SectorsForm(initial=SectorsForm.initial_for(project), rows=len(project.sectors.all()) + 3)
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            services.project_sectors_set(actor=user, project=project, sectors=form.sectors())
        except DomainError as exc:
            attach(form, exc)
            status = exc.status
        else:
            return _saved(request, project, _("Sectors saved."))
    return _page(request, "portal/projects/sectors.html", {"project": project, "form": form}, status)


def _write_nexus(user: User, project: Project, data: dict[str, Any]) -> Project:
    return services.project_nexus_set(
        actor=user,
        project=project,
        climate=data["climate"],
        peace=data["peace"],
        migration=data["migration"],
        climate_justification=data["climate_justification"],
        peace_justification=data["peace_justification"],
        migration_justification=data["migration_justification"],
        method=data["method"],
    )


def _suggestion_text(project: Project) -> str:
    suggestions = nexus.suggest_scores(
        sectors=[(s.code, s.percentage) for s in project.sectors.all()],
        humanitarian_scope_vocabulary=project.humanitarian_scope_vocabulary,
        humanitarian_scope_code=project.humanitarian_scope_code,
    )
    parts = []
    for suggestion in suggestions.values():
        reasons = "; ".join(suggestion.reasons) or _("no matching sector")
        parts.append(f"{suggestion.dimension} {suggestion.score} ({reasons})")
    return _("Suggested from the sectors: %(list)s. A suggestion is only a suggestion.") % {"list": "; ".join(parts)}


@login_required
@require_http_methods(["GET", "POST"])
def project_nexus(request: HttpRequest, pk: int) -> HttpResponse:
    user, project = _managed(request, pk)
    form = NexusForm(request.POST or None, initial=NexusForm.initial_for(project))
    return _simple_form(
        request,
        project,
        user,
        form,
        _write_nexus,
        title=_("Nexus profile"),
        done=_("Nexus profile saved."),
        intro=_suggestion_text(project),
    )


def _write_humanitarian(user: User, project: Project, data: dict[str, Any]) -> Project:
    return services.project_humanitarian_set(
        actor=user,
        project=project,
        humanitarian={"yes": True, "no": False}.get(data["humanitarian"]),
        scope_type=data["scope_type"],
        scope_vocabulary=data["scope_vocabulary"],
        scope_code=data["scope_code"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_humanitarian(request: HttpRequest, pk: int) -> HttpResponse:
    """The humanitarian flag and scope (IATI), checked and audited by the service."""
    user, project = _managed(request, pk)
    form = HumanitarianForm(request.POST or None, initial=HumanitarianForm.initial_for(project))
    return _simple_form(
        request,
        project,
        user,
        form,
        _write_humanitarian,
        title=_("Humanitarian scope"),
        done=_("Humanitarian scope saved."),
        intro=_(
            "Type 1 Emergency goes with a GLIDE number (vocabulary 1-2), type 2 Appeal with an OCHA FTS plan code "
            "(2-1). A scope is given only for a humanitarian project."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_screening(request: HttpRequest, pk: int) -> HttpResponse:
    """The do-no-harm / conflict-sensitivity checklist: save a draft, or complete it (needed before approval)."""
    user, project = _managed(request, pk, "screen_project")
    screening = Screening.objects.filter(project=project).select_related("reviewer").first()
    initial = ScreeningForm.initial_for(screening.answers if screening is not None else {})
    form = ScreeningForm(request.POST or None, initial=initial)
    status = None
    if request.method == "POST" and form.is_valid():
        complete = "complete" in request.POST
        try:
            services.screening_save(actor=user, project=project, answers=form.answers(), complete=complete)
        except DomainError as exc:
            attach(form, exc)
            status = exc.status
        else:
            done = _("Screening completed.") if complete else _("Screening saved as a draft.")
            return _saved(request, project, done)
    context = {"project": project, "form": form, "screening": screening}
    return _page(request, "portal/projects/screening.html", context, status)


# --- locations and phases -------------------------------------------------------------------------------------


def _write_location(user: User, project: Project, data: dict[str, Any]) -> Any:
    return services.location_add(
        actor=user,
        project=project,
        admin_unit=data["admin_unit"],
        admin2_pcode=data["admin2_pcode"],
        name=data["name"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        location_class=data["location_class"],
        exactness=data["exactness"],
        sensitivity=data["sensitivity"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def location_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, project = _managed(request, pk)
    units = AdminUnit.objects.filter(country_id=project.country_id, level=1).order_by("name")
    form = LocationForm(request.POST or None, units=units)
    intro = _("Coordinates of a coarsened or hidden site are never shown to the public.")
    return _simple_form(
        request, project, user, form, _write_location, title=_("Add a location"), done=_("Location added."),
        intro=intro,
    )  # fmt: skip


@login_required
@require_POST
def project_phase(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the project to one of its allowed next phases (the buttons on the project page post here)."""
    user, project = _managed(request, pk)
    form = PhaseForm(request.POST, allowed=services.allowed_next_phases(project.phase))
    status = 400
    if form.is_valid():
        to_phase = form.cleaned_data["to_phase"]
        try:
            services.project_phase_advance(
                actor=user, project=project, to_phase=to_phase, on_date=form.cleaned_data["on_date"]
            )
        except DomainError as exc:
            attach(form, exc)
            status = exc.status
        else:
            label = Project.Phase(to_phase).label
            return _saved(request, project, _("%(id)s is now %(phase)s.") % {"id": project.identifier, "phase": label})
    context = {"project": project, "form": form, "title": _("Change the phase"), "intro": ""}
    return _page(request, "portal/projects/form.html", context, status)


# --- money ----------------------------------------------------------------------------------------------------


def _write_budget(user: User, project: Project, data: dict[str, Any]) -> Any:
    return finance_services.budget_create(actor=user, project=project, **data)


def _write_transaction(user: User, project: Project, data: dict[str, Any]) -> Any:
    return finance_services.transaction_create(actor=user, project=project, **data)


@login_required
@require_http_methods(["GET", "POST"])
def budget_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, project = _managed(request, pk)
    form = BudgetForm(request.POST or None)
    intro = _("Converted to USD and EUR at the value date from the secretariat's rates table.")
    return _simple_form(
        request, project, user, form, _write_budget, title=_("Add a budget"), done=_("Budget added."), intro=intro
    )


@login_required
@require_http_methods(["GET", "POST"])
def transaction_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, project = _managed(request, pk)
    form = TransactionForm(request.POST or None)
    intro = _("A negative amount is allowed only for a commitment (a de-commitment).")
    return _simple_form(
        request,
        project,
        user,
        form,
        _write_transaction,
        title=_("Add a transaction"),
        done=_("Transaction added."),
        intro=intro,
    )
