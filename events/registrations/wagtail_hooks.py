"""Staff tools for registrations in the Wagtail admin.

- the "Registrations" area, a model viewset of its own (not a snippet): the
  listing (filters, search, CSV/XLSX export), the detail with its e-mails, and
  bulk actions: cancel, promote from the waiting list, attended, no-show;
- a printable attendance sheet (prezenční listina) per date;
- export and erasure of everything held for one e-mail address (GDPR).

Only the "Registration managers" group and superusers hold the permissions
these views check; Editors cannot see personal data.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from zoneinfo import ZoneInfo

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.models import Locale
from wagtail.permission_policies import ModelPermissionPolicy

from events.models import EventDate, EventPage
from events.registrations import (
    attendance_views,
    deletion,  # noqa: F401 - registers the page-deletion guards
    errors,
)
from events.registrations.models import Registration, RegistrationEmail
from events.registrations.participant_views import participant_viewset
from events.registrations.selectors import attendance_rows, date_cancellation_recipients
from events.registrations.services import booking, retention, staff, waitlist
from events.registrations.staff_signup_views import staff_leave, staff_signup

#: The bulk-action type of the listing's checkboxes (and of its footer, in upper case).
BULK_OBJECT_TYPE = "registration"
VIEW_PERMISSION = "registrations.view_registration"
CHANGE_PERMISSION = "registrations.change_registration"
EXPORT_PERMISSION = "registrations.export_registration"


def _source_events(request=None):
    return EventPage.objects.filter(locale=Locale.get_default()).order_by("title")


def _source_dates(request=None):
    return (
        EventDate.objects.filter(page__locale=Locale.get_default(), registrations__isnull=False)
        .distinct()
        .select_related("page")
        .order_by("-start")
    )


class RegistrationFilterSet(WagtailFilterSet):
    event = django_filters.ModelChoiceFilter(label=gettext_lazy("Event"), queryset=_source_events)
    event_date = django_filters.ModelChoiceFilter(label=gettext_lazy("Date"), queryset=_source_dates)
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=Registration.Status.choices)
    email_state = django_filters.ChoiceFilter(
        label=gettext_lazy("E-mail"),
        choices=RegistrationEmail.State.choices,
        method="filter_email_state",
        help_text=gettext_lazy("Registrations with an e-mail in this state, e.g. failed ones."),
    )

    class Meta:
        model = Registration
        fields = ["event", "event_date", "status"]

    def filter_email_state(self, queryset, name, value):
        return queryset.filter(pk__in=RegistrationEmail.objects.filter(state=value).values("registration_id"))


#: Exported times are the centre's local time, whatever the server's time zone.
EXPORT_TIME_ZONE = ZoneInfo("Europe/Prague")
#: How a time reads in the CSV (as Czech people write it; Excel recognises it as a date and time).
CSV_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
#: Czech Excel splits columns on ";" (the list separator where "," is the decimal comma) and reads
#: UTF-8 only after a byte order mark.
CSV_DELIMITER = ";"
CSV_BOM = "\ufeff"


def _export_local(value: dt.datetime) -> dt.datetime:
    """An aware time in the centre's time zone, without its tzinfo (spreadsheets have no time zones)."""
    if timezone.is_naive(value):
        return value
    return timezone.make_naive(value, EXPORT_TIME_ZONE)


def _export_csv_datetime(value: dt.datetime) -> str:
    return _export_local(value).strftime(CSV_DATETIME_FORMAT)


class _LineBuffer:
    """What csv.writer writes into: each row is returned to be streamed."""

    def write(self, value):
        return value


