"""Event templates' date filter: the portal's language-aware dates under the name `event_date`."""

from django import template

from portal.templatetags.portal_dates import local_date

register = template.Library()
register.filter("event_date", local_date)
