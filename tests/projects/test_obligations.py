"""The obligation register: generated from each project's facts, evidence uploaded by staff, reminders."""

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.models import Locale

from portal.models import CentreSettings
from projects.models import (
    Currency,
    Obligation,
    ObligationEvidence,
    ObligationKind,
    ObligationReminder,
    ObligationStatus,
    PublicityCheck,
    PublicitySnapshot,
    RuleSeverity,
)
from projects.obligations import obligation_reminders_send, photo_taken_on, project_obligations_update
from projects.tasks import obligations_daily

TODAY = dt.date(2026, 11, 30)


def register(project) -> dict[str, Obligation]:
    return {obligation.kind: obligation for obligation in Obligation.objects.filter(project=project)}


def jpeg(*, taken: str | None = None) -> bytes:
    """A real JPEG made with Pillow, with EXIF DateTimeOriginal when `taken` is given."""
    buffer = io.BytesIO()
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[36867] = taken
    Image.new("RGB", (64, 48), "navy").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def staff(client, django_user_model, *, name="koordinatorka", superuser=True):
    user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw", is_superuser=superuser)
    client.force_login(user)
    return user


def czech(client):
    client.cookies["django_language"] = "cs"


def text_of(response) -> str:
    return BeautifulSoup(response.content.decode(), "html.parser").get_text(" ", strip=True)


# Generation ----------------------------------------------------------------------------------------


def test_an_eu_2021_2027_project_gets_its_register_when_published(make_project, opzplus):
    project = make_project(programmes=[opzplus], start_date=dt.date(2026, 1, 1), end_date=dt.date(2027, 6, 30))
    obligations = register(project)
    assert set(obligations) == set(ObligationKind.values)
    assert obligations["website"].source == "Regulation (EU) 2021/1060, Art. 50(1)(a)"
    assert obligations["poster"].source == "Regulation (EU) 2021/1060, Art. 50(1)(d)"
    assert obligations["plaque"].source == "Regulation (EU) 2021/1060, Art. 50(1)(c)"
    assert obligations["social_post"].source == "Regulation (EU) 2021/1060, Art. 50(1)(a)"
    assert obligations["participant_documents"].source == "Regulation (EU) 2021/1060, Art. 50(1)(b)"
    assert obligations["poster"].due_date == dt.date(2026, 1, 1)
    assert obligations["poster"].keep_until == dt.date(2027, 6, 30)
    # The centre has a Facebook page: the post is due; the display is the poster's alternative.
    assert not obligations["social_post"].not_applicable
    assert obligations["display"].not_applicable and obligations["display"].not_applicable_reason
    # 1,000,000 CZK is far below EUR 500,000: no plaque.
    assert obligations["plaque"].not_applicable
    # The English translation's page shares the Czech page's register.
    english = project.get_translation(Locale.objects.get(language_code="en"))
    assert not Obligation.objects.filter(project=english).exists()


def test_the_register_keeps_publicity_through_the_sustainability_period(make_project, opzplus):
    opzplus.obligation_years_after_end = 5
    opzplus.save()
    project = make_project(programmes=[opzplus], start_date=dt.date(2024, 3, 1), end_date=dt.date(2026, 2, 28))
    obligations = register(project)
    assert obligations["website"].keep_until == dt.date(2031, 2, 28)
    assert obligations["poster"].keep_until == dt.date(2031, 2, 28)


@pytest.mark.parametrize(
    ("total_cost", "currency", "plaque_required"),
    [
        (Decimal("500000"), Currency.EUR, False),
        (Decimal("500000.01"), Currency.EUR, True),
        (Decimal("12500000"), Currency.CZK, False),  # EUR 500,000 at 25 CZK
        (Decimal("12500100"), Currency.CZK, True),
    ],
)
def test_the_eu_plaque_threshold_is_a_total_cost_over_eur_500000(
    make_project, opzplus, total_cost, currency, plaque_required
):
    project = make_project(programmes=[opzplus], total_cost=total_cost, grant_amount=None, currency=currency)
    plaque = register(project)["plaque"]
    assert plaque.not_applicable is not plaque_required
    if plaque_required:
        assert "physical investment" in plaque.note


