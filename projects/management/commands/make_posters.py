"""Write the A3 poster (PDF) and the screen poster (PNG) of every live funded project, in every language.

    python manage.py make_posters --output DIR [--language cs] [--format pdf|png|both]

The files are named poster-<page slug>-<language>-a3.pdf and …-screen.png. A
project whose poster can not be made yet (no logo of its mechanism, no site)
is named with the reason, and the command then exits 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.publicity.poster import A3, SCREEN, PosterError, poster_filename, posters_to_make, project_poster

FORMATS = {"pdf": (A3,), "png": (SCREEN,), "both": (A3, SCREEN)}


class Command(BaseCommand):
    help = "Write the A3 PDF poster and the 1920×1080 PNG screen poster of every live funded project."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The folder to write the posters to (made if missing).")
        parser.add_argument(
            "--language", action="append", dest="languages", help="Only pages in this language (repeatable)."
        )
        parser.add_argument("--format", choices=sorted(FORMATS), default="both")

    def handle(self, *args, **options):
        folder = Path(options["output"])
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Can not write to {folder}: {error}") from error
        projects = posters_to_make(languages=options["languages"])
        failed = []
        written = 0
        for project in projects:
            for kind in FORMATS[options["format"]]:
                name = poster_filename(project=project, kind=kind)
                try:
                    data = project_poster(project=project, kind=kind)
                except PosterError as error:
                    failed.append(project)
                    self.stderr.write(f"{project.title} ({project.locale.language_code}): {error}")
                    break
                (folder / name).write_bytes(data)
                written += 1
                self.stdout.write(f"{folder / name}  {len(data) // 1024} kB")
        self.stdout.write(f"{written} posters of {len(projects) - len(failed)} project pages written to {folder}")
        if failed:
            raise CommandError(f"{len(failed)} project pages have no poster yet (see above).")
