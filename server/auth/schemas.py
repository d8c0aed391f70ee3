"""API shapes of authentication."""

from dataclasses import dataclass, field

from pydantic import BaseModel


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user, their role and the grids they are scoped to."""

    user_id: int
    username: str
    role: str
    display_name: str
    worker_id: int | None = None
    grid_ids: tuple[int, ...] = field(default_factory=tuple)

    @property
    def sees_everything(self) -> bool:
        """Command-center roles see all grids; field roles only their own."""
        return self.role in ("admin", "operator", "planner")


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: str
    username: str
    display_name: str


class Home(BaseModel):
    grid_id: int
    bbox: list[float]


class Me(BaseModel):
    username: str
    role: str
    display_name: str
    worker_id: int | None
    grid_ids: list[int]
    home: Home | None
