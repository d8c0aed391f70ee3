"""visits: drop the (grid_id, visited_at) index no query uses

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 09:00:00.000000
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index('ix_household_visits_grid_visited', table_name='household_visits')


def downgrade() -> None:
    op.create_index('ix_household_visits_grid_visited', 'household_visits',
                    ['grid_id', 'visited_at'], unique=False)
