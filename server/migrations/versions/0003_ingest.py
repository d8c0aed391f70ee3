"""ingest: altitude and battery on positions, the log of unknown devices

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 02:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('unknown_devices',
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=True),
    sa.Column('first_seen', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.PrimaryKeyConstraint('device_id', name=op.f('pk_unknown_devices'))
    )
    # Added to the partitioned parent, so every daily partition gets them too.
    op.add_column('positions', sa.Column('altitude', sa.Float(), nullable=True))
    op.add_column('positions', sa.Column('battery', sa.SmallInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column('positions', 'battery')
    op.drop_column('positions', 'altitude')
    op.drop_table('unknown_devices')
