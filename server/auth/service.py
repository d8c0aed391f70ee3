"""Logins, tokens and the caller's grid scope."""

import time
from collections import defaultdict, deque
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.models import User
from server.auth.passwords import verify_password
from server.auth.schemas import Home, Me, Principal
from server.errors import TooManyRequests, Unauthorized
from server.settings import Settings

ALGORITHM = "HS256"
BAD_LOGIN = Unauthorized("用户名或密码错误", "Wrong username or password", code="bad_login",
                         headers={"WWW-Authenticate": "Bearer"})


class LoginLimiter:
    """At most `limit` failed logins per username within `window` seconds (per process)."""

    def __init__(self, *, limit: int = 10, window: float = 300.0) -> None:
        self.limit, self.window = limit, window
        self.failures: dict[str, deque[float]] = defaultdict(deque)

    def check(self, username: str) -> None:
        q = self.failures[username]
        while q and q[0] < time.monotonic() - self.window:
            q.popleft()
        if len(q) >= self.limit:
            raise TooManyRequests("登录失败次数过多，请5分钟后再试",
                                  "Too many failed logins; try again in 5 minutes",
                                  headers={"Retry-After": str(int(self.window))})

    def fail(self, username: str) -> None:
        self.failures[username].append(time.monotonic())


async def authenticate(*, db: AsyncSession, username: str, password: str,
                       settings: Settings) -> User:
    """The active user with these credentials; demo users only in demo mode."""
    user = await db.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not verify_password(user.password_hash, password):
        raise BAD_LOGIN
    if user.is_demo and not settings.demo:
        raise Unauthorized("演示账号在正式环境中不可用",
                           "Demo accounts are refused outside demo mode",
                           code="demo_user_refused")
    return user


def issue_token(*, user: User, settings: Settings) -> str:
    """A signed bearer token for user."""
    now = datetime.now(UTC)
    claims = {"sub": str(user.id), "role": user.role, "iat": now,
              "exp": now + timedelta(minutes=settings.token_ttl_minutes)}
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def decode_token(*, token: str, settings: Settings) -> int:
    """The user id inside a valid token."""
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[ALGORITHM])
        return int(claims["sub"])
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise Unauthorized("登录已失效，请重新登录", "Your session is invalid or has expired",
                           code="bad_token", headers={"WWW-Authenticate": "Bearer"}) from exc


async def load_principal(*, db: AsyncSession, user_id: int, settings: Settings) -> Principal:
    """The caller with the grids their worker is assigned to."""
    user = await db.get(User, user_id)
    if user is None or not user.active or (user.is_demo and not settings.demo):
        raise Unauthorized("账号不可用", "This account is not available", code="bad_token")
    grid_ids: tuple[int, ...] = ()
    if user.worker_id is not None:
        rows = await db.execute(text(
            "SELECT wg.grid_id FROM worker_grids wg JOIN grids g ON g.id = wg.grid_id "
            "WHERE wg.worker_id = :w AND g.retired_at IS NULL "
            "ORDER BY (wg.duty = 'linked'), wg.grid_id"), {"w": user.worker_id})
        grid_ids = tuple(r[0] for r in rows)
    return Principal(user_id=user.id, username=user.username, role=user.role,
                     display_name=user.display_name, worker_id=user.worker_id,
                     grid_ids=grid_ids)


async def describe(*, db: AsyncSession, principal: Principal) -> Me:
    """What /api/me says: the caller and their home grid's extent."""
    home = None
    if principal.grid_ids:
        row = (await db.execute(text(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
            "FROM (SELECT ST_Extent(geom) e FROM grids WHERE id = :g) s"),
            {"g": principal.grid_ids[0]})).one()
        home = Home(grid_id=principal.grid_ids[0], bbox=[round(v, 6) for v in row])
    return Me(username=principal.username, role=principal.role,
              display_name=principal.display_name, worker_id=principal.worker_id,
              grid_ids=list(principal.grid_ids), home=home)
