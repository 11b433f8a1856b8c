"""Build (or bring up to date) the demo site in Czech and English. Safe to run again."""

from importlib import import_module

from django.core.management.base import BaseCommand

from home.demo import ensure_demo_admin, load_home

# Each app contributes its own part, in this order (events may link to projects).
APP_LOADERS = ["projects.demo", "events.demo", "events.registration_demo"]


class Command(BaseCommand):
    help = "Load the demo content: home page, standard pages, projects and events in cs and en (idempotent)."

    def handle(self, *args, **options):
        homes = load_home()
        self.stdout.write("home pages: " + ", ".join(f"{code} {page.url_path}" for code, page in homes.items()))
        for module_name in APP_LOADERS:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue
            summary = module.load(homes=homes)
            self.stdout.write(f"{module_name}: {summary}")
        if ensure_demo_admin():
            self.stdout.write("demo admin created: admin / changeme")
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
