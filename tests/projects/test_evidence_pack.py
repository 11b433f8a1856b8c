"""The evidence pack a beneficiary attaches to a progress report, and how long its records are kept.

Staff choose a reporting period on the project's publicity page and download one
zip: a PDF summary, the checked pages and screenshots of the period, the evidence
files and a manifest of SHA-256 checksums. The daily job deletes records past the
programme's archiving period, and nothing within it.
"""

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.utils import translation
from pypdf import PdfReader

from projects.models import (
    ObligationEvidence,
    ObligationKind,
    PublicityCheck,
    PublicityScreenshot,
    PublicitySnapshot,
)
from projects.publicity.retention import publicity_records_purge
from tests.projects.records import (
    ATTENDANCE_SHEET,
    EMBLEM_SHOWN,
    POSTER_PHOTO,
    POSTER_SOURCE,
    STATEMENT_MISSING,
    STATEMENT_SHOWN,
    add_evidence,
    add_obligation,
    english_page,
    moment,
    store_check,
    vltava_project,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]

LATE_PHOTO = b"\xff\xd8\xff\xe0 poster in April"


@pytest.fixture
def vltava(make_project, opzplus):
    """A project checked before, during and after March 2026, with a poster and documents for participants."""
    project = vltava_project(make_project, opzplus, poster_keep_until=dt.date(2026, 12, 31))
    english = english_page(project)
    missing, shown = [STATEMENT_MISSING, EMBLEM_SHOWN], [STATEMENT_SHOWN, EMBLEM_SHOWN]
    store_check(project, project, when=moment(2026, 2, 27), results=missing, marker="before-period")
    store_check(project, project, when=moment(2026, 3, 10), results=missing, marker="in-period-1")
    store_check(
        english, english, when=moment(2026, 3, 15), results=[STATEMENT_SHOWN], marker="in-period-en", browser=""
    )
    store_check(project, project, when=moment(2026, 3, 20), results=shown, marker="in-period-2")
    store_check(project, project, when=moment(2026, 3, 31, 23, 30), results=[STATEMENT_SHOWN], marker="in-period-3")
    store_check(project, project, when=moment(2026, 4, 1, 0, 10), results=missing, marker="after-period")
    poster = project.obligations.get(kind=ObligationKind.POSTER)
    add_evidence(poster, name="plakat-duben.jpg", content=LATE_PHOTO, taken_on=dt.date(2026, 4, 5))
    add_obligation(project, ObligationKind.SOCIAL_POST, source="Regulation (EU) 2021/1060, Art. 50(1)(a)")
    return project


def sign_in(client, django_user_model, *, superuser=True, groups=()):
    user = django_user_model.objects.create_user("koordinatorka", "k@example.com", "pw", is_superuser=superuser)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    client.force_login(user)
    return user


def pack_url(project) -> str:
    return f"/admin/projects/{project.pk}/evidence-pack/"


def download(client, project, start="2026-03-01", end="2026-03-31") -> zipfile.ZipFile:
    response = client.get(pack_url(project), {"period_start": start, "period_end": end})
    assert response.status_code == 200, response.getvalue()[:500]
    assert response["Content-Type"] == "application/zip"
    assert "evidence-pack-komunitni-centrum-vltavotynska-2026-03-01-2026-03-31.zip" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.getvalue()))


