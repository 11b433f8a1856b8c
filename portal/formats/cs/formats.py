"""Czech dates as people write them, read in every date and time field (the admin included).

Django's Czech formats, with the unpadded and spaced forms people type:
"10. 12. 2026", "10.12.2026", "1. 2. 2027 9:30". ISO dates ("2026-12-10") are always
accepted as well (Django adds them to every language's input formats).
"""

from django.conf.locale.cs.formats import *  # noqa: F403

#: How the admin writes a date in its fields (WAGTAIL_DATE_FORMAT), first so it reads back.
DATE_INPUT_FORMATS = [
    "%d. %m. %Y",  # '10. 12. 2026', '5. 1. 2026'
    "%d.%m.%Y",  # '10.12.2026', '5.1.2026'
    "%d. %m.%Y",  # '10. 12.2026'
    "%d.%m. %Y",  # '10.12. 2026'
    "%d. %m. %y",  # '10. 12. 26'
    "%d.%m.%y",  # '10.12.26'
]
TIME_INPUT_FORMATS = [
    "%H:%M",  # '15:00', '9:30'
    "%H:%M:%S",  # '15:00:00'
    "%H.%M",  # '15.00'
]
DATETIME_INPUT_FORMATS = [f"{date} {time}" for date in DATE_INPUT_FORMATS for time in TIME_INPUT_FORMATS] + [
    "%d.%m.%Y %H:%M:%S.%f",
    "%Y-%m-%d %H.%M",
]
