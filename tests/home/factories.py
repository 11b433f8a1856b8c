import wagtail_factories

from home.models import StandardPage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = "Stránka"
    summary = "Shrnutí"
    live = True

    class Meta:
        model = StandardPage
