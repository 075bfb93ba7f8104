"""A round's tier model: the tier of each rubric dimension from the scorer's features, learned from
human labels.

The scorer's features (roles, phases, claims, actions, cues: ``voiceround.scoring.scorer``) are
what VoiceRound reads in an answer; how much each one weighs in a human reader's tier is learned
here, per dimension, by multinomial logistic regression with an L2 penalty (the objective of
scikit-learn's ``LogisticRegression(C=…)``, fitted by Newton's method in numpy). On the
Disagree and Commit corpus (``tests/data/corpus``) this held better on answers from a batch it
had not seen than the hand-written tier conditions did: leave-one-batch-out on ``dev``, and the
``test`` split and two sets kept outside the project (docs/BENCHMARKS.md, "Tier model").

A model file is JSON::

    {"format": 2, "inputs": [[FEATURE, "count", CAP] or [FEATURE, "atleast", THRESHOLD], ...],
     "dimensions": {DIM: {"classes": [1, 2, 3, 4], "coef": [[...per input...] per class], "intercept": [...]}},
     "trained": {...provenance: corpus, answers, C, date, cross-validation...}}

The file may also carry ``"projections"``: the story read by meaning, for answers scored with the
sentence encoder (``voiceround.engines.encoder``, all-MiniLM-L6-v2, 384-dimensional unit vectors)::

    "projections": [{"name": "story_argument_1", "phases": ["argument", "decision"],
                     "mean": [...384...], "direction": [...384...]}, ...]

A projection's value is ``(m - mean) · direction``, where ``m`` is the mean vector of the answer's
sentences tagged with one of ``phases`` (``voiceround.analysis``'s phase tagger): the leading
principal components of those means over the ``dev`` answers, scaled to unit variance there (a
whitened PCA, fitted by ``tools/train_tier_model.py``). It enters the model as an input
``[NAME, "value", 0]``. Without the encoder, or with no sentence in its phases, the value is 0: the
``dev`` answers' mean, so the model reads the features alone. Leave-one-batch-out on the 580 ``dev``
answers of 2026-12-04: four components for each of the argument (with the decision), commitment and
outcome phases, 71.7% -> 72.9% exact (docs/BENCHMARKS.md).

An input ``[FEATURE, "count", CAP]`` is ``log1p(min(value, CAP))``: a count, where the first number
told weighs more than the second and anything past CAP (3) weighs the same, so a story with nine
numbers reads like one with eight, and a number said in words like one in digits. ``[FEATURE,
"atleast", T]`` is 1 when the value is at least T, else 0 (shares, at 0.2, 0.5 and 0.8: a story
told a little faster or slower does not move a tier). ``[NAME, "value", 0]`` is the value itself,
clipped to ±VALUE_LIMIT (a projection). A feature the transcript lacks reads 0.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = 2
# No trained weight comes near this (the penalised fit keeps them within a few units); past it the
# file is damaged, and a weight of 1e308 or NaN would decide every tier by itself.
MAX_WEIGHT = 1000.0


KINDS = ("count", "atleast", "value")
# A projection is whitened on dev (unit variance): past ±8 standard deviations an answer is nothing
# like those the model learned from, and one input must not decide its tiers.
VALUE_LIMIT = 8.0
# The sentence encoder's vector size (all-MiniLM-L6-v2).
VECTOR_SIZE = 384


def encode(value: float, kind: str, param: float) -> float:
    """One model input from a feature value: ``"count"``: ``log1p(min(max(value, 0), param))``;
    ``"atleast"``: 1.0 if ``value >= param`` else 0.0; ``"value"``: the value clipped to ±VALUE_LIMIT."""
    if kind == "count":
        return math.log1p(min(max(value, 0.0), param))
    if kind == "value":
        return min(max(value, -VALUE_LIMIT), VALUE_LIMIT)
    return 1.0 if value >= param else 0.0


def phase_mean(vectors, phases: list[str | None], group):
    """The mean (a numpy array of 384 floats) of the sentence ``vectors`` (n x 384, one row per
    sentence) whose phase (``phases[i]``) is in ``group``; None when no sentence is."""
    import numpy as np
    rows = [i for i, p in enumerate(phases) if p in group]
    if len(phases) != len(vectors):
        raise ValueError(f"{len(vectors)} sentence vectors for {len(phases)} phases")
    if not rows:
        return None
    return np.asarray(vectors, dtype=np.float64)[rows].mean(axis=0)


@dataclass(frozen=True)
class Projection:
    """One whitened principal component of an answer's mean sentence vector in some phases (see the
    module docstring): ``value = (phase mean - mean) · direction``."""

    name: str
    phases: tuple[str, ...]
    mean: tuple[float, ...]
    direction: tuple[float, ...]

    def value(self, vectors, phases: list[str | None], mean=None) -> float:
        """The projection of one answer (``vectors``: its sentences' n x 384 vectors, ``phases``: their
        phases); 0.0 (the dev answers' mean) when no sentence is in this projection's phases.
        ``mean``: the phase mean when already computed (:func:`phase_mean`)."""
        import numpy as np
        m = phase_mean(vectors, phases, self.phases) if mean is None else mean
        if m is None:
            return 0.0
        return float((m - np.asarray(self.mean)) @ np.asarray(self.direction))


def fit_projections(means, k: int):
    """A whitened PCA of answers' phase means: ``means`` (answers, 384) -> ``(mean (384,), directions
    (k, 384))`` such that ``(means - mean) @ directions.T`` has unit variance per component. Each
    direction's sign is fixed (its largest entry positive), so refitting the same data gives the same file."""
    import numpy as np
    M = np.asarray(means, float)
    mu = M.mean(axis=0)
    _, sv, Vt = np.linalg.svd(M - mu, full_matrices=False)
    D = Vt[:k] / (sv[:k, None] / np.sqrt(len(M)))
    D *= np.sign(D[np.arange(len(D)), np.abs(D).argmax(axis=1)])[:, None]
    return mu, D


