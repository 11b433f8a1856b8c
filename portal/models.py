"""Site-wide settings edited by staff in Settings → Centre, and the worker's schedule."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


@register_setting(icon="home")
class CentreSettings(ClusterableModel, BaseSiteSetting):
    """The centre's contact facts, shown in the footer and used in e-mails."""

    name = models.CharField(_("name"), max_length=200, default="Komunitní centrum")
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    operator = models.CharField(
        _("operator"), max_length=200, blank=True, help_text=_("The organisation that runs the centre.")
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True, help_text=_("One line per day or period."))
    opening_hours_en = models.TextField(_("opening hours in English"), blank=True)
    ico = models.CharField(_("company ID (IČO)"), max_length=20, blank=True)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("operator"), FieldPanel("ico")],
            heading=_("Centre"),
        ),
        MultiFieldPanel(
            [FieldPanel("street"), FieldPanel("postal_code"), FieldPanel("city")],
            heading=_("Address"),
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("opening_hours"), FieldPanel("opening_hours_en")],
            heading=_("Contact and opening hours"),
        ),
        InlinePanel("social_links", label=_("Social links")),
        MultiFieldPanel(
            [FieldPanel("privacy_page"), FieldPanel("accessibility_page")],
            heading=_("Legal pages"),
        ),
    ]

    class Meta:
        verbose_name = _("centre settings")

    def __str__(self):
        return self.name

    def localized_name(self, language_code: str) -> str:
        return self.name_en if language_code == "en" and self.name_en else self.name

    def localized_opening_hours(self, language_code: str) -> str:
        if language_code == "en" and self.opening_hours_en:
            return self.opening_hours_en
        return self.opening_hours

    @property
    def address_line(self) -> str:
        return ", ".join(part for part in (self.street, f"{self.postal_code} {self.city}".strip()) if part)


class SocialLink(Orderable):
    settings = ParentalKey(CentreSettings, related_name="social_links", on_delete=models.CASCADE)
    label = models.CharField(_("label"), max_length=60, help_text=_("For example Facebook or Instagram."))
    url = models.URLField(_("address"))

    panels = [FieldPanel("label"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("social link")

    def __str__(self):
        return self.label


class ScheduledJob(models.Model):
    """One entry of the worker's schedule (see portal.jobs): when it runs next and the run it queued last."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    task_result_id = models.CharField(_("queued task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self):
        return self.name
