"""Every table module, imported in one place so ``metadata`` is complete.

Alembic's environment and the drift test read ``metadata`` from here; add new table modules here.
"""

from sqlmodel import SQLModel

from api import models as api_models
from coaching import models as coaching_models
from foundation import accounts, embeddings
from ideas import models as idea_models
from jobs import models as job_models

TABLE_MODULES = (accounts, embeddings, api_models, idea_models, job_models, coaching_models)
metadata = SQLModel.metadata