def pdf_text(archive: zipfile.ZipFile) -> str:
    reader = PdfReader(io.BytesIO(archive.read("summary.pdf")))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pack_holds_the_period_and_nothing_outside_it(client, django_user_model, vltava):
    sign_in(client, django_user_model)
    archive = download(client, vltava)
    names = archive.namelist()
    assert {"summary.pdf", "checks.csv", "MANIFEST.sha256"} <= set(names)
    pages = [name for name in names if name.startswith("pages/")]
    shots = [name for name in names if name.startswith("screenshots/")]
    # The four checks in March (the last at 23:30 on the 31st), not those of 27 February or 1 April at 0:10.
    assert len(pages) == 4 and len(shots) == 4
    page_text = " ".join(archive.read(name).decode() for name in pages)
    for marker in ("in-period-1", "in-period-2", "in-period-3", "in-period-en"):
        assert marker in page_text
    assert "before-period" not in page_text and "after-period" not in page_text
    assert all(archive.read(name).startswith(b"\x89PNG") for name in shots)
    # The evidence dated up to the period's end, with its files; not the photo taken in April.
    evidence = [name for name in names if name.startswith("evidence/")]
    assert any(name.endswith("plakat-vstup.jpg") for name in evidence)
    assert not any("plakat-duben" in name for name in names)
    assert archive.read(next(n for n in evidence if n.endswith("plakat-vstup.jpg"))) == POSTER_PHOTO
    # Every rule result of the period, one row per check.
    rows = list(csv.reader(io.StringIO(archive.read("checks.csv").decode("utf-8-sig"))))
    assert (
        len(rows) - 1
        == PublicityCheck.objects.filter(
            checked_at__gte=moment(2026, 3, 1, 0, 0), checked_at__lt=moment(2026, 4, 1, 0, 0)
        ).count()
        == 6
    )


def test_the_manifest_lists_every_file_with_its_sha256(client, django_user_model, vltava):
    sign_in(client, django_user_model)
    # A screenshot lost from the media storage is left out; the pack is still made.
    lost = PublicityScreenshot.objects.filter(snapshot__html__contains="in-period-2").get()
    Path(lost.image.path).unlink()
    archive = download(client, vltava)
    assert len([name for name in archive.namelist() if name.startswith("screenshots/")]) == 3
    listed = {}
    for line in archive.read("MANIFEST.sha256").decode().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == set(archive.namelist()) - {"MANIFEST.sha256"}
    for name, digest in listed.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name


