"""The FastAPI application factory."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from api import errors
from api.accesslog import AccessLogMiddleware, held_lines
from api.csrf import CsrfMiddleware
from api.headers import SecurityHeadersMiddleware
from api.limits import RequestLimitMiddleware
from api.locale import LocaleMiddleware
from api.routes import ROUTERS
from coaching.guides.search import GuideIndex
from foundation.cache import TtlCache
from foundation.crosslingual import get_encoder
from foundation.db import make_engine
from foundation.embeddings import embedding_model_name, get_embedder
from foundation.redaction import get_redactor
from foundation.settings import Settings, get_settings
from ideas.submissions.similar import SOURCE as IDEA_SOURCE
from ideas.submissions.similar import VectorIndex
from jobs.queue import Queue

STATIC_DIR = Path(__file__).parent / "static"
log = logging.getLogger("voiceloop")


def create_app(
    settings: Settings | None = None,
    *,
    session_factory: Callable[[], Session] | None = None,
    queue: Queue | None = None,
) -> FastAPI:
    """Build the app. Tests may pass their own session factory (a rolled-back transaction)
    and queue; otherwise both are built from ``settings`` when the app starts."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = None
        if session_factory is None:
            engine = make_engine(settings.database_url)
            app.state.session_factory = sessionmaker(engine, class_=Session, expire_on_commit=False)
        else:
            app.state.session_factory = session_factory
        app.state.queue = queue or Queue(settings)
        # The index holds the vectors of the model the embedder has (int8 ONNX unless configured
        # otherwise), named without loading it; if loading falls back to torch, swap the index.
        app.state.idea_index = VectorIndex(IDEA_SOURCE, embedding_model_name(settings))
        app.state.guide_index = GuideIndex(embedding_model_name(settings))

        if settings.environment != "test":
            # Load the embedding model in the background so the first suggestion is not slow.
            threading.Thread(
                target=_warm_up, args=(app, settings), name="embedder-warmup", daemon=True
            ).start()
        yield
        held_lines.flush(everything=True)
        if engine is not None:
            engine.dispose()

    app = FastAPI(
        title="VoiceLoop",
        version="0.1.0",
        description="Employee voice and coaching for financial-services contact centres.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.figures = TtlCache(settings.figures_cache_seconds)
    errors.install(app)
    # Each added middleware wraps the ones before it. From the outside in: the access log, headers
    # on every answer (refusals included), the answer's language (refusals are pages too), the
    # size and caller limits, then CSRF, which may read a form body only once the limits have
    # let the request in.
    app.add_middleware(
        CsrfMiddleware, secret=settings.secret_key.get_secret_value(), secure=settings.https
    )
    app.add_middleware(RequestLimitMiddleware, settings=settings)
    app.add_middleware(LocaleMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, https=settings.https)
    app.add_middleware(AccessLogMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app


def _warm_up(app: FastAPI, settings: Settings) -> None:
    """Load the embedding models, the guides' index and the redactor before the first request
    needs them; if the model fell back to torch, swap in indexes of its vectors."""
    model = get_embedder(settings).model_name
    get_encoder().encode(["预热"])  # the multilingual model: Chinese and Japanese ideas, search
    if model != app.state.idea_index.model:
        app.state.idea_index = VectorIndex(IDEA_SOURCE, model)
    if model != app.state.guide_index.model:
        app.state.guide_index = GuideIndex(model)
    # Load the guides too, so an agent's first search during a call is as fast as the rest.
    with app.state.session_factory() as session:
        app.state.guide_index.refresh(session)
    get_redactor()  # what staff write is redacted before it is stored (seconds to build)
