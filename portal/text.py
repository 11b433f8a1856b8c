"""Small text helpers shared by the apps."""

from django.http import QueryDict


def printable(value: str | None) -> str:
    """A user-typed value without control characters (a NUL byte cannot reach the database), stripped."""
    return "".join(ch for ch in (value or "") if ch.isprintable()).strip()


def printable_query(query: QueryDict) -> QueryDict:
    """The query without the parameters whose name or value has control
    characters: what may be put in a link or looked up in the database."""
    kept = QueryDict(mutable=True)
    for key, values in query.lists():
        values = [value for value in values if value.isprintable()]
        if key.isprintable() and values:
            kept.setlist(key, values)
    return kept
