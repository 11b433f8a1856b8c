"""The controller's view: a read-only page a funder's controller opens with a link, without an account.

Every answer is private and not kept by any cache, is not indexed, and sends
no referrer (the token is in the address). Only GET and HEAD: anything else is
405, before the token is even looked up. A wrong token counts against the
visitor's address (portal.ratelimit); past the limit every token gets 429
for the rest of the window. An expired or revoked link, or a wrong token,
gets a page that says so and nothing of the project.
"""

import functools
from collections.abc import Callable

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.ratelimit import RateLimit, attempts, count_attempt
from projects import services
from projects.forms import EvidencePackForm
from projects.publicity import controller
from projects.publicity.pack import evidence_pack, pack_filename

RATE_SCOPE = "controller-link"
URLCONF = "projects.controller_urlconf"


def _rate() -> RateLimit:
    limit, window = getattr(settings, "CONTROLLER_LINK_RATE_LIMIT", (20, 3600))
    return RateLimit(limit=limit, window=window)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private, max-age=0"
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _language(code: str | None) -> str | None:
    """A language the site speaks, or None."""
    code = code or settings.LANGUAGE_CODE
    return code if code in dict(settings.LANGUAGES) else None


def _refusal(request: HttpRequest, *, language: str, state: str, status: int) -> HttpResponse:
    with translation.override(language):
        response = render(
            request,
            "projects/controller/refused.html",
            {"state": state, "LANGUAGE_CODE": language},
            status=status,
        )
    return _private(response)


def with_link(view: Callable) -> Callable:
    """Resolve the token to an open link (or refuse), then call `view(request, link, language, **kwargs)`."""

    @csrf_exempt  # GET and HEAD only: nothing here changes on a form's behalf
    @require_http_methods(["GET", "HEAD"])
    @functools.wraps(view)
    def wrapped(request: HttpRequest, token: str, *args, language: str | None = None, **kwargs) -> HttpResponse:
        request.urlconf = URLCONF  # a 404 here is final (see projects/controller_urlconf.py)
        language = _language(language)
        if language is None:
            raise Http404
        rate = _rate()
        if rate.limit and attempts(request, scope=RATE_SCOPE) >= rate.limit:
            return _refusal(request, language=language, state="limited", status=429)
        link, state = controller.controller_link_for(token)
        if link is None or not controller.is_open(state):
            if link is None:
                count_attempt(request, scope=RATE_SCOPE, rate=rate)
            return _refusal(request, language=language, state=state, status=404)
        with translation.override(language):
            response = view(request, link, language, *args, **kwargs)
        return _private(response)

    return wrapped


def _page(request: HttpRequest, link, language: str, *, pack_form: EvidencePackForm, status: int = 200):
    services.controller_link_opened(link=link)
    context = controller.controller_page(link=link, language=language, page_number=request.GET.get("strana"))
    token = request.resolver_match.kwargs["token"]
    context.update(
        {
            "token": token,
            "LANGUAGE_CODE": language,
            "language_links": [(code, name, controller.page_address(token, code)) for code, name in settings.LANGUAGES],
            "page_address": controller.page_address(token, language),
            "pack_address": controller.page_address(token, language) + "balicek/",
            "pack_form": pack_form,
        }
    )
    return render(request, "projects/controller/page.html", context, status=status)


@with_link
def controller_page(request: HttpRequest, link, language: str) -> HttpResponse:
    """The project's facts, obligations and evidence, the check history with screenshots, and the cited rules."""
    today = timezone.localdate()
    project_start = link.project.start_date
    initial = {
        "period_start": project_start if project_start and project_start <= today else today,
        "period_end": today,
    }
    return _page(request, link, language, pack_form=EvidencePackForm(initial=initial))


def _file(field_file, *, content_type: str | None = None, filename: str, as_attachment: bool) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404(_("The file is missing from the media storage.")) from error
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename)
    if content_type:
        response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@with_link
def controller_evidence(request: HttpRequest, link, language: str, evidence_id: int) -> HttpResponse:
    """A file of the project's evidence, as a download."""
    evidence = controller.evidence_of(link, evidence_id)
    if evidence is None:
        raise Http404
    return _file(evidence.file, filename=evidence.file.name.rsplit("/", 1)[-1], as_attachment=True)


@with_link
def controller_screenshot(request: HttpRequest, link, language: str, screenshot_id: int) -> HttpResponse:
    """A stored full-page screenshot of one of the project's pages."""
    shot = controller.screenshot_of(link, screenshot_id)
    if shot is None:
        raise Http404
    return _file(
        shot.image,
        content_type="image/png",
        filename=f"{shot.snapshot_id}-{shot.viewport}.png",
        as_attachment=False,
    )


@with_link
def controller_snapshot(request: HttpRequest, link, language: str, snapshot_id: int) -> HttpResponse:
    """A checked page as the visitor saw it, self-contained; sandboxed: no script runs, nothing is fetched."""
    snapshot = controller.snapshot_of(link, snapshot_id)
    if snapshot is None:
        raise Http404
    response = HttpResponse(snapshot.standalone_html or snapshot.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline' data:; font-src data:"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@with_link
def controller_pack(request: HttpRequest, link, language: str) -> HttpResponse:
    """The evidence pack of a period, as staff download it, without the files of the documents for participants."""
    form = EvidencePackForm(request.GET)
    if not form.is_valid():
        return _page(request, link, language, pack_form=form, status=400)
    project = controller.project_in(link, language)
    start, end = form.cleaned_data["period_start"], form.cleaned_data["period_end"]
    archive = evidence_pack(project=project, start=start, end=end, language=language)
    return FileResponse(
        archive,
        as_attachment=True,
        filename=pack_filename(project=project, start=start, end=end),
        content_type="application/zip",
    )
