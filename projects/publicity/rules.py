"""The publicity rules: what each checks, its source, its severity, and when its obligation is in force.

Sources (DESIGN §4):
- Regulation (EU) 2021/1060, Art. 47 and 50 and Annex IX (EU 2021–2027);
- Regulation (EU) No 1303/2013, Annex XII 2.2, and Implementing Regulation (EU) No 821/2014,
  Art. 3–5 (EU 2014–2020);
- the Regulation on the implementation of the EEA and Norway Grants 2014–2021, Annex 3, and
  the grants' Communication and Design Manual (EEA Grants, Norway Grants, Active Citizens Fund).

A rule with no legal source is a house rule: it is reported, at a lower severity,
and a failing house rule does not make the check fail.
"""

import datetime
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from projects.models import EEA_NORWAY_KINDS, FunderKind, FundingProgramme, ProjectPage, RuleSeverity

EU_2127 = frozenset({FunderKind.EU_2021_2027})
EU_1420 = frozenset({FunderKind.EU_2014_2020})
EU_ALL = EU_2127 | EU_1420
EEA_ALL = EEA_NORWAY_KINDS
EVERY_KIND = frozenset(FunderKind.values)

# The citations are catalogue entries: stored as written here (English, as the regulations' English
# texts cite them) and shown to staff in their own language.
HOUSE = gettext_noop("House rule (no legal source)")
EEA_WEBSITE = gettext_noop(
    "EEA and Norway Grants 2014–2021 Regulation, Annex 3, website of the project (project promoter's obligations)"
)
EEA_LOGO = gettext_noop(
    "EEA and Norway Grants 2014–2021 Regulation, Annex 3; EEA and Norway Grants Communication and Design Manual (logo)"
)
EEA_STATEMENT = gettext_noop(
    "EEA and Norway Grants 2014–2021 Regulation, Annex 3; "
    "EEA and Norway Grants Communication and Design Manual (funding statement)"
)


@dataclass(frozen=True)
class Rule:
    code: str
    label: object
    sources: dict  # FunderKind -> citation
    severity: str = RuleSeverity.LEGAL
    browser_only: bool = False  # measured on the rendered page; approximated from the HTML without a browser

    def source_for(self, kind: str) -> str:
        return self.sources.get(kind) or self.sources.get("*", "")

    def applies_to(self, kind: str) -> bool:
        return kind in self.sources or "*" in self.sources


def _every(citation: str) -> dict:
    return {"*": citation}


_DESCRIPTION = {
    FunderKind.EU_2021_2027: gettext_noop("Regulation (EU) 2021/1060, Art. 50(1)(a)"),
    FunderKind.EU_2014_2020: gettext_noop("Regulation (EU) No 1303/2013, Annex XII 2.2(2)(a)"),
    FunderKind.EEA_GRANTS: EEA_WEBSITE,
    FunderKind.NORWAY_GRANTS: EEA_WEBSITE,
    FunderKind.ACTIVE_CITIZENS_FUND: EEA_WEBSITE,
    FunderKind.OTHER: HOUSE,
}

