"""Admin integration: snippet viewsets, the events listing columns and filters, page-copy handling,
and the guards that keep registrations from being lost by a delete or a publish."""

import datetime as dt

from django.contrib import messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.choose_parent import ChooseParentView
from wagtail.admin.views.pages.listing import IndexView as PageIndexView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from events.models import Audience, EventCategory, EventPage, Venue


class EventCategoryViewSet(SnippetViewSet):
    model = EventCategory
    icon = "tag"
    list_display = ["name", "slug", "locale"]
    search_fields = ["name"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    list_display = ["name", "slug", "locale"]
    search_fields = ["name"]


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    list_display = ["name", "street", "city", "locale"]
    search_fields = ["name", "street", "city"]


class EventSnippetsGroup(SnippetViewSetGroup):
    items = (EventCategoryViewSet, AudienceViewSet, VenueViewSet)
    menu_icon = "date"
    menu_label = gettext_lazy("Event settings")
    menu_name = "event-settings"
    menu_order = 250


register_snippet(EventSnippetsGroup)


# --- The events listing in the admin: next date column, filter by category ---------------


class NextDateColumn(Column):
    """The event's next date that has not ended, read from one annotated query."""

    def get_value(self, instance):
        start = getattr(instance, "next_start", None)
        if start is None:
            return "—"
        return date_format(timezone.localtime(start), "SHORT_DATETIME_FORMAT")


class EventPageFilterSet(WagtailFilterSet):
    class Meta:
        model = EventPage
        fields = ["category", "status", "locale"]


def adding_locale(request) -> Locale:
    """The language a new event is written in: the one the events listing is filtered by, else the default.

    Events in other languages are made by translating, so the events index of the other
    languages is no place to start a new one.
    """
    code = request.GET.get("locale", "")
    return Locale.objects.filter(language_code=code).first() or Locale.get_default()


class EventChooseParentView(ChooseParentView):
    """ "Add event": straight to the form when there is one events index in the language (a redirect)."""

    def get_valid_parent_pages(self, user):
        parents = super().get_valid_parent_pages(user)
        return parents.filter(locale=adding_locale(self.request))

    @cached_property
    def submit_button_label(self):
        return _("Add event")


class EventPageIndexView(PageIndexView):
    base_columns = [
        *PageIndexView.base_columns[:2],
        NextDateColumn("next_start", label=gettext_lazy("Next date"), sort_key="next_start"),
        *PageIndexView.base_columns[2:],
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().with_next_start()

    @cached_property
    def add_item_label(self):
        return _("Add event")


class EventPageListingViewSet(PageListingViewSet):
    model = EventPage
    icon = "date"
    menu_label = gettext_lazy("Events")
    add_to_admin_menu = True
    menu_order = 240
    index_view_class = EventPageIndexView
    choose_parent_view_class = EventChooseParentView
    filterset_class = EventPageFilterSet


event_page_listing_viewset = EventPageListingViewSet("events")


@hooks.register("register_admin_viewset")
def register_event_page_listing_viewset():
    return event_page_listing_viewset


# --- Editor feedback and consistency ------------------------------------------------------


@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def report_date_regeneration(request, page):
    result = getattr(page, "_date_regeneration", None)
    if result is None:
        return
    messages.success(
        request,
        _("Dates generated from the schedule: %(created)d new, %(unchanged)d kept, %(removed)d removed.")
        % {"created": result.created, "unchanged": result.unchanged, "removed": result.removed},
    )
    if result.kept_with_registrations:
        listed = ", ".join(
            date_format(timezone.localtime(start), "SHORT_DATETIME_FORMAT") for start in result.kept_with_registrations
        )
        messages.warning(
            request,
            _(
                "These dates are no longer in the schedule but people have registered for them, so they were kept: "
                "%(dates)s. Cancel them explicitly if they do not take place."
            )
            % {"dates": listed},
        )


@hooks.register("after_create_page")
def report_draft_holding_the_slug(request, page):
    """Say why a new event's address got a number, and where the draft holding the address is."""
    holder = getattr(page, "draft_holding_slug", None)
    if holder is None:
        return
    admin_messages.warning(
        request,
        _(
            "The address “%(slug)s” belongs to the unpublished draft “%(title)s”, perhaps an earlier unfinished try, "
            "so this event has the address “%(new_slug)s”. Finish or delete the draft if you no longer need it."
        )
        % {"slug": holder.slug, "title": holder.get_admin_display_title(), "new_slug": page.slug},
        buttons=[admin_messages.button(reverse("wagtailadmin_pages:edit", args=[holder.pk]), _("Open the draft"))],
    )


@hooks.register("after_copy_page")
def fresh_uids_for_copied_event(request, page, new_page):
    """A copy is a new event (new calendar entries, its own registrations); a translation is not."""
    if isinstance(new_page.specific, EventPage) and new_page.translation_key != page.translation_key:
        from events.scheduling import event_dates_refresh_uids

        event_dates_refresh_uids(page=new_page.specific)


# --- Nothing is lost without a person deciding it ----------------------------------------


@hooks.register("register_log_actions")
def register_event_log_actions(actions):
    from events.scheduling import PUBLISH_REFUSED_ACTION

    actions.register_action(
        PUBLISH_REFUSED_ACTION,
        gettext_lazy("Publishing refused"),
        gettext_lazy("Not published: this version would delete dates that people have registered for"),
    )


@hooks.register("before_edit_page")
def warn_about_a_refused_publication(request, page):
    """The editor sees that a scheduled version was not published (and why) until the page is published again."""
    if request.method != "GET" or not isinstance(page.specific_deferred, EventPage):
        return None
    from wagtail.models import PageLogEntry

    from events.scheduling import PUBLISH_REFUSED_ACTION

    refused = PageLogEntry.objects.filter(page_id=page.pk, action=PUBLISH_REFUSED_ACTION)
    if page.last_published_at:
        refused = refused.filter(timestamp__gt=page.last_published_at)
    entry = refused.order_by("-timestamp").first()
    if entry is not None:
        listed = ", ".join(
            date_format(timezone.localtime(dt.datetime.fromisoformat(start)), "SHORT_DATETIME_FORMAT")
            for start in entry.data.get("dates", [])
        )
        messages.warning(
            request,
            _(
                "A scheduled version of this page was not published on %(when)s, because it would delete dates "
                "that people have registered for: %(dates)s. Add them back or cancel them, then publish again."
            )
            % {"when": date_format(timezone.localtime(entry.timestamp), "SHORT_DATETIME_FORMAT"), "dates": listed},
        )
    return None
