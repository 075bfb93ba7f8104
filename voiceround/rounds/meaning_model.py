"""A round's meaning model: which candidate sentences say a cue in other words than its lexicon.

A cue lexicon (``[scoring.cue_features]``) catches the wordings it lists. On answers from writers it
was not tuned on it caught a quarter to a third of the ways people say "I did exactly what the
ticket said and not a line more" or "honestly it was more of a gut feel" (docs/BENCHMARKS.md, "A
phrase bank"). A meaning model reads a sentence's vector from the sentence encoder
(all-MiniLM-L6-v2, :mod:`voiceround.engines.encoder`) with one logistic regression per cue,
trained on the labelled corpus's ``dev`` split and a phrase bank written blind to the code
(``tools/train_meaning_cues.py``). A sentence whose probability reaches the cue's threshold counts
for the feature ``<cue>_read``: the lexicon's sentences together with these (the scorer,
``voiceround.scoring.scorer``). The round's traps read ``<cue>_read``; tiers still read the lexicon
(the tier model was fitted on it).

A trap can also be read from its sentences as a whole (:class:`MeaningTrap`): abstraction drift
("high-level philosophy instead of concrete actions") is a property of how much of an answer is
abstract, which a per-answer model over every sentence's probability, beside the round file's rule,
read better than the rule alone on dev (each writer's batch held out), on test and on answers kept
outside the project (docs/BENCHMARKS.md, "Reading by meaning").

A model file is JSON::

    {"format": 1, "encoder": "all-MiniLM-L6-v2", "dim": 384,
     "cues": {CUE: {"coef": [384 numbers], "intercept": number, "threshold": probability,
                    "phase": [PHASE, ...] or null}},
     "traps": {TRAP: {"phases": [PHASE, ...], "sentence_coef": [384 + one per phase], "sentence_intercept": number,
                      "answer_coef": [rule, max, top-3 mean, mean], "answer_intercept": number, "threshold": probability}},
     "trained": {...provenance: corpus, phrase bank, sentences, C, date...}}
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from voiceround.rounds.tier_model import read_json

FORMAT = 1
DIM = 384
MAX_WEIGHT = 1000.0   # past it the file is damaged (trained weights stay within a few units)


class MeaningModelError(ValueError):
    """A meaning model file that can't be read or is malformed."""


@dataclass(frozen=True)
class MeaningCue:
    """One cue's sentence classifier: P(cue) = sigmoid(coef · vector + intercept); a sentence counts
    at ``threshold`` or above, and only in ``phases`` when given (as the cue's lexicon)."""

    coef: tuple[float, ...]
    intercept: float
    threshold: float
    phases: tuple[str, ...] | None = None


@dataclass(frozen=True)
class MeaningTrap:
    """One trap read from its sentences as a whole (multiple-instance: each sentence of a labelled
    answer carries the answer's label). A sentence's P(abstract) = sigmoid(sentence_coef ·
    [vector, phase one-hot over ``phases``] + sentence_intercept); the answer's P(trap) =
    sigmoid(answer_coef · [round-file rule holds (0/1), max, mean of the top 3, mean of all
    sentence probabilities] + answer_intercept); flagged at ``threshold`` or above."""

    phases: tuple[str, ...]
    sentence_coef: tuple[float, ...]
    sentence_intercept: float
    answer_coef: tuple[float, float, float, float]
    answer_intercept: float
    threshold: float

    def sentence_probabilities(self, vectors, phases: list[str]) -> list[float]:
        """P per sentence, for an (n, 384) array of unit vectors and each sentence's phase."""
        import numpy as np
        onehot = np.array([[p == q for q in self.phases] for p in phases], dtype=np.float64).reshape(len(phases), len(self.phases))
        X = np.hstack([np.asarray(vectors, dtype=np.float64).reshape(len(phases), DIM), onehot])
        return (1.0 / (1.0 + np.exp(-(X @ np.asarray(self.sentence_coef) + self.sentence_intercept)))).tolist()

    @staticmethod
    def aggregates(probabilities: list[float]) -> tuple[float, float, float]:
        """(max, mean of the top 3, mean) of the sentence probabilities; zeros for none."""
        if not probabilities:
            return 0.0, 0.0, 0.0
        top = sorted(probabilities, reverse=True)
        return top[0], sum(top[:3]) / len(top[:3]), sum(top) / len(top)

    def probability(self, rule: bool, aggregates: tuple[float, float, float]) -> float:
        """The answer's P(trap) from the rule's verdict and the sentence aggregates."""
        z = self.answer_intercept + sum(w * x for w, x in zip(self.answer_coef, (float(rule), *aggregates), strict=True))
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class MeaningModel:
    """The cues of one round, by cue feature name, and the traps read from sentences as a whole,
    by trap id; ``trained`` is the provenance; ``path`` the file."""

    encoder: str
    cues: dict[str, MeaningCue]
    trained: dict = field(default_factory=dict, compare=False)
    path: Path | None = None
    traps: dict[str, MeaningTrap] = field(default_factory=dict)

    def probabilities(self, cue: str, vectors) -> list[float]:
        """P(cue) for each row of ``vectors`` (an (n, 384) array of unit sentence vectors)."""
        import numpy as np
        c = self.cues[cue]
        z = np.asarray(vectors, dtype=np.float64) @ np.asarray(c.coef) + c.intercept
        return (1.0 / (1.0 + np.exp(-z))).tolist()


