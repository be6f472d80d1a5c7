import pytest
from pydantic import ValidationError

from foundation.settings import DEVELOPMENT_SECRET
from tests.support.harness import bare_settings


def test_defaults_are_the_embedded_ones():
    settings = bare_settings()
    assert settings.database_url.startswith("sqlite:///var/")
    assert settings.queue_url.startswith("sqlite:///var/")
    assert settings.min_group_size == 5
    assert settings.upload_max_bytes == 2 * 1024**3


@pytest.mark.parametrize("environment", ["test", "production"])
@pytest.mark.parametrize("secret", [DEVELOPMENT_SECRET, "short"])
def test_default_or_weak_secret_is_refused_outside_development(environment, secret):
    with pytest.raises(ValidationError, match="VOICELOOP_SECRET_KEY"):
        bare_settings(environment=environment, secret_key=secret)


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("VOICELOOP_MIN_GROUP_SIZE", "7")
    monkeypatch.setenv("VOICELOOP_QUEUE_URL", "redis://127.0.0.1:6379/3")
    settings = bare_settings()
    assert settings.min_group_size == 7 and settings.queue_url.startswith("redis://")
