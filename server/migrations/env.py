"""Alembic environment: runs migrations synchronously over psycopg 3."""

from alembic import context
from geoalchemy2 import alembic_helpers
from sqlalchemy import create_engine, pool

from server.models import Base

config = context.config


def include_object(obj, name, type_, reflected, compare_to):  # noqa: ANN001, ANN201
    """Skip the daily position partitions (made at run time, not by migrations)."""
    if type_ == "table" and name and name.startswith("positions_"):
        return False
    if type_ == "index" and getattr(getattr(obj, "table", None), "name", "").startswith(
            "positions_"):
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


def run() -> None:
    """Run migrations online against the configured URL."""
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not configured"
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        context.configure(
            connection=conn,
            target_metadata=Base.metadata,
            include_object=include_object,
            process_revision_directives=alembic_helpers.writer,
            render_item=alembic_helpers.render_item,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run()
