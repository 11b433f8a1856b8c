"""The controller's view: /kontrola/<token>/, outside the language-prefixed page tree (portal/urls.py).

The page is in the default language; /kontrola/<token>/<language>/ in another one.
"""

from django.urls import path

from projects import controller_views as views

app_name = "controller"

urlpatterns = [
    path("<str:token>/", views.controller_page, name="page"),
    path("<str:token>/dukazy/<int:evidence_id>/", views.controller_evidence, name="evidence"),
    path("<str:token>/snimky/<int:screenshot_id>/", views.controller_screenshot, name="screenshot"),
    path("<str:token>/stranky/<int:snapshot_id>/", views.controller_snapshot, name="snapshot"),
    path("<str:token>/balicek/", views.controller_pack, name="pack"),
    path("<str:token>/<str:language>/", views.controller_page, name="page_in"),
    path("<str:token>/<str:language>/balicek/", views.controller_pack, name="pack_in"),
]
