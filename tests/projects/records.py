"""Stored publicity records for the tests: checks with screenshots, obligations with evidence files,
and the checked Vltavotýnsko project that the controller link and the evidence pack are tested on."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import Locale

from projects.models import (
    EvidenceKind,
    Obligation,
    ObligationEvidence,
    ObligationKind,
    PublicityCheck,
    PublicityScreenshot,
    PublicitySnapshot,
    RuleSeverity,
)
from projects.publicity.evidence import sha256

# A 1×1 PNG: a stored screenshot or photo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4bd0000000049454e44ae426082"
)
EMBLEM_SOURCE = "Regulation (EU) 2021/1060, Annex IX 1.1 (clearly visible, also in the mobile view)"
STATEMENT_SOURCE = "Regulation (EU) 2021/1060, Art. 47(a), Annex IX 1.2"
POSTER_SOURCE = "Regulation (EU) 2021/1060, Art. 50(1)(d)"
DOCUMENTS_SOURCE = "Regulation (EU) 2021/1060, Art. 50(1)(b)"

# A check's results, as `store_check` takes them: (rule, passed, reason, source, viewport).
STATEMENT_MISSING = ("eu_statement_text", False, "Text „Spolufinancováno Evropskou unií“ chybí.", STATEMENT_SOURCE, "")
STATEMENT_SHOWN = ("eu_statement_text", True, "Text je vedle znaku.", STATEMENT_SOURCE, "")
EMBLEM_SHOWN = ("eu_emblem_on_landing", True, "Znak je na první obrazovce.", EMBLEM_SOURCE, "360x640")

# The Vltavotýnsko project's evidence files: a photo of its poster and an attendance sheet naming a participant.
POSTER_PHOTO = b"\xff\xd8\xff\xe0 poster on the door, February"
ATTENDANCE_SHEET = b"%PDF-1.4 attendance sheet: Jana Registrovana"


def moment(year, month, day, hour=10, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def store_check(page, project, *, when, results, browser="Chromium 131.0", screenshots=("360x640",), marker=""):
    """One stored check of `page`, as `check_page` stores it; the HTML carries `marker` to tell checks apart."""
    language = page.locale.language_code
    html = f"<html><body><h1>{page.title}</h1><p>{marker}</p></body></html>"
    snapshot = PublicitySnapshot.objects.create(
        page=page,
        project=project,
        page_title=page.title,
        locale=language,
        url=page.url,
        html=html,
        html_sha256=sha256(html),
        standalone_html=html,
        standalone_sha256=sha256(html),
        browser=browser,
        checked_at=when,
    )
    for viewport in screenshots:
        content = PNG + marker.encode()
        shot = PublicityScreenshot(snapshot=snapshot, viewport=viewport, sha256=sha256(content), taken_at=when)
        shot.image.save(f"{page.pk}-{language}-{viewport}.png", ContentFile(content), save=True)
    PublicityCheck.objects.filter(page=page, locale=language, is_current=True).update(is_current=False)
    for rule, passed, reason, source, viewport in results:
        PublicityCheck.objects.create(
            snapshot=snapshot,
            page=page,
            project=project,
            page_title=page.title,
            locale=language,
            programme="Operační program Zaměstnanost plus",
            rule=rule,
            passed=passed,
            reason=reason,
            reasons={"cs": reason, "en": reason},
            source=source,
            severity=RuleSeverity.LEGAL,
            viewport=viewport,
            browser=bool(browser),
            checked_at=when,
        )
    return snapshot


def add_evidence(obligation, *, name, content, taken_on, kind=EvidenceKind.PHOTO, url=""):
    evidence = ObligationEvidence(obligation=obligation, kind=kind, taken_on=taken_on, sha256=sha256(content), url=url)
    evidence.file.save(name, ContentFile(content), save=True)
    return evidence


def add_obligation(project, kind, *, source, due_date=None, keep_until=None, **fields):
    """The project's obligation of this kind as the test states it (publishing the project may have generated it)."""
    obligation, _created = Obligation.objects.update_or_create(
        project=project,
        kind=kind,
        defaults={"source": source, "due_date": due_date, "keep_until": keep_until, "not_applicable": False, **fields},
    )
    return obligation


def vltava_project(make_project, programme, *, poster_keep_until=None):
    """Komunitní centrum Vltavotýnska (2023 to 2026), in cs and en, with evidence for two obligations:
    its poster (photographed on 10 February 2026) and its documents for participants (an attendance
    sheet of 5 March 2026). The tests store its checks themselves (`store_check`; `english_page`)."""
    project = make_project(
        programmes=[programme],
        title="Komunitní centrum Vltavotýnska",
        start_date=dt.date(2023, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    poster = add_obligation(
        project, ObligationKind.POSTER, source=POSTER_SOURCE, due_date=dt.date(2023, 3, 1), keep_until=poster_keep_until
    )
    add_evidence(poster, name="plakat-vstup.jpg", content=POSTER_PHOTO, taken_on=dt.date(2026, 2, 10))
    documents = add_obligation(project, ObligationKind.PARTICIPANT_DOCUMENTS, source=DOCUMENTS_SOURCE)
    add_evidence(documents, name="prezencni-listina.pdf", content=ATTENDANCE_SHEET, taken_on=dt.date(2026, 3, 5))
    return project


def english_page(project):
    return project.get_translation(Locale.objects.get(language_code="en"))
