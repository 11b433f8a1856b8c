"""Admin sign-in brute-force protection on top of django-axes (AXES_HANDLER).

Axes locks out a user name from one address after ``AXES_FAILURE_LIMIT``
failures. That alone lets one address try a few passwords on each of many
user names ("password spraying"), so an address is also locked out, for the
same cool-off time, once all its failures together, whatever the user
names, reach ``AXES_ADDRESS_FAILURE_LIMIT`` (higher, so that a few people
sharing one address, such as the centre's own network, are not locked out by
each other's typos).
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class SignInAttemptsHandler(AxesDatabaseHandler):
    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_is_locked(request)

    def address_is_locked(self, request: HttpRequest) -> bool:
        limit = getattr(settings, "AXES_ADDRESS_FAILURE_LIMIT", 0)
        return bool(limit) and address_failures(request) >= limit


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address within the cool-off time,
    for any user name."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