def test_a_2014_2020_project_needs_a_permanent_plaque_after_completion_and_no_social_post(make_project, opz):
    project = make_project(
        programmes=[opz],
        registration_number="CZ.03.2.60/0.0/0.0/16_052/0009098",
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2021, 11, 30),
        total_cost=Decimal("20000000"),
    )
    obligations = register(project)
    assert obligations["poster"].source == "Regulation (EU) No 1303/2013, Annex XII 2.2(2)(b)"
    assert obligations["plaque"].source == "Regulation (EU) No 1303/2013, Annex XII 2.2(4) and (5)"
    assert not obligations["plaque"].not_applicable
    assert obligations["plaque"].due_date == dt.date(2022, 2, 28)  # three months after completion
    assert obligations["participant_documents"].source == "Regulation (EU) No 1303/2013, Annex XII 2.2(3)"
    assert obligations["social_post"].not_applicable
    assert obligations["social_post"].not_applicable_reason == "The programme's rules require no social media post."


def test_an_active_citizens_fund_project_follows_the_eea_and_norway_rules(make_project, acf):
    small = make_project(programmes=[acf], registration_number="CZ-ACTIVECITIZENS-0045", grant_amount=Decimal("950000"))
    large = make_project(
        programmes=[acf],
        registration_number="CZ-ACTIVECITIZENS-0046",
        total_cost=Decimal("3000000"),
        grant_amount=Decimal("2000000"),  # EUR 80,000: over the EEA and Norway Grants' EUR 50,000
    )
    for obligation in register(small).values():
        assert obligation.source.startswith("EEA and Norway Grants 2014–2021 Regulation, Annex 3")
    assert "Communication and Design Manual (poster)" in register(small)["poster"].source
    assert register(small)["plaque"].not_applicable
    assert not register(large)["plaque"].not_applicable


def test_without_social_accounts_the_post_does_not_apply_until_the_centre_adds_one(site_homes, make_project, opzplus):
    centre = CentreSettings.objects.get()
    links = list(centre.social_links.all())
    centre.social_links.all().delete()
    project = make_project(programmes=[opzplus])
    post = register(project)["social_post"]
    assert post.not_applicable and "no social media accounts" in post.not_applicable_reason
    for link in links:
        link.pk = None
        link.save()
    project_obligations_update(project=project)
    post.refresh_from_db()
    assert not post.not_applicable and post.not_applicable_reason == ""


def test_generating_again_keeps_what_staff_decided(make_project, opzplus, django_user_model):
    project = make_project(programmes=[opzplus])
    person = django_user_model.objects.create_user("pavla", "pavla@example.com", "pw")
    poster = register(project)["poster"]
    poster.not_applicable = True
    poster.not_applicable_reason = "Elektronický displej v recepci."
    poster.responsible = person
    poster.save()
    project.end_date = dt.date(2026, 12, 31)
    project.save_revision().publish()
    poster.refresh_from_db()
    assert poster.not_applicable and poster.not_applicable_reason == "Elektronický displej v recepci."
    assert poster.responsible == person and poster.keep_until == dt.date(2026, 12, 31)
    assert Obligation.objects.filter(project=project).count() == len(ObligationKind.values)


# Status ---------------------------------------------------------------------------------------------


def test_status_missing_due_soon_fulfilled_and_not_applicable(make_project, opzplus):
    project = make_project(programmes=[opzplus], start_date=dt.date(2026, 12, 20), end_date=dt.date(2027, 12, 31))
    obligations = register(project)
    poster, post, plaque = obligations["poster"], obligations["social_post"], obligations["plaque"]
    assert poster.status_on(TODAY) == ObligationStatus.DUE_SOON  # due in 20 days
    assert poster.status_on(dt.date(2026, 11, 1)) == ObligationStatus.MISSING  # 49 days ahead: not yet soon
    assert poster.status_on(dt.date(2027, 1, 5)) == ObligationStatus.MISSING  # overdue
    assert plaque.status_on(TODAY) == ObligationStatus.NOT_APPLICABLE
    ObligationEvidence.objects.create(
        obligation=post, kind="url", url="https://www.facebook.com/post/1", taken_on=dt.date(2026, 11, 29)
    )
    assert post.status_on(TODAY) == ObligationStatus.FULFILLED
    counts = Obligation.objects.filter(project=project).with_status(TODAY).values_list("kind", "status_value")
    assert dict(counts)["social_post"] == ObligationStatus.FULFILLED


