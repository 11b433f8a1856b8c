"""URLs of this app that live outside the page tree (under the language prefix)."""

urlpatterns: list = []
