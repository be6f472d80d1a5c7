"""Per-transcript time of ``Redactor.redact``: a PII-free and a PII-full 1,500-character
transcript in English, Chinese and Japanese, built from the redaction tests' sentences (the
clean sentences, and the golden set's sentences with their values in place).

    .venv/bin/python bench/redaction.py

Prints, per transcript, the best of 7 runs of 200 calls (CPU time of this process, so other
work on the machine matters less) and how many values were replaced, with the load average.
A few seconds after the redactor is built; nothing is downloaded.
"""

from __future__ import annotations

import os
import sys
import time
import timeit
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from foundation.redaction import get_redactor
from tests.foundation import redaction_cases_cjk as cjk
from tests.foundation import test_redaction as en

SIZE = 1500


def transcript(sentences: list[str]) -> str:
    """The sentences, one per line, repeated until the text is ``SIZE`` characters long."""
    lines: list[str] = []
    while sum(len(line) + 1 for line in lines) < SIZE:
        lines.append(sentences[len(lines) % len(sentences)])
    return "\n".join(lines)[:SIZE]


def main() -> None:
    cases = {
        "en": ([s.format(v=v) for _, v, s in en.VALID], en.CLEAN, ["Jane Smith"]),
        "zh": ([s.format(v=v) for _, v, s, _ in cjk.ZH_VALID], cjk.ZH_CLEAN, cjk.ZH),
        "ja": ([s.format(v=v) for _, v, s, _ in cjk.JA_VALID], cjk.JA_CLEAN, cjk.JA),
    }
    redactor = get_redactor()
    print(f"load average {os.getloadavg()[0]:.1f}; ms per {SIZE}-character transcript")
    for lang, (with_pii, clean, names) in cases.items():
        for label, sentences in (("PII-free", clean), ("full of PII", with_pii)):
            text = transcript(sentences)
            replaced = sum(redactor.redact(text, names)[1].values())
            runs = timeit.repeat(
                partial(redactor.redact, text, names),
                number=200,
                repeat=7,
                timer=time.process_time,
            )
            print(f"{lang} {label:12s} {min(runs) / 200 * 1000:6.3f} ms  {replaced:3d} replaced")


if __name__ == "__main__":
    main()
