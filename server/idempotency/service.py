"""Idempotency-Key: the first response to a key is stored with the change it made, in the
same transaction; a retry gets that response again, a different body under the same key
is refused."""

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import Conflict, InvalidInput
from server.idempotency.models import IdempotencyKey

MAX_KEY = 120
Work = Callable[[], Awaitable[BaseModel]]


def body_hash(body: Any) -> str:
    """A stable hash of the request body."""
    raw = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    return hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False,
                                     default=str).encode()).hexdigest()


async def run(*, db: AsyncSession, scope: str, key: str | None, body: Any, work: Work,
              status_code: int = 200) -> JSONResponse:
    """Do `work` once per (scope, key) and commit; replay the stored answer on a retry."""
    if key is None:
        result = await work()
        await db.commit()
        return JSONResponse(result.model_dump(mode="json"), status_code=status_code)
    if not key or len(key) > MAX_KEY:
        raise InvalidInput("Idempotency-Key 长度应为 1 到 120 个字符",
                           "Idempotency-Key must be 1 to 120 characters",
                           code="bad_idempotency_key", field="Idempotency-Key")
    digest = body_hash(body)
    await db.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s), hashtext(:k))"),
                     {"s": scope, "k": key})
    seen = await db.get(IdempotencyKey, (scope, key))
    if seen is not None:
        same, status, stored = seen.request_hash == digest, seen.status_code, seen.body
        await db.rollback()
        if not same:
            raise Conflict("同一个 Idempotency-Key 已用于内容不同的请求",
                           "This Idempotency-Key was already used with a different body",
                           code="idempotency_key_reused")
        return JSONResponse(stored, status_code=status,
                            headers={"Idempotent-Replayed": "true"})
    result = await work()
    payload = result.model_dump(mode="json")
    db.add(IdempotencyKey(scope=scope, key=key, request_hash=digest,
                          status_code=status_code, body=payload))
    await db.commit()
    return JSONResponse(payload, status_code=status_code)
