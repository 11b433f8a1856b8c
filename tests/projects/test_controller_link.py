"""The controller's view: a signed, expiring, read-only link a funder's controller opens without an account.

Staff with the permission create a link (its address shown once) and revoke it;
the controller sees the project's facts, obligations, evidence, check history
with screenshots and the cited rules, and nothing about registrants.
"""

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from projects.models import ControllerLink, ObligationEvidence, ObligationKind
from projects.services import controller_link_create
from tests.projects.records import (
    EMBLEM_SHOWN,
    POSTER_PHOTO,
    STATEMENT_MISSING,
    english_page,
    moment,
    store_check,
    vltava_project,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


@pytest.fixture
def project(make_project, opzplus):
    project = vltava_project(make_project, opzplus)
    english = english_page(project)
    store_check(project, project, when=moment(2026, 3, 10), results=[STATEMENT_MISSING, EMBLEM_SHOWN], marker="march")
    store_check(english, english, when=moment(2026, 3, 11), results=[EMBLEM_SHOWN], marker="march-en")
    return project


@pytest.fixture
def link_token(project, django_user_model):
    staff = django_user_model.objects.create_user("spravce", "s@example.com", "pw", is_superuser=True)
    _link, token = controller_link_create(
        project=project,
        label="Ing. Kontrolorka, MPSV",
        valid_until=timezone.localdate() + dt.timedelta(days=30),
        created_by=staff,
    )
    return token


def html_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_the_link_opens_without_an_account_and_shows_the_record(client, project, link_token):
    response = client.get(f"/kontrola/{link_token}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"
    soup = html_of(response)
    assert soup.html["lang"] == "cs"
    assert soup.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    assert soup.h1.get_text(strip=True) == "Komunitní centrum Vltavotýnska"
    text = " ".join(soup.get_text(" ").split())
    assert "CZ.03.02.01/00/22_008/0000016" in text
    # The obligations, each with its source and evidence.
    # The whole register (generated when the project was published), the two with evidence among them.
    kinds = {row["data-kind"] for row in soup.select("tr[data-kind]")}
    assert kinds == set(project.obligations.values_list("kind", flat=True))
    assert {ObligationKind.POSTER, ObligationKind.PARTICIPANT_DOCUMENTS} <= kinds
    poster_row = soup.select_one("tr[data-kind=poster]")
    download = poster_row.find("a", href=re.compile(r"/dukazy/"))
    assert download.get_text(strip=True) == "plakat-vstup.jpg"
    assert client.get(download["href"]).getvalue() == POSTER_PHOTO
    # The check history with the screenshots (served through the link) and the offline copy of the page.
    checks = soup.select("article.controller-check")
    assert len(checks) == 2
    images = soup.select(".controller-shots img")
    assert len(images) == 2
    shot = client.get(images[0]["src"])
    assert shot.status_code == 200 and shot["Content-Type"] == "image/png"
    copy = client.get(soup.find("a", href=re.compile(r"/stranky/"))["href"])
    assert copy.status_code == 200 and "sandbox" in copy["Content-Security-Policy"]
    assert b"march" in copy.content
    failing = soup.select("tr[data-outcome=fail]")
    assert failing and "Text „Spolufinancováno Evropskou unií“ chybí." in failing[0].get_text()
    # The cited rules, in Czech.
    assert "Nařízení (EU) 2021/1060, čl. 47 písm. a), příloha IX bod 1.2" in text
    # The opening is noted for staff.
    link = ControllerLink.objects.get()
    assert link.open_count >= 1 and link.last_opened_at is not None


def test_the_english_version_is_reached_through_the_language(client, project, link_token):
    soup = html_of(client.get(f"/kontrola/{link_token}/"))
    english = soup.find("a", hreflang="en")["href"]
    assert english == f"/kontrola/{link_token}/en/"
    soup = html_of(client.get(english))
    assert soup.html["lang"] == "en"
    assert soup.h1.get_text(strip=True) == "Komunitní centrum Vltavotýnska EN"
    assert "Obligations and evidence" in soup.get_text()
    assert client.get(f"/kontrola/{link_token}/xx/").status_code == 404


def test_no_personal_data_of_registrants_or_staff(client, project, link_token):
    response = client.get(f"/kontrola/{link_token}/")
    content = response.content.decode()
    # The attendance sheet may show participants: listed with its checksum, never offered.
    sheet = ObligationEvidence.objects.get(obligation__kind=ObligationKind.PARTICIPANT_DOCUMENTS)
    row = html_of(response).select_one("tr[data-kind=participant_documents]")
    assert sheet.file.name.rsplit("/", 1)[-1] in row.get_text()
    assert sheet.sha256 in row.get_text()
    assert not row.find("a", href=re.compile(r"/dukazy/"))
    assert client.get(f"/kontrola/{link_token}/dukazy/{sheet.pk}/").status_code == 404
    assert "Jana Registrovana" not in content
    # No member of staff is named either (who made the link, who is responsible).
    assert "spravce" not in content and "Kontrolorka" not in content


def test_the_link_is_read_only(client, project, link_token):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"/kontrola/{link_token}/")
        assert response.status_code == 405, method
    assert client.post(f"/kontrola/{link_token}/balicek/", {"period_start": "2026-03-01"}).status_code == 405


def test_the_controller_downloads_the_pack_through_the_link(client, project, link_token):
    response = client.get(
        f"/kontrola/{link_token}/balicek/", {"period_start": "2026-03-01", "period_end": "2026-03-31"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    import io
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(response.getvalue())).namelist()
    assert "summary.pdf" in names and not any("prezencni-listina" in name for name in names)
    bad = client.get(f"/kontrola/{link_token}/balicek/", {"period_start": "2026-03-31", "period_end": "2026-03-01"})
    assert bad.status_code == 400
    assert "Konec období nemůže být před jeho začátkem." in bad.content.decode()


def _nothing_of_the_project(response):
    content = response.content.decode()
    assert "Vltavotýnska" not in content and "CZ.03.02.01" not in content and "plakat" not in content


def test_an_expired_link_shows_nothing(client, project, link_token):
    link = ControllerLink.objects.get()
    link.expires_at = timezone.now() - dt.timedelta(minutes=1)
    link.save()
    response = client.get(f"/kontrola/{link_token}/")
    assert response.status_code == 404
    assert "platnost odkazu vypršela" in response.content.decode().lower()
    _nothing_of_the_project(response)
    shot = project.publicity_snapshots.first().screenshots.first()
    assert client.get(f"/kontrola/{link_token}/snimky/{shot.pk}/").status_code == 404


def test_a_revoked_link_shows_nothing(client, project, link_token):
    ControllerLink.objects.update(revoked_at=timezone.now())
    response = client.get(f"/kontrola/{link_token}/")
    assert response.status_code == 404
    assert "odkaz centrum zrušilo" in response.content.decode().lower()
    _nothing_of_the_project(response)


def test_a_wrong_token_gets_nothing_and_is_rate_limited(client, project, link_token, settings):
    settings.CONTROLLER_LINK_RATE_LIMIT = (3, 3600)
    wrong = link_token[:-4] + ("AAAA" if not link_token.endswith("AAAA") else "BBBB")
    for token in (wrong, "short", link_token.upper() if link_token.upper() != link_token else wrong + "x"):
        response = client.get(f"/kontrola/{token}/")
        assert response.status_code == 404
        _nothing_of_the_project(response)
    # After three wrong tokens from this address, even the right one waits.
    response = client.get(f"/kontrola/{link_token}/")
    assert response.status_code == 429
    _nothing_of_the_project(response)


def test_the_database_holds_only_the_hash_of_the_token(project, link_token):
    link = ControllerLink.objects.get()
    assert link_token not in link.token_hash
    assert len(link.token_hash) == 64 and link.token_hash == ControllerLink.hash_token(link_token)


# Staff ----------------------------------------------------------------------------------------------------------


def sign_in(client, django_user_model, *, superuser=False, permissions=()):
    user = django_user_model.objects.create_user("editorka", "e@example.com", "pw", is_superuser=superuser)
    user.groups.add(Group.objects.get(name="Editors"))
    if permissions:
        group = Group.objects.create(name="Controller links")
        group.permissions.add(*Permission.objects.filter(content_type__app_label="projects", codename__in=permissions))
        user.groups.add(group)
    client.force_login(user)
    return user


def test_staff_create_a_link_and_see_its_address_once(client, django_user_model, project):
    sign_in(client, django_user_model, permissions=["add_controllerlink", "change_controllerlink"])
    page = html_of(client.get(f"/admin/projects/{project.pk}/publicity/"))
    create = page.find("a", href=f"/admin/projects/{project.pk}/controller-links/new/")
    assert create is not None
    form = html_of(client.get(create["href"]))
    default = form.find("input", attrs={"name": "valid_until"})["value"]
    assert default == (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client.post(create["href"], {"label": "Ing. Kontrolorka, MPSV", "valid_until": default})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    address = html_of(response).find("input", id="controller-link-address")["value"]
    assert address.startswith("http://testserver/kontrola/")
    token = address.rstrip("/").rsplit("/", 1)[-1]
    # The address is not stored, and the project's page lists the link without it.
    listing = client.get(f"/admin/projects/{project.pk}/publicity/").content.decode()
    assert "Ing. Kontrolorka, MPSV" in listing and token not in listing
    client.logout()
    assert client.get(f"/kontrola/{token}/").status_code == 200


@pytest.mark.parametrize(
    ("label", "valid_until", "message"),
    [
        ("Kontrola", "2020-01-01", "Odkaz musí platit déle než dnes."),
        ("Kontrola", "days:400", "Odkaz může platit nejvýše 365 dní."),
        ("", "days:30", "Toto pole je povinné."),
        ("Kontrola", "zítra", "Zadejte datum, například 30. 6. 2026."),
        ("Kontrola\x00", "days:30", "Nulové znaky nejsou povoleny."),
    ],
)
def test_a_bad_link_request_gets_a_czech_message(client, django_user_model, project, label, valid_until, message):
    sign_in(client, django_user_model, permissions=["add_controllerlink"])
    if valid_until.startswith("days:"):
        valid_until = (timezone.localdate() + dt.timedelta(days=int(valid_until[5:]))).isoformat()
    response = client.post(
        f"/admin/projects/{project.pk}/controller-links/new/", {"label": label, "valid_until": valid_until}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ControllerLink.objects.exists()


def test_staff_revoke_a_link(client, django_user_model, project, link_token):
    sign_in(client, django_user_model, permissions=["change_controllerlink"])
    link = ControllerLink.objects.get()
    page = html_of(client.get(f"/admin/projects/{project.pk}/publicity/"))
    form = page.find("form", action=f"/admin/projects/{project.pk}/controller-links/{link.pk}/revoke/")
    assert client.get(form["action"]).status_code == 405
    response = client.post(form["action"])
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    client.logout()
    assert client.get(f"/kontrola/{link_token}/").status_code == 404


def test_an_editor_without_the_permission_gets_403(client, django_user_model, project, link_token):
    sign_in(client, django_user_model)
    link = ControllerLink.objects.get()
    assert client.get(f"/admin/projects/{project.pk}/controller-links/new/").status_code == 403
    response = client.post(
        f"/admin/projects/{project.pk}/controller-links/new/", {"label": "X", "valid_until": "2027-01-01"}
    )
    assert response.status_code == 403
    assert "Odkazy pro kontrolora nemůžete vytvářet ani rušit" in response.content.decode()
    assert client.post(f"/admin/projects/{project.pk}/controller-links/{link.pk}/revoke/").status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None and ControllerLink.objects.count() == 1
    # Her project page neither lists the links nor offers to make one.
    page = client.get(f"/admin/projects/{project.pk}/publicity/").content.decode()
    assert "controller-links" not in page and "Ing. Kontrolorka" not in page
