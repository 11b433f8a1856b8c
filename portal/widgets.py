"""The admin's date and time fields: typed Czech dates reach the server as typed.

Wagtail's date picker (the xdsoft datetimepicker) "validates on blur": text it cannot
read in its own format is replaced by *today*, silently, before the form is sent. Here
the picker still offers its calendar, but typed text is left alone; the server reads
it in the formats of the user's language (portal/formats) and says on the field when
it cannot.
"""

from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput, AdminTimeInput

#: Options added to the picker's own: keep what the person typed.
KEEP_TYPED_TEXT = {"validateOnBlur": False}


class TypedDateInput(AdminDateInput):
    def get_config(self):
        return {**super().get_config(), **KEEP_TYPED_TEXT}


class TypedTimeInput(AdminTimeInput):
    def get_config(self):
        return {**super().get_config(), **KEEP_TYPED_TEXT}


class TypedDateTimeInput(AdminDateTimeInput):
    def get_config(self):
        return {**super().get_config(), **KEEP_TYPED_TEXT}


def register_admin_date_widgets() -> None:
    """Every date, time and date-time field of a model form in the admin gets these widgets."""
    from django.db import models
    from wagtail.admin.forms.models import register_form_field_override

    register_form_field_override(models.DateField, override={"widget": TypedDateInput})
    register_form_field_override(models.TimeField, override={"widget": TypedTimeInput})
    register_form_field_override(models.DateTimeField, override={"widget": TypedDateTimeInput})