class RegistrationIndexView(IndexView):
    """The listing, with the bulk actions; exporting personal data needs its own permission.

    The exports open in Czech Excel as they are: times in Prague time, the CSV in
    UTF-8 with a byte order mark and ";" between columns, and the download
    buttons in the header rather than in its "…" menu.
    """

    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        dt.datetime: {IndexView.FORMAT_XLSX: _export_local, IndexView.FORMAT_CSV: _export_csv_datetime},
    }

    def dispatch(self, request, *args, **kwargs):
        if request.GET.get("export") and not request.user.has_perm(EXPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("event", "event_date", "entered_by")
            .prefetch_related("attendees")
        )

    @cached_property
    def columns(self):
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type=BULK_OBJECT_TYPE), *super().columns]

    @property
    def show_export_buttons(self):
        return self.request.user.has_perm(EXPORT_PERMISSION) and super().show_export_buttons

    @cached_property
    def filtered_date(self) -> EventDate | None:
        """The date the listing is filtered by (?event_date=…), if any."""
        date_id = self.request.GET.get("event_date", "")
        if not date_id.isdigit():
            return None
        return EventDate.objects.select_related("page").filter(pk=date_id).first()

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        date = self.filtered_date
        if date is not None and not date.cancelled and date.start <= timezone.now():
            if self.request.user.has_perm(CHANGE_PERMISSION):
                buttons.append(
                    HeaderButton(
                        _("Take attendance"),
                        url=reverse("registration_attendance_take", args=[date.pk]),
                        icon_name="tick",
                        priority=70,
                    )
                )
        if date is not None and not date.cancelled and date.end > timezone.now():
            if can_cancel_date(self.request.user, date):
                buttons.append(
                    HeaderButton(
                        _("Cancel the date"),
                        url=reverse("registration_date_cancel", args=[date.pk]),
                        icon_name="cross",
                        priority=80,
                    )
                )
        event_id = date.page_id if date is not None else self.request.GET.get("event", "")
        if str(event_id).isdigit() and self.request.user.has_perm(CHANGE_PERMISSION):
            buttons.append(
                HeaderButton(
                    _("Sign someone up"),
                    url=reverse("registration_staff_signup", args=[event_id]),
                    icon_name="plus",
                    priority=70,
                )
            )
        if self.show_export_buttons:
            buttons += [
                HeaderButton(_("Download XLSX"), url=self.xlsx_export_url, icon_name="download", priority=90),
                HeaderButton(_("Download CSV"), url=self.csv_export_url, icon_name="download", priority=100),
            ]
        return buttons

    @cached_property
    def header_more_buttons(self):
        # The download buttons are in the header already.
        exports = {self.xlsx_export_url, self.csv_export_url}
        return [button for button in super().header_more_buttons if getattr(button, "url", None) not in exports]

    def stream_csv(self, queryset):
        writer = csv.DictWriter(_LineBuffer(), fieldnames=self.list_export, delimiter=CSV_DELIMITER)
        yield CSV_BOM + writer.writerow({field: self.get_heading(queryset, field) for field in self.list_export})
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(self.stream_csv(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response

    def write_csv_row(self, writer, row_dict):
        # A name like "=HYPERLINK(…)" typed into the public form must stay text when staff open the CSV.
        return writer.writerow(
            {
                field: csv_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )


class RegistrationInspectView(InspectView):
    """The registration's detail, with its e-mails: state, attempts, next attempt and last error."""

    template_name = "events/admin/registration_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["emails"] = self.object.emails.select_related("event_date").order_by("created_at", "pk")
        return context


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Neutralise spreadsheet formulas in exported text (OWASP's CSV injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _date_display(registration: Registration) -> str:
    if registration.event_date is None:
        return _("Whole series")
    return timezone.localtime(registration.event_date.start).strftime("%d.%m.%Y %H:%M")


class RegistrationPermissionPolicy(ModelPermissionPolicy):
    """Registrations are only made through the public form (and its capacity lock), never added in the admin."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


registration_permission_policy = RegistrationPermissionPolicy(Registration)


class RegistrationViewSet(ModelViewSet):
    """The registrations' own admin area, not a snippet.

    Snippets are shared content: Wagtail and wagtail-localize offer every
    snippet model to every editor through generic choosers, bulk actions and
    APIs that know nothing of this viewset's permission policy. Registrations
    hold personal data, so they live only here, where every view checks it.
    """

    model = Registration
    icon = "list-ul"
    menu_label = gettext_lazy("Registrations")
    menu_name = "registrations"
    add_to_admin_menu = True
    menu_order = 250
    url_prefix = "registrations"
    # Registrations are not content: nothing refers to them, and the pages they
    # point at must not list them as "usage".
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = RegistrationIndexView
    index_template_name = "events/admin/registration_index.html"
    inspect_view_class = RegistrationInspectView
    inspect_view_enabled = True
    list_per_page = 50
    ordering = ["-created_at"]
    list_display = [
        "name",
        "email",
        "seats",
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        "event",
        Column("event_date", label=gettext_lazy("Date"), accessor=_date_display),
        "created_at",
    ]
    filterset_class = RegistrationFilterSet
    search_fields = ["name", "email"]
    search_backend_name = None
    list_export = [
        "event",
        "date_display",
        "get_status_display",
        "seats",
        "name",
        "attendee_names",
        "email",
        "phone",
        "note",
        "language",
        "created_at",
        "consent_at",
        "leaves_on",
        "entered_by_name",
    ]
    export_headings = {
        "date_display": gettext_lazy("Date"),
        "get_status_display": gettext_lazy("Status"),
        "attendee_names": gettext_lazy("Named participants"),
        "entered_by_name": gettext_lazy("Entered by"),
    }
    export_filename = "registrations"
    panels = [FieldPanel("name"), FieldPanel("phone"), FieldPanel("note")]

    @property
    def permission_policy(self):
        return registration_permission_policy


#: The URL namespace of the registrations' admin views ("registration_admin:index" and so on);
#: the public pages use "registrations".
registration_viewset = RegistrationViewSet("registration_admin")


@hooks.register("register_admin_viewset")
def _register_registration_viewset():
    return registration_viewset


@hooks.register("register_admin_viewset")
def _register_participant_viewset():
    return participant_viewset


# --------------------------------------------------------------------------------------
# Bulk actions (also used for a single row)
# --------------------------------------------------------------------------------------


class RegistrationBulkAction(PermissionCheckedMixin, BulkAction):
    """A bulk action on registrations; without the change permission even its confirmation page is refused."""

    models = [Registration]
    permission_policy = registration_permission_policy
    permission_required = "change"
    template_name = "events/admin/registration_bulk_confirm.html"
    service = None
    question = ""

    def check_perm(self, obj):
        return self.request.user.has_perm(CHANGE_PERMISSION)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "action_label": self.display_name,
            "question": self.question,
            "header_icon": RegistrationViewSet.icon,
        }

    @classmethod
    def execute_action(cls, objects, **kwargs):
        done = 0
        failures = []
        user = kwargs["action"].request.user
        for registration in objects:
            try:
                cls.run(registration, user=user)
                done += 1
            except errors.RegistrationError as error:
                failures.append(f"{registration.name}: {error.message}")
        kwargs["action"].failures = failures
        return done, 0

    def get_execution_context(self):
        return {"action": self}

    def get_success_message(self, num_parent_objects, num_child_objects):
        for failure in getattr(self, "failures", []):
            messages.warning(self.request, failure)
        return ngettext("%(count)d registration changed.", "%(count)d registrations changed.", num_parent_objects) % {
            "count": num_parent_objects
        }


class CancelRegistrationsAction(RegistrationBulkAction):
    display_name = gettext_lazy("Cancel")
    action_type = "cancel_registration"
    aria_label = gettext_lazy("Cancel the selected registrations")
    question = gettext_lazy(
        "Cancel these registrations? The registrants get an e-mail; freed places are offered to the waiting list."
    )
    classes = {"serious"}

    @staticmethod
    def run(registration, user=None):
        booking.registration_cancel(registration=registration, by_staff=True)


class PromoteRegistrationsAction(RegistrationBulkAction):
    display_name = gettext_lazy("Promote from the waiting list")
    action_type = "promote_registration"
    aria_label = gettext_lazy("Promote the selected registrations from the waiting list")
    question = gettext_lazy("Confirm these waitlisted registrations? Only those whose places fit are promoted.")

    @staticmethod
    def run(registration, user=None):
        waitlist.registration_promote(registration=registration)


class AttendedRegistrationsAction(RegistrationBulkAction):
    display_name = gettext_lazy("Mark attended")
    action_type = "mark_attended"
    aria_label = gettext_lazy("Mark the selected registrations as attended")
    question = gettext_lazy("Mark these registrations as attended?")

    @staticmethod
    def run(registration, user=None):
        staff.registration_mark_attended(registration=registration, user=user)


class NoShowRegistrationsAction(RegistrationBulkAction):
    display_name = gettext_lazy("Mark no-show")
    action_type = "mark_no_show"
    aria_label = gettext_lazy("Mark the selected registrations as not attended")
    question = gettext_lazy("Mark these registrations as not attended?")

    @staticmethod
    def run(registration, user=None):
        staff.registration_mark_no_show(registration=registration, user=user)


for _action in (
    CancelRegistrationsAction,
    PromoteRegistrationsAction,
    AttendedRegistrationsAction,
    NoShowRegistrationsAction,
):
    hooks.register("register_bulk_action", _action)


# --------------------------------------------------------------------------------------
# Attendance sheet and personal data
# --------------------------------------------------------------------------------------


def _require(request: HttpRequest, *permissions: str) -> None:
    if not all(request.user.has_perm(permission) for permission in permissions):
        raise PermissionDenied


#: The sheet has this many rows (blank ones for walk-ins after the registrants): one A4 page.
ATTENDANCE_ROWS_PER_PAGE = 25
ATTENDANCE_MIN_BLANK_ROWS = 2


def attendance_sheet(request: HttpRequest, date_id: int | None = None, event_id: int | None = None) -> HttpResponse:
    """The printable attendance sheet (prezenční listina) for one date, or for a whole-series course."""
    _require(request, VIEW_PERMISSION)
    if date_id is not None:
        event_date = get_object_or_404(EventDate.objects.select_related("page"), pk=date_id).source_date()
        event = event_date.page
        rows = attendance_rows(event_date=event_date)
    else:
        event = get_object_or_404(EventPage, pk=event_id)
        event_date = None
        rows = attendance_rows(event=event)
    event = EventPage.objects.select_related("venue").get(pk=event.pk)
    project = event.project.specific if getattr(event, "project_id", None) else None
    listing_url = reverse("registration_admin:index") + (
        f"?event_date={event_date.pk}" if event_date is not None else f"?event={event.pk}"
    )
    return TemplateResponse(
        request,
        "events/admin/attendance_sheet.html",
        {
            "event": event,
            "event_date": event_date,
            "rows": rows,
            "blank_rows": range(max(ATTENDANCE_MIN_BLANK_ROWS, ATTENDANCE_ROWS_PER_PAGE - len(rows))),
            "project": project,
            "listing_url": listing_url,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[event.pk]),
            "take_url": (
                reverse("registration_attendance_take", args=[event_date.pk])
                if event_date is not None and request.user.has_perm(CHANGE_PERMISSION)
                else ""
            ),
        },
    )


class DateCancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=255,
        help_text=gettext_lazy("Shown next to the date on the website and written in the e-mail to the registrants."),
    )


def can_cancel_date(user, event_date: EventDate) -> bool:
    """Cancelling a date changes registrations and publishes the event: both permissions are needed."""
    return user.has_perm(CHANGE_PERMISSION) and event_date.page.permissions_for_user(user).can_publish()


def date_cancel(request: HttpRequest, date_id: int) -> HttpResponse:
    """Staff cancel a date: the confirmation page says how many people are e-mailed; only POST cancels."""
    _require(request, VIEW_PERMISSION, CHANGE_PERMISSION)
    event_date = get_object_or_404(EventDate.objects.select_related("page"), pk=date_id).source_date()
    event = event_date.page.specific
    if not can_cancel_date(request.user, event_date):
        raise PermissionDenied
    listing_url = reverse("registration_admin:index") + f"?event_date={event_date.pk}"
    form = DateCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            count = staff.event_date_cancel(
                event_date=event_date, reason=form.cleaned_data["reason"], user=request.user
            )
        except errors.RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The date is cancelled; %(count)d registrant is being e-mailed.",
                    "The date is cancelled; %(count)d registrants are being e-mailed.",
                    count,
                )
                % {"count": count},
            )
            return redirect(listing_url)
    return TemplateResponse(
        request,
        "events/admin/date_cancel.html",
        {
            "event": event,
            "event_date": event_date,
            "recipients": date_cancellation_recipients(event_date=event_date),
            "form": form,
            "listing_url": listing_url,
            "header_icon": RegistrationViewSet.icon,
        },
    )


class PersonalDataForm(forms.Form):
    email = forms.EmailField(label=pgettext_lazy("registrations", "E-mail address"), max_length=254)


def personal_data(request: HttpRequest) -> HttpResponse:
    """Export (JSON) or erase everything held for one e-mail address."""
    _require(request, VIEW_PERMISSION, EXPORT_PERMISSION)
    form = PersonalDataForm(request.POST or request.GET or None)
    found = None
    if form.is_valid():
        email = form.cleaned_data["email"]
        data = retention.registrations_export_for_email(email=email)
        if request.method == "POST" and request.POST.get("action") == "erase":
            _require(request, CHANGE_PERMISSION)
            count = retention.registrations_erase_for_email(email=email)
            messages.success(
                request,
                ngettext("%(count)d registration erased.", "%(count)d registrations erased.", count) % {"count": count},
            )
            return redirect(reverse("registration_personal_data"))
        if request.GET.get("download"):
            response = HttpResponse(
                json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
            return response
        found = data
    return TemplateResponse(request, "events/admin/personal_data.html", {"form": form, "found": found})


class _PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION) and request.user.has_perm(EXPORT_PERMISSION)


@hooks.register("register_settings_menu_item")
def _personal_data_menu_item():
    return _PersonalDataMenuItem(
        gettext_lazy("Registrations: personal data"), reverse("registration_personal_data"), icon_name="user"
    )


@hooks.register("register_admin_urls")
def _registration_admin_urls():
    return [
        path("registrations-tools/attendance/<int:date_id>/", attendance_sheet, name="registration_attendance"),
        path(
            "registrations-tools/attendance/series/<int:event_id>/",
            attendance_sheet,
            name="registration_attendance_series",
        ),
        path(
            "registrations-tools/attendance/<int:date_id>/take/",
            attendance_views.attendance_take,
            name="registration_attendance_take",
        ),
        path("registrations-tools/personal-data/", personal_data, name="registration_personal_data"),
        path("registrations-tools/dates/<int:date_id>/cancel/", date_cancel, name="registration_date_cancel"),
        path("registrations-tools/events/<int:event_id>/sign-up/", staff_signup, name="registration_staff_signup"),
        path("registrations-tools/<int:registration_id>/leave/", staff_leave, name="registration_staff_leave"),
    ]
