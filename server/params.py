"""Request parameters several domains take, as Annotated aliases."""

from typing import Annotated

from fastapi import Header, Path

IdemKey = Annotated[str | None, Header(alias="Idempotency-Key")]
IfMatch = Annotated[str | None, Header(alias="If-Match")]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
