"""Registration URLs, under /<lang>/registrations/ (outside the page tree)."""

from django.urls import path

from events.registrations import views

app_name = "registrations"

urlpatterns = [
    path("event/<int:page_id>/", views.register, name="register"),
    path("status/<str:token>/", views.status, name="status"),
    path("cancel/<str:token>/", views.cancel, name="cancel"),
    path("resend/", views.resend, name="resend"),
    path("resend/done/", views.resent, name="resent"),
]
