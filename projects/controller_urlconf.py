"""The controller's view as a URLconf of its own, without language prefixes.

Its views name it as the request's URLconf, so a 404 of the controller's view
(a wrong token, an unknown language, a file not offered) stays a 404: Django's
LocaleMiddleware would otherwise redirect it into the language-prefixed page
tree, where Wagtail's catch-all pattern matches any address.
"""

from django.urls import include, path

urlpatterns = [path("kontrola/", include("projects.controller_urls"))]
