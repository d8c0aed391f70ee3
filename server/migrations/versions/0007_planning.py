"""planning: grid versions (history kept by a trigger), draft plans and their grids

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:00:00.000000
"""
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

SQL = Path(__file__).with_suffix(".sql")

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _multipolygon() -> Geometry:
    return Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False,
                    from_text='ST_GeomFromEWKT', name='geometry', nullable=False)


def upgrade() -> None:
    op.add_column('grids', sa.Column('version', sa.Integer(), server_default=sa.text('1'),
                                     nullable=False))
    op.add_column('grids', sa.Column('valid_from', sa.DateTime(timezone=True),
                                     server_default=sa.text("'-infinity'"), nullable=False))
    op.add_column('grids', sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
    op.drop_constraint('uq_grids_code', 'grids', type_='unique')
    # Unique among living grids, checkable at commit: a publish may swap two grids' codes.
    op.execute("ALTER TABLE grids ADD CONSTRAINT ex_grids_code_living EXCLUDE USING btree "
               "(code WITH =) WHERE (retired_at IS NULL) DEFERRABLE INITIALLY IMMEDIATE")
    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('scope_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), server_default='draft', nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('effective_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by', sa.Integer(), nullable=True),
    sa.Column('base', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('new_keys', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'published', 'discarded')", name=op.f('ck_plans_status')),
    sa.ForeignKeyConstraint(['scope_id'], ['grids.id'], name=op.f('fk_plans_scope_id_grids')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_plans_created_by_users')),
    sa.ForeignKeyConstraint(['published_by'], ['users.id'], name=op.f('fk_plans_published_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans'))
    )
    op.create_index('ix_plans_status', 'plans', ['status'], unique=False)
    op.create_geospatial_table('plan_grids',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=16), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=8), server_default='keep', nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=True),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('dedicated_type', sa.String(length=16), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=False),
    sa.Column('geom', _multipolygon(), nullable=False),
    sa.Column('head_worker_id', sa.Integer(), nullable=True),
    sa.Column('worker_ids', sa.ARRAY(sa.Integer()), nullable=True),
    sa.CheckConstraint("action IN ('keep', 'change', 'new', 'retire')", name=op.f('ck_plan_grids_action')),
    sa.CheckConstraint("kind IN ('comprehensive', 'dedicated')", name=op.f('ck_plan_grids_kind')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_grids_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_plan_grids_grid_id_grids')),
    sa.ForeignKeyConstraint(['parent_id'], ['grids.id'], name=op.f('fk_plan_grids_parent_id_grids')),
    sa.ForeignKeyConstraint(['head_worker_id'], ['workers.id'], name=op.f('fk_plan_grids_head_worker_id_workers')),
    sa.PrimaryKeyConstraint('plan_id', 'key', name=op.f('pk_plan_grids'))
    )
    op.create_geospatial_index('idx_plan_grids_geom', 'plan_grids', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index('ix_plan_grids_grid_id', 'plan_grids', ['grid_id'], unique=False)
    op.create_geospatial_table('grid_versions',
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_to', sa.DateTime(timezone=True), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=True),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('dedicated_type', sa.String(length=16), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('geom', _multipolygon(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_grid_versions_grid_id_grids'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_grid_versions_plan_id_plans'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('grid_id', 'version', name=op.f('pk_grid_versions'))
    )
    op.create_geospatial_index('idx_grid_versions_geom', 'grid_versions', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index('ix_grid_versions_valid', 'grid_versions', ['valid_from', 'valid_to'], unique=False)
    op.execute("INSERT INTO grid_versions (grid_id, version, valid_from, valid_to, code, name, "
               "name_en, level, kind, dedicated_type, parent_id, geom) "
               "SELECT id, version, valid_from, retired_at, code, name, name_en, level, kind, "
               "dedicated_type, parent_id, geom FROM grids")
    op.execute(SQL.read_text())


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS gridlink_grids_history ON grids")
    op.execute("DROP TRIGGER IF EXISTS gridlink_grids_version ON grids")
    op.execute("DROP FUNCTION IF EXISTS gridlink_grids_history()")
    op.execute("DROP FUNCTION IF EXISTS gridlink_grids_version()")
    op.execute("DROP FUNCTION IF EXISTS gridlink_effective_at()")
    op.execute("DROP FUNCTION IF EXISTS gridlink_coverage_pieces_for(int[], float8)")
    op.drop_index('ix_grid_versions_valid', table_name='grid_versions')
    op.drop_geospatial_index('idx_grid_versions_geom', table_name='grid_versions', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('grid_versions')
    op.drop_index('ix_plan_grids_grid_id', table_name='plan_grids')
    op.drop_geospatial_index('idx_plan_grids_geom', table_name='plan_grids', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('plan_grids')
    op.drop_index('ix_plans_status', table_name='plans')
    op.drop_table('plans')
    op.drop_constraint('ex_grids_code_living', 'grids')
    op.create_unique_constraint('uq_grids_code', 'grids', ['code'])
    op.drop_column('grids', 'retired_at')
    op.drop_column('grids', 'valid_from')
    op.drop_column('grids', 'version')
    # 0005's gridlink_coverage_pieces (without the retired filter) comes back with 0005.sql.
    op.execute((SQL.parent / "0005_coverage.sql").read_text())
    op.execute("DROP FUNCTION IF EXISTS gridlink_coverage_cut(int[], float8)")
