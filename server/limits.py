"""Refuse oversized request bodies before they are read (413 problem+json)."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import problem

MAX_BODY_BYTES = 2 * 1024 * 1024
# Larger allowances by exact path: a phone photo (10 MiB) plus multipart overhead.
PATH_LIMITS = {"/api/uploads": 12 * 1024 * 1024}


class BodyLimit:
    """Pure ASGI middleware: a declared or streamed body over `limit` bytes gets 413."""

    def __init__(self, app: ASGIApp, *, limit: int = MAX_BODY_BYTES,
                 per_path: dict[str, int] | None = None) -> None:
        self.app, self.default = app, limit
        self.per_path = PATH_LIMITS if per_path is None else per_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.per_path.get(scope.get("path", ""), self.default)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        seen, refused = 0, False

        async def counted() -> Message:
            nonlocal seen, refused
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                refused = True
                raise _TooLarge
            return message

        async def held(message: Message) -> None:
            if not refused:  # once refused, the app's own error reply is replaced
                await send(message)

        try:
            await self.app(scope, counted, held)
        except _TooLarge:
            pass
        if refused:
            await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        mib = limit / 1024 / 1024
        response = problem(None, status=413, code="payload_too_large",
                           zh=f"请求内容过大（上限 {mib:g} MB）",
                           en=f"The request body is too large (limit {mib:g} MB)")
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass
