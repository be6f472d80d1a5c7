"""Presidio's analyzer engine around the recognizers of ``foundation.redaction_patterns``.

Imported only when the first ``Redactor`` is built: ``import presidio_analyzer`` takes seconds
(it imports spaCy, and with it PyTorch), so ``foundation.redaction`` itself stays cheap to import.
The engine runs with Presidio's no-NLP-model engine (no spaCy model is loaded or downloaded);
each recognizer is one of our finders, scored 1.0, and context is read by the finders
themselves. Nothing here logs the text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    LocalRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, NoOpNlpEngine
from presidio_analyzer.predefined_recognizers import IbanRecognizer
from presidio_analyzer.predefined_recognizers.generic.iban_patterns import regex_per_country

LANGUAGE = "en"
Finder = Callable[[str], Iterable[tuple[int, int]]]
Analyze = Callable[[str, list[str]], list[tuple[int, int, float, str]]]


def iban_patterns() -> tuple[str, dict[str, Any]]:
    """Presidio's IBAN candidate pattern and its BBAN format per country."""
    return IbanRecognizer.PATTERNS[0].regex, dict(regex_per_country)


class _FinderRecognizer(LocalRecognizer):
    """One entity type found by a finder; every span it yields scores 1.0."""

    name: str

    def __init__(self, entity: str, name: str, find: Finder) -> None:
        self._find = find
        super().__init__(supported_entities=[entity], name=name, supported_language=LANGUAGE)

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        entity = self.supported_entities[0]
        metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }
        return [
            RecognizerResult(entity, start, end, 1.0, recognition_metadata=dict(metadata))
            for start, end in self._find(text)
        ]


class _NoContextEnhancer(ContextAwareEnhancer):
    """Context is read by the finders themselves; the no-NLP engine yields no lemmas."""

    def __init__(self) -> None:
        super().__init__(0.0, 0.0, 0, 0)

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        return raw_results


def analyzer(recognizers: Sequence[tuple[str, str, Finder]]) -> Analyze:
    """``analyze(text, entity types)``: (start, end, score, entity type) of every span found."""
    registry = RecognizerRegistry(
        recognizers=[_FinderRecognizer(entity, name, find) for entity, name, find in recognizers],
        supported_languages=[LANGUAGE],
    )
    nlp_engine = NoOpNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": "none"}])
    engine = AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[LANGUAGE],
        context_aware_enhancer=_NoContextEnhancer(),
    )
    # Empty artifacts, made once: the no-NLP engine would build identical ones per call.
    artifacts = nlp_engine.process_text("", LANGUAGE)

    def analyze(text: str, entities: list[str]) -> list[tuple[int, int, float, str]]:
        results = engine.analyze(
            text=text, language=LANGUAGE, entities=entities, nlp_artifacts=artifacts
        )
        return [(r.start, r.end, r.score, r.entity_type) for r in results]

    return analyze
