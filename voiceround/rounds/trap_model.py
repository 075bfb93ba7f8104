"""A round's trap model: whether each trap is in an answer, from the scorer's features, learned from
human labels.

The round file's trap conditions (``[[traps]] when``) were written by reading the labelled ``dev``
answers; on answers by writers they had not seen (``test``) they flagged traps with precision 0.67
and recall 0.69 (2026-12-03). A per-trap binary logistic regression over the same features the
conditions read (L2 penalty, fitted by Newton's method: :func:`voiceround.rounds.tier_model.fit_multinomial`
with two classes) held better on writers it had not seen: leave-one-batch-out on ``dev``, then
``test`` and a set kept outside the project (docs/BENCHMARKS.md, "Trap model"). The scorer uses it
when the round names one (``[scoring] trap_model``) and the cues it reads by meaning could be read;
otherwise the round file's conditions decide (``voiceround.scoring.scorer.detect_traps``).

A model file is JSON::

    {"format": 1, "inputs": [[FEATURE, "count", CAP] or [FEATURE, "atleast", THRESHOLD], ...],
     "traps": {TRAP_ID: {"readings": [{"name": N, "coef": [...one per input...], "intercept": B, "threshold": T}, ...]}},
     "trained": {...provenance: corpus, answers, C, date, cross-validation...}}

Inputs are encoded as the tier model's (:func:`voiceround.rounds.tier_model.encode`): counts as
``log1p(min(value, CAP))``, shares and probabilities as 0/1 at a threshold; a feature the
transcript lacks reads 0. Each reading's P(trap) = sigmoid(coef · inputs + intercept); the trap is
flagged when any reading reaches its threshold. Disagree and Commit has two per trap
(tools/train_trap_model.py): ``context``, over every feature (the whole answer: human readers
flag a trap less in an answer that is otherwise careful), and ``own``, over only the features the
trap's round-file condition names, at a higher threshold (a strong answer with one told-you-so
line still falls into the trap).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from voiceround.rounds.tier_model import KINDS, MAX_WEIGHT, encode, read_json

FORMAT = 1


class TrapModelError(ValueError):
    """A trap model file that can't be used (unreadable, not JSON, wrong shape); the message names the file and what is wrong."""


@dataclass(frozen=True)
class TrapWeights:
    """One reading of a trap: ``coef[j]`` for input ``j``; it flags the trap when P >= ``threshold`` (0-1)."""

    name: str
    coef: tuple[float, ...]
    intercept: float
    threshold: float


@dataclass(frozen=True)
class TrapModel:
    """Weights per trap id over conditions on named features (see the module docstring)."""

    conditions: tuple[tuple[str, str, float], ...]
    traps: dict[str, tuple[TrapWeights, ...]]
    trained: dict = field(default_factory=dict, compare=False)
    path: Path | None = field(default=None, compare=False)

    @property
    def features(self) -> tuple[str, ...]:
        """The feature names the inputs read, in first-use order."""
        return tuple(dict.fromkeys(f for f, _, _ in self.conditions))

    def read(self, trap_id: str, value_of) -> tuple[bool, float, list[tuple[str, float]]]:
        """``(flagged, P, contributions)`` for ``trap_id`` (``value_of(feature) -> float``): flagged
        when any reading reaches its threshold; ``P`` and ``contributions`` are those of the reading
        nearest to or furthest past its threshold (P / threshold). ``contributions``: ``(feature,
        amount)`` of the features that pushed toward the trap (positive weight times input), largest
        first. Raises ``KeyError`` for a trap the model does not cover."""
        x = [encode(float(value_of(name)), kind, param) for name, kind, param in self.conditions]
        best = None
        for w in self.traps[trap_id]:
            z = w.intercept + sum(c * v for c, v in zip(w.coef, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(min(z, 500.0), -500.0)))
            if best is None or p / w.threshold > best[0]:
                best = (p / w.threshold, p, w)
        _, p, w = best
        amounts: dict[str, float] = {}
        for (name, _, _), c, v in zip(self.conditions, w.coef, x, strict=True):
            if v and c * v > 0:
                amounts[name] = amounts.get(name, 0.0) + c * v
        return p >= w.threshold, p, sorted(amounts.items(), key=lambda t: -t[1])


def load_trap_model(path: Path) -> TrapModel:
    """Read a trap model file. Raises :class:`TrapModelError` when it can't be read or is malformed
    (a missing key, weights not matching the inputs, a threshold outside 0-1, a weight that is not
    a number or beyond ±:data:`~voiceround.rounds.tier_model.MAX_WEIGHT`)."""
    data = read_json(path, "trap model", TrapModelError)
    name = str(path)
    try:
        if not isinstance(data, dict):
            raise TrapModelError(f"trap model {name} should be a JSON object")
        if data.get("format") != FORMAT:
            raise TrapModelError(f"trap model {name}: format {data.get('format')!r} is not {FORMAT}")
        conditions = tuple((str(f), str(kind), float(p)) for f, kind, p in data["inputs"])
        bad = next((c for c in conditions if c[1] not in KINDS), None)
        if bad is not None:
            raise TrapModelError(f"trap model {name}: input {list(bad)!r} is not \"count\" or \"atleast\"")
        traps = {}
        for trap_id, t in data["traps"].items():
            readings = []
            for r in t["readings"]:
                coef = tuple(float(w) for w in r["coef"])
                intercept, threshold = float(r["intercept"]), float(r["threshold"])
                if len(coef) != len(conditions):
                    raise TrapModelError(f"trap model {name}: trap {trap_id!r} has {len(coef)} weights for {len(conditions)} inputs")
                if not all(math.isfinite(w) and abs(w) <= MAX_WEIGHT for w in (*coef, intercept)):
                    raise TrapModelError(f"trap model {name}: trap {trap_id!r} has a weight that is not a number or beyond "
                                         f"±{MAX_WEIGHT:g} (a damaged file: retrain it with tools/train_trap_model.py --write)")
                if not 0.0 < threshold < 1.0:
                    raise TrapModelError(f"trap model {name}: trap {trap_id!r} has threshold {threshold}; it should be between 0 and 1")
                readings.append(TrapWeights(str(r.get("name", "")), coef, intercept, threshold))
            if not readings:
                raise TrapModelError(f"trap model {name}: trap {trap_id!r} has no readings")
            traps[str(trap_id)] = tuple(readings)
    except TrapModelError:
        raise
    except KeyError as exc:
        raise TrapModelError(f"trap model {name} is missing the field {exc}") from exc
    except (TypeError, AttributeError, ValueError) as exc:
        raise TrapModelError(f"trap model {name} has a field of the wrong kind (inputs: [feature, kind, number] lists; "
                             f"traps: readings of coef, intercept, threshold as numbers): {exc}") from exc
    return TrapModel(conditions, traps, dict(data.get("trained", {})), Path(path))
