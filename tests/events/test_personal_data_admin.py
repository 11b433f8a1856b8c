"""No admin page shows a registrant's personal data to staff without the registration permissions.

The walk is derived from the URL resolver: every pattern under /admin/ (and
/django-admin/ if it is ever routed) is requested as an Editor, its path
parameters filled with the primary keys of real objects of every kind (the
registrations first), with and without a search query and an export format.
A new admin endpoint is walked as soon as it is routed.
"""

from __future__ import annotations

import html
import importlib
import io
import itertools
import json
import zipfile
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.utils.regex_helper import normalize
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.models import Locale, ModelLogEntry, Page, Revision

from events.registrations.models import Registration, RegistrationEmail

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db

NAME = "Žofie Unikátní-Testová"
EMAIL = "zofie.unikatni@example.cz"
PHONE = "+420 777 123 987"
NOTE = "Bezlepková strava, tajná-poznámka-4711"
# Any of these in a response body is a leak (checked after unescaping HTML and JSON).
NEEDLES = (NAME, "Unikátní-Testová", EMAIL, "zofie.unikatni", "777 123 987", "tajná-poznámka-4711")

ADMIN_PREFIXES = ("admin/", "django-admin/")
# Signing out would end the walk; it shows nothing but a redirect.
SKIPPED_URL_NAMES = {"wagtailadmin_logout"}
# Server errors Wagtail itself raises on purpose or on a request no admin page makes:
# "failwhale" tests error reporting; the page chooser fails when asked for the root page.
EXPECTED_SERVER_ERRORS = {"wagtailadmin_error_test", "wagtailadmin_choose_page_chosen_multiple"}
LIST_URL = "registration_admin:index"
# Path parameters that name a view's action, mode or rendition, or carry a token: not an object's id.
NOT_AN_ID = {"action_name", "mode", "filter_spec", "token", "content_type_app_name", "content_type_model_name"}


# --------------------------------------------------------------------------------------
# The URL walk
# --------------------------------------------------------------------------------------


def _url_chains(patterns, prefix=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _url_chains(entry.url_patterns, (*prefix, entry))
        elif isinstance(entry, URLPattern):
            yield (*prefix, entry)


def admin_url_templates():
    """(format string, parameter names, url name) of every admin URL pattern the project routes."""
    templates = []
    for chain in _url_chains(get_resolver().url_patterns):
        fmt, params = "", []
        for part in chain:
            part_fmt, part_params = normalize(part.pattern.regex.pattern)[0]
            fmt += part_fmt
            params += part_params
        if fmt.startswith(ADMIN_PREFIXES) and chain[-1].name not in SKIPPED_URL_NAMES:
            templates.append((fmt, params, chain[-1].name))
    return templates


def _pks(model, limit=3):
    return [str(pk) for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)[:limit]]


class Values:
    """Values for path parameters: the primary keys of real objects, the registrations' first."""

    def __init__(self, registrations, emails, pages, users):
        self.registrations = [str(r.pk) for r in registrations]
        self.pool = list(
            dict.fromkeys(
                [*self.registrations, *(str(e.pk) for e in emails), *(str(p.pk) for p in pages)]
                + [str(u.pk) for u in users]
                + _pks(Revision)
                + _pks(ModelLogEntry)
            )
        )
        self.pages = [str(p.pk) for p in pages]
        self.users = [str(u.pk) for u in users]
        # Every installed model that has rows (or holds registrations' data).
        self.models = [
            model
            for model in apps.get_models()
            if model in (Registration, RegistrationEmail) or model._default_manager.exists()
        ]
        self.bulk_actions = {}
        for action in hooks.get_hooks("register_bulk_action"):
            for model in action.models:
                self.bulk_actions.setdefault(model, []).append(action.action_type)

    def for_model(self, model):
        if model is Registration:
            return self.registrations
        return _pks(model) or ["1"]

    def for_param(self, name, fmt):
        if "page" in name or f"pages/%({name})s/" in fmt:  # Wagtail's `pages/<int>/…` is a page's id
            return self.pages
        if "user" in name:
            return self.users
        if name in NOT_AN_ID:
            # Names, modes and tokens select no object: one value shows the view's answer (every
            # object is reached through the parameters that are ids, which take the whole pool).
            return self.pool[:1]
        return self.pool

    def combinations(self, params, fmt):
        model_params = [p for p in params if p in ("app_label", "app_name")]
        combos = [{}]
        model_of = {}
        if model_params and "model_name" in params:
            combos = []
            for model in self.models:
                combo = {model_params[0]: model._meta.app_label, "model_name": model._meta.model_name}
                actions = self.bulk_actions.get(model, []) if "action" in params else [None]
                for action in actions:
                    entry = dict(combo, action=action) if action else dict(combo)
                    combos.append(entry)
                    model_of[id(entry)] = model
        rest = [p for p in params if p not in combos[0]]
        result = []
        for combo in combos:
            choices = []
            for name in rest:
                if name in ("pk", "object_id", "id") and id(combo) in model_of:
                    choices.append(self.for_model(model_of[id(combo)]))
                else:
                    choices.append(self.for_param(name, fmt))
            for values in itertools.product(*choices):
                result.append({**combo, **dict(zip(rest, values, strict=True))})
        return result


