"""Admin hooks of the website pages: who may read contact form messages, and the team snippet."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from website.models import Person

CONTACT_SUBMISSIONS_PERMISSION = "website.view_contactsubmission"


@hooks.register("filter_form_submissions_for_user")
def contact_submissions_only_with_permission(user, editable_forms):
    """Contact form messages hold personal data: only staff with the permission see them (and superusers)."""
    from django.contrib.contenttypes.models import ContentType

    from website.models import ContactPage

    if user.has_perm(CONTACT_SUBMISSIONS_PERMISSION):
        return editable_forms
    return editable_forms.exclude(content_type=ContentType.objects.get_for_model(ContactPage))


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "group"
    menu_label = _("Team")
    list_display = ["name", "role", "group"]
    list_filter = ["group"]
    search_fields = ["name", "role", "group"]


register_snippet(PersonViewSet)
