"""Funded projects, their funding programmes and the stored publicity checks."""

import datetime
import hashlib
import re
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from events.measures import Measure, measure_key
from portal.blocks import DocumentLinkBlock, ImageBlock
from portal.privacy import PrivateInEveryLanguageMixin
from portal.routing import OneChildTypeRouteMixin
from portal.search_text import SEARCH_TERMS, NormalisedSearchMixin
from portal.translated_choices import limit_choices_to_page_locale, translations_in


class FunderKind(models.TextChoices):
    EU_2021_2027 = "eu_2021_2027", _("European Union 2021–2027")
    EU_2014_2020 = "eu_2014_2020", _("European Union 2014–2020")
    EEA_GRANTS = "eea_grants", _("EEA Grants 2014–2021")
    NORWAY_GRANTS = "norway_grants", _("Norway Grants 2014–2021")
    ACTIVE_CITIZENS_FUND = "active_citizens_fund", _("Active Citizens Fund (EEA Grants 2014–2021)")
    OTHER = "other", _("Other funder")


EU_KINDS = frozenset({FunderKind.EU_2021_2027, FunderKind.EU_2014_2020})
EEA_NORWAY_KINDS = frozenset({FunderKind.EEA_GRANTS, FunderKind.NORWAY_GRANTS, FunderKind.ACTIVE_CITIZENS_FUND})
# Kinds whose funding statement must be written out as text (2014–2020 has no statement).
STATEMENT_KINDS = frozenset({FunderKind.EU_2021_2027, *EEA_NORWAY_KINDS})