def load_meaning_model(path: Path) -> MeaningModel:
    """Read a meaning model file. Raises :class:`MeaningModelError` when it can't be read or is
    malformed (a missing key, a weight vector not 384 long, a threshold outside 0-1)."""
    data = read_json(path, "meaning model", MeaningModelError)
    try:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise MeaningModelError(f"meaning model {path}: format {data.get('format') if isinstance(data, dict) else None!r} is not {FORMAT}")
        if data.get("dim") != DIM:
            raise MeaningModelError(f"meaning model {path}: dim {data.get('dim')!r} is not {DIM} (the sentence encoder's)")
        cues = {}
        for name, c in data["cues"].items():
            coef = tuple(float(w) for w in c["coef"])
            intercept, threshold = float(c["intercept"]), float(c["threshold"])
            if len(coef) != DIM:
                raise MeaningModelError(f"meaning model {path}: cue {name!r} has {len(coef)} weights, not {DIM}")
            if not all(math.isfinite(w) and abs(w) <= MAX_WEIGHT for w in (*coef, intercept)):
                raise MeaningModelError(f"meaning model {path}: cue {name!r} has a weight that is not a number or beyond "
                                        f"±{MAX_WEIGHT:g} (a damaged file: retrain it with tools/train_meaning_cues.py --write)")
            if not 0.0 < threshold < 1.0:
                raise MeaningModelError(f"meaning model {path}: cue {name!r} threshold {threshold} is not a probability between 0 and 1")
            phases = c.get("phase")
            cues[name] = MeaningCue(coef, intercept, threshold, tuple(phases) if phases else None)
        traps = {}
        for name, t in (data.get("traps") or {}).items():
            phases = tuple(str(p) for p in t["phases"])
            scoef = tuple(float(w) for w in t["sentence_coef"])
            acoef = tuple(float(w) for w in t["answer_coef"])
            weights = (*scoef, *acoef, float(t["sentence_intercept"]), float(t["answer_intercept"]))
            if len(scoef) != DIM + len(phases) or len(acoef) != 4:
                raise MeaningModelError(f"meaning model {path}: trap {name!r} has {len(scoef)} sentence weights (should be "
                                        f"{DIM} + one per phase) and {len(acoef)} answer weights (should be 4)")
            if not all(math.isfinite(w) and abs(w) <= MAX_WEIGHT for w in weights):
                raise MeaningModelError(f"meaning model {path}: trap {name!r} has a weight that is not a number or beyond ±{MAX_WEIGHT:g}")
            threshold = float(t["threshold"])
            if not 0.0 < threshold < 1.0:
                raise MeaningModelError(f"meaning model {path}: trap {name!r} threshold {threshold} is not a probability between 0 and 1")
            traps[name] = MeaningTrap(phases, scoef, float(t["sentence_intercept"]), acoef, float(t["answer_intercept"]), threshold)
    except MeaningModelError:
        raise
    except KeyError as exc:
        raise MeaningModelError(f"meaning model {path} is missing the field {exc}") from exc
    except (TypeError, AttributeError, ValueError) as exc:
        raise MeaningModelError(f"meaning model {path} has a field of the wrong kind: {exc}") from exc
    return MeaningModel(str(data.get("encoder", "")), cues, dict(data.get("trained", {})), Path(path), traps)
