"""Every table module, imported in one place so ``metadata`` is complete.

Alembic's environment and the drift test read ``metadata`` from here; add new table modules here.
"""

from sqlmodel import SQLModel

from api import models as api_models
from coaching.guides import models as guide_models
from coaching.interactions import models as interaction_models
from coaching.modules import models as module_models
from coaching.reports import models as report_models
from foundation import accounts, embeddings
from ideas.submissions import models as idea_models
from ideas.themes import models as theme_models
from jobs import models as job_models

TABLE_MODULES = (
    accounts,
    embeddings,
    api_models,
    idea_models,
    theme_models,
    job_models,
    interaction_models,
    module_models,
    guide_models,
    report_models,
)
metadata = SQLModel.metadata
