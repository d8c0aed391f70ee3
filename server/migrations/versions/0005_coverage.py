"""coverage: street pieces per grid and the hours they were walked

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 09:00:00.000000
"""
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

SQL = Path(__file__).with_suffix(".sql")

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_geospatial_table('coverage_pieces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('geom', Geometry(geometry_type='LINESTRING', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('geom_3857', Geometry(geometry_type='LINESTRING', srid=3857, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), sa.Computed('ST_Transform(geom, 3857)', persisted=True), nullable=True),
    sa.Column('length_m', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_coverage_pieces_grid_id_grids'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coverage_pieces'))
    )
    op.create_geospatial_index('idx_coverage_pieces_geom_3857', 'coverage_pieces', ['geom_3857'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_coverage_pieces_grid_id'), 'coverage_pieces', ['grid_id'], unique=False)
    op.create_table('coverage_walks',
    sa.Column('piece_id', sa.Integer(), nullable=False),
    sa.Column('hour', sa.DateTime(timezone=True), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('piece_id', 'hour', 'worker_id', name=op.f('pk_coverage_walks'))
    )
    op.create_index('ix_coverage_walks_hour', 'coverage_walks', ['hour'], unique=False, postgresql_using='brin')
    op.create_table('coverage_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('shift', sa.String(length=16), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('walked_m', sa.Float(), server_default=sa.text('0'), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('worker_ids', sa.ARRAY(sa.Integer()), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_coverage_days_grid_id_grids'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('day', 'shift', 'grid_id', name=op.f('pk_coverage_days'))
    )
    op.create_index(op.f('ix_coverage_days_grid_id'), 'coverage_days', ['grid_id'], unique=False)
    op.create_table('coverage_grids',
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('street_m', sa.Float(), server_default=sa.text('0'), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_coverage_grids_grid_id_grids'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('grid_id', name=op.f('pk_coverage_grids'))
    )
    op.create_table('coverage_state',
    sa.Column('id', sa.SmallInteger(), nullable=False),
    sa.Column('through', sa.DateTime(timezone=True), nullable=True),
    sa.Column('floor', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_coverage_state_single')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coverage_state'))
    )
    op.execute("INSERT INTO coverage_state (id) VALUES (1)")
    # The coverage pass selects fixes by arrival; on the parent, so every partition has it.
    op.create_index('ix_positions_received_at', 'positions', ['received_at'], unique=False, postgresql_using='brin')
    op.execute(SQL.read_text())


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS gridlink_coverage_pieces(timestamptz, float8)")
    op.drop_index('ix_positions_received_at', table_name='positions', postgresql_using='brin')
    op.drop_table('coverage_state')
    op.drop_table('coverage_grids')
    op.drop_index(op.f('ix_coverage_days_grid_id'), table_name='coverage_days')
    op.drop_table('coverage_days')
    op.drop_index('ix_coverage_walks_hour', table_name='coverage_walks', postgresql_using='brin')
    op.drop_table('coverage_walks')
    op.drop_index(op.f('ix_coverage_pieces_grid_id'), table_name='coverage_pieces')
    op.drop_geospatial_index('idx_coverage_pieces_geom_3857', table_name='coverage_pieces', postgresql_using='gist', column_name='geom_3857')
    op.drop_geospatial_table('coverage_pieces')
