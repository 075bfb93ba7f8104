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

A model file is JSON::

    {"format": 1, "encoder": "all-MiniLM-L6-v2", "dim": 384,
     "cues": {CUE: {"coef": [384 numbers], "intercept": number, "threshold": probability,
                    "phase": [PHASE, ...] or null}},
     "trained": {...provenance: corpus, phrase bank, sentences, C, date...}}
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

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
class MeaningModel:
    """The cues of one round, by cue feature name; ``trained`` is the provenance; ``path`` the file."""

    encoder: str
    cues: dict[str, MeaningCue]
    trained: dict = field(default_factory=dict, compare=False)
    path: Path | None = None

    def probabilities(self, cue: str, vectors) -> list[float]:
        """P(cue) for each row of ``vectors`` (an (n, 384) array of unit sentence vectors)."""
        import numpy as np
        c = self.cues[cue]
        z = np.asarray(vectors, dtype=np.float64) @ np.asarray(c.coef) + c.intercept
        return (1.0 / (1.0 + np.exp(-z))).tolist()


def load_meaning_model(path: Path) -> MeaningModel:
    """Read a meaning model file. Raises :class:`MeaningModelError` when it can't be read or is
    malformed (a missing key, a weight vector not 384 long, a threshold outside 0-1)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise MeaningModelError(f"cannot read meaning model {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise MeaningModelError(f"meaning model {path} is not valid JSON: {exc}") from exc
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
    except MeaningModelError:
        raise
    except KeyError as exc:
        raise MeaningModelError(f"meaning model {path} is missing the field {exc}") from exc
    except (TypeError, AttributeError, ValueError) as exc:
        raise MeaningModelError(f"meaning model {path} has a field of the wrong kind: {exc}") from exc
    return MeaningModel(str(data.get("encoder", "")), cues, dict(data.get("trained", {})), Path(path))
