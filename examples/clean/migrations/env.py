"""Alembic environment for the shopfront database.

Never executed by alembic-lsp: the analyser reads the migration files only.
"""
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

from shopfront.db import metadata  # the application's SQLAlchemy MetaData
from shopfront.settings import database_url

config = context.config

if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# Prefer the application's configured URL over the placeholder in alembic.ini.
config.set_main_option("sqlalchemy.url", database_url())
target_metadata = metadata


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of talking to a database (`alembic upgrade --sql`)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations against a live connection."""
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
