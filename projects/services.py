"""Business rules for projects: what a funded project needs before it may be published."""

from collections.abc import Iterable
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from projects.models import FundingProgramme, placeholder_reason


class ProjectError(Exception):
    """A project can not be published as it is."""


def _has_content(stream: Any) -> bool:
    """True when a StreamField value (or raw list) has at least one non-empty block."""
    if not stream:
        return False
    for child in stream:
        value = getattr(child, "value", child)
        if hasattr(value, "source"):  # RichText
            value = value.source
        if isinstance(value, dict) or hasattr(value, "items"):
            if any(str(v).strip() for v in dict(value).values() if v is not None):
                return True
        elif str(value or "").strip():
            return True
    return False


def project_publication_problems(
    *,
    programmes: Iterable[FundingProgramme],
    registration_number: str,
    short_description: str,
    aims: Any,
    expected_results: Any,
    achieved_results: Any,
) -> dict[str, str]:
    """The fields a funded project still lacks, each with a message naming it. Empty when publishable."""
    programmes = list(programmes)
    if not programmes:
        return {}
    problems: dict[str, str] = {}
    number = (registration_number or "").strip()
    if not number:
        problems["registration_number"] = str(
            _("A funded project needs its registration number before it can be published.")
        )
    elif placeholder_reason(number):
        problems["registration_number"] = placeholder_reason(number)
    else:
        for programme in programmes:
            if not programme.registration_number_matches(number):
                example = programme.registration_number_example or programme.registration_number_pattern
                problems["registration_number"] = str(
                    format_lazy(
                        _(
                            "The registration number “{number}” does not match the pattern of {programme} (e.g. {example})."
                        ),
                        number=number,
                        programme=programme.name,
                        example=example,
                    )
                )
                break
    if not (short_description or "").strip():
        problems["short_description"] = str(
            _("A funded project needs a short description (stručný popis) before it can be published.")
        )
    if not _has_content(aims):
        problems["aims"] = str(_("A funded project needs at least one aim before it can be published."))
    if not _has_content(expected_results) and not _has_content(achieved_results):
        problems["expected_results"] = str(
            _("A funded project needs expected or achieved results before it can be published.")
        )
    return problems


def project_check_publishable(*, project) -> None:
    """Raise ProjectError naming every missing field of a funded project."""
    problems = project_publication_problems(
        programmes=list(project.programmes.all()),
        registration_number=project.registration_number,
        short_description=project.short_description,
        aims=project.aims,
        expected_results=project.expected_results,
        achieved_results=project.achieved_results,
    )
    if problems:
        raise ProjectError(" ".join(problems.values()))
