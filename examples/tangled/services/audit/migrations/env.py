"""Alembic environment of the audit service (never executed by alembic-lsp)."""
from alembic import context
from sqlalchemy import engine_from_config, pool

from audit.schema import metadata

config = context.config


def run_migrations_online() -> None:
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table="audit_alembic_version",
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
