"""Site-wide settings edited by staff in Settings → Centre, and the worker's schedule."""

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


@register_setting(icon="home")
class CentreSettings(ClusterableModel, BaseSiteSetting):
    """The centre's contact facts, shown in the footer and used in e-mails."""

    operator = models.CharField(
        _("operator"), max_length=200, blank=True, help_text=_("The organisation that runs the centre.")
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    ico = models.CharField(_("company ID (IČO)"), max_length=20, blank=True)
    map_url = models.URLField(
        _("map link"),
        blank=True,
        help_text=_("A link to the centre on a map. Empty: a map search for the address."),
    )
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
        MultiFieldPanel([FieldPanel("operator"), FieldPanel("ico")], heading=_("Centre")),
        InlinePanel(
            "texts",
            heading=_("Name and opening hours in each language"),
            label=_("Language"),
            help_text=_("What a language leaves empty is shown in the default language."),
        ),
        MultiFieldPanel(
            [FieldPanel("street"), FieldPanel("postal_code"), FieldPanel("city"), FieldPanel("map_url")],
            heading=_("Address"),
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email")],
            heading=_("Contact"),
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
        return self.text.name

    @classmethod
    def base_queryset(cls):
        # Every page shows the centre's name: its texts come with it, in one query.
        return (
            super()
            .base_queryset()
            .prefetch_related(Prefetch("texts", queryset=CentreText.objects.select_related("locale")))
        )

    def text_for(self, language_code: str | None = None) -> "CentreText":
        """The centre's texts in a language; what that language leaves empty comes from the default language."""
        rows = {row.locale.language_code: row for row in self.texts.all()}
        wanted = language_code or get_language() or settings.LANGUAGE_CODE
        order = (wanted, wanted.split("-")[0], settings.LANGUAGE_CODE, *rows)
        chain = [rows[code] for code in dict.fromkeys(order) if code in rows]
        text = CentreText(settings=self)
        for field in CentreText.TEXT_FIELDS:
            setattr(text, field, next((getattr(row, field) for row in chain if getattr(row, field)), ""))
        text.name = text.name or str(_("Community centre"))
        return text

    @property
    def text(self) -> "CentreText":
        """The centre's texts in the language being rendered."""
        return self.text_for(get_language())

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


class CentreText(Orderable):
    """The centre's name, opening hours and accessibility information in one language."""

    settings = ParentalKey(CentreSettings, related_name="texts", on_delete=models.CASCADE)
    locale = models.ForeignKey(
        "wagtailcore.Locale", verbose_name=_("language"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True, help_text=_("One line per day or period."))
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("How to get in: step-free entrance, lift, toilets, parking, public transport."),
    )

    #: The texts shown in a language, each falling back to the default language's when empty.
    TEXT_FIELDS = ("name", "opening_hours", "accessibility")

    panels = [FieldPanel("locale"), FieldPanel("name"), FieldPanel("opening_hours"), FieldPanel("accessibility")]

    class Meta(Orderable.Meta):
        verbose_name = _("centre text")
        verbose_name_plural = _("centre texts")
        constraints = [models.UniqueConstraint(fields=["settings", "locale"], name="portal_centretext_one_per_locale")]

    def __str__(self):
        return self.name


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
