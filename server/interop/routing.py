"""A route class for the interop APIs: their errors answered in the API's own form."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from geo.errors import GeoInputError
from server.errors import DomainError

CAUGHT = (DomainError, GeoInputError, RequestValidationError, StarletteHTTPException)


class GuardedRoute(APIRoute):
    """A route whose errors (those the app's handlers would answer) are answered by
    `answer` instead, in the form the interop standard asks for."""

    def answer(self, request: Request, exc: Exception) -> Response:
        raise NotImplementedError

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except CAUGHT as exc:
                return self.answer(request, exc)

        return guarded
