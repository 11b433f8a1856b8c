"""The obligation register: each project's publicity duties, generated from its facts (services style).

`project_obligations_update(project=…)` creates or updates a project's obligations from:

- its programmes' kinds (EU 2021–2027, EU 2014–2020, EEA Grants, Norway Grants, Active Citizens Fund);
- its dates (start, end) and each programme's period after the end (the sustainability period);
- its total cost (the plaque thresholds);
- the centre's social accounts (Settings → Centre → Social links).

It runs when a project is published (projects.signals) and in the daily job (projects.tasks), and it never
undoes what staff decided: an obligation staff marked "not applicable" stays so unless the rules now
exclude it by themselves; its responsible person, note and evidence are never touched.

The sources are catalogue entries (English, as the regulations cite them), shown to staff in their language.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_noop

from projects.models import (
    Currency,
    FunderKind,
    FundingProgramme,
    Obligation,
    ObligationEvidence,
    ObligationKind,
    ProjectPage,
)
from projects.publicity.rules import years_after_end


class ObligationError(Exception):
    """An obligation or its evidence can not be saved as given."""


# Plaque thresholds (total cost in EUR; EEA/Norway: the grant).
EU_PLAQUE_THRESHOLD_EUR = Decimal("500000")
EEA_PLAQUE_THRESHOLD_EUR = Decimal("50000")
DEFAULT_CZK_PER_EUR = Decimal("25")

# Sources, per obligation and kind of programme.
EEA_MANUAL = (
    "EEA and Norway Grants 2014–2021 Regulation, Annex 3; EEA and Norway Grants Communication and Design Manual"
)
SOURCES = {
    ObligationKind.WEBSITE: {
        FunderKind.EU_2021_2027: gettext_noop("Regulation (EU) 2021/1060, Art. 50(1)(a)"),
        FunderKind.EU_2014_2020: gettext_noop("Regulation (EU) No 1303/2013, Annex XII 2.2(2)(a)"),
        "eea": gettext_noop(
            "EEA and Norway Grants 2014–2021 Regulation, Annex 3; "
            "EEA and Norway Grants Communication and Design Manual (project web page)"
        ),
    },
    ObligationKind.POSTER: {
        FunderKind.EU_2021_2027: gettext_noop("Regulation (EU) 2021/1060, Art. 50(1)(d)"),
        FunderKind.EU_2014_2020: gettext_noop("Regulation (EU) No 1303/2013, Annex XII 2.2(2)(b)"),
        "eea": gettext_noop(
            "EEA and Norway Grants 2014–2021 Regulation, Annex 3; "
            "EEA and Norway Grants Communication and Design Manual (poster)"
        ),
    },
    ObligationKind.DISPLAY: {
        FunderKind.EU_2021_2027: gettext_noop(
            "Regulation (EU) 2021/1060, Art. 50(1)(d) (equivalent electronic display)"
        ),
        FunderKind.EU_2014_2020: gettext_noop(
            "Regulation (EU) No 1303/2013, Annex XII 2.2(2)(b) (in place of the poster)"
        ),
        "eea": gettext_noop(
            "EEA and Norway Grants 2014–2021 Regulation, Annex 3; "
            "EEA and Norway Grants Communication and Design Manual (electronic display in place of the poster)"
        ),
    },
    ObligationKind.PLAQUE: {
        FunderKind.EU_2021_2027: gettext_noop("Regulation (EU) 2021/1060, Art. 50(1)(c)"),
        FunderKind.EU_2014_2020: gettext_noop("Regulation (EU) No 1303/2013, Annex XII 2.2(4) and (5)"),
        "eea": gettext_noop(
            "EEA and Norway Grants 2014–2021 Regulation, Annex 3; "
            "EEA and Norway Grants Communication and Design Manual (billboard and permanent plaque)"
        ),
    },
    ObligationKind.SOCIAL_POST: {
        FunderKind.EU_2021_2027: gettext_noop("Regulation (EU) 2021/1060, Art. 50(1)(a)"),
        FunderKind.EU_2014_2020: gettext_noop("Regulation (EU) No 1303/2013, Annex XII 2.2 (no social media duty)"),
        "eea": gettext_noop(
            "EEA and Norway Grants 2014–2021 Regulation, Annex 3; "
            "EEA and Norway Grants Communication and Design Manual (social media)"
        ),
    },
    ObligationKind.PARTICIPANT_DOCUMENTS: {
        FunderKind.EU_2021_2027: gettext_noop("Regulation (EU) 2021/1060, Art. 50(1)(b)"),
        FunderKind.EU_2014_2020: gettext_noop("Regulation (EU) No 1303/2013, Annex XII 2.2(3)"),
        "eea": gettext_noop(
            "EEA and Norway Grants 2014–2021 Regulation, Annex 3; "
            "EEA and Norway Grants Communication and Design Manual (printed and participant materials)"
        ),
    },
}

# Why the rules alone exclude an obligation (stored as not_applicable_reason, shown translated).
NO_SOCIAL_ACCOUNTS = gettext_noop(
    "The centre has no social media accounts (Settings → Centre → Social links); the duty covers only existing ones."
)
NO_SOCIAL_DUTY = gettext_noop("The programme's rules require no social media post.")
BELOW_PLAQUE_THRESHOLD = gettext_noop(
    "The total cost is below the plaque threshold (EUR 500,000 for EU programmes, a grant of EUR 50,000 for the "
    "EEA and Norway Grants), so the poster is what the rules require."
)
NO_TOTAL_COST = gettext_noop("The project has no total cost: enter it to see whether a plaque is required.")
# Generated as not applicable once, staff may change it (an alternative, not an exclusion).
DISPLAY_ALTERNATIVE = gettext_noop(
    "An alternative to the A3 poster. If the centre shows the project on an electronic display instead, "
    "mark this one applicable and the poster not applicable."
)
RULE_REASONS = frozenset({NO_SOCIAL_ACCOUNTS, NO_SOCIAL_DUTY, BELOW_PLAQUE_THRESHOLD, NO_TOTAL_COST})

PLAQUE_NOTE = gettext_noop(
    "Required only for an operation with physical investment or purchase of equipment (EU 2014–2020: "
    "infrastructure or construction). Otherwise mark it not applicable and say why."
)


@dataclass(frozen=True)
class ObligationFacts:
    """What the rules say about one obligation of one project."""

    kind: str
    source: str
    due_date: datetime.date | None
    keep_until: datetime.date | None
    excluded_reason: str = ""  # the rules exclude it (forced "not applicable")
    default_reason: str = ""  # "not applicable" only when first created (an alternative)


def _family(kind: str) -> str:
    return "eea" if kind in (FunderKind.EEA_GRANTS, FunderKind.NORWAY_GRANTS, FunderKind.ACTIVE_CITIZENS_FUND) else kind


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - one of the days always exists


def in_eur(amount: Decimal | None, currency: str) -> Decimal | None:
    if amount is None:
        return None
    if currency == Currency.EUR:
        return Decimal(amount)
    rate = Decimal(str(getattr(settings, "PUBLICITY_CZK_PER_EUR", DEFAULT_CZK_PER_EUR)))
    return Decimal(amount) / rate


def centre_social_links(project: ProjectPage) -> list[str]:
    """The centre's social media addresses from the settings of the project's site (or the default site)."""
    from wagtail.models import Site

    from portal.models import CentreSettings

    site = project.get_site() or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return []
    return [link.url for link in CentreSettings.for_site(site).social_links.all()]


def obligation_facts(
    *, project: ProjectPage, programmes: list[FundingProgramme], social_links: list[str]
) -> list[ObligationFacts]:
    """The obligations a project's facts call for (empty for a project without a programme)."""
    programmes = [programme for programme in programmes if programme.kind != FunderKind.OTHER]
    if not programmes:
        return []
    # The strictest programme decides: EU 2021–2027 first, then 2014–2020, then the EEA and Norway Grants.
    order = [FunderKind.EU_2021_2027, FunderKind.EU_2014_2020, *sorted(FunderKind.values)]
    programme = min(programmes, key=lambda item: order.index(item.kind))
    family = _family(programme.kind)
    years = max(years_after_end(item) for item in programmes)
    start, end = project.start_date, project.end_date
    keep = _add_years(end, years) if end else None

    def source(kind: str) -> str:
        return SOURCES[kind][family]

    facts = [
        ObligationFacts(ObligationKind.WEBSITE, source(ObligationKind.WEBSITE), start, keep),
        ObligationFacts(ObligationKind.POSTER, source(ObligationKind.POSTER), start, keep),
        ObligationFacts(
            ObligationKind.DISPLAY, source(ObligationKind.DISPLAY), start, keep, default_reason=DISPLAY_ALTERNATIVE
        ),
        ObligationFacts(ObligationKind.PARTICIPANT_DOCUMENTS, source(ObligationKind.PARTICIPANT_DOCUMENTS), start, end),
    ]

    # Social media: EU 2021–2027 on the beneficiary's social media sites (Art. 50(1)(a)); the EEA and
    # Norway Grants' manual asks for it where the promoter has social media; EU 2014–2020 has no such duty.
    social_reason = ""
    if family == FunderKind.EU_2014_2020:
        social_reason = NO_SOCIAL_DUTY
    elif not social_links:
        social_reason = NO_SOCIAL_ACCOUNTS
    facts.append(
        ObligationFacts(
            ObligationKind.SOCIAL_POST, source(ObligationKind.SOCIAL_POST), start, end, excluded_reason=social_reason
        )
    )

    # The plaque: EU total cost over EUR 500,000 (2021–2027 when physical implementation starts, 2014–2020 a
    # permanent plaque within three months of completion); EEA/Norway a grant over EUR 50,000.
    if family == "eea":
        amount, threshold = in_eur(project.grant_amount, project.currency), EEA_PLAQUE_THRESHOLD_EUR
    else:
        amount, threshold = in_eur(project.total_cost, project.currency), EU_PLAQUE_THRESHOLD_EUR
    plaque_reason = NO_TOTAL_COST if amount is None else ("" if amount > threshold else BELOW_PLAQUE_THRESHOLD)
    plaque_due = start
    if family == FunderKind.EU_2014_2020 and end:
        plaque_due = _add_months(end, 3)
    facts.append(
        ObligationFacts(
            ObligationKind.PLAQUE, source(ObligationKind.PLAQUE), plaque_due, keep, excluded_reason=plaque_reason
        )
    )
    return facts


