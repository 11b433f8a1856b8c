"""Read queries for project pages: each list is one query (plus constant look-ups), whatever its size."""

import datetime
from collections.abc import Iterable, Mapping

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models import CharField as CharFieldType
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from wagtail.models import Locale

from events.models import Audience, EventDate
from portal.locales import locale_of
from portal.privacy import public_pages
from projects.models import (
    EU_KINDS,
    FunderKind,
    FundingProgramme,
    ProjectIndexPage,
    ProjectMeasure,
    ProjectPage,
    ProjectStatus,
    PublicityCheck,
)


def _status_expression(today: datetime.date) -> Case:
    """The effective status in SQL: the editor's choice, else derived from the dates (as ProjectPage.status_on)."""
    return Case(
        When(~Q(status_override=""), then="status_override"),
        When(start_date__gt=today, then=Value(ProjectStatus.PLANNED.value)),
        When(end_date__lt=today, then=Value(ProjectStatus.COMPLETED.value)),
        When(start_date__isnull=False, then=Value(ProjectStatus.RUNNING.value)),
        default=Value(ProjectStatus.PLANNED.value),
        output_field=CharFieldType(),
    )


def _status_rank(today: datetime.date) -> Case:
    """Sort key for the listing: running 0, planned 1, completed 2."""
    return Case(
        When(status_override=ProjectStatus.RUNNING.value, then=Value(0)),
        When(status_override=ProjectStatus.PLANNED.value, then=Value(1)),
        When(status_override=ProjectStatus.COMPLETED.value, then=Value(2)),
        When(start_date__gt=today, then=Value(1)),
        When(end_date__lt=today, then=Value(2)),
        When(start_date__isnull=False, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def projects_queryset(*, locale: Locale, today: datetime.date | None = None) -> QuerySet[ProjectPage]:
    """Live projects in one language with their effective status, running first, then planned, then completed."""
    today = today or timezone.localdate()
    return (
        _public(ProjectPage.objects.live())
        .filter(locale=locale)
        .annotate(effective_status=_status_expression(today), status_rank=_status_rank(today))
        .order_by("status_rank", "-start_date", "title")
    )


def _public(pages: QuerySet) -> QuerySet:
    """Leave out pages with view restrictions: an anonymous visitor may not see them."""
    return public_pages(pages)


def localized_programmes(programmes: Iterable[FundingProgramme], locale: Locale | None) -> list[FundingProgramme]:
    """The same programmes in `locale` where a translation exists (one query), in their original order."""
    programmes = list(programmes)
    if locale is None or not programmes or all(p.locale_id == locale.pk for p in programmes):
        return programmes
    translated = {
        p.translation_key: p
        for p in FundingProgramme.objects.filter(
            translation_key__in=[p.translation_key for p in programmes], locale=locale
        ).select_related("logo")
    }
    return [translated.get(p.translation_key, p) for p in programmes]


def _attach_programmes(projects: list[ProjectPage], locale: Locale) -> list[ProjectPage]:
    """Set `display_programmes` on each project, localized, with two queries for the whole list."""
    through = ProjectPage.programmes.through
    links = list(
        through.objects.filter(projectpage_id__in=[p.pk for p in projects])
        .select_related("fundingprogramme", "fundingprogramme__logo")
        .order_by("fundingprogramme__name")
    )
    programmes = localized_programmes([link.fundingprogramme for link in links], locale)
    by_project: dict[int, list[FundingProgramme]] = {}
    for link, programme in zip(links, programmes, strict=True):
        by_project.setdefault(link.projectpage_id, []).append(programme)
    for project in projects:
        project.display_programmes = by_project.get(project.pk, [])
    return projects


def project_index_context(*, index: ProjectIndexPage, params: Mapping[str, str]) -> dict:
    """The index's listing, filtered by programme and status from the query string."""
    locale = locale_of(index)
    linked = FundingProgramme.objects.filter(
        projects__in=ProjectPage.objects.live().child_of(index).filter(locale=locale)
    ).distinct()
    programmes = []
    for programme in localized_programmes(linked, locale):
        if all(p.translation_key != programme.translation_key for p in programmes):
            programmes.append(programme)
    programmes.sort(key=lambda p: p.name)
    projects = projects_queryset(locale=locale).child_of(index)
    messages = []
    chosen_programme = None
    programme_param = (params.get("programme") or "").strip()
    if programme_param:
        chosen_programme = next((p for p in programmes if str(p.pk) == programme_param), None)
        if chosen_programme is None:
            messages.append(_("That programme is not known, so projects of every programme are shown."))
        else:
            projects = projects.filter(programmes__translation_key=chosen_programme.translation_key).distinct()
    status_param = (params.get("status") or "").strip()
    chosen_status = ""
    if status_param:
        if status_param in ProjectStatus.values:
            chosen_status = status_param
            projects = projects.filter(effective_status=status_param)
        else:
            messages.append(_("That status is not known, so projects in every status are shown."))
    # Read only when the listing is rendered (not when its fragment is cached).
    project_list = SimpleLazyObject(lambda: _attach_programmes(list(projects), locale))
    return {
        "projects": project_list,
        "programmes": programmes,
        "statuses": ProjectStatus.choices,
        "chosen_programme": chosen_programme,
        "chosen_status": chosen_status,
        "filter_messages": messages,
        "is_filtered": bool(chosen_programme or chosen_status),
    }


def current_projects_for_home(*, locale: Locale, limit: int = 3) -> list[ProjectPage]:
    """Projects for the home page: running and planned first, then the most recently completed."""
    projects = list(projects_queryset(locale=locale)[:limit])
    return _attach_programmes(projects, locale)


def project_upcoming_dates(*, project: ProjectPage, limit: int = 6) -> list:
    """The next dates of events that belong to this project, in the project's language (one query)."""
    return list(
        EventDate.objects.public()
        .filter(
            page__live=True,
            page__locale_id=project.locale_id,
            page__project__translation_key=project.translation_key,
            end__gte=timezone.now(),
        )
        .select_related("page")
        .order_by("start")[:limit]
    )


def project_result_measures(*, project: ProjectPage) -> dict[str, dict]:
    """The stored figures counted from attendance for a project (every language's page), by measure key;
    one query, whatever the number of people counted."""
    return {
        row.key: {"value": row.value, "computed_at": row.computed_at}
        for row in ProjectMeasure.objects.filter(project__translation_key=project.translation_key)
    }


def project_page_context(*, project: ProjectPage) -> dict:
    locale = project.locale
    groups = list(project.target_groups.all())
    if groups and any(g.locale_id != locale.pk for g in groups):
        translated = {
            a.translation_key: a
            for a in Audience.objects.filter(translation_key__in=[g.translation_key for g in groups], locale=locale)
        }
        groups = [translated.get(g.translation_key, g) for g in groups]
    return {
        "programmes": localized_programmes(project.programmes.select_related("logo"), locale),
        "target_groups": groups,
        "upcoming_dates": project_upcoming_dates(project=project),
        "result_measures": project_result_measures(project=project),
    }


def project_contact_person(*, project: ProjectPage):
    """The project's contact person in the language being served, with their place on that
    language's team page looked up (so that it is kept with them); None when there is none."""
    if project.contact_person_id is None:
        return None
    person = project.contact_person.localized
    _team_url = person.team_url
    return person


def publicity_overview(*, index: ProjectIndexPage) -> list[ProjectPage]:
    """Every funded live project under the index, with its programmes and the time of its last check."""
    locale = index.locale
    last_check = PublicityCheck.objects.filter(page_id=OuterRef("pk")).order_by("-checked_at").values("checked_at")[:1]
    projects = list(
        projects_queryset(locale=locale)
        .child_of(index)
        .filter(programmes__isnull=False)
        .distinct()
        .annotate(last_checked_at=Subquery(last_check))
    )
    return _attach_programmes(projects, locale)


def publicity_overview_json(*, index: ProjectIndexPage, request) -> dict:
    projects = publicity_overview(index=index)
    return {
        "index": index.get_full_url(request),
        "language": index.locale.language_code,
        "generated_at": timezone.now().isoformat(),
        "projects": [
            {
                "title": p.title,
                "url": p.get_full_url(request),
                "registration_number": p.registration_number,
                "promoter": p.promoter,
                "programmes": [
                    {"name": prog.name, "short_name": prog.short_name, "kind": prog.kind, "fund": prog.fund_name}
                    for prog in p.display_programmes
                ],
                "start_date": p.start_date.isoformat() if p.start_date else None,
                "end_date": p.end_date.isoformat() if p.end_date else None,
                "status": p.effective_status,
                "total_cost": str(p.total_cost) if p.total_cost is not None else None,
                "grant_amount": str(p.grant_amount) if p.grant_amount is not None else None,
                "currency": p.currency,
                "last_checked_at": p.last_checked_at.isoformat() if p.last_checked_at else None,
            }
            for p in projects
        ],
    }


def header_disclosure_entries(*, locale: Locale, today) -> list[dict]:
    """Running EU 2014–2020 projects in one language, with their programme, for the site header."""
    projects = list(
        projects_queryset(locale=locale, today=today)
        .filter(effective_status="running", programmes__kind=FunderKind.EU_2014_2020)
        .distinct()
    )
    entries = []
    if projects:
        links = ProjectPage.programmes.through.objects.filter(
            projectpage_id__in=[p.pk for p in projects], fundingprogramme__kind=FunderKind.EU_2014_2020
        ).select_related("fundingprogramme", "fundingprogramme__logo")
        by_project = {}
        for link in links:
            by_project.setdefault(link.projectpage_id, link.fundingprogramme)
        programmes = localized_programmes(list(by_project.values()), locale)
        translated = dict(zip(by_project.keys(), programmes, strict=True))
        for project in projects:
            programme = translated.get(project.pk)
            if programme is not None:
                entries.append(
                    {
                        "title": project.title,
                        "url": project.url,
                        "registration_number": project.registration_number,
                        "programme": programme,
                    }
                )
    return entries


def funders_bar_data(*, locale: Locale) -> dict:
    """Every funder of a live project in one language, once each, and whether any is the EU."""
    programmes = list(
        FundingProgramme.objects.filter(projects__live=True, projects__locale=locale)
        .select_related("logo")
        .distinct()
        .order_by("kind", "name")
    )
    programmes = localized_programmes(programmes, locale)
    seen, unique = set(), []
    for programme in programmes:
        if programme.translation_key not in seen:
            seen.add(programme.translation_key)
            unique.append(programme)
    return {
        "programmes": unique,
        "has_eu": any(p.kind in EU_KINDS for p in unique),
        # The 2021–2027 statement stands beside the emblem; 2014–2020 has none, the Union is named instead.
        "has_eu_2021_2027": any(p.kind == FunderKind.EU_2021_2027 for p in unique),
    }


def funding_overview_url(*, locale: Locale) -> str:
    """The public funding overview of the first live, public project index in `locale` ("" when there is none)."""
    index = public_pages(ProjectIndexPage.objects.live().filter(locale=locale)).order_by("path").first()
    if index is None:
        return ""
    return (index.url or "") + index.reverse_subpage("publicity_overview")


def obligation_register(*, today: datetime.date | None = None, status: str = "") -> list[dict]:
    """Each project with its obligations (status annotated) and its counts, the projects with most to do first."""
    from projects.models import Obligation, ObligationStatus

    today = today or timezone.localdate()
    obligations = (
        Obligation.objects.with_status(today)
        .select_related("project", "responsible")
        .order_by("project__title", "due_date", "kind")
    )
    projects: dict[int, dict] = {}
    for obligation in obligations:
        row = projects.setdefault(
            obligation.project_id,
            {"project": obligation.project, "obligations": [], "counts": dict.fromkeys(ObligationStatus.values, 0)},
        )
        row["counts"][obligation.status_value] += 1
        if not status or obligation.status_value == status:
            row["obligations"].append(obligation)
    rows = [row for row in projects.values() if row["obligations"]]
    rows.sort(
        key=lambda row: (
            -row["counts"][ObligationStatus.MISSING],
            -row["counts"][ObligationStatus.DUE_SOON],
            row["project"].title,
        )
    )
    return rows


def obligation_counts(*, today: datetime.date | None = None) -> dict[str, int]:
    """How many obligations are missing and how many are due soon (one query)."""
    from django.db.models import Count

    from projects.models import Obligation, ObligationStatus

    counts = dict.fromkeys(ObligationStatus.values, 0)
    for row in Obligation.objects.with_status(today).values("status_value").annotate(n=Count("pk")).order_by():
        counts[row["status_value"]] = row["n"]
    return counts


def project_attendance_dates(*, project: ProjectPage, today: datetime.date | None = None) -> QuerySet:
    """The held dates of the project's events in the default language (their attendance sheets are evidence)."""
    today = today or timezone.localdate()
    return (
        EventDate.objects.filter(
            page__project__translation_key=project.translation_key,
            page__locale=project.locale_id,
            start__date__lte=today,
            cancelled=False,
        )
        .select_related("page")
        .order_by("-start")
    )
