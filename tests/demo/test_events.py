"""The events part of the demo content: enough events in both languages, idempotent."""

from django.core.management import call_command
from django.utils import timezone

from events.models import EventDate, EventPage


def test_demo_events_load_twice_without_duplicates(db):
    call_command("load_demo_content", verbosity=0)
    pages = EventPage.objects.count()
    dates = EventDate.objects.count()
    call_command("load_demo_content", verbosity=0)
    assert EventPage.objects.count() == pages
    assert EventDate.objects.count() == dates
    cs = EventPage.objects.filter(locale__language_code="cs", live=True)
    en = EventPage.objects.filter(locale__language_code="en", live=True)
    assert cs.count() >= 12 and en.count() == cs.count()
    now = timezone.now()
    assert EventDate.objects.filter(page__in=cs, start__lt=now).exists()
    assert EventDate.objects.filter(page__in=cs, start__gt=now).exists()
    assert EventDate.objects.filter(page__in=cs, cancelled=True).exclude(cancellation_reason="").exists()
    # Each language's page gives the reason in its language.
    reasons = {
        d.page.locale.language_code: d.cancellation_reason
        for d in EventDate.objects.filter(page__slug__in=["socialni-poradna", "social-counselling"], cancelled=True)
    }
    assert reasons["cs"].startswith("Poradkyně je tento týden na školení")
    assert reasons["en"].startswith("The counsellor is at a training course")
    assert any(d.is_multi_day for d in EventDate.objects.filter(page__in=cs))
    assert cs.values("venue").distinct().count() >= 2
    for page in cs:
        translation = page.get_translation(en.first().locale)
        assert sorted(page.dates.values_list("uid", flat=True)) == sorted(
            translation.dates.values_list("uid", flat=True)
        )