def test_the_website_is_fulfilled_by_a_passing_publicity_check(make_project, opzplus):
    project = make_project(programmes=[opzplus])
    website = register(project)["website"]
    assert website.status_on(TODAY) == ObligationStatus.MISSING
    snapshot = PublicitySnapshot.objects.create(page=project, project=project, page_title=project.title, locale="cs")
    common = {"snapshot": snapshot, "page": project, "project": project, "page_title": project.title, "locale": "cs"}
    PublicityCheck.objects.create(rule="project_name", passed=True, reason="ok", **common)
    PublicityCheck.objects.create(
        rule="programme_named", passed=False, reason="house", severity=RuleSeverity.HOUSE, **common
    )
    assert website.status_on(TODAY) == ObligationStatus.FULFILLED  # a house rule is a warning only
    PublicityCheck.objects.create(rule="eu_statement_text", passed=False, reason="missing", **common)
    assert website.status_on(TODAY) == ObligationStatus.MISSING


# EXIF -------------------------------------------------------------------------------------------------


def test_the_photo_date_is_read_from_exif():
    assert photo_taken_on(io.BytesIO(jpeg(taken="2026:11:02 10:15:00"))) == dt.date(2026, 11, 2)
    assert photo_taken_on(io.BytesIO(jpeg())) is None
    assert photo_taken_on(io.BytesIO(b"not a photo")) is None


# Upload ----------------------------------------------------------------------------------------------


