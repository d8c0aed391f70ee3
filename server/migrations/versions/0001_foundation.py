"""foundation

Revision ID: 0001
Revises:
Create Date: 2026-11-22 02:45:24.706481
"""
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

SQL = Path(__file__).with_suffix(".sql")

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    # pgRouting where the server has it (Debian packages do; the postgis/postgis image not).
    op.execute("DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_available_extensions "
               "WHERE name = 'pgrouting') THEN CREATE EXTENSION IF NOT EXISTS pgrouting; "
               "END IF; END $$")
    op.create_table('departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments')),
    sa.UniqueConstraint('code', name=op.f('uq_departments_code'))
    )
    op.create_table('events',
    sa.Column('seq', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('topic', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('grid_ids', sa.ARRAY(sa.Integer()), nullable=False),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_events'))
    )
    op.create_index('ix_events_created_at', 'events', ['created_at'], unique=False)
    op.create_geospatial_table('grids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=True),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=16), server_default='comprehensive', nullable=False),
    sa.Column('dedicated_type', sa.String(length=16), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('geom', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('geom_3857', Geometry(geometry_type='MULTIPOLYGON', srid=3857, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), sa.Computed('ST_Transform(geom, 3857)', persisted=True), nullable=True),
    sa.Column('label', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), sa.Computed('ST_PointOnSurface(geom)', persisted=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(kind = 'dedicated') = (dedicated_type IN ('school', 'hospital', 'market', 'business', 'industrial')) OR (kind = 'comprehensive' AND dedicated_type IS NULL)", name=op.f('ck_grids_dedicated_type')),
    sa.CheckConstraint("kind IN ('comprehensive', 'dedicated')", name=op.f('ck_grids_kind')),
    sa.CheckConstraint("level IN ('county', 'street', 'community', 'grid', 'micro')", name=op.f('ck_grids_level')),
    sa.ForeignKeyConstraint(['parent_id'], ['grids.id'], name=op.f('fk_grids_parent_id_grids')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grids')),
    sa.UniqueConstraint('code', name=op.f('uq_grids_code'))
    )
    op.create_geospatial_index('idx_grids_geom', 'grids', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_geospatial_index('idx_grids_geom_3857', 'grids', ['geom_3857'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index('ix_grids_parent_level', 'grids', ['parent_id', 'level'], unique=False)
    op.create_geospatial_table('roads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('class', sa.String(length=12), nullable=False),
    sa.Column('geom', Geometry(geometry_type='LINESTRING', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('geom_3857', Geometry(geometry_type='LINESTRING', srid=3857, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), sa.Computed('ST_Transform(geom, 3857)', persisted=True), nullable=True),
    sa.CheckConstraint("class IN ('arterial', 'local')", name=op.f('ck_roads_class')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roads'))
    )
    op.create_geospatial_index('idx_roads_geom', 'roads', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_geospatial_index('idx_roads_geom_3857', 'roads', ['geom_3857'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_geospatial_table('blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('geom', Geometry(geometry_type='POLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('geom_3857', Geometry(geometry_type='POLYGON', srid=3857, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), sa.Computed('ST_Transform(geom, 3857)', persisted=True), nullable=True),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_blocks_grid_id_grids')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blocks'))
    )
    op.create_geospatial_index('idx_blocks_geom', 'blocks', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_geospatial_index('idx_blocks_geom_3857', 'blocks', ['geom_3857'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_blocks_grid_id'), 'blocks', ['grid_id'], unique=False)
    op.create_table('report_categories',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('name_en', sa.String(length=60), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('deadline_hours', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_report_categories_department_id_departments')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_report_categories'))
    )
    op.create_geospatial_table('stations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('address', sa.String(length=120), nullable=False),
    sa.Column('services', sa.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('areas', sa.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('opening_hours', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_stations_grid_id_grids')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stations')),
    sa.UniqueConstraint('code', name=op.f('uq_stations_code'))
    )
    op.create_geospatial_index('idx_stations_geom', 'stations', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_stations_grid_id'), 'stations', ['grid_id'], unique=False)
    op.create_table('workers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('device_id', sa.String(length=64), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IN ('grid_head', 'grid_worker', 'police', 'first_secretary', 'volunteer', 'dept_staff')", name=op.f('ck_workers_role')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_workers_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workers')),
    sa.UniqueConstraint('device_id', name=op.f('uq_workers_device_id'))
    )
    op.create_geospatial_table('buildings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('floors', sa.SmallInteger(), nullable=False),
    sa.Column('units', sa.SmallInteger(), nullable=False),
    sa.Column('geom', Geometry(geometry_type='POLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_buildings_block_id_blocks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buildings'))
    )
    op.create_geospatial_index('idx_buildings_geom', 'buildings', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_buildings_block_id'), 'buildings', ['block_id'], unique=False)
    op.create_geospatial_table('positions',
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('fix_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('accuracy', sa.Float(), nullable=True),
    sa.Column('speed', sa.Float(), nullable=True),
    sa.Column('heading', sa.Float(), nullable=True),
    sa.Column('flags', sa.SmallInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_positions_worker_id_workers')),
    sa.PrimaryKeyConstraint('worker_id', 'fix_time', name=op.f('pk_positions')),
    postgresql_partition_by='RANGE (fix_time)'
    )
    op.create_geospatial_index('idx_positions_geom', 'positions', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_geospatial_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('category_code', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('street_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), server_default='submitted', nullable=False),
    sa.Column('reporter_name', sa.String(length=40), nullable=True),
    sa.Column('reporter_phone', sa.String(length=20), nullable=True),
    sa.Column('tracking_token', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("source IN ('resident', 'volunteer', 'patroller', 'hotline', 'walk_in')", name=op.f('ck_reports_source')),
    sa.CheckConstraint("status IN ('submitted', 'accepted', 'rejected', 'merged', 'dispatched', 'claimed', 'resolved', 'verified', 'archived')", name=op.f('ck_reports_status')),
    sa.ForeignKeyConstraint(['category_code'], ['report_categories.code'], name=op.f('fk_reports_category_code_report_categories')),
    sa.ForeignKeyConstraint(['community_id'], ['grids.id'], name=op.f('fk_reports_community_id_grids')),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_reports_grid_id_grids')),
    sa.ForeignKeyConstraint(['street_id'], ['grids.id'], name=op.f('fk_reports_street_id_grids')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('tracking_token', name=op.f('uq_reports_tracking_token'))
    )
    op.create_geospatial_index('idx_reports_geom', 'reports', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_reports_grid_id'), 'reports', ['grid_id'], unique=False)
    op.create_index('ix_reports_status_created', 'reports', ['status', 'created_at'], unique=False)
    op.create_table('station_duties',
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('weekday BETWEEN 1 AND 7', name=op.f('ck_station_duties_weekday')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_station_duties_station_id_stations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_station_duties_worker_id_workers')),
    sa.PrimaryKeyConstraint('station_id', 'worker_id', 'weekday', name=op.f('pk_station_duties'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('display_name', sa.String(length=60), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=True),
    sa.Column('is_demo', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'operator', 'planner', 'grid_head', 'patroller', 'dept_staff')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_users_worker_id_workers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('worker_grids',
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('duty', sa.String(length=10), nullable=False),
    sa.CheckConstraint("duty IN ('head', 'member', 'linked')", name=op.f('ck_worker_grids_duty')),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_worker_grids_grid_id_grids')),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_worker_grids_worker_id_workers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('worker_id', 'grid_id', name=op.f('pk_worker_grids'))
    )
    op.create_index('ix_worker_grids_grid', 'worker_grids', ['grid_id'], unique=False)
    op.create_geospatial_table('worker_state',
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('fix_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=8), server_default='online', nullable=False),
    sa.Column('on_duty', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('speed', sa.Float(), nullable=True),
    sa.Column('heading', sa.Float(), nullable=True),
    sa.Column('accuracy', sa.Float(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.CheckConstraint("status IN ('online', 'offline')", name=op.f('ck_worker_state_status')),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_worker_state_grid_id_grids')),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_worker_state_worker_id_workers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('worker_id', name=op.f('pk_worker_state'))
    )
    op.create_index(op.f('ix_worker_state_changed_at'), 'worker_state', ['changed_at'], unique=False)
    op.create_geospatial_index('idx_worker_state_geom', 'worker_state', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_geospatial_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('building_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=120), nullable=False),
    sa.Column('unit', sa.SmallInteger(), nullable=False),
    sa.Column('room', sa.String(length=10), nullable=False),
    sa.Column('head_name', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('residents', sa.SmallInteger(), nullable=False),
    sa.Column('care_color', sa.String(length=8), nullable=False),
    sa.Column('tags', sa.ARRAY(sa.String(length=24)), nullable=False),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('geom_3857', Geometry(geometry_type='POINT', srid=3857, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), sa.Computed('ST_Transform(geom, 3857)', persisted=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("care_color IN ('red', 'orange', 'yellow', 'blue', 'green')", name=op.f('ck_households_care_color')),
    sa.ForeignKeyConstraint(['building_id'], ['buildings.id'], name=op.f('fk_households_building_id_buildings')),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_households_grid_id_grids')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households'))
    )
    op.create_geospatial_index('idx_households_geom', 'households', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_geospatial_index('idx_households_geom_3857', 'households', ['geom_3857'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_households_building_id'), 'households', ['building_id'], unique=False)
    op.create_index(op.f('ix_households_grid_id'), 'households', ['grid_id'], unique=False)
    op.execute(SQL.read_text())


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS positions_default")
    op.drop_index(op.f('ix_households_grid_id'), table_name='households')
    op.drop_index(op.f('ix_households_building_id'), table_name='households')
    op.drop_geospatial_index('idx_households_geom_3857', table_name='households', postgresql_using='gist', column_name='geom_3857')
    op.drop_geospatial_index('idx_households_geom', table_name='households', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('households')
    op.drop_geospatial_index('idx_worker_state_geom', table_name='worker_state', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('worker_state')
    op.drop_index('ix_worker_grids_grid', table_name='worker_grids')
    op.drop_table('worker_grids')
    op.drop_table('users')
    op.drop_table('station_duties')
    op.drop_index('ix_reports_status_created', table_name='reports')
    op.drop_index(op.f('ix_reports_grid_id'), table_name='reports')
    op.drop_geospatial_index('idx_reports_geom', table_name='reports', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('reports')
    op.drop_geospatial_index('idx_positions_geom', table_name='positions', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('positions')
    op.drop_index(op.f('ix_buildings_block_id'), table_name='buildings')
    op.drop_geospatial_index('idx_buildings_geom', table_name='buildings', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('buildings')
    op.drop_table('workers')
    op.drop_index(op.f('ix_stations_grid_id'), table_name='stations')
    op.drop_geospatial_index('idx_stations_geom', table_name='stations', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('stations')
    op.drop_table('report_categories')
    op.drop_index(op.f('ix_blocks_grid_id'), table_name='blocks')
    op.drop_geospatial_index('idx_blocks_geom_3857', table_name='blocks', postgresql_using='gist', column_name='geom_3857')
    op.drop_geospatial_index('idx_blocks_geom', table_name='blocks', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('blocks')
    op.drop_geospatial_index('idx_roads_geom_3857', table_name='roads', postgresql_using='gist', column_name='geom_3857')
    op.drop_geospatial_index('idx_roads_geom', table_name='roads', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('roads')
    op.drop_index('ix_grids_parent_level', table_name='grids')
    op.drop_geospatial_index('idx_grids_geom_3857', table_name='grids', postgresql_using='gist', column_name='geom_3857')
    op.drop_geospatial_index('idx_grids_geom', table_name='grids', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('grids')
    op.drop_index('ix_events_created_at', table_name='events')
    op.drop_table('events')
    op.drop_table('departments')
    op.execute("DROP FUNCTION IF EXISTS gridlink_ensure_position_partitions(date, date)")
    op.execute("DROP FUNCTION IF EXISTS gridlink_notify_event() CASCADE")
