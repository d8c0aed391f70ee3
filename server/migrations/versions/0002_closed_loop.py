"""closed loop

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:17:22.770336
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('idempotency_keys',
    sa.Column('scope', sa.String(length=120), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('body', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_idempotency_keys'))
    )
    op.create_table('reporters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=True),
    sa.Column('kind', sa.String(length=10), server_default='resident', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('resident', 'volunteer')", name=op.f('ck_reporters_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporters')),
    sa.UniqueConstraint('phone', name=op.f('uq_reporters_phone'))
    )
    op.create_table('points_ledger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("reason IN ('valid_report', 'redeem')", name=op.f('ck_points_ledger_reason')),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_points_ledger_by_user_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_points_ledger_report_id_reports')),
    sa.ForeignKeyConstraint(['reporter_id'], ['reporters.id'], name=op.f('fk_points_ledger_reporter_id_reporters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_ledger'))
    )
    op.create_index(op.f('ix_points_ledger_reporter_id'), 'points_ledger', ['reporter_id'], unique=False)
    op.create_index('uq_points_ledger_valid_report', 'points_ledger', ['report_id'], unique=True, postgresql_where=sa.text("reason = 'valid_report'"))
    op.create_table('report_steps',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=12), nullable=True),
    sa.Column('to_status', sa.String(length=12), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_worker_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=60), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.ForeignKeyConstraint(['actor_user_id'], ['users.id'], name=op.f('fk_report_steps_actor_user_id_users')),
    sa.ForeignKeyConstraint(['actor_worker_id'], ['workers.id'], name=op.f('fk_report_steps_actor_worker_id_workers')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_steps_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_steps'))
    )
    op.create_index('ix_report_steps_report_at', 'report_steps', ['report_id', 'at'], unique=False)
    op.create_table('photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('step_id', sa.BigInteger(), nullable=True),
    sa.Column('kind', sa.String(length=8), server_default='intake', nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('exif_lon', sa.Float(), nullable=True),
    sa.Column('exif_lat', sa.Float(), nullable=True),
    sa.Column('image', sa.LargeBinary(), nullable=False),
    sa.Column('thumb', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('intake', 'result')", name=op.f('ck_photos_kind')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_photos_report_id_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['step_id'], ['report_steps.id'], name=op.f('fk_photos_step_id_report_steps')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_photos_uploaded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photos')),
    sa.UniqueConstraint('token', name=op.f('uq_photos_token'))
    )
    op.create_index(op.f('ix_photos_report_id'), 'photos', ['report_id'], unique=False)
    op.add_column('reports', sa.Column('reporter_id', sa.Integer(), nullable=True))
    op.add_column('reports', sa.Column('recorded_by', sa.Integer(), nullable=True))
    op.add_column('reports', sa.Column('address', sa.String(length=200), nullable=True))
    op.add_column('reports', sa.Column('location_source', sa.String(length=8), server_default='device', nullable=False))
    op.add_column('reports', sa.Column('assignee_worker_id', sa.Integer(), nullable=True))
    op.add_column('reports', sa.Column('assignee_department_id', sa.Integer(), nullable=True))
    op.add_column('reports', sa.Column('pool_grid_id', sa.Integer(), nullable=True))
    op.add_column('reports', sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('reports', sa.Column('escalation_level', sa.SmallInteger(), server_default=sa.text('0'), nullable=False))
    op.add_column('reports', sa.Column('due_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('reports', sa.Column('due_kind', sa.String(length=16), nullable=True))
    op.add_column('reports', sa.Column('merged_into_id', sa.Integer(), nullable=True))
    op.add_column('reports', sa.Column('reject_reason', sa.Text(), nullable=True))
    op.add_column('reports', sa.Column('resolution_note', sa.Text(), nullable=True))
    op.add_column('reports', sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('reports', sa.Column('satisfaction', sa.SmallInteger(), nullable=True))
    op.add_column('reports', sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))
    op.create_index(op.f('ix_reports_assignee_worker_id'), 'reports', ['assignee_worker_id'], unique=False)
    op.create_index('ix_reports_due_at', 'reports', ['due_at'], unique=False, postgresql_where=sa.text('due_at IS NOT NULL'))
    op.create_index(op.f('ix_reports_reporter_id'), 'reports', ['reporter_id'], unique=False)
    op.create_foreign_key(op.f('fk_reports_reporter_id_reporters'), 'reports', 'reporters', ['reporter_id'], ['id'])
    op.create_foreign_key(op.f('fk_reports_assignee_worker_id_workers'), 'reports', 'workers', ['assignee_worker_id'], ['id'])
    op.create_foreign_key(op.f('fk_reports_merged_into_id_reports'), 'reports', 'reports', ['merged_into_id'], ['id'])
    op.create_foreign_key(op.f('fk_reports_recorded_by_users'), 'reports', 'users', ['recorded_by'], ['id'])
    op.create_foreign_key(op.f('fk_reports_assignee_department_id_departments'), 'reports', 'departments', ['assignee_department_id'], ['id'])
    op.create_foreign_key(op.f('fk_reports_pool_grid_id_grids'), 'reports', 'grids', ['pool_grid_id'], ['id'])
    op.create_check_constraint("location_source", "reports",
                               "location_source IN ('device', 'map', 'exif', 'staff')")
    op.create_check_constraint("due_kind", "reports",
                               "due_kind IS NULL OR due_kind IN ('warn', 'overdue', 'claim_window')")
    op.create_check_constraint("satisfaction", "reports",
                               "satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5")


def downgrade() -> None:
    for name in ("location_source", "due_kind", "satisfaction"):
        op.drop_constraint(op.f(f"ck_reports_{name}"), "reports", type_="check")
    op.drop_constraint(op.f('fk_reports_pool_grid_id_grids'), 'reports', type_='foreignkey')
    op.drop_constraint(op.f('fk_reports_assignee_department_id_departments'), 'reports', type_='foreignkey')
    op.drop_constraint(op.f('fk_reports_recorded_by_users'), 'reports', type_='foreignkey')
    op.drop_constraint(op.f('fk_reports_merged_into_id_reports'), 'reports', type_='foreignkey')
    op.drop_constraint(op.f('fk_reports_assignee_worker_id_workers'), 'reports', type_='foreignkey')
    op.drop_constraint(op.f('fk_reports_reporter_id_reporters'), 'reports', type_='foreignkey')
    op.drop_index(op.f('ix_reports_reporter_id'), table_name='reports')
    op.drop_index('ix_reports_due_at', table_name='reports', postgresql_where=sa.text('due_at IS NOT NULL'))
    op.drop_index(op.f('ix_reports_assignee_worker_id'), table_name='reports')
    op.drop_column('reports', 'version')
    op.drop_column('reports', 'satisfaction')
    op.drop_column('reports', 'resolved_at')
    op.drop_column('reports', 'resolution_note')
    op.drop_column('reports', 'reject_reason')
    op.drop_column('reports', 'merged_into_id')
    op.drop_column('reports', 'due_kind')
    op.drop_column('reports', 'due_at')
    op.drop_column('reports', 'escalation_level')
    op.drop_column('reports', 'deadline_at')
    op.drop_column('reports', 'pool_grid_id')
    op.drop_column('reports', 'assignee_department_id')
    op.drop_column('reports', 'assignee_worker_id')
    op.drop_column('reports', 'location_source')
    op.drop_column('reports', 'address')
    op.drop_column('reports', 'recorded_by')
    op.drop_column('reports', 'reporter_id')
    op.drop_index(op.f('ix_photos_report_id'), table_name='photos')
    op.drop_table('photos')
    op.drop_index('ix_report_steps_report_at', table_name='report_steps')
    op.drop_table('report_steps')
    op.drop_index('uq_points_ledger_valid_report', table_name='points_ledger', postgresql_where=sa.text("reason = 'valid_report'"))
    op.drop_index(op.f('ix_points_ledger_reporter_id'), table_name='points_ledger')
    op.drop_table('points_ledger')
    op.drop_table('reporters')
    op.drop_table('idempotency_keys')
