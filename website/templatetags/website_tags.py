"""Template helpers of the website pages."""

from django import template

register = template.Library()


@register.filter
def described(field):
    """The field's widget, described by its help text and errors (their ids as in website/includes/form_field.html)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.id_for_label}-help")
    if field.errors:
        ids.append(f"{field.id_for_label}-error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
