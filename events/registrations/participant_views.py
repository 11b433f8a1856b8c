"""Participant records in the admin: a read-only listing for Registration managers only.

A participant is a person across sessions (the e-mail or phone of a sign-up, or a record staff made
for a walk-in). Only staff who may change registrations see these records; for everyone else every
URL of the area answers 403, and the menu item is hidden.
"""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from events.registrations.attendance_views import REFUSED
from events.registrations.models import Participant
from events.registrations.selectors import participants_listing
from portal.admin_views import admin_forbidden

#: The permission that shows participant records (the "Registration managers" hold it).
PARTICIPANTS_PERMISSION = "registrations.change_registration"

_CODE = re.compile(r"^\s*P-?0*(\d{1,12})\s*$", re.IGNORECASE)


class ParticipantPermissionPolicy(ModelPermissionPolicy):
    """Participants are only listed (and inspected), by staff who may change registrations.
    Records come from sign-ups and the attendance screen, never from an admin form."""

    def user_has_permission(self, user, action):
        if action not in ("view", "inspect"):
            return False
        return user.is_active and user.has_perm(PARTICIPANTS_PERMISSION)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


participant_permission_policy = ParticipantPermissionPolicy(Participant)


def _local_date(value):
    return timezone.localtime(value).strftime("%d.%m.%Y") if value else "–"


def _contact(participant: Participant) -> str:
    if participant.guardian_id:
        return gettext_lazy("via %(guardian)s") % {"guardian": participant.guardian.code}
    return " · ".join(part for part in (participant.email, participant.phone) if part) or "–"


class ManagersOnlyMixin:
    """Every view of the area answers 403 to staff without the permission, before anything is read."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PARTICIPANTS_PERMISSION):
            return admin_forbidden(request, **REFUSED)
        return super().dispatch(request, *args, **kwargs)


class ParticipantInspectView(ManagersOnlyMixin, InspectView):
    pass


class ReadOnlyMixin:
    """Records come from sign-ups and the attendance screen: nobody adds, changes or deletes them here
    (erasure is the personal-data tool's and the retention job's)."""

    def dispatch(self, request, *args, **kwargs):
        return admin_forbidden(request, **REFUSED)


class ParticipantCreateView(ReadOnlyMixin, CreateView):
    pass


class ParticipantEditView(ReadOnlyMixin, EditView):
    pass


class ParticipantDeleteView(ReadOnlyMixin, DeleteView):
    pass


class ParticipantHistoryView(ManagersOnlyMixin, HistoryView):
    pass


class ParticipantUsageView(ManagersOnlyMixin, UsageView):
    pass


class ParticipantIndexView(ManagersOnlyMixin, IndexView):
    """The listing: the counts come from annotations, a constant number of queries per page."""

    def get_base_queryset(self):
        return participants_listing().select_related("guardian")

    def search_queryset(self, queryset):
        found = super().search_queryset(queryset)
        match = _CODE.match(self.search_query or "") if self.is_searching else None
        if match:
            found = found | queryset.filter(pk=int(match.group(1)))
        return found


class ParticipantViewSet(ModelViewSet):
    model = Participant
    icon = "group"
    menu_label = gettext_lazy("Participants")
    menu_name = "participants"
    add_to_admin_menu = True
    menu_order = 251
    url_prefix = "participants"
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = ParticipantIndexView
    inspect_view_class = ParticipantInspectView
    add_view_class = ParticipantCreateView
    edit_view_class = ParticipantEditView
    delete_view_class = ParticipantDeleteView
    history_view_class = ParticipantHistoryView
    usage_view_class = ParticipantUsageView
    inspect_view_enabled = True
    inspect_view_fields = ["code", "name", "email", "phone", "guardian", "created_by", "created_at", "keep_until"]
    list_per_page = 50
    ordering = ["-id"]
    list_display = [
        Column("code", label=gettext_lazy("Code")),
        "name",
        Column("contact", label=gettext_lazy("Contact"), accessor=_contact),
        Column("attendance_count", label=gettext_lazy("Attendances")),
        Column(
            "first_attendance",
            label=gettext_lazy("First attendance"),
            accessor=lambda participant: _local_date(participant.first_attendance),
        ),
        Column(
            "last_attendance",
            label=gettext_lazy("Last attendance"),
            accessor=lambda participant: _local_date(participant.last_attendance),
        ),
        "keep_until",
    ]
    search_fields = ["name", "email", "phone"]
    search_backend_name = None
    form_fields = ["name"]

    @property
    def permission_policy(self):
        return participant_permission_policy


participant_viewset = ParticipantViewSet("participant_admin")
