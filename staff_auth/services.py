"""Writes for the staff's second factor: authenticator apps (TOTP) and
recovery codes (django-otp's static tokens).

A staff member has at most one confirmed authenticator and one set of
recovery codes. Every code is checked against one device chosen by its
shape (six digits: the authenticator; anything else: a recovery code), so
that a wrong code never counts against a device it was not meant for.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_CODES_NAME = "recovery codes"
_AUTHENTICATOR_CODE = re.compile(r"^\d{6}$")


class SecondFactorError(Exception):
    """A code was refused; `code` says why ("invalid" or "throttled")."""

    def __init__(self, message: str = "", *, code: str = "invalid", retry_after: int | None = None):
        super().__init__(message or code)
        self.code = code
        self.retry_after = retry_after


def normalise_code(raw: str) -> str:
    """The code as typed, without spaces and dashes, in lower case."""
    return re.sub(r"[\s-]", "", raw or "").lower()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def authenticator_key_new() -> str:
    """A new secret for an authenticator being set up. Nothing is stored: the
    set-up page keeps it in the person's session until a code confirms it."""
    return default_key()


def authenticator_unconfirmed(*, user, key: str) -> TOTPDevice:
    """The authenticator being set up with `key`, not stored (for its QR code)."""
    return TOTPDevice(user=user, name=AUTHENTICATOR_NAME, key=key, confirmed=False)


def authenticator_confirm(*, user, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Store the authenticator with `key` once a code it shows is right: it
    replaces any earlier one, and a fresh set of recovery codes is made (returned)."""
    with transaction.atomic():
        device = authenticator_unconfirmed(user=user, key=key)
        # verify_token() saves the device; a wrong code rolls that back.
        if not device.verify_token(normalise_code(code)):
            raise SecondFactorError(code="invalid")
        TOTPDevice.objects.devices_for_user(user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_renew(user=user)
    return device, codes


def recovery_codes_renew(*, user) -> list[str]:
    """Replace the user's recovery codes with new ones (each works once)."""
    with transaction.atomic():
        StaticDevice.objects.devices_for_user(user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_verify(*, user, code: str) -> Device:
    """The device that accepts `code` for `user`; raises SecondFactorError.

    Six digits go to the authenticator, anything else to the recovery codes.
    Each device slows down repeated failures (1, 2, 4, 8... seconds).
    """
    code = normalise_code(code)
    if not code:
        raise SecondFactorError(code="invalid")
    model = TOTPDevice if _AUTHENTICATOR_CODE.match(code) else StaticDevice
    devices = list(model.objects.devices_for_user(user, confirmed=True).order_by("pk"))
    for device in devices:
        allowed, extra = device.verify_is_allowed()
        if not allowed:
            locked_until = (extra or {}).get("locked_until")
            retry_after = None
            if locked_until is not None:
                retry_after = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
            raise SecondFactorError(code="throttled", retry_after=retry_after)
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    raise SecondFactorError(code="invalid")


def second_factor_reset(*, user) -> int:
    """Remove every second-factor device of `user` (a lost phone): they set up
    a new authenticator at their next sign-in. Returns how many were removed."""
    removed = 0
    with transaction.atomic():
        for model in (TOTPDevice, StaticDevice):
            _total, per_model = model.objects.devices_for_user(user, confirmed=None).delete()
            removed += per_model.get(model._meta.label, 0)
    return removed
