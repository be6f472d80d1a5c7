"""Every table module, imported in one place so ``metadata`` is complete.

Alembic's environment and the drift test read ``metadata`` from here; add new table modules here.
"""

from sqlmodel import SQLModel

import jobs.models  # noqa: F401

metadata = SQLModel.metadata
