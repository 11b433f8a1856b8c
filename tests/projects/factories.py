"""Factories for the projects app (wagtail-factories)."""

import datetime as dt
from decimal import Decimal

import factory
import wagtail_factories
from wagtail.models import Locale

from projects.models import FunderKind, FundingProgramme, ProjectIndexPage, ProjectPage


def _cs():
    return Locale.objects.get_or_create(language_code="cs")[0]


class FundingProgrammeFactory(factory.django.DjangoModelFactory):
    name = "Operační program Zaměstnanost plus"
    short_name = "OPZ+"
    kind = FunderKind.EU_2021_2027
    fund_name = "Evropský sociální fond plus"
    statement = "Spolufinancováno Evropskou unií"
    registration_number_pattern = r"CZ\.03\.\d{2}\.\d{2}/\d{2}/\d{2}_\d{3}/\d{7}"
    registration_number_example = "CZ.03.02.01/00/22_008/0000016"
    link = "https://www.esfcr.cz/"
    locale = factory.LazyFunction(_cs)

    class Meta:
        model = FundingProgramme

    class Params:
        opz = factory.Trait(
            name="Operační program Zaměstnanost",
            short_name="OPZ",
            kind=FunderKind.EU_2014_2020,
            fund_name="Evropský sociální fond",
            registration_number_pattern=r"CZ\.03\.\d\.\d{2}/0\.0/0\.0/\d{2}_\d{3}/\d{7}",
            registration_number_example="CZ.03.2.60/0.0/0.0/16_052/0009098",
        )
        acf = factory.Trait(
            name="Fondy EHP a Norska 2014–2021 – Active Citizens Fund",
            short_name="ACF",
            kind=FunderKind.ACTIVE_CITIZENS_FUND,
            fund_name="Fondy EHP a Norska",
            statement="Projekt {project} je podpořen grantem z Islandu, Lichtenštejnska a Norska v rámci Fondů EHP a Norska.",
            registration_number_pattern=r"CZ-ACTIVECITIZENS-\d{4}",
            registration_number_example="CZ-ACTIVECITIZENS-0045",
            logo=factory.SubFactory(
                wagtail_factories.ImageFactory, title="Active Citizens Fund", file__width=480, file__height=160
            ),
            logo_alt="Active Citizens Fund",
        )


class ProjectIndexPageFactory(wagtail_factories.PageFactory):
    title = "Projekty"
    slug = "projekty"

    class Meta:
        model = ProjectIndexPage


class ProjectPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Projekt {n}")
    slug = factory.Sequence(lambda n: f"projekt-{n}")
    promoter = "MAS VLTAVA, z.s."
    registration_number = "CZ.03.02.01/00/22_008/0000016"
    start_date = dt.date(2023, 1, 1)
    end_date = dt.date(2025, 12, 31)
    total_cost = Decimal("1000000")
    grant_amount = Decimal("950000")
    short_description = "Aktivizace komunity k řešení problémů."
    aims = factory.LazyFunction(lambda: [("aim", "15 lídrů komunity"), ("aim", "10 setkání")])
    expected_results = factory.LazyFunction(
        lambda: [("figure", {"number": Decimal(15), "label": "lídrů komunity", "note": ""})]
    )

    class Meta:
        model = ProjectPage
        skip_postgeneration_save = True

    @factory.post_generation
    def programmes(self, create, extracted, **kwargs):
        if create and extracted:
            self.programmes = list(extracted)
            self.save_revision().publish()
