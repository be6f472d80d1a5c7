"""Keyed hashes for ids that may be personal data, and the PII key setting."""

import hashlib
import hmac

import pytest
from pydantic import ValidationError

from foundation.pseudonyms import Pseudonyms, keyed_hash
from foundation.settings import DEVELOPMENT_PII_KEY
from tests.support.harness import bare_settings

KEY = "k" * 32
SECRET = "s" * 32


def test_a_keyed_hash_is_hmac_sha256_of_the_kind_and_the_value():
    expected = hmac.new(KEY.encode(), b"customer\x00C-1", hashlib.sha256).hexdigest()
    assert keyed_hash(KEY, "customer", "C-1") == expected
    assert keyed_hash(KEY, "interaction", "C-1") != expected  # the kinds never collide
    assert keyed_hash("x" + KEY, "customer", "C-1") != expected  # nor do the keys


def test_the_previous_key_is_tried_only_during_a_rotation():
    settings = bare_settings(pii_key=KEY)
    assert Pseudonyms.from_settings(settings).previous_of("customer", "C-1") is None
    rotating = bare_settings(pii_key="n" * 32, pii_key_previous=KEY)
    pseudonyms = Pseudonyms.from_settings(rotating)
    assert pseudonyms.previous_of("customer", "C-1") == keyed_hash(KEY, "customer", "C-1")
    assert pseudonyms.of("customer", "C-1") == keyed_hash("n" * 32, "customer", "C-1")


@pytest.mark.parametrize("environment", ["test", "production"])
@pytest.mark.parametrize(
    "keys",
    [
        {"pii_key": DEVELOPMENT_PII_KEY},
        {"pii_key": "short"},
        {"pii_key": SECRET},  # the session secret is not the PII key
        {"pii_key": KEY, "pii_key_previous": "short"},
        {"pii_key": KEY, "pii_key_previous": KEY},
    ],
)
def test_a_default_weak_or_shared_pii_key_is_refused_outside_development(environment, keys):
    with pytest.raises(ValidationError, match="VOICELOOP_PII_KEY"):
        bare_settings(environment=environment, secret_key=SECRET, **keys)


def test_the_pii_key_is_required_outside_development(monkeypatch):
    monkeypatch.delenv("VOICELOOP_PII_KEY", raising=False)
    with pytest.raises(ValidationError, match="VOICELOOP_PII_KEY"):
        bare_settings(environment="production", secret_key=SECRET)
    assert bare_settings(environment="production", secret_key=SECRET, pii_key=KEY)
    assert bare_settings().pii_key.get_secret_value() == DEVELOPMENT_PII_KEY
