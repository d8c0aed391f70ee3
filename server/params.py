"""Request parameters several domains take, as Annotated aliases."""

from typing import Annotated

from fastapi import Header, Path

IdemKey = Annotated[str | None, Header(alias="Idempotency-Key")]
IfMatch = Annotated[str | None, Header(alias="If-Match")]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def etag_tags(header: str | None) -> list[str]:
    """The entity tags an If-Match or If-None-Match header lists, as sent (quotes kept),
    without the W/ of a weak tag (a proxy may add it); `*` stays `*`.

    >>> etag_tags('"a", W/"b",'), etag_tags("*"), etag_tags(None)
    (['"a"', '"b"'], ['*'], [])
    """
    return [t.strip().removeprefix("W/") for t in (header or "").split(",") if t.strip()]