def test_staff_upload_a_poster_photo_dated_from_its_exif(client, django_user_model, make_project, opzplus):
    project = make_project(programmes=[opzplus])
    poster = register(project)["poster"]
    user = staff(client, django_user_model)
    czech(client)
    page = client.get(f"/admin/projects/{project.pk}/obligations/")
    assert page.status_code == 200
    assert f"/admin/obligations/{poster.pk}/evidence/" in page.content.decode()
    form = client.get(f"/admin/obligations/{poster.pk}/evidence/")
    assert form.status_code == 200 and "EXIF" in text_of(form)
    data = jpeg(taken="2026:10:05 09:30:00")
    response = client.post(
        f"/admin/obligations/{poster.pk}/evidence/",
        {"kind": "photo", "file": SimpleUploadedFile("plakat.jpg", data, "image/jpeg"), "note": "Vchod"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/admin/projects/{project.pk}/obligations/"
    assert "Fotografie byla pořízena 5. října 2026 (datum přečteno z údajů EXIF)." in text_of(response)
    evidence = ObligationEvidence.objects.get(obligation=poster)
    assert evidence.taken_on == dt.date(2026, 10, 5)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.uploaded_by == user and evidence.file.read() == data
    assert poster.status_on(TODAY) == ObligationStatus.FULFILLED
    assert "5. 10. 2026" in text_of(response)


def test_each_obligation_and_controller_link_page_is_headed_by_its_own_title(
    client, django_user_model, make_project, opzplus
):
    project = make_project(programmes=[opzplus])
    poster = register(project)["poster"]
    staff(client, django_user_model)
    czech(client)
    pages = {
        "/admin/reports/obligations/": "Povinnosti publicity",
        f"/admin/projects/{project.pk}/obligations/": f"Povinnosti publicity {project.title}",
        f"/admin/obligations/{poster.pk}/": f"Upravit povinnost {project.title}: A3 plakát v prostorách",
        f"/admin/obligations/{poster.pk}/evidence/": f"Přidat doklad {project.title}: A3 plakát v prostorách",
        f"/admin/projects/{project.pk}/publicity/": f"Doklady o publicitě {project.title}",
        f"/admin/projects/{project.pk}/controller-links/new/": f"Nový odkaz pro kontrolora {project.title}",
    }
    for address, title in pages.items():
        response = client.get(address)
        assert response.status_code == 200, address
        headings = BeautifulSoup(response.content.decode(), "html.parser").find_all("h1")
        assert [" ".join(h.get_text(" ", strip=True).split()) for h in headings] == [title], address


def test_a_photo_without_exif_needs_the_date_from_staff(client, django_user_model, make_project, opzplus):
    project = make_project(programmes=[opzplus])
    poster = register(project)["poster"]
    staff(client, django_user_model)
    czech(client)
    url = f"/admin/obligations/{poster.pk}/evidence/"
    response = client.post(url, {"kind": "photo", "file": SimpleUploadedFile("plakat.jpg", jpeg(), "image/jpeg")})
    assert response.status_code == 200
    assert "Fotografie nemá uložené datum pořízení (EXIF)." in text_of(response)
    assert not ObligationEvidence.objects.exists()
    response = client.post(
        url,
        {"kind": "photo", "file": SimpleUploadedFile("plakat.jpg", jpeg(), "image/jpeg"), "taken_on": "2026-11-20"},
    )
    assert response.status_code == 302
    assert ObligationEvidence.objects.get().taken_on == dt.date(2026, 11, 20)


def test_a_social_post_link_and_screenshot(client, django_user_model, make_project, opzplus):
    project = make_project(programmes=[opzplus])
    post = register(project)["social_post"]
    staff(client, django_user_model)
    url = f"/admin/obligations/{post.pk}/evidence/"
    png = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(png, "PNG")
    response = client.post(
        url,
        {
            "kind": "screenshot",
            "file": SimpleUploadedFile("post.png", png.getvalue(), "image/png"),
            "url": "https://www.facebook.com/centrum/posts/1",
            "taken_on": "2026-11-15",
        },
    )
    assert response.status_code == 302
    evidence = ObligationEvidence.objects.get(obligation=post)
    assert evidence.url == "https://www.facebook.com/centrum/posts/1" and evidence.kind == "screenshot"


def test_a_bad_file_gets_a_czech_message_not_an_error(client, django_user_model, make_project, opzplus):
    project = make_project(programmes=[opzplus])
    poster = register(project)["poster"]
    staff(client, django_user_model)
    czech(client)
    url = f"/admin/obligations/{poster.pk}/evidence/"
    response = client.post(
        url, {"kind": "photo", "file": SimpleUploadedFile("plakat.jpg", b"<html>not a photo</html>", "image/jpeg")}
    )
    assert response.status_code == 200
    assert "Soubor není fotografie ani obrázek, který lze přečíst (použijte JPEG, PNG nebo WebP)." in text_of(response)
    response = client.post(
        url,
        {
            "kind": "document",
            "file": SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream"),
            "taken_on": "2026-11-01",
        },
    )
    assert response.status_code == 200
    assert "Tento druh souboru se nepřijímá." in text_of(response)
    assert not ObligationEvidence.objects.exists()


def test_staff_mark_an_obligation_not_applicable_with_a_reason(client, django_user_model, make_project, opzplus):
    project = make_project(programmes=[opzplus])
    poster = register(project)["poster"]
    staff(client, django_user_model)
    czech(client)
    url = f"/admin/obligations/{poster.pk}/"
    response = client.post(url, {"not_applicable": "on", "not_applicable_reason": ""})
    assert response.status_code == 200 and "Uveďte, proč se povinnost neuplatní." in text_of(response)
    response = client.post(url, {"not_applicable": "on", "not_applicable_reason": "Displej v recepci."})
    assert response.status_code == 302
    poster.refresh_from_db()
    assert poster.not_applicable and poster.status_on(TODAY) == ObligationStatus.NOT_APPLICABLE


# Admin overview and dashboard ----------------------------------------------------------------------


def test_the_register_and_the_dashboard_show_what_is_missing_and_due_soon(
    client, django_user_model, make_project, opzplus, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    soon = make_project(programmes=[opzplus], title="Brzy", start_date=dt.date(2026, 12, 10), end_date=None)
    late = make_project(programmes=[opzplus], title="Pozdě", start_date=dt.date(2026, 1, 1), end_date=None)
    # "soon": website, poster, post, documents due in 10 days; "late": the same four overdue.
    snapshot = PublicitySnapshot.objects.create(page=late, project=late, page_title=late.title, locale="cs")
    common = {"snapshot": snapshot, "page": late, "project": late, "page_title": late.title, "locale": "cs"}
    PublicityCheck.objects.create(rule="house", passed=False, reason="Varování", severity=RuleSeverity.HOUSE, **common)
    PublicityCheck.objects.create(rule="old", passed=False, reason="Mimo období", in_force=False, **common)
    PublicityCheck.objects.create(rule="eu_statement_text", passed=False, reason="Chybí prohlášení", **common)
    staff(client, django_user_model)
    czech(client)
    listing = text_of(client.get("/admin/reports/obligations/"))
    assert "4 povinnosti chybí." in listing and "4 mají termín do 30 dnů." in listing
    due_soon = client.get("/admin/reports/obligations/?status=due_soon")
    soup = BeautifulSoup(due_soon.content.decode(), "html.parser")
    assert [h.get_text(strip=True) for h in soup.select("section h2")] == [soon.title]
    dashboard = BeautifulSoup(client.get("/admin/").content.decode(), "html.parser")
    panel = dashboard.select_one("section[aria-labelledby=publicity-panel-heading]").get_text(" ", strip=True)
    assert "4 povinnosti chybí" in panel and "4 povinnosti mají termín do 30 dnů" in panel
    # Only the legal rule in force fails; the house rule and the rule out of its period are not failures.
    assert "1 pravidlo na zveřejněných stránkách není splněno." in panel
    assert "Chybí prohlášení" in panel and "Varování" not in panel and "Mimo období" not in panel
    editor_link = client.get(f"/admin/pages/{soon.pk}/edit/").content.decode()
    assert f"/admin/projects/{soon.pk}/obligations/" in editor_link
    listing = client.get(f"/admin/pages/{soon.get_parent().pk}/").content.decode()
    assert f"/admin/projects/{soon.pk}/obligations/" in listing
    project_page = text_of(client.get(f"/admin/projects/{soon.pk}/obligations/"))
    assert "Blíží se termín" in project_page and "Nařízení (EU) 2021/1060, čl. 50 odst. 1 písm. d)" in project_page


# Reminders ----------------------------------------------------------------------------------------------


def test_the_responsible_person_is_reminded_14_and_3_days_before_once_each(make_project, opzplus, django_user_model):
    project = make_project(programmes=[opzplus], start_date=dt.date(2026, 12, 14), end_date=dt.date(2027, 12, 31))
    person = django_user_model.objects.create_user("pavla", "pavla@example.com", "pw", first_name="Pavla")
    Obligation.objects.filter(project=project).update(responsible=person)
    Obligation.objects.filter(project=project).exclude(kind=ObligationKind.POSTER).update(
        not_applicable=True, not_applicable_reason="Test"
    )
    mail.outbox.clear()
    assert obligation_reminders_send(today=dt.date(2026, 11, 29)) == 0  # 15 days before
    assert obligation_reminders_send(today=TODAY) == 1  # 14 days before
    assert obligation_reminders_send(today=TODAY) == 0
    assert obligation_reminders_send(today=dt.date(2026, 12, 5)) == 0  # 9 days: the 14-day one was sent
    assert obligation_reminders_send(today=dt.date(2026, 12, 11)) == 1  # 3 days before
    assert obligation_reminders_send(today=dt.date(2026, 12, 12)) == 0
    assert len(mail.outbox) == 2
    first = mail.outbox[0]
    assert first.to == ["pavla@example.com"]
    assert first.subject == f"Blíží se termín povinné publicity: A3 plakát v prostorách ({project.title})"
    assert f"Projekt „{project.title}“ má povinnost publicity, která zatím není splněna:" in first.body
    assert "Splnit do: 14. 12. 2026 (za 14 dní)" in first.body
    assert "Zdroj: Nařízení (EU) 2021/1060, čl. 50 odst. 1 písm. d)" in first.body
    assert f"/admin/obligations/{register(project)['poster'].pk}/evidence/" in first.body
    assert "za 3 dny" in mail.outbox[1].body
    assert list(ObligationReminder.objects.order_by("days_before").values_list("days_before", flat=True)) == [3, 14]


def test_without_a_responsible_person_the_project_editors_are_reminded_and_evidence_stops_it(
    make_project, opzplus, django_user_model, monkeypatch
):
    project = make_project(programmes=[opzplus], start_date=dt.date(2026, 12, 3), end_date=dt.date(2027, 12, 31))
    editor = django_user_model.objects.create_user("editor", "editor@example.com", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    poster = register(project)["poster"]
    ObligationEvidence.objects.create(
        obligation=poster, kind="photo", taken_on=dt.date(2026, 11, 28), url="https://example.com/foto"
    )
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    mail.outbox.clear()
    sent = obligations_daily.call()
    assert sent == 3  # website, social post and documents: due in 3 days; the poster has its evidence
    assert all(message.to == ["editor@example.com"] for message in mail.outbox)
    assert not any("A3 plakát" in message.subject for message in mail.outbox)
    assert obligations_daily.call() == 0


# Permissions ----------------------------------------------------------------------------------------------


def editors_without_the_register() -> Group:
    """The "Editors" group of a centre that took the register from its editors in Settings → Groups."""
    editors = Group.objects.get(name="Editors")
    editors.permissions.remove(
        *Permission.objects.filter(content_type__app_label="projects", codename__endswith="_obligation")
    )
    return editors


def test_editors_and_moderators_keep_the_register_and_moderators_make_controller_links(
    client, django_user_model, make_project, opzplus
):
    project = make_project(programmes=[opzplus])
    poster = register(project)["poster"]
    for group, may_make_links in (("Editors", False), ("Moderators", True)):
        user = staff(client, django_user_model, name=f"clen-{group.lower()}", superuser=False)
        user.groups.add(Group.objects.get(name=group))
        assert client.get(f"/admin/projects/{project.pk}/obligations/").status_code == 200
        assert client.get(f"/admin/obligations/{poster.pk}/evidence/").status_code == 200
        links = client.get(f"/admin/projects/{project.pk}/controller-links/new/")
        assert (links.status_code == 200) is may_make_links, group


def test_an_editor_without_the_permission_gets_403_on_every_obligation_url(
    client, django_user_model, make_project, opzplus
):
    project = make_project(programmes=[opzplus])
    poster = register(project)["poster"]
    user = staff(client, django_user_model, name="editorka", superuser=False)
    user.groups.add(editors_without_the_register())
    czech(client)
    urls = [
        "/admin/reports/obligations/",
        f"/admin/projects/{project.pk}/obligations/",
        f"/admin/obligations/{poster.pk}/",
        f"/admin/obligations/{poster.pk}/evidence/",
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert "Povinnosti publicity nemůžete zobrazit ani měnit" in client.get(url).content.decode(), url
        assert client.post(url, {"kind": "url", "url": "https://x.cz", "taken_on": "2026-11-01"}).status_code == 403
    assert not ObligationEvidence.objects.exists()
    home = client.get("/admin/").content.decode()
    assert "/admin/reports/obligations/" not in home
    edit = client.get(f"/admin/pages/{project.pk}/edit/").content.decode()
    assert f"/admin/projects/{project.pk}/obligations/" not in edit


def test_the_permission_can_be_given_to_a_group(client, django_user_model, make_project, opzplus):
    project = make_project(programmes=[opzplus])
    poster = register(project)["poster"]
    user = staff(client, django_user_model, name="koordinator", superuser=False)
    user.groups.add(editors_without_the_register())
    readers = Group.objects.create(name="Publicita")
    readers.permissions.add(Permission.objects.get(content_type__app_label="projects", codename="view_obligation"))
    user.groups.add(readers)
    assert client.get(f"/admin/projects/{project.pk}/obligations/").status_code == 200
    assert client.get(f"/admin/obligations/{poster.pk}/evidence/").status_code == 403
    readers.permissions.add(Permission.objects.get(content_type__app_label="projects", codename="change_obligation"))
    assert client.get(f"/admin/obligations/{poster.pk}/evidence/").status_code == 200
