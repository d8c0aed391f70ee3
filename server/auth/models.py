"""Console users and their roles."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import timestamp_now

ROLES = ("admin", "operator", "planner", "grid_head", "patroller", "dept_staff")


class User(Base):
    """A login; patrollers and grid heads link to their worker row."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(60))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id"))
    is_demo: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[datetime] = timestamp_now()
