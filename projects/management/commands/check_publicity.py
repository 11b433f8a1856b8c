"""Check every live funded page against the funders' publicity rules. Exits 1 on any failure.

Run it daily (cron) so the stored history shows compliance over time.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from projects.publicity import RULES, run_publicity_check


class Command(BaseCommand):
    help = (
        "Apply the publicity rules to every live funded project and event page, store the results, exit 1 on failure."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--quiet", action="store_true", help="Print failures only.")

    def handle(self, *args, **options):
        snapshots = run_publicity_check()
        failures = [(s, r) for s in snapshots for r in s.results if not r.passed]
        if options["format"] == "json":
            payload = {
                "checked_pages": len(snapshots),
                "failures": len(failures),
                "passed": not failures,
                "pages": [
                    {
                        "page_id": s.page_id,
                        "title": s.page_title,
                        "language": s.locale,
                        "url": s.url,
                        "checked_at": s.checked_at.isoformat(),
                        "results": [{**r.as_dict(), "label": str(RULES.get(r.rule, r.rule))} for r in s.results],
                    }
                    for s in snapshots
                ],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            for snapshot in snapshots:
                bad = [r for r in snapshot.results if not r.passed]
                if options["quiet"] and not bad:
                    continue
                mark = "FAIL" if bad else "ok"
                self.stdout.write(f"{mark:4} {snapshot.locale} {snapshot.url} ({snapshot.page_title})")
                for result in snapshot.results:
                    if options["quiet"] and result.passed:
                        continue
                    self.stdout.write(f"     {'ok  ' if result.passed else 'FAIL'} {result.rule}: {result.reason}")
            summary = f"{len(snapshots)} page(s) checked, {len(failures)} failed rule(s)."
            self.stdout.write(self.style.ERROR(summary) if failures else self.style.SUCCESS(summary))
        if failures:
            raise CommandError("publicity check failed", returncode=1)
