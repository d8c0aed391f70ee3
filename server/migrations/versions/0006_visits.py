"""visits: household check-ins (入户走访)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 09:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('household_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('visited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('accuracy', sa.Float(), nullable=True),
    sa.Column('distance_m', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('char_length(note) <= 500', name=op.f('ck_household_visits_note_length')),
    sa.CheckConstraint('distance_m >= 0', name=op.f('ck_household_visits_distance')),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_household_visits_grid_id_grids')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_household_visits_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_household_visits_worker_id_workers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_visits'))
    )
    op.create_index('ix_household_visits_household_visited', 'household_visits',
                    ['household_id', sa.text('visited_at DESC')], unique=False)
    op.create_index('ix_household_visits_grid_visited', 'household_visits',
                    ['grid_id', 'visited_at'], unique=False)
    op.create_index(op.f('ix_household_visits_worker_id'), 'household_visits', ['worker_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_household_visits_worker_id'), table_name='household_visits')
    op.drop_index('ix_household_visits_grid_visited', table_name='household_visits')
    op.drop_index('ix_household_visits_household_visited', table_name='household_visits')
    op.drop_table('household_visits')
