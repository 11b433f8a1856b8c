"""Events: the index page, event pages, their concrete dates and the snippets they use."""

import uuid
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from events.admin_forms import EventPageForm
from events.panels import EventDateInlinePanel
from events.querysets import EventDateQuerySet, EventPageQuerySet
from events.registrations.page_settings import DateRegistrantsPanel, RegistrationSettingsMixin
from portal.blocks import BaseStreamBlock
from portal.locales import the_default_locale
from portal.privacy import PrivateInEveryLanguageMixin
from portal.routing import OneChildTypeRouteMixin
from portal.search_text import SEARCH_TERMS, NormalisedSearchMixin
from portal.translated_choices import translations_in

# --------------------------------------------------------------------------------------
# Snippets
# --------------------------------------------------------------------------------------


class EventCategory(TranslatableMixin, models.Model):
    """A kind of activity: clubs, counselling, meetings, festivals…"""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, help_text=_("Used in filter links, e.g. ?category=clubs."))

    panels = [FieldPanel("name"), FieldPanel("slug")]
    override_translatable_fields = [TranslatableField("name"), SynchronizedField("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("event category")
        verbose_name_plural = _("event categories")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.name


class Audience(TranslatableMixin, models.Model):
    """A target group: children, families, seniors, people without a home, migrants…"""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, help_text=_("Used in filter links, e.g. ?audience=children."))

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.name


class Venue(TranslatableMixin, models.Model):
    """Where an activity takes place, with what a visitor needs to know to get in."""

    name = models.CharField(_("name"), max_length=150)
    street = models.CharField(_("street and number"), max_length=150)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country code"), max_length=2, default="CZ")
    accessibility_notes = models.TextField(
        _("accessibility notes"),
        blank=True,
        help_text=_("Step-free access, lift, accessible toilet, induction loop, how to find the entrance…"),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("street"),
        FieldRowPanel([FieldPanel("postal_code"), FieldPanel("city"), FieldPanel("country")]),
        FieldPanel("accessibility_notes"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("Coordinates")),
    ]
    override_translatable_fields = [
        TranslatableField("name"),
        TranslatableField("accessibility_notes"),
        SynchronizedField("street"),
        SynchronizedField("postal_code"),
        SynchronizedField("city"),
        SynchronizedField("country"),
        SynchronizedField("latitude"),
        SynchronizedField("longitude"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Enter both latitude and longitude, or neither."))

    @property
    def address_line(self) -> str:
        return ", ".join(part for part in [self.street, f"{self.postal_code} {self.city}".strip()] if part)

    @property
    def openstreetmap_url(self) -> str:
        if self.latitude is not None and self.longitude is not None:
            lat, lon = f"{self.latitude:.6f}", f"{self.longitude:.6f}"
            return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.address_line})


# --------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------


class EventIndexPage(
    NormalisedSearchMixin, PrivateInEveryLanguageMixin, RoutablePageMixin, OneChildTypeRouteMixin, Page
):
    """Lists upcoming event dates, with filters, an archive, a month view and a calendar feed."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    per_page = models.PositiveSmallIntegerField(
        _("dates per page"), default=20, validators=[MinValueValidator(5), MaxValueValidator(100)]
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = Page.settings_panels + [FieldPanel("per_page")]
    search_fields = Page.search_fields + [index.SearchField("intro"), SEARCH_TERMS]
    override_translatable_fields = [SynchronizedField("per_page")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("event index page")

    @staticmethod
    def translated_query(query, *, source_language: str, locale_id: int) -> str:
        """The filters of a listing in another language, for the index in the
        locale `locale_id` (the language switcher): category and audience
        slugs become that language's; one with no translation is left out."""
        kept = query.copy()
        for key, model in (("category", EventCategory), ("audience", Audience)):
            slug = kept.get(key)
            if not slug:
                continue
            # A value with control characters (a NUL byte cannot reach the database) is no slug.
            source = (
                model.objects.filter(slug=slug, locale__language_code=source_language).first()
                if slug.isprintable()
                else None
            )
            translated = (
                model.objects.filter(translation_key=source.translation_key, locale_id=locale_id).first()
                if source is not None
                else None
            )
            if translated is not None:
                kept[key] = translated.slug
            else:
                del kept[key]
        return kept.urlencode()

    @path("", name="upcoming")
    def index_route(self, request, *args, **kwargs):
        from events import views_pages

        return views_pages.index_response(page=self, request=request, archive=False)

    @path("archive/", name="archive")
    def archive(self, request):
        from events import views_pages

        return views_pages.index_response(page=self, request=request, archive=True)

    @path("month/", name="month")
    def month(self, request):
        from events import views_pages

        return views_pages.month_response(page=self, request=request)

    @re_path(r"^calendar\.ics/?$", name="calendar")
    def calendar(self, request):
        from events import views_pages

        return views_pages.index_calendar_response(page=self, request=request)


class EventPage(NormalisedSearchMixin, PrivateInEveryLanguageMixin, RoutablePageMixin, RegistrationSettingsMixin, Page):
    """One activity (a one-off event or a regular one) with its concrete dates."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        POSTPONED = "postponed", _("Postponed")

    class Repeat(models.TextChoices):
        NONE = "", _("Does not repeat")
        WEEKLY = "weekly", _("Every week")
        BIWEEKLY = "biweekly", _("Every 2 weeks")
        MONTHLY = "monthly", _("Monthly on the nth weekday")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    class Nth(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences shown in listings and search results.")
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True, use_json_field=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        EventCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    audiences = ParentalManyToManyField(Audience, verbose_name=_("audiences"), blank=True, related_name="events")
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    organiser_name = models.CharField(_("organiser"), max_length=150, blank=True)
    organiser_email = models.EmailField(_("organiser e-mail"), blank=True)
    organiser_phone = models.CharField(_("organiser phone"), max_length=40, blank=True)
    is_free = models.BooleanField(_("free of charge"), default=True)
    price = models.DecimalField(
        _("price (CZK)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Used when the event is not free."),
    )
    price_note = models.CharField(
        _("price note"), max_length=200, blank=True, help_text=_("E.g. “50 CZK per family, free for children”.")
    )
    activity_language = models.CharField(
        _("language of the activity"), max_length=100, blank=True, help_text=_("E.g. “Czech and Vietnamese”.")
    )
    accessibility = models.TextField(
        _("accessibility information"),
        blank=True,
        help_text=_("What this activity offers beyond the venue's notes: interpreting, childcare, quiet room…"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("When set, the project's funding disclosure is shown on the event page."),
    )

    # The regular schedule. Saving with "generate dates" materialises EventDate rows from it.
    repeat = models.CharField(_("repeats"), max_length=10, choices=Repeat.choices, blank=True, default="")
    repeat_weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    repeat_nth = models.SmallIntegerField(
        _("which weekday of the month"),
        choices=Nth.choices,
        null=True,
        blank=True,
        help_text=_("Only for monthly repeats."),
    )
    repeat_from = models.DateField(_("from"), null=True, blank=True)
    repeat_until = models.DateField(_("until"), null=True, blank=True)
    repeat_start_time = models.TimeField(_("start time"), null=True, blank=True)
    repeat_end_time = models.TimeField(_("end time"), null=True, blank=True)
    repeat_exclusions = models.TextField(
        _("excluded dates"),
        blank=True,
        help_text=_("Holidays and other days without the activity, one date per line (YYYY-MM-DD or D. M. YYYY)."),
    )

    objects = PageManager.from_queryset(EventPageQuerySet)()

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("status"),
        SEARCH_TERMS,
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("venue"),
                FieldPanel("project"),
            ],
            heading=_("Classification and place"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldRowPanel([FieldPanel("is_free"), FieldPanel("price"), FieldPanel("price_note")]),
                FieldPanel("activity_language"),
                FieldPanel("accessibility"),
            ],
            heading=_("Practical information"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("organiser_name"),
                FieldRowPanel([FieldPanel("organiser_email"), FieldPanel("organiser_phone")]),
            ],
            heading=_("Organiser contact"),
        ),
        EventDateInlinePanel("dates", heading=_("Dates"), label=_("Date"), min_num=0),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("repeat"), FieldPanel("repeat_weekday"), FieldPanel("repeat_nth")]),
                FieldRowPanel([FieldPanel("repeat_from"), FieldPanel("repeat_until")]),
                FieldRowPanel([FieldPanel("repeat_start_time"), FieldPanel("repeat_end_time")]),
                FieldPanel("repeat_exclusions"),
                FieldPanel("generate_dates"),
            ],
            heading=_("Regular schedule"),
            help_text=_(
                "Set up a regular activity once. Tick “generate dates” and save: future dates are created from "
                "the schedule. Dates that already have registrations are never removed."
            ),
        ),
    ]

    override_translatable_fields = [
        TranslatableField("title"),
        TranslatableField("summary"),
        TranslatableField("body"),
        TranslatableField("price_note"),
        TranslatableField("activity_language"),
        TranslatableField("accessibility"),
        TranslatableField("organiser_name"),
        SynchronizedField("organiser_email"),
        SynchronizedField("organiser_phone"),
        SynchronizedField("image"),
        SynchronizedField("status"),
        SynchronizedField("is_free"),
        SynchronizedField("price"),
        SynchronizedField("repeat"),
        SynchronizedField("repeat_weekday"),
        SynchronizedField("repeat_nth"),
        SynchronizedField("repeat_from"),
        SynchronizedField("repeat_until"),
        SynchronizedField("repeat_start_time"),
        SynchronizedField("repeat_end_time"),
        SynchronizedField("repeat_exclusions"),
        TranslatableField("dates"),
        # Shared snippets are linked, never translated with the page: translating an event must not
        # rewrite the English name or slug of a category or venue (each page links its own
        # language's snippet on save, see `snippets_localise`).
        SynchronizedField("category", overridable=False),
        SynchronizedField("venue", overridable=False),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(RegistrationSettingsMixin.registration_panels, heading=_("Registrations")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    base_form_class = EventPageForm
    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event page")
        verbose_name_plural = _("event pages")

    def save(self, *args, **kwargs):
        self.snippets_localise()
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from events import views_pages

        context = super().get_context(request, *args, **kwargs)
        context.update(views_pages.event_context(page=self, request=request))
        return context

    def publish(
        self,
        revision,
        user=None,
        changed=True,
        log_action=True,
        previous_revision=None,
        skip_permission_checks=False,
    ):
        """Publish a revision, unless it would delete a date people registered for.

        The editor's form refuses such a version with a message on the dates. A scheduled
        revision (or one approved in a workflow, or published by code) that would do it is left
        unpublished and reported: the page's history records why, its editor says so, and its
        author gets an e-mail (see `events.scheduling`).
        """
        from events import scheduling

        dropped = scheduling.revision_dropped_dates(page=self, revision=revision)
        if dropped:
            scheduling.revision_refuse(page=self, revision=revision, dropped=dropped)
            return None
        return super().publish(
            revision,
            user=user,
            changed=changed,
            log_action=log_action,
            previous_revision=previous_revision,
            skip_permission_checks=skip_permission_checks,
        )

    @re_path(r"^calendar\.ics/?$", name="calendar")
    def calendar(self, request):
        from events import views_pages

        return views_pages.event_calendar_response(page=self, request=request)

    def dates_regenerate(self, *, rule):
        """Replace the future dates by the schedule's (in memory, saved with the page); see events.scheduling."""
        from events import scheduling

        return scheduling.event_dates_regenerate(page=self, rule=rule)

    def snippets_localise(self) -> None:
        """Link the category, venue and audiences in this page's language, where they have a translation.

        A translation starts as a copy of the Czech page, linking the Czech snippets; it then
        links their existing translations, and never changes them.
        """
        if not self.locale_id:
            return
        for name in ("category", "venue"):
            snippet = getattr(self, name)
            if snippet is not None and snippet.locale_id != self.locale_id:
                translated = snippet.get_translation_or_none(self.locale_id)
                if translated is not None:
                    setattr(self, name, translated)
        audiences = list(self.audiences.all())
        if any(audience.locale_id != self.locale_id for audience in audiences):
            self.audiences = translations_in(audiences, locale_id=self.locale_id)

    def dates_dropped_with_registrations(self, *, kept_ids) -> list["EventDate"]:
        """Saved dates with registrations that a version keeping only `kept_ids` would delete."""
        if not self.pk:
            return []
        saved = list(EventDate.objects.filter(page_id=self.pk).exclude(pk__in=kept_ids))
        registered = EventDate.objects.with_registrations([date.pk for date in saved])
        return [date for date in saved if date.pk in registered]

    def next_date(self):
        """The next date that has not ended yet (cancelled or not), or None."""
        now = timezone.now()
        return self.dates.filter(end__gte=now).order_by("start").first()


class CancellationReasonField(TranslatableField):
    """The reason for cancelling a date: offered to translators only when there is one.

    A date that is not cancelled has no reason, and a page with forty weekly dates should
    not ask its translator for forty empty strings.
    """

    def is_translated(self, obj):
        return bool(self.get_value(obj))

    def is_overridable(self, obj):
        return False


class EventDate(TranslatableMixin, Orderable):
    """One concrete occurrence of an event, in one language.

    Every language's page has its own row for the date. `uid` is the date's identity in
    calendars and registrations and `translation_key` joins its rows for translation; both
    are the same in every language and across edits. Start, end, capacity and the cancelled
    flag follow the default-language row; the reason for cancelling is translated.
    """

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="dates")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty to use the event's capacity.")
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancellation_reason = models.CharField(
        _("reason for cancellation"),
        max_length=255,
        blank=True,
        help_text=_("Shown publicly next to the date, and translated with the page."),
    )
    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, editable=False)

    objects = EventDateQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("capacity"),
        FieldRowPanel([FieldPanel("cancelled"), FieldPanel("cancellation_reason")]),
        DateRegistrantsPanel(),
    ]

    translatable_fields = [
        CancellationReasonField("cancellation_reason"),
        SynchronizedField("start", overridable=False),
        SynchronizedField("end", overridable=False),
        SynchronizedField("capacity", overridable=False),
        SynchronizedField("cancelled", overridable=False),
        SynchronizedField("uid", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("event date")
        verbose_name_plural = _("event dates")
        ordering = ["start"]
        unique_together = [("translation_key", "locale")]
        indexes = [
            models.Index(fields=["start"], name="events_date_start_idx"),
            models.Index(fields=["end"], name="events_date_end_idx"),
            models.Index(fields=["uid"], name="events_date_uid_idx"),
        ]

    def __str__(self):
        return f"{self.page.title if self.page_id else ''} {timezone.localtime(self.start):%Y-%m-%d %H:%M}".strip()

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        if self.cancellation_reason and not self.cancelled:
            raise ValidationError(
                {"cancellation_reason": _("A reason only makes sense for a cancelled date: tick “cancelled”.")}
            )

    def get_absolute_url(self):
        return self.page.url

    @property
    def admin_label(self) -> str:
        """The date as staff look for it in the editor, e.g. "čtvrtek 10. prosince 2026, 17:00–18:30"."""
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        label = f"{date_format(start, 'l')} {date_format(start, 'DATE_FORMAT')}, {start:%H:%M}"
        if end.date() == start.date():
            label = f"{label}–{end:%H:%M}"
        else:
            label = f"{label} – {date_format(end, 'DATE_FORMAT')}, {end:%H:%M}"
        return f"{label} ({_('cancelled')})" if self.cancelled else label

    @property
    def is_multi_day(self) -> bool:
        return timezone.localdate(self.start) != timezone.localdate(self.end)

    @property
    def public_reason(self) -> str:
        """The reason for cancellation, in this row's language.

        A translation's row holds the translated reason, or the default language's reason
        until someone translates it (see `event_dates_sync_translations`).
        """
        return self.cancellation_reason if self.cancelled else ""

    def source_date(self) -> "EventDate":
        """The same date on the page in the default language: the row registrations point at."""
        default_locale = the_default_locale()
        if self.page.locale_id == default_locale.pk:
            return self
        source = EventDate.objects.filter(
            page__translation_key=self.page.translation_key, page__locale=default_locale, uid=self.uid
        ).first()
        if source is not None:
            return source
        if not EventPage.objects.filter(translation_key=self.page.translation_key, locale=default_locale).exists():
            # A translation whose default-language page was deleted is an event of its own.
            return self
        raise EventDate.DoesNotExist("This date is not on the event's default-language page.")
