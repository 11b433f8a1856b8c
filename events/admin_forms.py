"""The event page's admin form: validates dates and the regular schedule, and materialises it."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from events import recurrence
from portal.translated_choices import limit_choices_to_page_locale


def _when(start) -> str:
    from django.utils import formats, timezone

    return formats.date_format(timezone.localtime(start), "DATETIME_FORMAT")


def dropped_date_message(date) -> str:
    return _(
        "The date %(when)s has registrations but is missing from this version of the page. "
        "Add it back, or cancel it (tick “cancelled”) so everyone registered is told."
    ) % {"when": _when(date.start)}


# The page's schedule fields, by the RepeatRule field they fill.
RULE_FIELDS = {
    "frequency": "repeat",
    "start_date": "repeat_from",
    "until_date": "repeat_until",
    "start_time": "repeat_start_time",
    "end_time": "repeat_end_time",
    "weekday": "repeat_weekday",
    "nth": "repeat_nth",
    "exclusions": "repeat_exclusions",
}


class EventPageForm(WagtailAdminPageForm):
    generate_dates = forms.BooleanField(
        label=_("Generate dates from this schedule when saving"),
        required=False,
        help_text=_(
            "Future dates are replaced by the schedule's dates; past dates stay as they are. "
            "An activity without any dates gets its schedule's dates even when this is not ticked."
        ),
    )

    confirm_capacity_below_taken = forms.BooleanField(
        label=_("Allow fewer places than confirmed seats"),
        required=False,
        help_text=_(
            "Needed only when you lower the places of a date below the seats already confirmed: "
            "nobody is cancelled, the date is simply shown as full."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_choices_to_page_locale(self, ["category", "audiences", "venue"])

    def clean_slug(self):
        """A new event whose address is held by an unpublished draft (typically an abandoned
        earlier try, kept by autosave) gets the next free address instead of a slug clash;
        the editor is told about the draft after saving (see `report_draft_holding_the_slug`)."""
        slug = self.cleaned_data.get("slug")
        parent = getattr(self, "parent_page", None)
        if self.instance.pk or not slug or parent is None:
            return slug
        siblings = parent.get_children()
        holder = siblings.filter(slug=slug).first()
        if holder is None or holder.live:
            return slug
        taken = set(siblings.filter(slug__startswith=f"{slug}-").values_list("slug", flat=True))
        suffix = 2
        while f"{slug}-{suffix}" in taken:
            suffix += 1
        self.draft_holding_slug = holder
        return f"{slug}-{suffix}"

    def clean(self):
        cleaned = super().clean()
        self._refuse_deleting_dates_with_registrations()
        self._refuse_dropping_dates_with_registrations()
        self._confirm_capacity_below_taken(cleaned)
        self._refuse_changing_scope_with_registrations(cleaned)
        if cleaned.get("is_free") is False and cleaned.get("price") is None and not cleaned.get("price_note"):
            self.add_error("price", _("Enter a price or a price note, or tick “free of charge”."))
        exclusions = cleaned.get("repeat_exclusions") or ""
        try:
            recurrence.parse_exclusions(exclusions)
        except recurrence.SchedulingError as error:
            self.add_error("repeat_exclusions", str(error))
            return cleaned
        if not cleaned.get("generate_dates"):
            if not self._schedule_without_dates(cleaned):
                return cleaned
            # A filled-in schedule on an activity with no dates at all: publishing it
            # without dates would help nobody, so the dates are made as if ticked.
            cleaned["generate_dates"] = True
        if not cleaned.get("repeat"):
            self.add_error("repeat", _("Choose how often the activity repeats before generating dates."))
            return cleaned
        if cleaned.get("repeat") == "monthly" and cleaned.get("repeat_nth") is None:
            self.add_error("repeat_nth", _("Choose which weekday of the month."))
            return cleaned
        required = ("repeat_from", "repeat_until", "repeat_start_time", "repeat_end_time")
        # A field already in error (a date that does not parse) says so itself.
        invalid = [name for name in required if name in self.errors]
        missing = [name for name in required if cleaned.get(name) is None and name not in invalid]
        for name in missing:
            self.add_error(name, _("Needed to generate dates."))
        if missing or invalid:
            return cleaned
        rule = recurrence.RepeatRule(
            frequency=cleaned["repeat"],
            start_date=cleaned["repeat_from"],
            until_date=cleaned["repeat_until"],
            start_time=cleaned["repeat_start_time"],
            end_time=cleaned["repeat_end_time"],
            weekday=cleaned.get("repeat_weekday"),
            nth=cleaned.get("repeat_nth"),
            exclusions=recurrence.parse_exclusions(exclusions),
        )
        try:
            recurrence.rule_occurrences(rule)
        except recurrence.SchedulingError as error:
            # The message goes where the editor must change something: on each field it names,
            # and on "generate dates", the choice it refuses.
            for name in [*(RULE_FIELDS[part] for part in error.parts), "generate_dates"]:
                self.add_error(name, str(error))
            return cleaned
        self._repeat_rule = rule
        return cleaned

    def _refuse_deleting_dates_with_registrations(self) -> None:
        """A date people registered for can be cancelled (they are told), never deleted."""
        from django.utils import formats, timezone

        formset = self.formsets.get("dates") if hasattr(self, "formsets") else None
        if formset is None:
            return
        marked = []
        for form in formset.forms:
            if not form.instance.pk or "DELETE" not in form.fields:
                continue
            widget = form.fields["DELETE"].widget
            if form.fields["DELETE"].to_python(
                widget.value_from_datadict(form.data, form.files, form.add_prefix("DELETE"))
            ):
                marked.append(form.instance)
        if not marked:
            return
        protected = self.formsets["dates"].model.objects.with_registrations([date.pk for date in marked])
        for date in marked:
            if date.pk in protected:
                when = formats.date_format(timezone.localtime(date.start), "DATETIME_FORMAT")
                self.add_error(
                    None,
                    _(
                        "The date %(when)s has registrations, so it cannot be deleted. "
                        "Tick “cancelled” and give a reason instead: everyone registered is told."
                    )
                    % {"when": when},
                )

    def _refuse_dropping_dates_with_registrations(self) -> None:
        """A version of the page without a date people registered for (an older revision being
        restored, say) is refused: the date stays until staff cancel it."""
        formset = self.formsets.get("dates") if hasattr(self, "formsets") else None
        if formset is None or not self.instance.pk:
            return
        kept = {form.instance.pk for form in formset.forms if form.instance.pk}
        for date in self.instance.dates_dropped_with_registrations(kept_ids=kept):
            self.add_error(None, dropped_date_message(date))

    def _refuse_changing_scope_with_registrations(self, cleaned) -> None:
        """Per-date registrations mean nothing to a whole-series event (and the other way round):
        switching while people are registered would leave them out of the places and the lists."""
        from events import places

        scope = cleaned.get("registration_scope") or "date"
        if not self.instance.pk or scope == (self.instance.registration_scope or "date"):
            return
        if any(item.taken or item.waitlisted for item in places.event_availability(page=self.instance)):
            self.add_error(
                "registration_scope",
                _(
                    "People are registered under the current setting. Cancel their registrations first, "
                    "or keep the setting."
                ),
            )

    def _confirm_capacity_below_taken(self, cleaned) -> None:
        """Fewer places than confirmed seats only with an explicit confirmation."""
        from events import places

        formset = self.formsets.get("dates") if hasattr(self, "formsets") else None
        if (
            not cleaned.get("registration_enabled")
            or cleaned.get("confirm_capacity_below_taken")
            or not self.instance.pk
        ):
            return
        taken_by_uid = {}
        series_taken = 0
        for item in places.event_availability(page=self.instance):
            if self.instance.registration_is_series:
                series_taken = item.taken
            elif item.date is not None:
                taken_by_uid[item.date.uid] = item.taken
        page_capacity = cleaned.get("registration_capacity")
        problems = []
        if cleaned.get("registration_scope") == "series":
            if page_capacity is not None and series_taken > page_capacity:
                problems.append(
                    _("The course has %(taken)d confirmed seats but only %(capacity)d places.")
                    % {"taken": series_taken, "capacity": page_capacity}
                )
        elif formset is not None and formset.is_valid():
            for form in formset.forms:
                data = getattr(form, "cleaned_data", None) or {}
                if not data or data.get("DELETE") or not form.instance.pk:
                    continue
                capacity = data.get("capacity") if data.get("capacity") is not None else page_capacity
                taken = taken_by_uid.get(form.instance.uid, 0)
                if capacity is not None and taken > capacity:
                    problems.append(
                        _("The date %(when)s has %(taken)d confirmed seats but only %(capacity)d places.")
                        % {
                            "when": _when(data.get("start") or form.instance.start),
                            "taken": taken,
                            "capacity": capacity,
                        }
                    )
        if problems:
            problems.append(_("Tick “allow fewer places than confirmed seats” to save anyway, or raise the places."))
            self.add_error("confirm_capacity_below_taken", problems)

    def _schedule_without_dates(self, cleaned) -> bool:
        """A complete schedule, and not one date in the dates panel (none kept, none typed in)."""
        schedule = ("repeat", "repeat_from", "repeat_until", "repeat_start_time", "repeat_end_time")
        if any(not cleaned.get(name) for name in schedule):
            return False
        formset = getattr(self, "formsets", {}).get("dates")
        if formset is None:
            return False
        for form in formset.forms:
            deleted = "DELETE" in form.fields and form["DELETE"].value()
            if form["start"].value() and not deleted:
                return False
        return True

    def save(self, commit=True):
        page = super().save(commit=False)
        rule = getattr(self, "_repeat_rule", None)
        if rule is not None:
            page._date_regeneration = page.dates_regenerate(rule=rule)
        page.draft_holding_slug = getattr(self, "draft_holding_slug", None)
        if commit:
            page.save()
            self._save_m2m()
            if getattr(self, "show_comments_toggle", False) and getattr(self, "subscription", None):
                self.subscription.save()
        return page
