"""Second pass of the dependency audit, for what pip-audit had to skip.

pip-audit asks PyPI for each release's vulnerability data
(`/pypi/<name>/<version>/json`). Where that answer is missing (a restricted
mirror answers 404), PyPI's project answer (`/pypi/<name>/json`) still lists
the known vulnerabilities of the project's *newest* release. For a package
pinned at its newest release that is exactly the data pip-audit would have
used, so it is checked here; packages pinned behind it are listed as not
audited, with the newest version for comparison.

Usage: audit_fallback.py <pip-audit JSON report> [--ignore-vuln ID ...]
Exit status: 1 when a known vulnerability affects a pinned release, else 0.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.request

PYPI = "https://pypi.org/pypi"
SKIPPED_VERSION = re.compile(r"\(([^()]+)\)\s*$")


def project(name: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"{PYPI}/{name}/json", timeout=20) as response:  # noqa: S310 - fixed https URL
            return json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError):
        return None


def same_version(a: str, b: str) -> bool:
    """1.0 and 1.0.0 are the same release (PEP 440), when `packaging` is at hand."""
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError:
        return a == b
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def main(argv: list[str]) -> int:
    report_path, rest = argv[0], argv[1:]
    ignored = {rest[i + 1] for i, arg in enumerate(rest[:-1]) if arg == "--ignore-vuln"}
    with open(report_path, encoding="utf-8") as handle:
        report = json.load(handle)
    skipped = [dep for dep in report["dependencies"] if dep.get("skip_reason")]
    audited, found, unaudited = 0, [], []
    for dep in skipped:
        match = SKIPPED_VERSION.search(dep["skip_reason"])
        version = match.group(1) if match else ""
        data = project(dep["name"])
        if data is None:
            unaudited.append(f"{dep['name']} {version}: PyPI did not answer")
            continue
        newest = data["info"]["version"]
        if not same_version(newest, version):
            unaudited.append(f"{dep['name']} {version}: no data for this release (newest is {newest})")
            continue
        audited += 1
        for vuln in data.get("vulnerabilities") or []:
            if vuln.get("withdrawn") or vuln["id"] in ignored or ignored.intersection(vuln.get("aliases") or []):
                continue
            fixed = ", ".join(vuln.get("fixed_in") or []) or "no fix yet"
            found.append(
                f"{dep['name']} {version}: {vuln['id']} (fixed in {fixed}) {vuln.get('summary') or ''}".strip()
            )
    print(f"audit: {len(skipped)} skipped by pip-audit; {audited} of them checked against their project's data")
    for line in found:
        print(f"audit: VULNERABLE {line}")
    for line in unaudited:
        print(f"audit: not audited: {line}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