RULE_LIST = [
    Rule("page_renders", _("The page can be opened"), dict(_DESCRIPTION)),
    Rule("project_name", _("The project's name is shown"), dict(_DESCRIPTION)),
    Rule(
        "registration_number",
        _("The registration number is shown, in the programme's pattern and not a placeholder"),
        _every(gettext_noop("National practice: the managing authority's rules for beneficiaries")),
    ),
    Rule("programme_named", _("The programme is named"), _every(HOUSE), severity=RuleSeverity.HOUSE),
    Rule("short_description", _("A short description is shown"), dict(_DESCRIPTION)),
    Rule("aims", _("The aims are shown"), dict(_DESCRIPTION)),
    Rule("results", _("Expected or achieved results are shown"), dict(_DESCRIPTION)),
    # EU, both periods
    Rule(
        "eu_emblem_alt",
        _("The EU emblem is shown, and its alternative text names the European Union"),
        {
            FunderKind.EU_2021_2027: gettext_noop("Regulation (EU) 2021/1060, Art. 47(a), Annex IX 1.1"),
            FunderKind.EU_2014_2020: gettext_noop(
                "Implementing Regulation (EU) No 821/2014, Art. 4(3)(a); Regulation (EU) No 1303/2013, Annex XII 2.2(1)(a)"
            ),
        },
    ),
    Rule(
        "eu_emblem_height",
        _("The EU emblem is at least as high or as wide as the largest other logo"),
        {
            FunderKind.EU_2021_2027: gettext_noop("Regulation (EU) 2021/1060, Annex IX 1.7"),
            FunderKind.EU_2014_2020: gettext_noop("Implementing Regulation (EU) No 821/2014, Art. 4(5)"),
        },
        browser_only=True,
    ),
    Rule(
        "eu_emblem_on_landing",
        _("The EU emblem is fully in the first viewport, without scrolling"),
        {
            FunderKind.EU_2021_2027: gettext_noop(
                "Regulation (EU) 2021/1060, Annex IX 1.1 (clearly visible, also in the mobile view)"
            ),
            FunderKind.EU_2014_2020: gettext_noop("Implementing Regulation (EU) No 821/2014, Art. 4(3)(a)"),
        },
        browser_only=True,
    ),
    Rule(
        "eu_statement_font",
        _("The words beside the emblem are in a permitted font, without italics, underline or effects"),
        {
            FunderKind.EU_2021_2027: gettext_noop("Regulation (EU) 2021/1060, Annex IX 1.3"),
            FunderKind.EU_2014_2020: gettext_noop("Implementing Regulation (EU) No 821/2014, Art. 4(4)"),
        },
        browser_only=True,
    ),
    Rule(
        "eu_statement_colour",
        _("The words beside the emblem are Reflex Blue, black or white, as the background allows"),
        {
            FunderKind.EU_2021_2027: gettext_noop("Regulation (EU) 2021/1060, Annex IX 1.6"),
            FunderKind.EU_2014_2020: gettext_noop("Implementing Regulation (EU) No 821/2014, Art. 4(5)"),
        },
        browser_only=True,
    ),
    Rule(
        "eu_statement_beside_emblem",
        _("The words are next to the emblem and do not overlap it"),
        {
            FunderKind.EU_2021_2027: gettext_noop("Regulation (EU) 2021/1060, Annex IX 1.2 and 1.4"),
            FunderKind.EU_2014_2020: gettext_noop("Implementing Regulation (EU) No 821/2014, Art. 4(5)"),
        },
        browser_only=True,
    ),
    Rule(
        "eu_footer_bar",
        _("The funders' bar in the footer writes out the words beside the EU emblem"),
        {
            FunderKind.EU_2021_2027: gettext_noop("Regulation (EU) 2021/1060, Annex IX 1.2"),
            FunderKind.EU_2014_2020: gettext_noop("Implementing Regulation (EU) No 821/2014, Art. 4(4)"),
        },
    ),
    # EU 2021–2027 only
    Rule(
        "eu_statement_text",
        _("The statement “Co-funded by the European Union” is written out as text beside the emblem"),
        {FunderKind.EU_2021_2027: gettext_noop("Regulation (EU) 2021/1060, Art. 47(a), Annex IX 1.2")},
    ),
    # EU 2014–2020 only
    Rule(
        "eu_union_words",
        _("The words “European Union” are spelled out"),
        {FunderKind.EU_2014_2020: gettext_noop("Implementing Regulation (EU) No 821/2014, Art. 4(4)")},
    ),
    Rule(
        "eu_fund_name",
        _("The fund is named"),
        {
            FunderKind.EU_2014_2020: gettext_noop(
                "Implementing Regulation (EU) No 821/2014, Art. 4(3)(b); Regulation (EU) No 1303/2013, Annex XII 2.2(1)(b)"
            )
        },
    ),
    # EEA Grants, Norway Grants, Active Citizens Fund
    Rule(
        "eea_logo",
        _("The logo of the right mechanism is shown, with alternative text naming it"),
        {kind: EEA_LOGO for kind in EEA_ALL},
    ),
    Rule(
        "eea_statement_text",
        _("The mechanism's support statement is written out as text, in the page's language"),
        {kind: EEA_STATEMENT for kind in EEA_ALL},
    ),
    Rule(
        "eea_both_languages",
        _("The page is live in both Czech and English"),
        {kind: HOUSE for kind in EEA_ALL},
        severity=RuleSeverity.HOUSE,
    ),
]
RULE_INFO = {rule.code: rule for rule in RULE_LIST}
RULES = {rule.code: rule.label for rule in RULE_LIST}

