"""Evidence that stands on its own: the page as one HTML file, with styles and images inlined, and the zip."""

import base64
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from django.utils import timezone
from django.utils.text import slugify

from projects.publicity.rules import RULES
from projects.publicity.serving import Fetched

CSS_URL = re.compile(r"url\(\s*(['\"]?)(?!data:)([^'\")]+)\1\s*\)")


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def data_uri(fetched: Fetched) -> str:
    content_type = fetched.content_type.split(";")[0].strip() or "application/octet-stream"
    return f"data:{content_type};base64,{base64.b64encode(fetched.body).decode('ascii')}"


def _inline_css(css: str, *, base: str, fetch: Callable[[str], Fetched]) -> str:
    def replace(match):
        target = urljoin(base, match.group(2).strip())
        fetched = fetch(target)
        return f"url({data_uri(fetched)})" if fetched.status == 200 else match.group(0)

    return CSS_URL.sub(replace, css)


def standalone_html(html: str, *, page_url: str, fetch: Callable[[str], Fetched]) -> str:
    """The page with stylesheets, images and CSS resources inlined as data: URIs, and no scripts.

    It opens from a file, offline, as the page was published (the portal works
    without JavaScript, so dropping scripts changes nothing a visitor sees).
    """
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        script.decompose()
    for link in soup.find_all("link"):
        rel = [r.lower() for r in (link.get("rel") or [])]
        href = link.get("href")
        if "stylesheet" in rel and href:
            target = urljoin(page_url, href)
            fetched = fetch(target)
            if fetched.status == 200:
                style = soup.new_tag("style")
                if link.get("media"):
                    style["media"] = link["media"]
                style.string = _inline_css(fetched.body.decode("utf-8", "replace"), base=target, fetch=fetch)
                link.replace_with(style)
                continue
        if "preload" in rel or "manifest" in rel:
            link.decompose()
    for style in soup.find_all("style"):
        if style.string:
            style.string = _inline_css(style.string, base=page_url, fetch=fetch)
    for img in soup.find_all(["img", "source"]):
        for attribute in ("srcset",):
            if img.has_attr(attribute):
                del img[attribute]
        src = img.get("src")
        if src and not src.startswith("data:"):
            fetched = fetch(urljoin(page_url, src))
            if fetched.status == 200:
                img["src"] = data_uri(fetched)
    for tag in soup.find_all(style=True):
        tag["style"] = _inline_css(tag["style"], base=page_url, fetch=fetch)
    for meta in soup.find_all("meta", attrs={"http-equiv": re.compile("content-security-policy", re.I)}):
        meta.decompose()
    return str(soup)


def evidence_archive(snapshots, *, title: str, registration_number: str) -> bytes:
    """A zip of stored checks: each page's HTML as published and offline, its screenshots, results and checksums.

    `snapshots` are `PublicitySnapshot`s; the archive holds only what they store.
    """
    buffer = io.BytesIO()
    record = {"project": title, "registration_number": registration_number, "pages": []}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for snapshot in snapshots:
            stamp = timezone.localtime(snapshot.checked_at)
            base = f"{slugify(snapshot.page_title)}-{snapshot.locale}-{stamp:%Y-%m-%d-%H%M}"
            archive.writestr(f"{base}.html", snapshot.html)
            files = {f"{base}.html": snapshot.html_sha256}
            if snapshot.standalone_html:
                archive.writestr(f"{base}-offline.html", snapshot.standalone_html)
                files[f"{base}-offline.html"] = snapshot.standalone_sha256
            for shot in snapshot.screenshots.all():
                with shot.image.open("rb") as handle:
                    archive.writestr(f"{base}-{shot.viewport}.png", handle.read())
                files[f"{base}-{shot.viewport}.png"] = shot.sha256
            checks = sorted(snapshot.checks.all(), key=lambda c: (c.rule, c.viewport))
            lines = [
                f"{snapshot.page_title} ({snapshot.locale})",
                f"URL: {snapshot.url}",
                f"Checked at: {stamp:%Y-%m-%d %H:%M:%S %Z}",
                f"HTTP status: {snapshot.status_code}",
                f"Browser: {snapshot.browser or 'NOT CHECKED IN A BROWSER (HTML rules only)'}",
                "",
            ]
            lines += [f"SHA-256 {digest}  {name}" for name, digest in files.items()] + [""]
            lines += [
                f"[{'OK' if c.passed else ('FAIL' if c.in_force else 'not in force')}]"
                f"{f' [{c.viewport}]' if c.viewport else ''} {RULES.get(c.rule, c.rule)} — {c.reason} ({c.source})"
                for c in checks
            ]
            archive.writestr(f"{base}-result.txt", "\n".join(lines) + "\n")
            record["pages"].append(
                {
                    "title": snapshot.page_title,
                    "language": snapshot.locale,
                    "url": snapshot.url,
                    "checked_at": snapshot.checked_at.isoformat(),
                    "html_file": f"{base}.html",
                    "browser": snapshot.browser or None,
                    "files_sha256": files,
                    "results": [
                        {
                            "rule": c.rule,
                            "label": str(RULES.get(c.rule, c.rule)),
                            "passed": c.passed,
                            "reason": c.reason,
                            "source": c.source,
                            "severity": c.severity,
                            "in_force": c.in_force,
                            "viewport": c.viewport,
                            "browser": c.browser,
                        }
                        for c in checks
                    ],
                    "passed": all(c.passed for c in checks),
                }
            )
        archive.writestr("evidence.json", json.dumps(record, ensure_ascii=False, indent=2))
    return buffer.getvalue()
