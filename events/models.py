"""Events: the index page, event pages, their concrete dates and the snippets they use."""

import uuid
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail.signals import page_published
from wagtail_localize.fields import SynchronizedField, TranslatableField

from events.admin_forms import EventPageForm
from events.registration_settings import RegistrationSettingsMixin
from portal.blocks import BaseStreamBlock

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


class EventIndexPage(RoutablePageMixin, Page):
    """Lists upcoming event dates, with filters, an archive, a month view and a calendar feed."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    per_page = models.PositiveSmallIntegerField(
        _("dates per page"), default=20, validators=[MinValueValidator(5), MaxValueValidator(100)]
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = Page.settings_panels + [FieldPanel("per_page")]
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
            source = model.objects.filter(slug=slug, locale__language_code=source_language).first()
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


class EventPage(RoutablePageMixin, RegistrationSettingsMixin, Page):
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

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("status"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("audiences"), FieldPanel("venue"), FieldPanel("project")],
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
        InlinePanel("dates", heading=_("Dates"), label=_("Date"), min_num=0),
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
    ]

    base_form_class = EventPageForm
    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event page")
        verbose_name_plural = _("event pages")

    def get_context(self, request, *args, **kwargs):
        from events import views_pages

        context = super().get_context(request, *args, **kwargs)
        context.update(views_pages.event_context(page=self, request=request))
        return context

    @re_path(r"^calendar\.ics/?$", name="calendar")
    def calendar(self, request):
        from events import views_pages

        return views_pages.event_calendar_response(page=self, request=request)

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

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("capacity"),
        FieldRowPanel([FieldPanel("cancelled"), FieldPanel("cancellation_reason")]),
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
        from wagtail.models import Locale

        default_locale = Locale.get_default()
        if self.page.locale_id == default_locale.pk:
            return self
        return EventDate.objects.get(
            page__translation_key=self.page.translation_key, page__locale=default_locale, uid=self.uid
        )


# --------------------------------------------------------------------------------------
# Registrations
# --------------------------------------------------------------------------------------
# A registration always points at the source-locale (Czech) event page and date, so
# that signing up on /cs/ and on /en/ fills the same places. Business rules live in
# events/services.py; read queries in events/registration_selectors.py.


class Registration(models.Model):
    """One resident's sign-up for an event date (or for a whole series)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    # States that take up places, and states that block a second registration.
    SEAT_STATUSES = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)
    ACTIVE_STATUSES = (*SEAT_STATUSES, Status.WAITLISTED)

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        EventPage, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    event_date = models.ForeignKey(
        EventDate,
        verbose_name=_("date"),
        null=True,
        blank=True,
        # A date with registrations cannot be deleted on its own (only with its whole event).
        on_delete=models.RESTRICT,
        related_name="registrations",
        help_text=_("Empty when the registration covers the whole series."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    name = models.CharField(pgettext_lazy("registrations", "name"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=8, default="cs")
    consent_at = models.DateTimeField(_("privacy notice accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        permissions = [("export_registration", _("Can export registrations and personal data"))]
        indexes = [
            models.Index(fields=["event_date", "status"], name="events_reg_date_status_idx"),
            models.Index(fields=["event", "status"], name="events_reg_event_status_idx"),
            models.Index(fields=["email"], name="events_reg_email_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="events_registration_seats_gte_1"),
            models.UniqueConstraint(
                fields=["event_date", "email"],
                condition=models.Q(
                    status__in=["confirmed", "waitlisted", "attended", "no_show"],
                    anonymised_at__isnull=True,
                    event_date__isnull=False,
                ),
                name="events_registration_one_active_per_date",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=models.Q(
                    status__in=["confirmed", "waitlisted", "attended", "no_show"],
                    anonymised_at__isnull=True,
                    event_date__isnull=True,
                ),
                name="events_registration_one_active_per_series",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    @property
    def date_display(self) -> str:
        """The date as staff read it (in exports and listings)."""
        if self.event_date_id is None:
            return str(_("Whole series"))
        return timezone.localtime(self.event_date.start).strftime("%d.%m.%Y %H:%M")

    @property
    def holds_seats(self) -> bool:
        return self.status in self.SEAT_STATUSES

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class RegistrationEmailQuerySet(models.QuerySet):
    def due(self, now):
        """E-mails the worker should send now: first sends its task never made, and retries whose time has come."""
        return self.filter(
            state__in=(RegistrationEmail.State.PENDING, RegistrationEmail.State.RETRYING), next_attempt_at__lte=now
        )


class RegistrationEmail(models.Model):
    """The outbox: one e-mail to a registrant, sent by a task and retried with backoff while the mail server is down."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Confirmation")
        WAITLISTED = "waitlisted", _("Waiting list")
        PROMOTED = "promoted", _("Moved up from the waiting list")
        CANCELLED = "cancelled", _("Cancellation")
        DATE_CANCELLED = "date_cancelled", _("Date cancelled")
        REMINDER = "reminder", _("Reminder")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        RETRYING = "retrying", _("Failed, will be retried")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, no more attempts")
        DROPPED = "dropped", _("Not sent")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    event_date = models.ForeignKey(
        EventDate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The date concerned."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt"),
        null=True,
        blank=True,
        help_text=_("When the worker tries to send it (again), unless its task sends it first."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = RegistrationEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration e-mail")
        verbose_name_plural = _("registration e-mails")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="events_regmail_state_idx"),
            models.Index(fields=["state", "next_attempt_at"], name="events_regmail_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "event_date"],
                condition=models.Q(kind="reminder"),
                name="events_registration_one_reminder_per_date",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.registration_id} ({self.get_state_display()})"


def _registrations_after_publish(sender, instance, **kwargs):
    """Staff cancelled a date or raised capacity: tell the registrants, fill freed places from the waiting list."""
    from events.services import event_registrations_sync

    event_registrations_sync(event=instance)


page_published.connect(_registrations_after_publish, sender=EventPage, dispatch_uid="events_registrations_sync")
