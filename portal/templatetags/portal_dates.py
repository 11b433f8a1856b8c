"""Date labels in the way each language writes them ("úterý 1. prosince 2026" / "Tuesday 1 December 2026")."""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language

register = template.Library()

FORMATS = {
    "cs": {
        "day": "l j. E Y",
        "day_short": "D j. n.",
        "day_no_year": "l j. E",
        "datetime": "l j. E Y, H:i",
        "date": "j. E Y",
        "short_datetime": "j. n. Y H:i",
        "day_short_time": "D j. n., H:i",
    },
    "en": {
        "day": "l j F Y",
        "day_short": "D j M",
        "day_no_year": "l j F",
        "datetime": "l j F Y, H:i",
        "date": "j F Y",
        "short_datetime": "j M Y H:i",
        "day_short_time": "D j M, H:i",
    },
    "uk": {
        "day": "l, j E Y",
        "day_short": "D, j E",
        "day_no_year": "l, j E",
        "datetime": "l, j E Y, H:i",
        "date": "j E Y",
        "short_datetime": "d.m.Y H:i",
        "day_short_time": "D, j E, H:i",
    },
}


@register.filter
def local_date(value, style="day"):
    """Format a date or datetime (in local time) in the current language's style."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    language = (get_language() or "cs")[:2]
    formats = FORMATS.get(language, FORMATS["cs"])
    return date_format(value, formats.get(style, formats["day"]))
