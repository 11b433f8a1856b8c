"""Ukrainian formats, reading Czech-style dates too: the admin's date fields write them (WAGTAIL_DATE_FORMAT)
for every language, and Ukrainian writes dates the same way ("10.12.2026")."""

from django.conf.locale.uk.formats import *  # noqa: F403
from django.conf.locale.uk.formats import DATE_INPUT_FORMATS as UKRAINIAN_DATE_INPUT_FORMATS
from django.conf.locale.uk.formats import DATETIME_INPUT_FORMATS as UKRAINIAN_DATETIME_INPUT_FORMATS

from portal.formats.cs.formats import DATE_INPUT_FORMATS as CZECH_DATE_INPUT_FORMATS
from portal.formats.cs.formats import DATETIME_INPUT_FORMATS as CZECH_DATETIME_INPUT_FORMATS
from portal.formats.cs.formats import TIME_INPUT_FORMATS as CZECH_TIME_INPUT_FORMATS

DATE_INPUT_FORMATS = list(dict.fromkeys([*CZECH_DATE_INPUT_FORMATS, *UKRAINIAN_DATE_INPUT_FORMATS]))
DATETIME_INPUT_FORMATS = list(dict.fromkeys([*CZECH_DATETIME_INPUT_FORMATS, *UKRAINIAN_DATETIME_INPUT_FORMATS]))
TIME_INPUT_FORMATS = list(CZECH_TIME_INPUT_FORMATS)
