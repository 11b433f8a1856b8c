"""Check every live funded page against the funders' publicity rules. Exits 1 on any failure.

The worker runs the same check daily, so the stored history shows compliance
over time. Pages are measured in headless Chromium where it is installed
(Debian's `chromium`); without it the HTML rules run alone, and every result
says that the page was not checked in a browser.
"""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from projects.publicity import run_publicity_check


class Command(BaseCommand):
    help = (
        "Apply the publicity rules to every live funded project and event page, in a browser where one is "
        "installed, store the results and evidence, exit 1 on failure."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--quiet", action="store_true", help="Print failures only.")
        parser.add_argument(
            "--no-browser", action="store_true", help="Check the HTML only, without Chromium (every result says so)."
        )
        parser.add_argument("--strict", action="store_true", help="Also exit 1 when a house rule fails.")

    def handle(self, *args, **options):
        started = time.monotonic()
        snapshots = run_publicity_check(browser=not options["no_browser"])
        elapsed = time.monotonic() - started
        failures = [(s, r) for s in snapshots for r in s.results if r.failed]
        warnings = [(s, r) for s in snapshots for r in s.results if r.warning]
        browsers = sorted({s.browser for s in snapshots if s.browser})
        no_browser = sorted({s.no_browser_reason for s in snapshots if s.no_browser_reason})
        if options["format"] == "json":
            payload = {
                "checked_pages": len(snapshots),
                "failures": len(failures),
                "warnings": len(warnings),
                "passed": not failures,
                "browser": browsers[0] if browsers else None,
                "no_browser_reason": no_browser[0] if no_browser else None,
                "seconds": round(elapsed, 1),
                "pages": [
                    {
                        "page_id": s.page_id,
                        "title": s.page_title,
                        "language": s.locale,
                        "url": s.url,
                        "checked_at": s.checked_at.isoformat(),
                        "browser": s.browser or None,
                        "html_sha256": s.html_sha256,
                        "snapshot_sha256": s.standalone_sha256,
                        "screenshots": [
                            {"viewport": shot.viewport, "sha256": shot.sha256, "file": shot.image.name}
                            for shot in s.screenshots.all()
                        ],
                        "results": [r.as_dict() for r in s.results],
                    }
                    for s in snapshots
                ],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            if no_browser:
                self.stdout.write(self.style.WARNING(f"NOT CHECKED IN A BROWSER: {no_browser[0]}. HTML rules only."))
            elif browsers:
                self.stdout.write(f"Browser: {browsers[0]}")
            for snapshot in snapshots:
                bad = [r for r in snapshot.results if r.failed or r.warning]
                if options["quiet"] and not bad:
                    continue
                mark = "FAIL" if any(r.failed for r in bad) else ("warn" if bad else "ok")
                self.stdout.write(f"{mark:4} {snapshot.locale} {snapshot.url} ({snapshot.page_title})")
                for item in snapshot.results:
                    if options["quiet"] and not (item.failed or item.warning):
                        continue
                    if item.passed:
                        label = "ok  "
                    elif not item.in_force:
                        label = "n/f "  # failed, but the obligation is not in force
                    else:
                        label = "FAIL" if item.failed else "warn"
                    where = f" [{item.viewport}]" if item.viewport else ""
                    self.stdout.write(f"     {label} {item.rule}{where}: {item.reason} ({item.source})")
            summary = (
                f"{len(snapshots)} page(s) checked in {elapsed:.1f} s, {len(failures)} failed rule(s), "
                f"{len(warnings)} house-rule warning(s)."
            )
            self.stdout.write(self.style.ERROR(summary) if failures else self.style.SUCCESS(summary))
        if failures or (options["strict"] and warnings):
            raise CommandError("publicity check failed", returncode=1)
