"""alerts: outside-grid, offline and SOS alerts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 05:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=16), server_default='open', nullable=False),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.CheckConstraint("kind IN ('outside_grid', 'offline', 'sos')", name=op.f('ck_alerts_kind')),
    sa.CheckConstraint("status IN ('open', 'acknowledged', 'closed')", name=op.f('ck_alerts_status')),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['users.id'], name=op.f('fk_alerts_acknowledged_by_users')),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_alerts_grid_id_grids')),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_alerts_worker_id_workers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts'))
    )
    op.create_index('ix_alerts_raised_at', 'alerts', ['raised_at'], unique=False)
    op.create_index('ux_alerts_active', 'alerts', ['worker_id', 'kind'], unique=True,
                    postgresql_where=sa.text("status <> 'closed'"))


def downgrade() -> None:
    op.drop_index('ux_alerts_active', table_name='alerts',
                  postgresql_where=sa.text("status <> 'closed'"))
    op.drop_index('ix_alerts_raised_at', table_name='alerts')
    op.drop_table('alerts')
