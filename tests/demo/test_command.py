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
from wagtail.models import Collection, Page, Site

from events.models import EventDate, EventPage
from events.registrations.models import Registration
from home.models import HomePage, StandardPage
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


def test_the_demo_site_is_complete_in_every_enabled_language():
    call_command("load_demo_content", verbosity=0)
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
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