def source_page(project: ProjectPage) -> ProjectPage:
    """The project's page in the default language (the register belongs to it)."""
    if project.alias_of_id:
        project = ProjectPage.objects.get(pk=project.alias_of_id)
    source = project.get_translation_or_none(_default_locale()) if project.locale_id else None
    return source or project


def _default_locale():
    from wagtail.models import Locale

    return Locale.get_default()


@transaction.atomic
def project_obligations_update(*, project: ProjectPage) -> list[Obligation]:
    """Create or update the register of `project` (any language: the register is the source page's)."""
    project = source_page(project)
    facts = obligation_facts(
        project=project, programmes=list(project.programmes.all()), social_links=centre_social_links(project)
    )
    existing = {obligation.kind: obligation for obligation in Obligation.objects.filter(project=project)}
    kept = []
    for fact in facts:
        obligation = existing.get(fact.kind)
        if obligation is None:
            obligation = Obligation(project=project, kind=fact.kind)
            reason = fact.excluded_reason or fact.default_reason
            obligation.not_applicable = bool(reason)
            obligation.not_applicable_reason = reason
        elif fact.excluded_reason:
            obligation.not_applicable = True
            obligation.not_applicable_reason = fact.excluded_reason
        elif obligation.not_applicable and obligation.not_applicable_reason in RULE_REASONS:
            obligation.not_applicable = False  # the rule that excluded it no longer does
            obligation.not_applicable_reason = ""
        if fact.kind == ObligationKind.PLAQUE and not obligation.note:
            obligation.note = PLAQUE_NOTE
        obligation.source = fact.source
        obligation.due_date = fact.due_date
        obligation.keep_until = fact.keep_until
        obligation.save()
        kept.append(obligation)
    # A project that lost its programmes keeps its history: its obligations no longer apply.
    Obligation.objects.filter(project=project).exclude(kind__in=[fact.kind for fact in facts]).exclude(
        not_applicable=True
    ).update(not_applicable=True, not_applicable_reason=gettext_noop("The project has no funding programme."))
    return kept


