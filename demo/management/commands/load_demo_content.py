"""Build (or bring up to date) the demo site in Czech and English, and in part in Ukrainian. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand

from demo import attendance, centre, events, library, projects, registrations, ukrainian, website


class Command(BaseCommand):
    help = (
        "Load the demo content: home page, standard pages, projects and events in cs and en, part in uk (idempotent)."
    )

    def handle(self, *args, **options):
        homes = centre.load_home()
        self.stdout.write("home pages: " + ", ".join(f"{code} {page.url_path}" for code, page in homes.items()))
        # In this order: events may belong to projects, registrations need the events' dates, and attendance
        # needs the registrations (it counts the projects' results last).
        self.stdout.write(f"projects: {projects.load(homes=homes)}")
        self.stdout.write(f"events: {events.load(homes=homes)}")
        ukrainian_enabled = ukrainian.LANGUAGE in dict(settings.LANGUAGES)
        if ukrainian_enabled:
            self.stdout.write(f"Ukrainian: {ukrainian.load(homes=homes)}")
        self.stdout.write(f"registrations: {registrations.load(homes=homes)}")
        self.stdout.write(f"attendance: {attendance.load(homes=homes)}")
        self.stdout.write(f"website: {website.load(homes=homes)}")
        if ukrainian_enabled:
            self.stdout.write(f"Ukrainian: {ukrainian.load_contact(homes=homes)}")
        self.stdout.write(f"documents and donations: {library.load(homes=homes)}")
        if centre.ensure_demo_admin():
            self.stdout.write("demo admin created: admin / changeme")
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
