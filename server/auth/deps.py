"""Dependencies that read the bearer token and check roles."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from server.auth.schemas import Principal
from server.auth.service import decode_token, load_principal
from server.db import DbDep
from server.errors import Forbidden, Unauthorized
from server.settings import Settings

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)
NO_TOKEN = Unauthorized("请先登录", "Please log in first", code="no_token",
                        headers={"WWW-Authenticate": "Bearer"})


def get_settings_dep(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def current_user(request: Request, db: DbDep, settings: SettingsDep,
                       token: Annotated[str | None, Depends(oauth2)]) -> Principal:
    """The authenticated caller (401 without a valid token)."""
    token = token or request.query_params.get("token")
    if not token:
        raise NO_TOKEN
    user_id = decode_token(token=token, settings=settings)
    return await load_principal(db=db, user_id=user_id, settings=settings)


CurrentUser = Annotated[Principal, Depends(current_user)]


def require_roles(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets only the given roles through (403 otherwise)."""

    async def check(user: CurrentUser) -> Principal:
        if user.role not in roles:
            raise Forbidden("您的角色无权访问此功能", f"The role '{user.role}' may not do this",
                            code="role_forbidden")
        return user

    return check


CenterUser = Annotated[Principal, Depends(require_roles("admin", "operator"))]