def all_obligations_update() -> int:
    """Update the register of every project page in the default language; returns how many were updated."""
    count = 0
    for project in ProjectPage.objects.filter(locale=_default_locale(), alias_of__isnull=True):
        project_obligations_update(project=project)
        count += 1
    return count


def file_sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(65536), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def obligation_evidence_add(
    *,
    obligation: Obligation,
    kind: str,
    taken_on: datetime.date,
    user,
    file=None,
    url: str = "",
    note: str = "",
) -> ObligationEvidence:
    """Store one piece of evidence with the file's SHA-256; raises ObligationError when it proves nothing."""
    if not file and not url:
        raise ObligationError(gettext_noop("Upload a file or give an address."))
    evidence = ObligationEvidence(
        obligation=obligation,
        kind=kind,
        url=url or "",
        taken_on=taken_on,
        note=note or "",
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    if file:
        evidence.sha256 = file_sha256(file)
        evidence.file.save(file.name, file, save=False)
    evidence.save()
    return evidence


def obligation_update(
    *, obligation: Obligation, responsible, not_applicable: bool, not_applicable_reason: str, note: str
) -> Obligation:
    """Staff's decisions on an obligation: who answers for it, whether it applies (and why not), a note."""
    if not_applicable and not (not_applicable_reason or "").strip():
        raise ObligationError(gettext_noop("Say why the obligation does not apply."))
    obligation.responsible = responsible
    obligation.not_applicable = not_applicable
    obligation.not_applicable_reason = (not_applicable_reason or "").strip() if not_applicable else ""
    obligation.note = note or ""
    obligation.save(update_fields=["responsible", "not_applicable", "not_applicable_reason", "note", "updated_at"])
    return obligation


# EXIF tags: the Exif sub-IFD and, in it, when the photo was taken.
EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 36867


def image_error(file) -> str:
    """Why `file` is not an image Pillow can read ("" when it is one); the file is left at its start."""
    from PIL import Image, UnidentifiedImageError

    try:
        file.seek(0)
        with Image.open(file) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return gettext_noop("The file is not a photo or picture that can be read (use JPEG, PNG or WebP).")
    finally:
        file.seek(0)
    return ""


def photo_taken_on(file) -> datetime.date | None:
    """The date a camera recorded in the photo's EXIF DateTimeOriginal, or None when it has none."""
    from PIL import Image, UnidentifiedImageError

    try:
        file.seek(0)
        with Image.open(file) as image:
            value = image.getexif().get_ifd(EXIF_IFD).get(DATE_TIME_ORIGINAL)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        file.seek(0)
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    try:
        return datetime.datetime.strptime(str(value or "").strip()[:10], "%Y:%m:%d").date()
    except ValueError:
        return None


# Reminders ------------------------------------------------------------------------------------------

#: Days before a due date when the responsible person is reminded (once each).
REMINDER_DAYS = (14, 3)
#: Who gets the reminders of an obligation with no responsible person, when no group holds the permission.
FALLBACK_GROUP = "Editors"


def reminder_recipients(obligation: Obligation) -> list[str]:
    """The responsible person's address, else those of the staff in the group(s) that may change the register."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    if obligation.responsible_id and obligation.responsible.is_active and obligation.responsible.email:
        return [obligation.responsible.email]
    groups = Group.objects.filter(
        permissions__content_type__app_label="projects", permissions__codename="change_obligation"
    )
    if not groups.exists():
        groups = Group.objects.filter(name=FALLBACK_GROUP)
    users = get_user_model().objects.filter(groups__in=groups, is_active=True).exclude(email="").distinct()
    return sorted({user.email for user in users})


def _reminder_message(obligation: Obligation, *, days_before: int, recipients: list[str]):
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    root = getattr(settings, "WAGTAILADMIN_BASE_URL", "http://localhost").rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "obligation": obligation,
            "project": obligation.project,
            "days_before": days_before,
            "register_url": root + reverse("projects_obligations_project", args=[obligation.project_id]),
            "evidence_url": root + reverse("projects_obligation_evidence_add", args=[obligation.pk]),
        }
        subject = render_to_string("emails/obligation_reminder_subject.txt", context).strip()
        text = render_to_string("emails/obligation_reminder.txt", context)
        html = render_to_string("emails/obligation_reminder.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, recipients)
    message.attach_alternative(html, "text/html")
    return message


def obligation_reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail the reminders due today: 14 and 3 days before the due date of each unfulfilled obligation.

    Each threshold is sent once per due date (ObligationReminder records it); a run that was missed
    catches up as long as the due date has not passed. Returns the number of e-mails sent.
    """
    from django.utils import timezone

    from projects.models import ObligationReminder

    today = today or timezone.localdate()
    latest = today + datetime.timedelta(days=max(REMINDER_DAYS))
    candidates = (
        Obligation.objects.unfulfilled(today)
        .filter(due_date__gte=today, due_date__lte=latest, project__live=True)
        .select_related("project", "responsible")
    )
    sent = 0
    for obligation in candidates:
        days_left = (obligation.due_date - today).days
        # The nearest threshold reached: 3 days before supersedes a 14-day reminder never sent.
        reached = [days for days in sorted(REMINDER_DAYS) if days_left <= days]
        if not reached:
            continue
        days_before = reached[0]
        if ObligationReminder.objects.filter(
            obligation=obligation, due_date=obligation.due_date, days_before=days_before
        ).exists():
            continue
        recipients = reminder_recipients(obligation)
        if not recipients:
            continue
        with transaction.atomic():
            reminder, created = ObligationReminder.objects.get_or_create(
                obligation=obligation,
                due_date=obligation.due_date,
                days_before=days_before,
                defaults={"recipients": "\n".join(recipients)},
            )
            if not created:
                continue
            _reminder_message(obligation, days_before=days_before, recipients=recipients).send()
        sent += 1
    return sent
