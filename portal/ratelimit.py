"""Per-address rate limits, counted in the shared cache.

Used by the registration forms and the password form of password-protected
pages. A visitor's address is only ever used hashed (with the secret key) as
a cache key that expires with the window; it is never stored in the database.
A cache outage never stops a request: the limit is then not enforced.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger("portal.ratelimit")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` counted requests per address per `window` seconds (0: no limit)."""

    limit: int
    window: int


def client_ip(request: HttpRequest) -> str:
    """The visitor's address.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies that each append to
    X-Forwarded-For, the client is that many entries from the right; any
    entries further left were supplied by the client and are not trusted.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def address_in(address: str, networks: Iterable[Network]) -> bool:
    """Whether `address` (IPv4-mapped IPv6 counts as IPv4) is in one of `networks`."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    ip = getattr(ip, "ipv4_mapped", None) or ip  # ::ffff:192.0.2.1 is 192.0.2.1
    return any(ip in network for network in networks)


def _key(request: HttpRequest, scope: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip(request)}".encode()).hexdigest()[:32]
    return f"portal:ratelimit:{scope}:{digest}"


def attempts(request: HttpRequest, *, scope: str) -> int:
    """How many requests from this address were counted in `scope`'s current window."""
    try:
        return int(cache.get(_key(request, scope)) or 0)
    except Exception:  # noqa: BLE001 - a cache outage must not stop the request
        logger.warning("Rate limit could not be read", exc_info=True)
        return 0


def count_attempt(request: HttpRequest, *, scope: str, rate: RateLimit) -> int:
    """Count one request from this address in `scope`; returns the count so far
    in the window (which starts with the first counted request)."""
    key = _key(request, scope)
    try:
        if cache.add(key, 1, timeout=rate.window):
            return 1
        # None when the cache ignored an outage (django-redis IGNORE_EXCEPTIONS).
        return cache.incr(key) or 0
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=rate.window)
        return 1
    except Exception:  # noqa: BLE001 - a cache outage must not stop the request
        logger.warning("Rate limit could not be counted", exc_info=True)
        return 0


def over_limit(request: HttpRequest, *, scope: str, rate: RateLimit, exempt: Iterable[Network] = ()) -> bool:
    """Count this request; True when it goes over the limit."""
    if not rate.limit or address_in(client_ip(request), exempt):
        return False
    return count_attempt(request, scope=scope, rate=rate) > rate.limit
