"""Factories for the website app (wagtail-factories)."""

import datetime as dt

import factory
import wagtail_factories

from website.models import NewsIndexPage, NewsPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "Aktuality"
    slug = "aktuality"
    intro = "Co je nového."
    live = True

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Zpráva {n}")
    slug = factory.Sequence(lambda n: f"zprava-{n}")
    summary = "Krátké shrnutí zprávy."
    date = factory.LazyFunction(dt.date.today)
    live = True

    class Meta:
        model = NewsPage
        skip_postgeneration_save = True

    @factory.post_generation
    def tag_names(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(list(extracted))
            self.save_revision().publish()
