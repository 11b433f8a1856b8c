"""Idempotent helpers for building the demo site tree in both languages.

Every part of the demo uses these, so running `load_demo_content` twice
updates pages in place instead of creating duplicates.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page


def locale(code: str) -> Locale:
    return Locale.objects.get_or_create(language_code=code)[0]


def ensure_tree_roots() -> Page:
    """The page tree's and the collections' roots, recreated when an emptied database has lost them.

    The migrations make them; a flushed database (a fresh restore, or after a
    transactional test) has none, and the demo must still load.
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection

    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        locale(code)
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(
                title="Root",
                slug="root",
                locale=locale("cs"),
                content_type=ContentType.objects.get_for_model(Page),
            )
        )
    return root


def _apply(page: Page, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(page, name, value)


@transaction.atomic
def upsert_child(parent: Page, model: type[Page], *, slug: str, **fields: Any) -> Page:
    """The live child of `parent` with this slug, created or updated, then published."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        page = existing.specific
        if not isinstance(page, model):
            raise TypeError(f"{page!r} at slug {slug!r} is not a {model.__name__}")
        _apply(page, fields)
        page.save_revision().publish()
        return page
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def upsert_translation(source: Page, *, language_code: str, **fields: Any) -> Page:
    """The translation of `source` into `language_code`, created or updated, then published.

    The parent must already be translated (build the tree top-down).
    """
    target_locale = locale(language_code)
    page = source.get_translation_or_none(target_locale)
    if page is None:
        page = source.copy_for_translation(target_locale, copy_parents=False)
    page = page.specific
    _apply(page, fields)
    page.save_revision().publish()
    return page