def body_text(response) -> str:
    """What a person (or their browser, or a spreadsheet) gets: HTML, JSON, CSV or XLSX, unescaped."""
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if raw.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"".join(archive.read(name) for name in archive.namelist())
    text = raw.decode("utf-8", errors="replace")
    if "json" in response.get("Content-Type", ""):
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return html.unescape(html.unescape(text))


def leaked(response) -> list[str]:
    text = body_text(response)
    return [needle for needle in NEEDLES if needle in text]


def walk_admin(client, values):
    """GET every admin URL; return (visited paths, the paths that answered 200, leaks, server errors)."""
    visited, shown, leaks, errors = [], [], [], []
    base_query = urlencode([("q", "Žofie"), *(("id", pk) for pk in values.registrations)])
    extra_queries = [
        urlencode({"q": "zofie"}),
        urlencode({"q": "Unikátní"}),
        urlencode({"export": "csv"}),
        urlencode({"export": "xlsx"}),
    ]
    for fmt, params, url_name in admin_url_templates():
        for combo in values.combinations(params, fmt):
            path = "/" + fmt % combo
            try:
                resolve(path)
            except Resolver404:
                continue
            visited.append(path)
            found_errors = [] if url_name in EXPECTED_SERVER_ERRORS else errors
            status = _get(client, f"{path}?{base_query}", leaks, found_errors)
            if status == 200:
                shown.append(path)
                for query in extra_queries:
                    _get(client, f"{path}?{query}", leaks, found_errors)
    return visited, shown, leaks, errors


def _get(client, url, leaks, errors):
    try:
        response = client.get(url)
    except Exception as error:  # a server error (500) for the person
        errors.append(f"{url}: {error!r}")
        return 500
    if response.status_code >= 500:
        errors.append(f"{url}: {response.status_code}")
    found = leaked(response)
    if found:
        leaks.append(f"{url} ({response.status_code}): {found}")
    return response.status_code


# --------------------------------------------------------------------------------------
# The data: registrations, their e-mails and the admin's own records about them
# --------------------------------------------------------------------------------------


@pytest.fixture
def contact_messages(home_cs):
    """The contact page with two messages from the same person (personal data of another kind)."""
    from demo.website import load_contact
    from website.services.contact import contact_submission_create

    page = load_contact(homes={"cs": home_cs, "en": home_cs.get_translation(Locale.objects.get(language_code="en"))})
    data = {"jmeno": NAME, "email": EMAIL, "telefon": PHONE, "zprava": NOTE}
    return page, [contact_submission_create(page=page, data=data) for _n in range(2)]