class TierModelError(ValueError):
    """A tier model file that can't be used (unreadable, not JSON, wrong shape); the message names the file and what is wrong."""


@dataclass(frozen=True)
class DimensionModel:
    """One dimension's weights: ``coef[k][j]`` is feature ``j``'s weight for tier ``classes[k]``."""

    classes: tuple[int, ...]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]


@dataclass(frozen=True)
class TierModel:
    """Weights per rubric dimension over conditions on named features (see the module docstring)."""

    conditions: tuple[tuple[str, str, float], ...]
    dimensions: dict[str, DimensionModel]
    trained: dict = field(default_factory=dict, compare=False)
    path: Path | None = field(default=None, compare=False)
    projections: tuple[Projection, ...] = ()

    def story_features(self, vectors, phases: list[str | None]) -> dict[str, float]:
        """``name -> value`` of each projection for one answer (``vectors``: n x 384 sentence vectors,
        ``phases``: each sentence's phase); empty for a model without projections."""
        means = {}
        for p in self.projections:
            if p.phases not in means:
                means[p.phases] = phase_mean(vectors, phases, p.phases)
        return {p.name: (p.value(vectors, phases, means[p.phases]) if means[p.phases] is not None else 0.0) for p in self.projections}

    @property
    def features(self) -> tuple[str, ...]:
        """The feature names the conditions read, in first-use order."""
        return tuple(dict.fromkeys(f for f, _, _ in self.conditions))

    def inputs(self, value_of) -> list[float]:
        """The model's input vector, one value per input (``value_of(feature) -> float``; see the module docstring)."""
        return [encode(float(value_of(f)), kind, p) for f, kind, p in self.conditions]

    def predict(self, dim_id: str, x: list[float]) -> tuple[int, dict[int, float], list[tuple[str, float]]]:
        """``(tier, {tier: probability}, contributions)`` for dimension ``dim_id`` at input ``x``
        (:meth:`inputs`). ``contributions``: ``(feature, amount)`` for the features that pushed
        toward the chosen tier against the mean of the other tiers, largest first, positive only
        (a feature's amount sums over its conditions).
        The tier is the most probable class (ties: the lower tier). Raises ``KeyError`` for a
        dimension the model does not cover."""
        dm = self.dimensions[dim_id]
        logits = [b + sum(w * v for w, v in zip(row, x, strict=True)) for row, b in zip(dm.coef, dm.intercept, strict=True)]
        top = max(logits)
        exp = [math.exp(z - top) for z in logits]
        norm = sum(exp)
        probs = {c: e / norm for c, e in zip(dm.classes, exp, strict=True)}
        k = max(range(len(dm.classes)), key=lambda i: (logits[i], -i))
        others = [i for i in range(len(dm.classes)) if i != k]
        amounts: dict[str, float] = {}
        for j, (name, _, _) in enumerate(self.conditions):
            if x[j] == 0.0 or not others:
                continue
            amounts[name] = amounts.get(name, 0.0) + x[j] * (dm.coef[k][j] - sum(dm.coef[i][j] for i in others) / len(others))
        contrib = [(name, a) for name, a in amounts.items() if a > 0]
        contrib.sort(key=lambda t: -t[1])
        return dm.classes[k], probs, contrib


