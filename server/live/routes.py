"""WebSocket /ws/live: authenticate, subscribe to the hub, forward."""

import asyncio
import contextlib
from typing import Annotated

import orjson
from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect

from server.auth.service import decode_token, load_principal
from server.errors import DomainError

router = APIRouter(tags=["live"])
POLICY_VIOLATION = 4401


@router.websocket("/ws/live")
async def live(ws: WebSocket, token: Annotated[str | None, Query()] = None,
               since: Annotated[int | None, Query(ge=0)] = None) -> None:
    """The live feed: events with seq (resumable with since) and coalesced positions."""
    app = ws.app
    try:
        user_id = decode_token(token=token or "", settings=app.state.settings)
        async with app.state.sessionmaker() as db:
            principal = await load_principal(db=db, user_id=user_id, settings=app.state.settings)
    except DomainError as exc:
        await ws.close(code=POLICY_VIOLATION, reason=exc.message_en)
        return
    await ws.accept()
    scope = None if principal.sees_everything else frozenset(principal.grid_ids)

    async def forward() -> None:
        async for msg in app.state.hub.subscribe(scope=scope, since=since):
            await ws.send_text(orjson.dumps(msg).decode())

    async def until_closed() -> None:
        while (await ws.receive())["type"] != "websocket.disconnect":
            pass

    tasks = [asyncio.create_task(forward()), asyncio.create_task(until_closed())]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for t in pending:
        t.cancel()
    for t in (*done, *pending):
        with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
            await t