@pytest.fixture
def registrations(reg_event, django_user_model, contact_messages):
    page = reg_event(capacity=1)
    date = first_date(page)
    confirmed = register(date, email=EMAIL, name=NAME, phone=PHONE, note=NOTE)
    waitlisted = register(date, email="zofie.unikatni+2@example.cz", name=NAME, phone=PHONE, note=NOTE)
    later = page.dates.order_by("start").last()
    other = register(later, email=EMAIL, name=NAME, phone=PHONE, note=NOTE)
    # A manager's edit in the admin leaves a log entry on the registration.
    manager = django_user_model.objects.create_user(username="manager-log", password="pw")
    manager.groups.add(Group.objects.get(name="Registration managers"))
    log(instance=confirmed, action="wagtail.edit", user=manager)
    return page, [confirmed, waitlisted, other]


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        username="editor", password="pw", first_name="Eva", last_name="Editorka"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def deputy(django_user_model):
    """Staff with every permission there is, except the personal-data ones: the registrations' and the
    contact form messages' (not a superuser)."""
    user = django_user_model.objects.create_user(username="deputy", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Moderators"))
    user.user_permissions.set(
        Permission.objects.filter(
            ~Q(content_type__app_label="registrations")
            & ~Q(content_type__app_label="website", content_type__model="contactsubmission")
        )
    )
    return user


def _values(page, regs, users):
    from website.models import ContactPage

    contact_pages = list(Page.objects.type(ContactPage).order_by("pk")[:1])
    pages = list(Page.objects.filter(depth__gte=2).order_by("-depth", "pk")[:2]) + [page] + contact_pages
    pages = list({p.pk: p for p in pages}.values())
    emails = RegistrationEmail.objects.filter(registration__in=regs)
    return Values(regs, emails, pages, users)


# --------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------


@override_settings(WAGTAIL_2FA_REQUIRED=False)
@pytest.mark.parametrize("who", ["editor", "deputy"])
def test_no_admin_url_shows_a_registrants_personal_data_without_the_permission(
    client, registrations, contact_messages, request, who
):
    page, regs = registrations
    contact_page, messages = contact_messages
    user = request.getfixturevalue(who)
    assert not user.has_perm("registrations.view_registration")
    assert not user.has_perm("website.view_contactsubmission")
    # The person can edit the contact page: only the missing permission keeps its messages from them.
    assert contact_page.permissions_for_user(user).can_edit()
    client.force_login(user)
    visited, shown, leaks, errors = walk_admin(client, _values(page, regs, [user]))
    print(f"{who}: visited {len(visited)} admin URLs, {len(shown)} of them answered 200")
    # The walk covers the generic snippet, chooser, bulk-action, API, history, usage and report endpoints...
    for expected in (
        f"/admin/registrations/inspect/{regs[0].pk}/",
        f"/admin/registrations/history/{regs[0].pk}/",
        f"/admin/registrations/usage/{regs[0].pk}/",
        f"/admin/registrations/edit/{regs[0].pk}/",
        "/admin/registrations/",
        "/admin/snippets/",
        f"/admin/snippets/choose/events/venue/chosen/{regs[0].pk}/",
        "/admin/localize/api/snippets/registrations/registration/",
        f"/admin/localize/api/snippets/registrations/registration/{regs[0].pk}/",
        "/admin/bulk/registrations/registration/cancel_registration/",
        "/admin/bulk/registrations/registration/mark_attended/",
        f"/admin/settings/registrations/registration/{regs[0].pk}/",
        "/admin/api/main/pages/",
        "/admin/reports/site-history/",
        "/admin/reports/aging-pages/",
        "/admin/reports/locked/",
        "/admin/workflows/tasks/index/",
        "/admin/pages/search/",
        "/admin/registrations-tools/personal-data/",
        # The contact form messages: the forms index, each form's list, export and deletion.
        "/admin/forms/",
        f"/admin/forms/submissions/{contact_page.pk}/",
        f"/admin/forms/submissions/{contact_page.pk}/delete/",
    ):
        assert expected in visited, expected
    # ...and everything else the resolver knows under /admin/.
    assert len(visited) >= 1500
    # The walk ran signed in all along: the person saw real admin pages, and still does.
    assert len(shown) >= 100
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert not leaks, "\n".join(leaks)
    assert not errors, "\n".join(errors)


@override_settings(WAGTAIL_2FA_REQUIRED=False)
def test_a_registration_manager_does_see_the_registrants(client, registrations, django_user_model):
    page, regs = registrations
    manager = django_user_model.objects.create_user(username="manager", password="pw")
    manager.groups.add(Group.objects.get(name="Registration managers"))
    client.force_login(manager)
    listing = client.get(reverse(LIST_URL), {"q": "Žofie"})
    assert listing.status_code == 200
    assert NAME in body_text(listing) and EMAIL in body_text(listing)
    # The listing keeps its bulk actions (cancel, promote, attended, no-show) and its export.
    text = body_text(listing)
    assert "data-bulk-action-checkbox" in text and 'data-bulk-action-footer="REGISTRATION"' in text
    for action in ("cancel_registration", "promote_registration", "mark_attended", "mark_no_show"):
        assert f"/admin/bulk/registrations/registration/{action}/" in text
    assert EMAIL in client.get(reverse(LIST_URL), {"export": "csv"}).getvalue().decode()
    detail = client.get(f"/admin/registrations/inspect/{regs[0].pk}/")
    assert detail.status_code == 200 and PHONE in body_text(detail) and NOTE in body_text(detail)


@override_settings(WAGTAIL_2FA_REQUIRED=False)
def test_the_admin_log_and_messages_name_no_registrant(client, registrations, django_user_model):
    page, regs = registrations
    manager = django_user_model.objects.create_user(username="manager", password="pw")
    manager.groups.add(Group.objects.get(name="Registration managers"))
    client.force_login(manager)
    response = client.post(
        reverse("registration_admin:edit", args=[regs[0].pk]),
        {"name": NAME, "phone": PHONE, "note": "Jiná poznámka"},
        follow=True,
    )
    assert response.status_code == 200
    regs[0].refresh_from_db()
    assert regs[0].note == "Jiná poznámka"
    labels = list(ModelLogEntry.objects.filter(object_id=str(regs[0].pk)).values_list("label", flat=True))
    assert labels and not any(needle in label for label in labels for needle in NEEDLES)
    assert str(regs[0].pk) in labels[-1]
    # The site history, as a superuser sees it, names the registration by its number.
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(boss)
    assert not leaked(client.get(reverse("wagtailadmin_reports:site_history")))


def test_old_log_entries_are_relabelled():
    """Entries written while a registration was labelled with the person's name lose it."""
    relabel = importlib.import_module("events.registrations.migrations.0002_log_entries_name_no_registrant").relabel
    from django.contrib.contenttypes.models import ContentType

    entry = ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Registration),
        object_id="42",
        label=f"{NAME} (Potvrzeno)",
        action="wagtail.edit",
        timestamp=timezone.now(),
    )
    relabel(apps, None)
    entry.refresh_from_db()
    assert entry.label == "Registrace #42"
