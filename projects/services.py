"""Business rules for projects: what a funded project needs before it may be published, and the
read-only links a funder's controller opens without an account."""

import datetime
import secrets
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from events import measures
from events.measures import Measure, MeasureRequest
from projects.models import ControllerLink, FundingProgramme, ProjectMeasure, ProjectPage, placeholder_reason


class ProjectError(Exception):
    """A project can not be published as it is."""


def _has_content(stream: Any) -> bool:
    """True when a StreamField value (or raw list) has at least one non-empty block."""
    if not stream:
        return False
    for child in stream:
        value = getattr(child, "value", child)
        if hasattr(value, "source"):  # RichText
            value = value.source
        if isinstance(value, dict) or hasattr(value, "items"):
            if any(str(v).strip() for v in dict(value).values() if v is not None):
                return True
        elif str(value or "").strip():
            return True
    return False


def project_publication_problems(
    *,
    programmes: Iterable[FundingProgramme],
    registration_number: str,
    short_description: str,
    aims: Any,
    expected_results: Any,
    achieved_results: Any,
) -> dict[str, str]:
    """The fields a funded project still lacks, each with a message naming it. Empty when publishable."""
    programmes = list(programmes)
    if not programmes:
        return {}
    problems: dict[str, str] = {}
    number = (registration_number or "").strip()
    if not number:
        problems["registration_number"] = str(
            _("A funded project needs its registration number before it can be published.")
        )
    elif placeholder_reason(number):
        problems["registration_number"] = placeholder_reason(number)
    else:
        for programme in programmes:
            if not programme.registration_number_matches(number):
                example = programme.registration_number_example or programme.registration_number_pattern
                problems["registration_number"] = str(
                    format_lazy(
                        _(
                            "The registration number “{number}” does not match the pattern of {programme} (e.g. {example})."
                        ),
                        number=number,
                        programme=programme.name,
                        example=example,
                    )
                )
                break
    if not (short_description or "").strip():
        problems["short_description"] = str(
            _("A funded project needs a short description (stručný popis) before it can be published.")
        )
    if not _has_content(aims):
        problems["aims"] = str(_("A funded project needs at least one aim before it can be published."))
    if not _has_content(expected_results) and not _has_content(achieved_results):
        problems["expected_results"] = str(
            _("A funded project needs expected or achieved results before it can be published.")
        )
    return problems


def project_check_publishable(*, project) -> None:
    """Raise ProjectError naming every missing field of a funded project."""
    problems = project_publication_problems(
        programmes=list(project.programmes.all()),
        registration_number=project.registration_number,
        short_description=project.short_description,
        aims=project.aims,
        expected_results=project.expected_results,
        achieved_results=project.achieved_results,
    )
    if problems:
        raise ProjectError(" ".join(problems.values()))


class ControllerLinkError(Exception):
    """A controller link can not be made as asked; `field` names the form field at fault."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.field = field


DEFAULT_CONTROLLER_LINK_DAYS = 30


def controller_link_max_days() -> int:
    return int(getattr(settings, "CONTROLLER_LINK_MAX_DAYS", 365))


def controller_link_create(
    *, project: ProjectPage, label: str, valid_until: datetime.date, created_by, today: datetime.date | None = None
) -> tuple[ControllerLink, str]:
    """Make a read-only link to `project` for a controller, valid through the day `valid_until`.

    Returns the link and its secret token; only the token's hash is stored, so
    the caller shows the address once and it can not be read back.
    """
    today = today or timezone.localdate()
    label = (label or "").strip()
    if not label:
        raise ControllerLinkError(_("Say whom the link is for."), field="label")
    if valid_until <= today:
        raise ControllerLinkError(_("The link must be valid after today."), field="valid_until")
    if valid_until > today + datetime.timedelta(days=controller_link_max_days()):
        raise ControllerLinkError(
            _("A link can be valid for at most %(days)d days.") % {"days": controller_link_max_days()},
            field="valid_until",
        )
    token = secrets.token_urlsafe(32)
    expires_at = timezone.make_aware(
        datetime.datetime.combine(valid_until + datetime.timedelta(days=1), datetime.time.min)
    )
    link = ControllerLink.objects.create(
        project=project,
        label=label[:200],
        token_hash=ControllerLink.hash_token(token),
        created_by=created_by,
        expires_at=expires_at,
    )
    return link, token


def controller_link_revoke(*, link: ControllerLink, revoked_by) -> ControllerLink:
    """Withdraw a link at once (a revoked link stays revoked; revoking it again changes nothing)."""
    updated = ControllerLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=revoked_by
    )
    if updated:
        link.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return link


def controller_link_opened(*, link: ControllerLink) -> None:
    """Note that the controller opened the link (when, and how often)."""
    ControllerLink.objects.filter(pk=link.pk).update(last_opened_at=timezone.now(), open_count=F("open_count") + 1)


# Results counted from attendance ------------------------------------------------------


def bound_measures(*pages) -> list[MeasureRequest]:
    """The measures the result figures of these pages are bound to, each once, in page order."""
    found: dict[str, MeasureRequest] = {}
    for page in pages:
        for stream in (page.expected_results, page.achieved_results):
            for child in stream or []:
                if child.block_type != "figure" or not child.value.get("measure"):
                    continue
                request = MeasureRequest(
                    measure=child.value["measure"],
                    min_attendances=(
                        int(child.value.get("min_attendances") or 0)
                        if child.value["measure"] == Measure.REGULAR_PARTICIPANTS
                        else 0
                    ),
                )
                found.setdefault(request.key, request)
    return list(found.values())


def project_measures_count(*, project_key=None, now=None) -> int:
    """Count every bound result figure of every project from attendance and store it (the nightly job).

    Each project is counted once for all its languages (the figures of its pages in
    every language, bound or not by a translator's copy) within its period, and
    stored against its page in the default language (else its first page). Figures
    no page asks for any more are removed. Saving them starts a new cache version, so
    the pages show the new figures. `project_key` (a translation key) counts one
    project only. Returns the number of figures stored.
    """
    now = now or timezone.now()
    default_locale_id = Locale.get_default().pk
    pages_by_key: dict = {}
    pages = ProjectPage.objects.order_by("pk")
    if project_key is not None:
        pages = pages.filter(translation_key=project_key)
    for page in pages:
        pages_by_key.setdefault(page.translation_key, []).append(page)
    stored = 0
    with transaction.atomic():
        for key, pages in pages_by_key.items():
            owner = next((page for page in pages if page.locale_id == default_locale_id), pages[0])
            requests = bound_measures(*pages)
            existing = {row.key: row for row in ProjectMeasure.objects.filter(project__translation_key=key)}
            values = measures.measure_values(
                project_key=key, start=owner.start_date, end=owner.end_date, requests=requests
            )
            for request in requests:
                value = values.get(request.key, Decimal(0))
                row = existing.pop(request.key, None)
                if row is None:
                    row = ProjectMeasure(
                        project=owner, measure=request.measure, min_attendances=request.min_attendances
                    )
                row.project, row.value = owner, value
                row.period_start, row.period_end, row.computed_at = owner.start_date, owner.end_date, now
                row.save()
                stored += 1
            if existing:
                ProjectMeasure.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    return stored
