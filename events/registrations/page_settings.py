"""The registration settings of an event page (an abstract model mixed into
`EventPage`) and the admin panels that show them: the form panel that events
take from registrations. Nothing here imports the registrations' models, so
`events.models` can use it.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.queryset import FakeQuerySet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, Panel


class RegistrationSummaryPanel(Panel):
    """Per date: confirmed seats out of capacity and the number waitlisted (counts only, no personal data)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "events/admin/registration_summary_panel.html"

        def get_context_data(self, parent_context=None):
            # The counts come from the `registration_summary` template tag.
            context = super().get_context_data(parent_context)
            user = getattr(self.request, "user", None)
            can_view = bool(user and user.has_perm("registrations.view_registration"))
            can_change = bool(user and user.has_perm("registrations.change_registration"))
            can_publish = bool(user and self.instance.pk and self.instance.permissions_for_user(user).can_publish())
            context.update(
                {
                    "can_view_registrations": can_view,
                    "can_cancel_dates": can_view and can_change and can_publish,
                    "can_take_attendance": can_view and can_change,
                    "page": self.instance,
                    "now": timezone.now(),
                }
            )
            return context


class DateRegistrantsPanel(Panel):
    """In a date's block of the page editor: how many people are e-mailed if the date is cancelled and published."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "events/admin/date_registrants_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["date"] = self.instance
            return context


class RegistrationSettingsMixin(models.Model):
    """Whether and how residents sign up for an event."""

    class Scope(models.TextChoices):
        PER_DATE = "date", _("Each date separately")
        SERIES = "series", _("The whole series (one sign-up covers every date)")

    registration_enabled = models.BooleanField(_("registration on the website"), default=False)
    registration_capacity = models.PositiveIntegerField(
        _("places per date"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Counted in seats. A date can override it. Leave empty for no limit."),
    )
    registration_max_seats = models.PositiveSmallIntegerField(
        _("maximum seats per registration"),
        default=4,
        blank=True,
        help_text=_("Leave empty for 4."),
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, help_text=_("Leave empty to open registration right away.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to close registration for each date when it starts."),
    )
    registration_waitlist = models.BooleanField(_("waiting list when full"), default=True)
    registration_ask_phone = models.BooleanField(_("ask for a phone number"), default=False)
    registration_ask_note = models.BooleanField(_("ask for a note"), default=False)
    registration_scope = models.CharField(
        _("one registration covers"), max_length=10, choices=Scope.choices, default=Scope.PER_DATE, blank=True
    )
    registration_term_from = models.DateField(
        _("term from"),
        null=True,
        blank=True,
        help_text=_("For an enrolment in the whole series: the first day of the term. Leave empty for all dates."),
    )
    registration_term_until = models.DateField(
        _("term until"),
        null=True,
        blank=True,
        help_text=_("The last day of the term. Leave empty for all dates."),
    )

    registration_panels = [
        MultiFieldPanel(
            [
                FieldPanel("registration_enabled"),
                FieldRowPanel([FieldPanel("registration_capacity"), FieldPanel("registration_max_seats")]),
                FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]),
                FieldPanel("registration_waitlist"),
                FieldRowPanel([FieldPanel("registration_ask_phone"), FieldPanel("registration_ask_note")]),
                FieldPanel("registration_scope"),
                FieldRowPanel([FieldPanel("registration_term_from"), FieldPanel("registration_term_until")]),
                # A field of the event page's form: lowering places below the confirmed seats needs it.
                FieldPanel("confirm_capacity_below_taken"),
            ],
            heading=_("Registration settings"),
        ),
        RegistrationSummaryPanel(heading=_("Registrations per date")),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        # Pages saved by forms (or code) that leave the registration settings out get the defaults.
        if self.registration_max_seats is None:
            self.registration_max_seats = 4
        if not self.registration_scope:
            self.registration_scope = self.Scope.PER_DATE
        if (
            self.registration_term_from
            and self.registration_term_until
            and self.registration_term_until < self.registration_term_from
        ):
            raise ValidationError({"registration_term_until": _("The term cannot end before it starts.")})

    @property
    def registration_is_series(self) -> bool:
        return self.registration_scope == self.Scope.SERIES

    def term_dates(self, dates):
        """The dates an enrolment in the whole series covers: those within the term (all without one).

        `dates` is a queryset, or the in-memory dates of a page being previewed or compared
        (modelcluster's FakeQuerySet, which cannot filter on a date part)."""
        if not (self.registration_term_from or self.registration_term_until):
            return dates
        if isinstance(dates, FakeQuerySet):
            kept = [date for date in dates if self.term_covers(timezone.localdate(date.start))]
            return FakeQuerySet(dates.model, kept)
        if self.registration_term_from:
            dates = dates.filter(start__date__gte=self.registration_term_from)
        if self.registration_term_until:
            dates = dates.filter(start__date__lte=self.registration_term_until)
        return dates

    def term_covers(self, day) -> bool:
        """Whether an enrolment in the whole series covers a date starting on this (local) day."""
        return (not self.registration_term_from or day >= self.registration_term_from) and (
            not self.registration_term_until or day <= self.registration_term_until
        )

    def registration_capacity_for(self, event_date) -> int | None:
        """Places for one date (the date's own capacity wins), or None for no limit."""
        if not self.registration_is_series and event_date is not None and event_date.capacity is not None:
            return event_date.capacity
        return self.registration_capacity
