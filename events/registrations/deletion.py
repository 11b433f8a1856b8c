"""Deleting pages never deletes registrations on the quiet.

An event page (or a section holding one) whose registrations are still confirmed or
waitlisted cannot be deleted, one by one or in bulk: the admin says how many
registrations stand in the way and links to the staff action that cancels them, with
an e-mail to each person. Once they are cancelled (and the e-mails have gone out), the
page can be deleted.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.models import Page

from events.models import EventPage
from events.registrations.selectors import registrations_held_by_pages
from events.registrations.services import staff

CHANGE_PERMISSION = "registrations.change_registration"


def _blocked_response(request: HttpRequest, *, pages, held: list[dict]) -> HttpResponse:
    active = sum(row["active"] for row in held)
    unsent = sum(row["unsent"] for row in held)
    if active:
        message = ngettext(
            "This cannot be deleted: %(count)d registration is still confirmed or on the waiting list. "
            "Cancel it first (the person gets an e-mail), then delete.",
            "This cannot be deleted: %(count)d registrations are still confirmed or on the waiting list. "
            "Cancel them first (each person gets an e-mail), then delete.",
            active,
        ) % {"count": active}
    else:
        message = ngettext(
            "This cannot be deleted yet: %(count)d e-mail to a registrant has not been sent. Try again in a few minutes.",
            "This cannot be deleted yet: %(count)d e-mails to registrants have not been sent. "
            "Try again in a few minutes.",
            unsent,
        ) % {"count": unsent}
    return TemplateResponse(
        request,
        "events/admin/delete_blocked.html",
        {
            "pages": pages,
            "message": message,
            "rows": [
                {
                    **row,
                    "registrations_url": reverse("registration_admin:index") + f"?event={row['event'].pk}",
                    "cancel_url": reverse("registration_event_cancel", args=[row["event"].pk])
                    + "?next="
                    + request.path,
                }
                for row in held
            ],
            "can_cancel": request.user.has_perm(CHANGE_PERMISSION),
        },
        status=409 if request.method == "POST" else 200,
    )


@hooks.register("before_delete_page")
def refuse_deleting_pages_with_registrations(request, page):
    held = registrations_held_by_pages(pages=[page])
    if held:
        return _blocked_response(request, pages=[page], held=held)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_pages_with_registrations(request, action_type, objects, action_class_instance):
    if action_type != "delete":
        return None
    pages = [obj for obj in objects if isinstance(obj, Page)]
    held = registrations_held_by_pages(pages=pages) if pages else []
    if held:
        return _blocked_response(request, pages=pages, held=held)
    return None


def event_registrations_cancel_view(request: HttpRequest, event_id: int) -> HttpResponse:
    """Staff cancel every registration of an event, each person getting an e-mail (GET asks, POST acts)."""
    if not request.user.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied
    event = get_object_or_404(EventPage, pk=event_id)
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    held = registrations_held_by_pages(pages=[event])
    active = sum(row["active"] for row in held)
    if request.method == "POST":
        count = staff.event_registrations_cancel(event=event)
        messages.success(
            request,
            ngettext(
                "%(count)d registration cancelled; the e-mail is on its way.",
                "%(count)d registrations cancelled; the e-mails are on their way.",
                count,
            )
            % {"count": count},
        )
        return redirect(next_url or reverse("wagtailadmin_pages:delete", args=[event.pk]))
    return TemplateResponse(
        request,
        "events/admin/event_registrations_cancel.html",
        {"event": event, "active": active, "next": next_url},
    )


@hooks.register("register_admin_urls")
def _deletion_admin_urls():
    return [
        path(
            "registrations-tools/event/<int:event_id>/cancel-all/",
            event_registrations_cancel_view,
            name="registration_event_cancel",
        )
    ]
