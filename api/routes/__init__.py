"""Routers, one module per area. Every route declares its access rule (see ``api.access``)."""

from api.routes import (
    account,
    admin,
    api_ideas,
    api_v1,
    auth,
    docs,
    health,
    home,
    ideas,
    jobs,
    lists,
    notifications,
    receipts,
    teams,
)

ROUTERS = [
    health.router,
    auth.router,
    home.router,
    account.router,
    admin.router,
    teams.router,
    jobs.router,
    ideas.router,
    ideas.comments_router,
    receipts.router,
    notifications.router,
    lists.router,
    api_v1.router,
    api_ideas.router,
    docs.router,
]
