"""Alembic's environment for the workspace: always run from jdcore.store.migrate, which hands
over an open connection (config.attributes["connection"]); there is no alembic.ini."""

from alembic import context

from jdcore.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
