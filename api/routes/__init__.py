"""Routers, one module per area. Every route declares its access rule (see ``api.access``)."""

from api.routes import account, admin, api_v1, auth, docs, health, home, jobs, teams

ROUTERS = [
    health.router,
    auth.router,
    home.router,
    account.router,
    admin.router,
    teams.router,
    jobs.router,
    api_v1.router,
    docs.router,
]
