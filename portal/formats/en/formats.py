"""English formats, reading Czech-style dates too: the admin's date fields write them (WAGTAIL_DATE_FORMAT)
for every language, so a member of staff using the admin in English types and reads "10. 12. 2026" as well."""

from django.conf.locale.en.formats import *  # noqa: F403
from django.conf.locale.en.formats import DATE_INPUT_FORMATS as ENGLISH_DATE_INPUT_FORMATS
from django.conf.locale.en.formats import DATETIME_INPUT_FORMATS as ENGLISH_DATETIME_INPUT_FORMATS

from portal.formats.cs.formats import DATE_INPUT_FORMATS as CZECH_DATE_INPUT_FORMATS
from portal.formats.cs.formats import DATETIME_INPUT_FORMATS as CZECH_DATETIME_INPUT_FORMATS
from portal.formats.cs.formats import TIME_INPUT_FORMATS as CZECH_TIME_INPUT_FORMATS

DATE_INPUT_FORMATS = [*CZECH_DATE_INPUT_FORMATS, *ENGLISH_DATE_INPUT_FORMATS]
DATETIME_INPUT_FORMATS = [*CZECH_DATETIME_INPUT_FORMATS, *ENGLISH_DATETIME_INPUT_FORMATS]
TIME_INPUT_FORMATS = list(CZECH_TIME_INPUT_FORMATS)
