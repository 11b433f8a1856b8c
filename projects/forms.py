"""Forms of the projects admin (validation only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.publicity.pack.contents import EARLIEST_DAY, LATEST_DAY


def _day(value) -> str:
    return f"{value.day}. {value.month}. {value.year}"


class PublicityReportFilterForm(forms.Form):
    """The publicity report's filters. Left empty, the report shows every project's latest check in full."""

    project = forms.ChoiceField(label=_("Project"), required=False)
    checked_from = forms.DateField(
        label=_("Checked from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    checked_to = forms.DateField(
        label=_("Checked until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    only_failing = forms.BooleanField(label=_("Only failing rules and warnings"), required=False)

    def __init__(self, *args, project_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", _("All projects")), *project_choices]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("checked_from"), cleaned.get("checked_to")
        if start and end and end < start:
            self.add_error("checked_to", _("The end of the period can not be before its start."))
        return cleaned


MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
IMAGE_EVIDENCE = ("photo", "screenshot")
DOCUMENT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "webp", "odt", "ods", "docx", "xlsx", "txt")


class ObligationEvidenceForm(forms.Form):
    """One piece of evidence. A photo's date comes from its EXIF data; without it, staff enter the date."""

    kind = forms.ChoiceField(label=_("Kind of evidence"))
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A photo or screenshot (JPEG, PNG, WebP) or a document (PDF, ODT, DOCX…), at most 20 MB."),
    )
    url = forms.URLField(
        label=_("Address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For example the address of the social post."),
    )
    taken_on = forms.DateField(
        label=_("Taken on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("A photo's date is read from the camera's data (EXIF). Enter it when the photo has none."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from projects.models import EvidenceKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = EvidenceKind.choices
        self.exif_date = None

    def clean(self):
        from projects.obligations import image_error, photo_taken_on

        cleaned = super().clean()
        kind, upload, url = cleaned.get("kind"), cleaned.get("file"), cleaned.get("url")
        if upload is not None:
            extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if upload.size > MAX_EVIDENCE_BYTES:
                self.add_error("file", _("The file is larger than 20 MB."))
                return cleaned
            if kind in IMAGE_EVIDENCE:
                error = image_error(upload)
                if error:
                    self.add_error("file", _(error))
                    return cleaned
            elif extension not in DOCUMENT_EXTENSIONS:
                self.add_error(
                    "file", _("This kind of file is not accepted. Use PDF, ODT, DOCX, XLSX, JPEG, PNG or WebP.")
                )
                return cleaned
        if kind == "photo" and upload is None:
            self.add_error("file", _("Upload the photo."))
        if kind == "url" and not url:
            self.add_error("url", _("Enter the address."))
        if kind == "screenshot" and upload is None:
            self.add_error("file", _("Upload the screenshot."))
        if kind in ("document", "other") and upload is None and not url:
            self.add_error("file", _("Upload a file or enter an address."))
        if kind == "photo" and upload is not None:
            self.exif_date = photo_taken_on(upload)
            if self.exif_date is not None:
                cleaned["taken_on"] = self.exif_date
        if not cleaned.get("taken_on") and "taken_on" not in self.errors:
            if kind == "photo" and upload is not None:
                self.add_error(
                    "taken_on",
                    _(
                        "The photo carries no date taken (EXIF). Enter the date the photo was taken and upload it again."
                    ),
                )
            else:
                self.add_error("taken_on", _("Enter the date the evidence shows."))
        return cleaned


class ObligationForm(forms.Form):
    """Staff's decisions on an obligation."""

    responsible = forms.ModelChoiceField(label=_("Responsible person"), queryset=None, required=False)
    not_applicable = forms.BooleanField(label=_("Not applicable"), required=False)
    not_applicable_reason = forms.CharField(
        label=_("Why it does not apply"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = users

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("not_applicable") and not (cleaned.get("not_applicable_reason") or "").strip():
            self.add_error("not_applicable_reason", _("Say why the obligation does not apply."))
        return cleaned


class PeriodDateField(forms.DateField):
    """A day of a reporting period: between 2000 and 2100, and any bad input is a message, not an error."""

    default_error_messages = {
        "invalid": _("Enter a date, for example 30. 6. 2026."),
        "required": _("Enter the date."),
    }

    def to_python(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise forms.ValidationError(_("The date contains a character that is not allowed."), code="invalid")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST_DAY <= value <= LATEST_DAY:
            raise forms.ValidationError(
                _("Enter a date between %(first)s and %(last)s.")
                % {"first": _day(EARLIEST_DAY), "last": _day(LATEST_DAY)},
                code="out_of_range",
            )


class EvidencePackForm(forms.Form):
    """The reporting period of an evidence pack (both days included)."""

    period_start = PeriodDateField(
        label=_("Period from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = PeriodDateField(
        label=_("Period to"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period can not be before its start."))
        return cleaned


class ControllerLinkForm(forms.Form):
    """Whom a controller link is for and the last day it works (the service checks the limits)."""

    label = forms.CharField(
        label=_("For whom"),
        max_length=200,
        help_text=_("For example the controller's name and the funder. Only staff see it."),
    )
    valid_until = PeriodDateField(
        label=_("Valid until (including that day)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class MonitoringExportForm(forms.Form):
    """The project and the period of a monitoring export (both days included)."""

    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, project_choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = project_choices
        self.fields["project"].error_messages["invalid_choice"] = _("Choose one of the projects in the list.")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period can not be before its start."))
        return cleaned
