"""How long publicity records are kept, and deleting those past it.

A project's checks, snapshots, screenshots and obligation evidence are kept
for its programme's archiving period (`FundingProgramme.archive_years`,
default 10) after the project's end; with several programmes, the longest.
Nothing is deleted while a project has no end date (its period can not be
known), and the current check of a page is never deleted. Records whose
project page was deleted are kept PUBLICITY_ARCHIVE_YEARS after their check.

The daily job (projects.tasks.purge_publicity_past_retention) deletes the rows
and, once the transaction has committed, their files.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from projects.models import ObligationEvidence, ProjectPage, PublicityCheck, PublicityScreenshot, PublicitySnapshot

logger = logging.getLogger(__name__)

DEFAULT_ARCHIVE_YEARS = 10


def default_archive_years() -> int:
    return int(getattr(settings, "PUBLICITY_ARCHIVE_YEARS", DEFAULT_ARCHIVE_YEARS))


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def kept_until(pages: list[ProjectPage]) -> datetime.date | None:
    """The last day the records of a project (all its translations) are kept; None while it has no end."""
    ends = []
    for page in pages:
        if page.end_date is None:
            return None
        years = [programme.archive_years for programme in page.programmes.all()] or [default_archive_years()]
        ends.append(years_after(page.end_date, max(years)))
    return max(ends) if ends else None


def projects_past_retention(*, today: datetime.date) -> list[str]:
    """The translation keys of the projects whose records are past their archiving period on `today`."""
    pages: dict[str, list[ProjectPage]] = {}
    for page in ProjectPage.objects.prefetch_related("programmes").only("pk", "translation_key", "end_date"):
        pages.setdefault(str(page.translation_key), []).append(page)
    past = []
    for key, translations in pages.items():
        until = kept_until(translations)
        if until is not None and today > until:
            past.append(key)
    return past


@dataclass
class Purged:
    snapshots: int = 0
    checks: int = 0
    screenshots: int = 0
    evidence: int = 0
    files: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:  # noqa: BLE001 - one file that can not be deleted must not stop the others
            logger.warning("Could not delete the publicity record file %s", name, exc_info=True)


def publicity_records_purge(*, today: datetime.date | None = None) -> Purged:
    """Delete the checks, snapshots, screenshots and evidence past retention, and their files. Idempotent."""
    today = today or timezone.localdate()
    keys = projects_past_retention(today=today)
    orphan_cutoff = timezone.make_aware(
        datetime.datetime.combine(years_after(today, -default_archive_years()), datetime.time.min)
    )
    current = PublicityCheck.objects.filter(is_current=True).values("snapshot_id")
    snapshots = PublicitySnapshot.objects.exclude(pk__in=current).filter(project__translation_key__in=keys)
    orphans = PublicitySnapshot.objects.exclude(pk__in=current).filter(
        project__isnull=True, checked_at__lt=orphan_cutoff
    )
    purged = Purged()
    with transaction.atomic():
        doomed = list(snapshots.values_list("pk", flat=True)) + list(orphans.values_list("pk", flat=True))
        shots = PublicityScreenshot.objects.filter(snapshot_id__in=doomed)
        files = [name for name in shots.values_list("image", flat=True) if name]
        purged.screenshots = shots.count()
        purged.checks = PublicityCheck.objects.filter(snapshot_id__in=doomed).count()
        PublicitySnapshot.objects.filter(pk__in=doomed).delete()
        purged.snapshots = len(doomed)
        evidence = ObligationEvidence.objects.filter(obligation__project__translation_key__in=keys)
        files += [name for name in evidence.values_list("file", flat=True) if name]
        purged.evidence = evidence.delete()[0]
        purged.files = len(files)
        transaction.on_commit(lambda: _delete_files(files))
    if purged.snapshots or purged.evidence:
        logger.info("Deleted publicity records past retention: %s", purged.as_dict())
    return purged
