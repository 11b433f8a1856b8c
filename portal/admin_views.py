"""The admin's 403 page, shared by the apps' admin views.

In an admin view, raising PermissionDenied would redirect to the dashboard with a flash
message; staff who open an address they may not use get this page instead, with status 403,
the area's title and what they may not do there.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def admin_forbidden(request: HttpRequest, *, title: str, message: str) -> HttpResponse:
    """The 403 page in the admin: `title` heads it, `message` says what the person may not do."""
    return TemplateResponse(
        request, "portal/admin/forbidden.html", {"page_title": title, "message": message}, status=403
    )


def admin_permission_required(check: Callable, *, title: str, message: str) -> Callable:
    """A view decorator: staff whom `check(user)` turns away get `admin_forbidden` before the view runs."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not check(request.user):
                return admin_forbidden(request, title=title, message=message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
