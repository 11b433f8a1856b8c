"""`load_demo_content`: the whole demo site in every enabled language, the same after a second run.

The demo is an app of its own: development and test settings install it,
production leaves it out, and no product app imports it.
"""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Collection, Locale, Page, Site

from events.models import EventDate, EventIndexPage, EventPage
from events.registrations.models import Registration
from home.models import HomePage, StandardPage
from portal.models import CentreSettings
from projects.models import FundingProgramme, Obligation, ObligationKind, ProjectPage
from website.models import ContactPage, NewsPage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_APPS = ("portal", "home", "events", "projects", "website")
STANDARD_PAGES = {  # the Czech slug of each standard page and its English slug
    "o-nas": "about-us",
    "prohlaseni-o-pristupnosti": "accessibility-statement",
    "ochrana-osobnich-udaju": "privacy-notice",
}


def _counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "events": EventPage.objects.count(),
        "event dates": EventDate.objects.count(),
        "registrations": Registration.objects.count(),
        "projects": ProjectPage.objects.count(),
        "funding programmes": FundingProgramme.objects.count(),
        "news items": NewsPage.objects.count(),
        "publicity obligations": Obligation.objects.count(),
    }


def test_loading_twice_builds_the_same_site(capsys):
    call_command("load_demo_content")
    first = _counts()
    call_command("load_demo_content")
    assert _counts() == first
    assert first["registrations"] > 0
    # Each of the five funded projects has its obligation register (six obligations), built once.
    assert first["publicity obligations"] == 5 * len(ObligationKind.values)
    output = capsys.readouterr().out
    for step in ("home pages:", "projects:", "events:", "registrations:", "website:", "Demo content is ready."):
        assert output.count(step) == 2, step


def test_the_demo_site_is_complete_in_czech_and_english_and_in_part_in_ukrainian():
    call_command("load_demo_content", verbosity=0)
    assert [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES] == ["cs", "en", "uk"]
    for code in ("cs", "en"):
        live = Page.objects.live().filter(locale__language_code=code)
        assert live.type(HomePage).count() == 1, code
        slugs = set(live.type(StandardPage).values_list("slug", flat=True))
        assert set(STANDARD_PAGES if code == "cs" else STANDARD_PAGES.values()) <= slugs, code
        assert live.type(ProjectPage).count() == 5, code
        assert live.type(EventPage).count() >= 12, code
        news = NewsPage.objects.live().filter(locale__language_code=code)
        assert news.count() == 6, code
        assert news.exclude(image=None).count() >= 3 and news.exclude(project=None).count() >= 2, code
        assert all(item.tags.exists() for item in news), code
        contact = live.type(ContactPage).get().specific
        assert contact.slug == ("kontakt" if code == "cs" else "contact"), code
        assert [field.clean_name for field in contact.get_form_fields()] == ["jmeno", "email", "telefon", "zprava"]

    # Ukrainian: the home page, the contact page, the events index and six activities, with their
    # categories, audiences and venues in Ukrainian; the centre's name and hours too.
    live = Page.objects.live().filter(locale__language_code="uk")
    assert live.type(HomePage).get().title == "Громадський центр Soused"
    assert live.type(EventIndexPage).get().slug == "zakhody"
    events = list(EventPage.objects.live().filter(locale__language_code="uk"))
    assert len(events) == 6
    for event in events:
        assert event.category.locale.language_code == "uk" and event.venue.locale.language_code == "uk"
        assert {audience.locale.language_code for audience in event.audiences.all()} == {"uk"}
        source = event.get_translation(Locale.get_default())
        assert [d.start for d in event.dates.all()] == [d.start for d in source.dates.all()]
        assert event.registration_enabled == source.registration_enabled
        assert event.organiser_name == "Громадський центр Soused"
    contact = live.type(ContactPage).get().specific
    assert contact.slug == "kontakty"
    assert [field.clean_name for field in contact.get_form_fields()] == ["jmeno", "email", "telefon", "zprava"]
    labels = [field.label for field in contact.get_form_fields()]
    assert labels == ["Ваше ім’я", "Електронна пошта", "Телефон", "Повідомлення"]
    centre = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    assert centre.text_for("uk").name == "Громадський центр Soused"
    assert centre.text_for("uk").opening_hours.startswith("Пн–Чт")


def test_demo_loads_into_an_emptied_database():
    """After a flush (as a transactional test leaves it) the roots are recreated and the demo still loads."""
    Site.objects.all().delete()
    Page.objects.all().delete()
    Collection.objects.all().delete()
    call_command("load_demo_content", verbosity=0)
    assert Page.objects.filter(depth=1).count() == 1
    assert Collection.objects.filter(depth=1).exists()
    assert Site.objects.get(is_default_site=True).root_page.specific.__class__.__name__ == "HomePage"


def test_production_settings_leave_the_demo_out():
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="demo-test-" + "s" * 50,
        ALLOWED_HOSTS="example.org",
        DATABASE_URL="sqlite:///:memory:",
    )
    script = (
        "import json, django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.management import call_command, get_commands\n"
        "call_command('check')\n"
        "print(json.dumps({'apps': settings.INSTALLED_APPS, 'commands': sorted(get_commands())}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    production = json.loads(result.stdout.strip().splitlines()[-1])
    assert "demo" not in production["apps"] and "demo.apps.DemoConfig" not in production["apps"]
    assert "load_demo_content" not in production["commands"]
    assert "demo" in settings.INSTALLED_APPS


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            modules.add(str(node.args[0].value))
    return modules


def test_no_product_app_imports_the_demo():
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for app in PRODUCT_APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        for module in _imported_modules(path)
        if module == "demo" or module.startswith("demo.")
    ]
    assert offenders == []
