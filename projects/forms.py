"""Forms of the projects admin (validation only)."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
