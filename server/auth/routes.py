"""HTTP routes of authentication."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from server.auth.deps import CurrentUser, SettingsDep
from server.auth.schemas import Me, Token
from server.auth.service import authenticate, describe, issue_token
from server.db import DbDep
from server.errors import DomainError

router = APIRouter(prefix="/api", tags=["auth"])


@router.post("/auth/token", response_model=Token)
async def login(request: Request, db: DbDep, settings: SettingsDep,
                form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    """Exchange a username and password for a bearer token."""
    limiter = request.app.state.login_limiter
    limiter.check(form.username)
    try:
        user = await authenticate(db=db, username=form.username, password=form.password,
                                  settings=settings)
    except DomainError:
        limiter.fail(form.username)
        raise
    return Token(access_token=issue_token(user=user, settings=settings), role=user.role,
                 username=user.username, display_name=user.display_name)


@router.get("/me", response_model=Me)
async def me(db: DbDep, user: CurrentUser) -> Me:
    """The caller, their grids and their home grid's extent."""
    return await describe(db=db, principal=user)