def read_json(path: Path, what: str, error: type[Exception]):
    """The JSON in ``path``; ``error(message)`` naming ``what`` when it can't be read or parsed."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"cannot read {what} {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise error(f"{what} {path} is not valid JSON: {exc}") from exc


def load_tier_model(path: Path) -> TierModel:
    """Read a tier model file. Raises :class:`TierModelError` when it can't be read or is malformed
    (a missing key, weights not matching the feature list, a tier outside 1-4)."""
    data = read_json(path, "tier model", TierModelError)
    name = str(path)
    try:
        if not isinstance(data, dict):
            raise TierModelError(f"tier model {name} should be a JSON object")
        if data.get("format") != FORMAT:
            raise TierModelError(f"tier model {name}: format {data.get('format')!r} is not {FORMAT}")
        conditions = tuple((str(f), str(kind), float(p)) for f, kind, p in data["inputs"])
        bad = next((c for c in conditions if c[1] not in KINDS), None)
        if bad is not None:
            raise TierModelError(f"tier model {name}: input {list(bad)!r} is not \"count\", \"atleast\" or \"value\"")
        projections = tuple(Projection(str(p["name"]), tuple(str(x) for x in p["phases"]), tuple(float(v) for v in p["mean"]),
                                       tuple(float(v) for v in p["direction"])) for p in data.get("projections", ()))
        for p in projections:
            if len(p.mean) != VECTOR_SIZE or len(p.direction) != VECTOR_SIZE or not p.phases:
                raise TierModelError(f"tier model {name}: projection {p.name!r} needs phases and a mean and direction of "
                                     f"{VECTOR_SIZE} numbers each (the sentence encoder's vectors)")
            if not all(math.isfinite(v) and abs(v) <= MAX_WEIGHT for v in (*p.mean, *p.direction)):
                raise TierModelError(f"tier model {name}: projection {p.name!r} has a number that is not finite or "
                                     f"beyond ±{MAX_WEIGHT:g} (a damaged file: retrain it with tools/train_tier_model.py --write)")
        known = {p.name for p in projections}
        stray = next((c for c in conditions if c[1] == "value" and c[0] not in known), None)
        if stray is not None:
            raise TierModelError(f"tier model {name}: input {list(stray)!r} reads a projection the file does not have")
        dims = {}
        for dim_id, d in data["dimensions"].items():
            classes = tuple(int(c) for c in d["classes"])
            coef = tuple(tuple(float(w) for w in row) for row in d["coef"])
            intercept = tuple(float(b) for b in d["intercept"])
            if not classes or any(c not in (1, 2, 3, 4) for c in classes) or list(classes) != sorted(set(classes)):
                raise TierModelError(f"tier model {name}: dimension {dim_id!r} has classes {list(classes)}; "
                                     "they should be distinct tiers 1-4 in increasing order")
            if len(coef) != len(classes) or len(intercept) != len(classes) or any(len(row) != len(conditions) for row in coef):
                raise TierModelError(f"tier model {name}: dimension {dim_id!r} has weights that don't match "
                                     f"its {len(classes)} tiers and {len(conditions)} inputs")
            if not all(math.isfinite(w) and abs(w) <= MAX_WEIGHT for row in (*coef, intercept) for w in row):
                raise TierModelError(f"tier model {name}: dimension {dim_id!r} has a weight that is not a number or "
                                     f"beyond ±{MAX_WEIGHT:g} (a damaged file: retrain it with tools/train_tier_model.py --write)")
            dims[dim_id] = DimensionModel(classes, coef, intercept)
    except TierModelError:
        raise
    except KeyError as exc:
        raise TierModelError(f"tier model {name} is missing the field {exc}") from exc
    except (TypeError, AttributeError, ValueError) as exc:
        raise TierModelError(f"tier model {name} has a field of the wrong kind (inputs: [feature, kind, number] lists; "
                             f"dimensions: classes, coef, intercept as numbers): {exc}") from exc
    return TierModel(conditions, dims, dict(data.get("trained", {})), Path(path), projections)


def fit_multinomial(X, y, C: float = 0.1, iterations: int = 50):
    """Multinomial logistic regression by Newton's method: minimise ``C * Σ cross-entropy + ½‖W‖²``
    (the intercept unpenalised), scikit-learn's ``LogisticRegression(C=C)`` objective.

    ``X``: array (answers, features), already transformed; ``y``: tiers (answers,). Returns
    ``(classes, coef (classes, features), intercept (classes,))`` as numpy arrays."""
    import numpy as np
    X = np.asarray(X, float)
    y = np.asarray(y)
    classes = np.unique(y)
    n, p = X.shape
    k = len(classes)
    Y = (y[:, None] == classes[None, :]).astype(float)
    Xb = np.hstack([X, np.ones((n, 1))])
    W = np.zeros((k, p + 1))
    reg = np.ones(p + 1)
    reg[-1] = 1e-8  # the intercept is not penalised (a tiny ridge keeps the Newton step defined)

    def objective(W):
        Z = Xb @ W.T
        Z -= Z.max(axis=1, keepdims=True)
        logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
        return -C * (Y * logp).sum() + 0.5 * (reg * W * W).sum()

    for _ in range(iterations):
        Z = Xb @ W.T
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        G = (C * (P - Y).T @ Xb + reg * W).ravel()
        H = np.zeros((k * (p + 1), k * (p + 1)))
        for a in range(k):
            for b in range(k):
                w = P[:, a] * ((a == b) - P[:, b])
                H[a * (p + 1):(a + 1) * (p + 1), b * (p + 1):(b + 1) * (p + 1)] = C * (Xb * w[:, None]).T @ Xb
        H += np.diag(np.tile(reg, k))
        step = np.linalg.solve(H, G).reshape(k, p + 1)
        t, f0 = 1.0, objective(W)
        while objective(W - t * step) > f0 - 1e-4 * t * (G @ step.ravel()) and t > 1e-6:
            t /= 2
        W -= t * step
        if np.abs(t * step).max() < 1e-8:
            break
    return classes, W[:, :p], W[:, p]