def test_the_summary_pdf_lists_facts_obligations_evidence_history_and_sources(client, django_user_model, vltava):
    sign_in(client, django_user_model)
    archive = download(client, vltava)
    reader = PdfReader(io.BytesIO(archive.read("summary.pdf")))
    fonts = {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert any("LiberationSans" in font or "Carlito" in font for font in fonts), fonts  # the poster's embedded font
    text = pdf_text(archive)
    flat = " ".join(text.split())
    # The project's facts.
    assert "Komunitní centrum Vltavotýnska" in flat
    assert "CZ.03.02.01/00/22_008/0000016" in flat
    assert "Operační program Zaměstnanost plus" in flat
    assert "1. 3. 2026 – 31. 3. 2026" in flat
    # The obligations with their status, in Czech.
    with translation.override("cs"):
        for kind in (ObligationKind.POSTER, ObligationKind.PARTICIPANT_DOCUMENTS, ObligationKind.SOCIAL_POST):
            assert str(kind.label) in flat, kind
    # The evidence: its file in the pack, its date and its SHA-256.
    photo_digest = hashlib.sha256(POSTER_PHOTO).hexdigest()
    assert "plakat-vstup.jpg" in flat and "10. 2. 2026" in flat
    assert photo_digest[:32] in flat.replace(" ", "") and photo_digest[32:] in flat.replace(" ", "")
    assert "plakat-duben" not in flat
    # The check history of the period: 10 March failed, then passed; the checks outside the period are absent.
    assert "10. 3. 2026 10:00" in flat and "31. 3. 2026 23:30" in flat
    assert "27. 2. 2026" not in flat and "1. 4. 2026" not in flat
    assert "Nesplněno" in flat and "Splněno" in flat
    assert "360x640" in flat
    assert "ano" in flat and "ne" in flat  # checked in a browser, and the English page without one
    # The cited sources, worded in Czech.
    assert "Nařízení (EU) 2021/1060, čl. 47 písm. a), příloha IX bod 1.2" in flat


def test_participants_documents_stay_out_for_staff_who_may_not_see_registrations(client, django_user_model, vltava):
    # An Editor may read the publicity evidence, but not registrations: the attendance sheet is listed, not packed.
    sign_in(client, django_user_model, superuser=False, groups=["Editors"])
    archive = download(client, vltava)
    assert not any("prezencni-listina" in name for name in archive.namelist())
    flat = " ".join(pdf_text(archive).split())
    assert "prezencni-listina.pdf" in flat
    assert hashlib.sha256(ATTENDANCE_SHEET).hexdigest()[:32] in flat.replace(" ", "")
    client.logout()
    django_user_model.objects.all().delete()
    sign_in(client, django_user_model)  # a superuser may see registrations
    archive = download(client, vltava)
    sheet = next(name for name in archive.namelist() if "prezencni-listina" in name)
    assert archive.read(sheet) == ATTENDANCE_SHEET


def test_the_project_page_offers_the_pack_for_a_period(client, django_user_model, vltava):
    sign_in(client, django_user_model)
    soup = BeautifulSoup(client.get(f"/admin/projects/{vltava.pk}/publicity/").content, "html.parser")
    form = soup.find("form", action=pack_url(vltava))
    assert form is not None and form.get("method") == "get"
    assert form.find("input", attrs={"name": "period_start"})["value"] == "2023-01-01"
    assert form.find("input", attrs={"name": "period_end"}) is not None


def test_the_report_filtered_by_a_period_links_to_that_periods_pack(client, django_user_model, vltava):
    sign_in(client, django_user_model)
    response = client.get("/admin/reports/publicity/", {"checked_from": "2026-03-01", "checked_to": "2026-03-31"})
    soup = BeautifulSoup(response.content, "html.parser")
    link = soup.find("a", href=f"{pack_url(vltava)}?period_start=2026-03-01&period_end=2026-03-31")
    assert link is not None
    archive = zipfile.ZipFile(io.BytesIO(client.get(link["href"]).getvalue()))
    assert len([name for name in archive.namelist() if name.startswith("pages/")]) == 4
    # Without a whole period the report leads to the project's form instead.
    soup = BeautifulSoup(client.get("/admin/reports/publicity/").content, "html.parser")
    assert not soup.find("a", href=re.compile(r"/evidence-pack/"))
    assert soup.find("a", href=f"/admin/projects/{vltava.pk}/publicity/#evidence-pack-heading")


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-03-31", "2026-03-01", "Konec období nemůže být před jeho začátkem."),
        ("32. 13. 2026", "2026-03-31", "Zadejte datum, například 30. 6. 2026."),
        ("2026-03-01\x00", "2026-03-31", "Datum obsahuje nepovolený znak."),
        ("", "2026-03-31", "Zadejte datum."),
        ("1999-12-31", "9999-12-31", "Zadejte datum mezi 1. 1. 2000 a 31. 12. 2100."),
    ],
)
def test_a_bad_period_gets_a_czech_message_not_an_error(client, django_user_model, vltava, start, end, message):
    sign_in(client, django_user_model)
    response = client.get(pack_url(vltava), {"period_start": start, "period_end": end})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def test_an_editor_without_the_permission_gets_no_pack(client, django_user_model, vltava):
    user = sign_in(client, django_user_model, superuser=False, groups=["Editors"])
    editors = Group.objects.get(name="Editors")
    editors.permissions.remove(*editors.permissions.filter(codename="view_publicitycheck"))
    user = type(user).objects.get(pk=user.pk)
    response = client.get(pack_url(vltava), {"period_start": "2026-03-01", "period_end": "2026-03-31"})
    assert response.status_code == 302 and response["Location"] == "/admin/"


# Retention ---------------------------------------------------------------------------------------------------------


def files_of(snapshots) -> list[Path]:
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    return [root / shot.image.name for shot in PublicityScreenshot.objects.filter(snapshot__in=snapshots)]