# Years the website publicity stays after the project ends, per kind of programme
# (settings.PUBLICITY_OBLIGATION_YEARS_AFTER_END overrides these; a programme's own
# "publicity kept after the end" overrides both).
DEFAULT_YEARS_AFTER_END = {kind: 0 for kind in FunderKind.values}


@dataclass
class RuleResult:
    rule: str
    passed: bool
    reason: str
    programme: str = ""
    source: str = ""
    severity: str = RuleSeverity.LEGAL
    in_force: bool = True
    viewport: str = ""
    browser: bool = False
    extra: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)  # language code -> the reason worded in that language

    @property
    def failed(self) -> bool:
        """A failure that counts: a legal rule, not passed, while its obligation is in force."""
        return not self.passed and self.in_force and self.severity == RuleSeverity.LEGAL

    @property
    def warning(self) -> bool:
        return not self.passed and self.in_force and self.severity == RuleSeverity.HOUSE

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("extra")
        data.pop("reasons")
        data["label"] = str(RULES.get(self.rule, self.rule))
        data["failed"] = self.failed
        return data


def result(rule: str, passed: bool, reason, programme: FundingProgramme, **extra) -> RuleResult:
    """A rule's result with its source and severity for the programme's kind."""
    info = RULE_INFO[rule]
    return RuleResult(
        rule,
        passed,
        str(reason),
        programme.name,
        source=info.source_for(programme.kind),
        severity=info.severity,
        **extra,
    )


def years_after_end(programme: FundingProgramme) -> int:
    if programme.obligation_years_after_end is not None:
        return programme.obligation_years_after_end
    configured = getattr(settings, "PUBLICITY_OBLIGATION_YEARS_AFTER_END", {}) or {}
    return int(configured.get(programme.kind, DEFAULT_YEARS_AFTER_END.get(programme.kind, 0)))


def obligation_period(
    project: ProjectPage, programme: FundingProgramme
) -> tuple[datetime.date | None, datetime.date | None]:
    """From the project's start until its end plus the programme's period after the end (None: open)."""
    end = None
    if project.end_date:
        years = years_after_end(programme)
        try:
            end = project.end_date.replace(year=project.end_date.year + years)
        except ValueError:  # 29 February
            end = project.end_date.replace(year=project.end_date.year + years, day=28)
    return project.start_date, end


def obligation_in_force(project: ProjectPage, programme: FundingProgramme, day: datetime.date) -> bool:
    start, end = obligation_period(project, programme)
    if start and day < start:
        return False
    return not (end and day > end)


def archiving_date(project: ProjectPage) -> datetime.date | None:
    """Until when a project keeps what its reporting needs: the latest end of its programmes'
    obligation periods (the project's end plus each programme's years after it). None without an end
    or a programme."""
    ends = [obligation_period(project, programme)[1] for programme in project.programmes.all()]
    ends = [end for end in ends if end is not None]
    return max(ends) if ends else None


def archiving_dates() -> dict[int, datetime.date]:
    """The archiving date of every project (of every language) that has one, by the project page's id."""
    dates = {}
    for project in ProjectPage.objects.filter(end_date__isnull=False).prefetch_related("programmes"):
        day = archiving_date(project)
        if day is not None:
            dates[project.pk] = day
    return dates
