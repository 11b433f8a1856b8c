"""A generation counter for the cached header disclosure and funders' bar: a publish bumps it."""

from django.core.cache import cache

KEY = "projects:publicity-generation"
TIMEOUT = 60 * 10


def generation() -> int:
    value = cache.get(KEY)
    if value is None:
        value = 1
        cache.set(KEY, value, None)
    return value


def bump() -> None:
    try:
        cache.incr(KEY)
    except ValueError:
        cache.set(KEY, 2, None)


def key(name: str, *parts: object) -> str:
    return ":".join(["projects", name, str(generation()), *map(str, parts)])
