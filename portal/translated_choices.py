"""Choices that fit the page's language: translatable snippets (audiences, categories, programmes)
are offered and stored in the language of the page that uses them."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from wagtail.models import TranslatableMixin


def page_form_locale_id(form) -> int | None:
    """The locale of the page an admin page form edits: its own, or its parent's for a new page."""
    if form.instance.locale_id:
        return form.instance.locale_id
    parent = getattr(form, "parent_page", None)
    return parent.locale_id if parent is not None else None


def limit_choices_to_page_locale(form, names: Iterable[str]) -> None:
    """Offer only the items in the page's language in these fields of an admin page form."""
    locale_id = page_form_locale_id(form)
    if locale_id is None:
        return
    for name in names:
        field = form.fields.get(name)
        if isinstance(field, forms.ModelChoiceField) and issubclass(field.queryset.model, TranslatableMixin):
            field.queryset = field.queryset.filter(locale_id=locale_id)


def translations_in(items: Iterable[TranslatableMixin], *, locale_id: int) -> list[TranslatableMixin]:
    """Each item's translation in `locale_id` (one query), or the item itself where it has none."""
    items = list(items)
    if all(item.locale_id == locale_id for item in items):
        return items
    model = type(items[0])
    translated = {
        item.translation_key: item
        for item in model.objects.filter(
            locale_id=locale_id, translation_key__in=[item.translation_key for item in items]
        )
    }
    return [translated.get(item.translation_key, item) for item in items]