@pytest.fixture
def ended(make_project, opzplus):
    """A project that ended on 30 June 2015 (kept until 30 June 2025), checked three times, with a poster photo."""
    project = make_project(
        programmes=[opzplus],
        title="Dávno skončený projekt",
        start_date=dt.date(2013, 1, 1),
        end_date=dt.date(2015, 6, 30),
    )
    store_check(project, project, when=moment(2014, 5, 1), results=[STATEMENT_SHOWN], marker="old-1")
    store_check(project, project, when=moment(2015, 5, 1), results=[STATEMENT_SHOWN], marker="old-2")
    store_check(project, project, when=moment(2025, 5, 1), results=[STATEMENT_SHOWN], marker="current")
    poster = add_obligation(project, ObligationKind.POSTER, source=POSTER_SOURCE)
    add_evidence(poster, name="plakat-2014.jpg", content=POSTER_PHOTO, taken_on=dt.date(2014, 2, 1))
    return project


def test_retention_deletes_only_what_is_past_the_archiving_period(ended, vltava, django_capture_on_commit_callbacks):
    old = list(PublicitySnapshot.objects.filter(project=ended, html__contains="old-"))
    current = PublicitySnapshot.objects.get(project=ended, html__contains="current")
    old_files = files_of(old)
    current_files = files_of([current])
    evidence_file = Path(ObligationEvidence.objects.get(obligation__project=ended).file.path)
    running = PublicitySnapshot.objects.filter(project__translation_key=vltava.translation_key).count()
    assert all(path.exists() for path in [*old_files, *current_files, evidence_file])

    # On the last day of the archiving period (30 June 2025) nothing goes.
    with django_capture_on_commit_callbacks(execute=True):
        purged = publicity_records_purge(today=dt.date(2025, 6, 30))
    assert purged.snapshots == 0 and purged.evidence == 0
    assert PublicitySnapshot.objects.filter(project=ended).count() == 3

    # The day after, the old checks, their screenshots and the evidence go, files too; the current check stays.
    with django_capture_on_commit_callbacks(execute=True):
        purged = publicity_records_purge(today=dt.date(2025, 7, 1))
    assert purged.snapshots == 2 and purged.evidence == 1 and purged.files == 3
    assert list(PublicitySnapshot.objects.filter(project=ended)) == [current]
    assert PublicityCheck.objects.filter(project=ended, is_current=True).count() == 1
    assert not any(path.exists() for path in old_files)
    assert all(path.exists() for path in current_files)
    assert not evidence_file.exists() and not ObligationEvidence.objects.filter(obligation__project=ended).exists()
    # The running project, within its period, keeps everything.
    assert PublicitySnapshot.objects.filter(project__translation_key=vltava.translation_key).count() == running
    assert ObligationEvidence.objects.filter(obligation__project=vltava).count() == 3


def test_a_longer_archiving_period_of_the_programme_keeps_the_records(
    ended, opzplus, django_capture_on_commit_callbacks
):
    opzplus.archive_years = 15
    opzplus.save()
    with django_capture_on_commit_callbacks(execute=True):
        purged = publicity_records_purge(today=dt.date(2026, 11, 30))
    assert purged.snapshots == 0 and purged.evidence == 0
    assert PublicitySnapshot.objects.filter(project=ended).count() == 3


def test_a_project_without_an_end_keeps_its_records(ended, django_capture_on_commit_callbacks):
    ended.end_date = None
    ended.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        purged = publicity_records_purge(today=dt.date(2040, 1, 1))
    assert purged.snapshots == 0 and purged.evidence == 0


def test_the_daily_job_runs_the_purge(ended, django_capture_on_commit_callbacks):
    from projects import tasks

    with django_capture_on_commit_callbacks(execute=True):
        outcome = tasks.purge_publicity_past_retention.call()
    assert outcome["snapshots"] == 2 and outcome["evidence"] == 1
    assert PublicitySnapshot.objects.filter(project=ended).count() == 1
