import pytest


@pytest.fixture
def demo_news(site_homes):
    """The demo's projects, events and news (cs and en)."""
    from demo import events, projects, website

    projects.load(homes=site_homes)
    events.load(homes=site_homes)
    website.load(homes=site_homes)
    from website.models import NewsIndexPage

    return {code: NewsIndexPage.objects.get(locale__language_code=code) for code in ("cs", "en")}
