"""Small text helpers shared by the apps."""


def printable(value: str | None) -> str:
    """A user-typed value without control characters (a NUL byte cannot reach the database), stripped."""
    return "".join(ch for ch in (value or "") if ch.isprintable()).strip()