class FundingProgramme(TranslatableMixin, models.Model):
    """A programme that pays for projects and sets their publicity duties (translatable snippet)."""

    name = models.CharField(_("name"), max_length=200, help_text=_("For example “Operační program Zaměstnanost plus”."))
    short_name = models.CharField(_("short name"), max_length=60, blank=True, help_text=_("For example “OPZ+”."))
    kind = models.CharField(_("funder"), max_length=32, choices=FunderKind.choices, default=FunderKind.EU_2021_2027)
    fund_name = models.CharField(
        _("fund"),
        max_length=200,
        blank=True,
        help_text=_("For example “Evropský sociální fond plus”. Required on EU 2014–2020 pages."),
    )
    statement = models.TextField(
        _("funding statement"),
        blank=True,
        help_text=_(
            "Shown as text beside the emblem, in this language, e.g. “Spolufinancováno Evropskou unií” (EU 2021–2027) "
            "or “Podpořeno Norskem z Norských fondů” (Norway Grants). EU 2014–2020 has no such statement. "
            "{project} is replaced by the project's name."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The funder's or programme's logo. EU programmes show the EU emblem automatically; "
            "a logo here appears beside it and is never taller."
        ),
    )
    logo_alt = models.CharField(
        _("logo alternative text"),
        max_length=200,
        blank=True,
        help_text=_("Name the funder, e.g. “Norway Grants”. For an official lockup, write out every word it shows."),
    )
    logo_is_official_lockup = models.BooleanField(
        _("the logo is the official lockup"),
        default=False,
        help_text=_(
            "I declare that the uploaded logo is the programme's official logo lockup, with the EU emblem and the "
            "words “European Union” and the fund inside the image (EU 2014–2020 only). Its alternative text then "
            "stands for those words."
        ),
    )
    obligation_years_after_end = models.PositiveSmallIntegerField(
        _("publicity kept after the end (years)"),
        null=True,
        blank=True,
        help_text=_(
            "How long after the project's end the publicity must stay (the sustainability period). "
            "Empty: the default for this kind of programme."
        ),
    )
    archive_years = models.PositiveSmallIntegerField(
        _("archiving period after the end (years)"),
        default=10,
        help_text=_(
            "How long after the project's end its publicity checks, snapshots, screenshots and evidence are kept "
            "(the programme's archiving period). Then the daily job deletes them."
        ),
    )
    registration_number_pattern = models.CharField(
        _("registration number pattern"),
        max_length=200,
        help_text=_("A regular expression the whole registration number must match."),
    )
    registration_number_example = models.CharField(_("registration number example"), max_length=100, blank=True)
    link = models.URLField(_("link"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("kind"),
        FieldPanel("fund_name"),
        FieldPanel("statement"),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("logo_alt"), FieldPanel("logo_is_official_lockup")], heading=_("Logo")
        ),
        FieldPanel("obligation_years_after_end"),
        FieldPanel("archive_years"),
        MultiFieldPanel(
            [FieldPanel("registration_number_pattern"), FieldPanel("registration_number_example")],
            heading=_("Registration number"),
        ),
        FieldPanel("link"),
    ]
    override_translatable_fields = [
        SynchronizedField("registration_number_pattern"),
        SynchronizedField("registration_number_example"),
        SynchronizedField("archive_years", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        try:
            re.compile(self.registration_number_pattern or "")
        except re.error as error:
            errors["registration_number_pattern"] = _("This is not a valid pattern: %(error)s") % {"error": error}
        else:
            example = self.registration_number_example
            if example and not self.registration_number_matches(example):
                errors["registration_number_example"] = _("The example does not match the pattern.")
            elif example and placeholder_reason(example):
                errors["registration_number_example"] = placeholder_reason(example)
        if self.logo_id and not self.logo_alt:
            errors["logo_alt"] = _("Describe the logo: name the funder.")
        if self.logo_is_official_lockup and (self.kind != FunderKind.EU_2014_2020 or not self.logo_id):
            errors["logo_is_official_lockup"] = _(
                "Only an uploaded logo of an EU 2014–2020 programme can stand for the words it shows."
            )
        if self.kind in STATEMENT_KINDS and not (self.statement or "").strip():
            errors["statement"] = _("This kind of programme needs its funding statement.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_eu(self) -> bool:
        return self.kind in EU_KINDS

    @property
    def is_eea_norway(self) -> bool:
        return self.kind in EEA_NORWAY_KINDS

    def registration_number_matches(self, number: str) -> bool:
        try:
            return re.fullmatch(self.registration_number_pattern, number or "") is not None
        except re.error:
            return False

    def statement_for(self, project_title: str) -> str:
        return self.statement.replace("{project}", project_title)


def placeholder_reason(number: str) -> str:
    """Why a registration number is a placeholder no real call uses, or "" when it may be real.

    Real numbers end in a serial that is never all zeros; a call is never
    numbered 00_000; a serial of one repeated digit or a run like 1234567 is a
    stand-in, and so is a number with X in place of digits.
    """
    number = (number or "").strip()
    if not number:
        return ""
    if re.search(r"[Xx]{2,}|#", number):
        return str(_("“%s” is a placeholder: it has letters in place of digits.") % number)
    groups = re.findall(r"\d+", number)
    if not groups:
        return ""
    serial = groups[-1]
    if set(serial) == {"0"}:
        return str(_("“%s” is a placeholder: its serial number is all zeros.") % number)
    call = re.search(r"(\d{2})_(\d{3})", number)
    if call and (set(call.group(1)) == {"0"} or set(call.group(2)) == {"0"}):
        return str(
            _("“%(number)s” is a placeholder: no call is numbered %(call)s.")
            % {"number": number, "call": call.group(0)}
        )
    if len(serial) >= 4 and (len(set(serial)) == 1 or serial in "0123456789" or serial in "9876543210"):
        return str(
            _("“%(number)s” is a placeholder: its serial number %(serial)s is not one a call assigns.")
            % {"number": number, "serial": serial}
        )
    return ""


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")


class Currency(models.TextChoices):
    CZK = "CZK", _("CZK")
    EUR = "EUR", _("EUR")


class ResultFigureBlock(blocks.StructBlock):
    """A result figure: typed by hand, or a target with the achieved figure counted from attendance.

    The measure is not text, so a translation of the page keeps the source's binding
    (wagtail-localize offers translators only the label and the note), and every
    language shows the same counted figure.
    """

    number = blocks.DecimalBlock(
        label=_("Number"),
        min_value=0,
        decimal_places=0,
        max_digits=9,
        help_text=_("The figure; for a figure counted from attendance, the target."),
    )
    label = blocks.CharBlock(label=_("What"), max_length=120, help_text=_("For example “community leaders”."))
    note = blocks.CharBlock(label=_("Note"), max_length=250, required=False)
    measure = blocks.ChoiceBlock(
        label=_("Counted from attendance"),
        choices=[("", _("No: the number above is the figure"))] + list(Measure.choices),
        required=False,
        help_text=_(
            "Counted every night from the attendance of the project's activities within the project's period; "
            "the page then shows the target and the achieved figure."
        ),
    )
    min_attendances = blocks.IntegerBlock(
        label=_("At least N attendances"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("For “participants present at least N times”: N."),
    )

    class Meta:
        icon = "order"
        label = _("Number")
        template = "projects/blocks/result_figure_block.html"

    def clean(self, value):
        value = super().clean(value)
        if value.get("measure") == Measure.REGULAR_PARTICIPANTS and not value.get("min_attendances"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "min_attendances": ValidationError(_("Say how many attendances make a participant count."))
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        measure = value.get("measure")
        if measure:
            stored = (parent_context or {}).get("result_measures") or {}
            context["measured"] = stored.get(measure_key(measure, value.get("min_attendances")))
            context["is_measured"] = True
        return context


class ResultsBlock(blocks.StreamBlock):
    figure = ResultFigureBlock()
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ol", "ul"], icon="pilcrow")


class AimsBlock(blocks.StreamBlock):
    aim = blocks.CharBlock(label=_("Aim"), max_length=400, icon="tick")


class ProjectPageForm(WagtailAdminPageForm):
    """Refuses to publish a funded project without what its programme requires."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_choices_to_page_locale(self, ["programmes", "target_groups"])

    def clean(self):
        cleaned = super().clean()
        if "action-publish" not in self.data:
            return cleaned
        from projects.services import project_publication_problems

        problems = project_publication_problems(
            programmes=list(cleaned.get("programmes") or []),
            registration_number=cleaned.get("registration_number", ""),
            short_description=cleaned.get("short_description", ""),
            aims=cleaned.get("aims"),
            expected_results=cleaned.get("expected_results"),
            achieved_results=cleaned.get("achieved_results"),
        )
        for field, message in problems.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned


class ProjectIndexPage(
    NormalisedSearchMixin, PrivateInEveryLanguageMixin, RoutablePageMixin, OneChildTypeRouteMixin, Page
):
    """Lists the centre's funded projects; its publicity/ route is the overview for funders."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["projects.ProjectPage"]
    search_fields = Page.search_fields + [index.SearchField("intro"), SEARCH_TERMS]

    class Meta:
        verbose_name = _("project index page")

    def get_context(self, request, *args, **kwargs):
        from projects import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.project_index_context(index=self, params=request.GET))
        base = self.get_url(request) or ""
        context["publicity_url"] = base + self.reverse_subpage("publicity_overview")
        context["publicity_json_url"] = base + self.reverse_subpage("publicity_json")
        return context

    @path("publicity/")
    def publicity_overview(self, request):
        from projects import selectors

        return self.render(
            request,
            context_overrides={"overview": selectors.publicity_overview(index=self)},
            template="projects/publicity_overview.html",
        )

    @re_path(r"^publicity\.json/?$", name="publicity_json")
    def publicity_json(self, request):
        from django.http import JsonResponse

        from projects import selectors

        data = selectors.publicity_overview_json(index=self, request=request)
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


class ProjectPage(NormalisedSearchMixin, PrivateInEveryLanguageMixin, Page):
    """One funded project with its facts and the mandatory funding disclosure."""

    promoter = models.CharField(
        _("promoter"), max_length=250, blank=True, help_text=_("The beneficiary (příjemce / realizátor).")
    )
    partners = models.TextField(_("partners"), blank=True, help_text=_("One partner per line."))
    registration_number = models.CharField(_("registration number"), max_length=100, blank=True)
    programmes = ParentalManyToManyField(
        FundingProgramme, verbose_name=_("funding programmes"), blank=True, related_name="projects"
    )
    priority_axis = models.CharField(_("priority axis or specific objective"), max_length=250, blank=True)
    investment_priority = models.CharField(_("investment priority"), max_length=250, blank=True)
    call = models.CharField(_("call"), max_length=250, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status_override = models.CharField(
        _("status"),
        max_length=16,
        choices=ProjectStatus.choices,
        blank=True,
        help_text=_("Leave empty to derive the status from the dates."),
    )
    total_cost = models.DecimalField(_("total cost"), max_digits=14, decimal_places=2, null=True, blank=True)
    grant_amount = models.DecimalField(_("grant"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.CZK)
    short_description = models.TextField(
        _("short description"), blank=True, help_text=_("The mandatory short description (stručný popis).")
    )
    description = RichTextField(_("description"), blank=True, features=["h3", "bold", "italic", "link", "ol", "ul"])
    target_groups = ParentalManyToManyField(
        "events.Audience", verbose_name=_("target groups"), blank=True, related_name="projects"
    )
    aims = StreamField(AimsBlock(), verbose_name=_("aims"), blank=True)
    activities = RichTextField(_("activities"), blank=True, features=["h3", "bold", "italic", "link", "ol", "ul"])
    expected_results = StreamField(ResultsBlock(), verbose_name=_("expected results"), blank=True)
    achieved_results = StreamField(ResultsBlock(), verbose_name=_("achieved results"), blank=True)
    evaluation_reports = StreamField(
        [("document", DocumentLinkBlock())], verbose_name=_("evaluation reports"), blank=True
    )
    gallery = StreamField([("image", ImageBlock())], verbose_name=_("gallery"), blank=True)
    facts_note = models.TextField(
        _("note on the facts"),
        blank=True,
        help_text=_("Shown under the facts, e.g. which figures the source did not state."),
    )
    contact_person = models.ForeignKey(
        "website.Person",
        verbose_name=_("contact person from the team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
        help_text=_("When set, the project shows this person's record (and links to the team page)."),
    )
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_role = models.CharField(_("contact person's role"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("short_description"),
        MultiFieldPanel(
            [
                FieldPanel("programmes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("registration_number"),
                FieldPanel("priority_axis"),
                FieldPanel("investment_priority"),
                FieldPanel("call"),
            ],
            heading=_("Funding"),
        ),
        MultiFieldPanel(
            [FieldPanel("promoter"), FieldPanel("partners")],
            heading=_("Promoter and partners"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("status_override"),
            ],
            heading=_("Period and status"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("total_cost"), FieldPanel("grant_amount"), FieldPanel("currency")]),
                FieldPanel("facts_note"),
            ],
            heading=_("Budget"),
        ),
        FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
        FieldPanel("aims", help_text=_("The first aim is the main one: the project's poster shows it.")),
        FieldPanel("description"),
        FieldPanel("activities"),
        FieldPanel("expected_results"),
        FieldPanel("achieved_results"),
        FieldPanel("evaluation_reports"),
        FieldPanel("gallery"),
        MultiFieldPanel(
            [
                FieldPanel("contact_person"),
                FieldPanel("contact_name"),
                FieldPanel("contact_role"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
            ],
            heading=_("Contact person"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("short_description"),
        index.SearchField("description"),
        index.SearchField("promoter"),
        index.SearchField("registration_number"),
        SEARCH_TERMS,
    ]
    override_translatable_fields = [
        SynchronizedField("registration_number"),
        SynchronizedField("contact_name"),
        SynchronizedField("contact_phone"),
        # The team record is linked, never translated with the page: translating a project must not
        # rewrite the English record of its contact person (each language shows its own translation).
        SynchronizedField("contact_person", overridable=False),
    ]
    base_form_class = ProjectPageForm
    parent_page_types = ["projects.ProjectIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("project page")

    def save(self, *args, **kwargs):
        # A translation starts with the source's programmes and target groups: it gets those of its own language.
        if self.locale_id:
            for name in ("programmes", "target_groups"):
                items = list(getattr(self, name).all())
                if items and any(item.locale_id != self.locale_id for item in items):
                    setattr(self, name, translations_in(items, locale_id=self.locale_id))
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end must not be before the start.")
        if self.grant_amount is not None and self.total_cost is not None and self.grant_amount > self.total_cost:
            errors["grant_amount"] = _("The grant can not be larger than the total cost.")
        if self.live:
            from projects.services import project_publication_problems

            errors.update(
                {
                    field: message
                    for field, message in project_publication_problems(
                        programmes=list(self.programmes.all()),
                        registration_number=self.registration_number,
                        short_description=self.short_description,
                        aims=self.aims,
                        expected_results=self.expected_results,
                        achieved_results=self.achieved_results,
                    ).items()
                    if field not in errors
                }
            )
        if errors:
            raise ValidationError(errors)

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def status_on(self, day: datetime.date) -> str:
        if self.status_override:
            return self.status_override
        if self.start_date and day < self.start_date:
            return ProjectStatus.PLANNED
        if self.end_date and day > self.end_date:
            return ProjectStatus.COMPLETED
        if self.start_date:
            return ProjectStatus.RUNNING
        return ProjectStatus.PLANNED

    def get_status_display(self) -> str:
        return ProjectStatus(self.status).label

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    @property
    def is_funded(self) -> bool:
        return self.programmes.exists() if self.pk else bool(list(self.programmes.all()))

    def get_context(self, request, *args, **kwargs):
        from portal.cache import kept
        from projects import selectors

        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):  # a draft: its own programmes, nothing kept
            context.update(selectors.project_page_context(project=self))
            context["contact_person"] = selectors.project_contact_person(project=self)
        else:
            context.update(kept("project-page", self.pk, build=lambda: selectors.project_page_context(project=self)))
            context["contact_person"] = kept(
                "project-contact", self.pk, get_language(), build=lambda: selectors.project_contact_person(project=self)
            )
        return context


class ProjectMeasure(models.Model):
    """A result figure counted from attendance, stored by the nightly count for the project's page to read.

    One row per project (its page in the default language) and measure; every
    translation of the page shows it.
    """

    project = models.ForeignKey(
        ProjectPage, verbose_name=_("project"), on_delete=models.CASCADE, related_name="measures"
    )
    measure = models.CharField(_("measure"), max_length=32, choices=Measure.choices)
    min_attendances = models.PositiveSmallIntegerField(
        _("at least N attendances"), default=0, help_text=_("N for “participants present at least N times”, else 0.")
    )
    value = models.DecimalField(_("achieved"), max_digits=12, decimal_places=2)
    period_start = models.DateField(_("counted from"), null=True, blank=True)
    period_end = models.DateField(_("counted until"), null=True, blank=True)
    computed_at = models.DateTimeField(_("counted at"), default=timezone.now)

    class Meta:
        verbose_name = _("project result counted from attendance")
        verbose_name_plural = _("project results counted from attendance")
        ordering = ["project", "measure", "min_attendances"]
        constraints = [
            models.UniqueConstraint(fields=["project", "measure", "min_attendances"], name="projects_measure_once")
        ]

    def __str__(self):
        return f"{self.project_id} {self.key} = {self.value}"

    @property
    def key(self) -> str:
        return measure_key(self.measure, self.min_attendances)


class PublicitySnapshot(models.Model):
    """One page in one language, rendered as a visitor saw it at check time (the evidence)."""

    run = models.UUIDField(_("check run"), default=uuid.uuid4, db_index=True)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(
        ProjectPage,
        verbose_name=_("project"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="publicity_snapshots",
    )
    page_title = models.CharField(_("page title"), max_length=255)
    locale = models.CharField(_("language"), max_length=8)
    url = models.CharField(_("address"), max_length=500)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), default=200)
    html = models.TextField(_("HTML as published"), blank=True)
    html_sha256 = models.CharField(_("SHA-256 of the HTML"), max_length=64, blank=True)
    browser = models.CharField(
        _("browser"), max_length=120, blank=True, help_text=_("Empty when the page was checked without a browser.")
    )
    standalone_html = models.TextField(
        _("self-contained snapshot"), blank=True, help_text=_("The page with its styles and images inlined.")
    )
    standalone_sha256 = models.CharField(_("SHA-256 of the self-contained snapshot"), max_length=64, blank=True)
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("publicity snapshot")
        verbose_name_plural = _("publicity snapshots")
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["page", "locale", "-checked_at"], name="projects_snapshot_latest")]

    def __str__(self):
        return f"{self.page_title} ({self.locale}) {self.checked_at:%Y-%m-%d %H:%M}"


class PublicityScreenshot(models.Model):
    """A full-page screenshot of a snapshot's page at one viewport, with its checksum."""

    snapshot = models.ForeignKey(
        PublicitySnapshot, verbose_name=_("snapshot"), on_delete=models.CASCADE, related_name="screenshots"
    )
    viewport = models.CharField(_("viewport"), max_length=20)
    image = models.FileField(_("screenshot"), upload_to="publicity/screenshots/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)

    class Meta:
        verbose_name = _("publicity screenshot")
        verbose_name_plural = _("publicity screenshots")
        ordering = ["snapshot", "viewport"]

    def __str__(self):
        return f"{self.snapshot} {self.viewport}"


class RuleSeverity(models.TextChoices):
    LEGAL = "legal", _("Legal requirement")
    HOUSE = "house", _("House rule")


class PublicityCheck(models.Model):
    """One rule applied to one rendered page: passed or failed, with a reason a person understands."""

    snapshot = models.ForeignKey(
        PublicitySnapshot, verbose_name=_("snapshot"), on_delete=models.CASCADE, related_name="checks"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(
        ProjectPage, verbose_name=_("project"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    page_title = models.CharField(_("page title"), max_length=255)
    locale = models.CharField(_("language"), max_length=8)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    rule = models.CharField(_("rule"), max_length=64, db_index=True)
    passed = models.BooleanField(_("passed"))
    reason = models.TextField(_("reason"))
    reasons = models.JSONField(
        _("reason in each language"),
        default=dict,
        blank=True,
        help_text=_("The reason worded in each language staff read the admin in, by language code."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    severity = models.CharField(_("severity"), max_length=8, choices=RuleSeverity.choices, default=RuleSeverity.LEGAL)
    in_force = models.BooleanField(
        _("in force"),
        default=True,
        help_text=_("Whether the obligation behind the rule applied on the day of the check."),
    )
    viewport = models.CharField(_("viewport"), max_length=20, blank=True)
    browser = models.BooleanField(_("checked in a browser"), default=False)
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now, db_index=True)
    is_current = models.BooleanField(
        _("current"), default=True, db_index=True, help_text=_("Part of the latest check of this page.")
    )

    class Meta:
        verbose_name = _("publicity check")
        verbose_name_plural = _("publicity checks")
        ordering = ["-checked_at", "page_title", "locale", "rule"]

    def __str__(self):
        return f"{self.page_title} ({self.locale}) {self.rule}: {'ok' if self.passed else 'FAIL'}"

    def reason_in(self, language: str) -> str:
        """The reason worded in `language` where the check stored it, else as it was stored."""
        return self.reasons.get(language) or self.reasons.get(language.split("-")[0]) or self.reason

    @property
    def translated_source(self) -> str:
        """The rule's source (a citation from the catalogue) in the active language."""
        return gettext(self.source) if self.source else ""


class ObligationKind(models.TextChoices):
    WEBSITE = "website", _("Website disclosure")
    POSTER = "poster", _("A3 poster at the premises")
    DISPLAY = "display", _("Electronic display at the premises")
    PLAQUE = "plaque", _("Permanent plaque or billboard")
    SOCIAL_POST = "social_post", _("Social media post")
    PARTICIPANT_DOCUMENTS = "participant_documents", _("Documents for participants")


class ObligationStatus(models.TextChoices):
    MISSING = "missing", _("Missing")
    DUE_SOON = "due_soon", _("Due soon")
    FULFILLED = "fulfilled", _("Fulfilled")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


#: An unfulfilled obligation whose due date is this close (or past) is "due soon" until it is overdue.
DUE_SOON_DAYS = 30


class ObligationQuerySet(models.QuerySet):
    def with_status(self, today: datetime.date | None = None) -> "ObligationQuerySet":
        """Annotate `status_value` (an ObligationStatus) computed from the evidence and the due date.

        The website disclosure is also fulfilled by the publicity checker: the project's page has
        current checks and none of them is a legal rule in force that failed.
        """
        today = today or timezone.localdate()
        soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        current = PublicityCheck.objects.filter(
            is_current=True, project__translation_key=models.OuterRef("project__translation_key")
        )
        website_passes = (
            models.Q(kind=ObligationKind.WEBSITE)
            & models.Exists(current)
            & ~models.Exists(current.filter(passed=False, in_force=True, severity=RuleSeverity.LEGAL))
        )
        has_evidence = models.Exists(ObligationEvidence.objects.filter(obligation=models.OuterRef("pk")))
        return self.annotate(
            status_value=models.Case(
                models.When(not_applicable=True, then=models.Value(ObligationStatus.NOT_APPLICABLE.value)),
                models.When(has_evidence | website_passes, then=models.Value(ObligationStatus.FULFILLED.value)),
                models.When(
                    due_date__gte=today, due_date__lte=soon, then=models.Value(ObligationStatus.DUE_SOON.value)
                ),
                default=models.Value(ObligationStatus.MISSING.value),
                output_field=models.CharField(),
            )
        )

    def missing(self, today: datetime.date | None = None) -> "ObligationQuerySet":
        return self.with_status(today).filter(status_value=ObligationStatus.MISSING)

    def due_soon(self, today: datetime.date | None = None) -> "ObligationQuerySet":
        return self.with_status(today).filter(status_value=ObligationStatus.DUE_SOON)

    def unfulfilled(self, today: datetime.date | None = None) -> "ObligationQuerySet":
        return self.with_status(today).filter(status_value__in=[ObligationStatus.MISSING, ObligationStatus.DUE_SOON])


class Obligation(models.Model):
    """One publicity duty of a project (website, poster, plaque, post, documents) with its source and deadline."""

    project = models.ForeignKey(
        ProjectPage,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="obligations",
        help_text=_("The project's page in the default language."),
    )
    kind = models.CharField(_("obligation"), max_length=32, choices=ObligationKind.choices)
    source = models.CharField(_("source"), max_length=300, help_text=_("The regulation and article that require it."))
    due_date = models.DateField(_("due by"), null=True, blank=True)
    keep_until = models.DateField(
        _("keep until"), null=True, blank=True, help_text=_("The end of the project or of the sustainability period.")
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publicity_obligations",
        help_text=_("Gets the reminders. Empty: the staff who edit projects get them."),
    )
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    not_applicable_reason = models.TextField(_("why it does not apply"), blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publicity obligation")
        verbose_name_plural = _("publicity obligations")
        ordering = ["project", "due_date", "kind"]
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="projects_obligation_unique_kind")]

    def __str__(self):
        return f"{self.project.title}: {self.get_kind_display()}"

    def status_on(self, today: datetime.date | None = None) -> str:
        """The obligation's ObligationStatus on `today` (the same rule as the queryset's `with_status`)."""
        annotated = getattr(self, "status_value", None)
        if annotated is not None and today is None:
            return annotated
        return Obligation.objects.with_status(today).values_list("status_value", flat=True).get(pk=self.pk)

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return ObligationStatus(self.status).label

    @property
    def translated_source(self) -> str:
        """The source (a citation from the catalogue) in the active language."""
        return gettext(self.source) if self.source else ""

    @property
    def translated_not_applicable_reason(self) -> str:
        """A generated reason in the active language; one staff wrote stays as written."""
        return gettext(self.not_applicable_reason) if self.not_applicable_reason else ""

    @property
    def translated_note(self) -> str:
        return gettext(self.note) if self.note else ""


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    URL = "url", _("Link")
    SCREENSHOT = "screenshot", _("Screenshot")
    DOCUMENT = "document", _("Document")
    OTHER = "other", _("Other")


class ObligationEvidence(models.Model):
    """Proof that an obligation was met: a dated photo, a link, a screenshot or a document."""

    obligation = models.ForeignKey(
        Obligation, verbose_name=_("obligation"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("kind of evidence"), max_length=16, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to="publicity/evidence/%Y/%m/", blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    taken_on = models.DateField(
        _("taken on"), help_text=_("For a photo, the date the camera recorded; otherwise the date the evidence shows.")
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("obligation evidence")
        verbose_name_plural = _("obligation evidence")
        ordering = ["-taken_on", "-uploaded_at"]

    def __str__(self):
        return f"{self.obligation}: {self.get_kind_display()} {self.taken_on:%Y-%m-%d}"


class ObligationReminder(models.Model):
    """A reminder e-mail sent before an obligation's due date (one per due date and threshold)."""

    obligation = models.ForeignKey(
        Obligation, verbose_name=_("obligation"), on_delete=models.CASCADE, related_name="reminders"
    )
    due_date = models.DateField(_("due by"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    recipients = models.TextField(_("recipients"), help_text=_("One e-mail address per line."))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("obligation reminder")
        verbose_name_plural = _("obligation reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "due_date", "days_before"], name="projects_obligation_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.obligation} ({self.days_before})"


class ControllerLinkQuerySet(models.QuerySet):
    def usable(self, *, now: datetime.datetime | None = None) -> "ControllerLinkQuerySet":
        """Links a controller can open now: neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ControllerLinkState(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class ControllerLink(models.Model):
    """A read-only link to a project's publicity record that a funder's controller opens without an account.

    Only the SHA-256 of the link's secret is stored: the address is shown once,
    when the link is made, and can not be read back from the database.
    """

    project = models.ForeignKey(
        ProjectPage, verbose_name=_("project"), on_delete=models.CASCADE, related_name="controller_links"
    )
    label = models.CharField(
        _("for whom"), max_length=200, help_text=_("For example the controller's name and the funder.")
    )
    token_hash = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_opened_at = models.DateTimeField(_("last opened at"), null=True, blank=True)
    open_count = models.PositiveIntegerField(_("times opened"), default=0)

    objects = ControllerLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("controller link")
        verbose_name_plural = _("controller links")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.label

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def state_at(self, now: datetime.datetime) -> str:
        if self.revoked_at is not None:
            return ControllerLinkState.REVOKED
        if self.expires_at <= now:
            return ControllerLinkState.EXPIRED
        return ControllerLinkState.ACTIVE

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())

    def get_state_display(self) -> str:
        return ControllerLinkState(self.state).label
