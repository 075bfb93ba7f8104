"""The round's tier model (voiceround/rounds/tier_model.py): loaded and checked with the round, kept in
step with the features it was trained on, and never more than one tier from the anchors' conditions."""
import glob
import json
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT, SHARED
from voiceround.rounds import RoundFileError, load_round
from voiceround.rounds.tier_model import fit_multinomial, load_tier_model
from voiceround.scoring import score
from voiceround.session.cases import load_case, text_transcript

MODEL = ROOT / "voiceround" / "rounds" / "disagree_and_commit.tiers.json"


@pytest.mark.fast
def test_the_shipped_model_was_trained_on_dev_only_and_covers_the_framework(rnd):
    model = rnd.scoring["tier_model"]
    dev = sorted(glob.glob(str(ROOT / "tests" / "data" / "corpus" / "dev" / "*.toml")))
    assert model.trained["corpus"] == "tests/data/corpus/dev" and model.trained["answers"] == len(dev)
    assert set(model.dimensions) == {d.id for d in rnd.rubrics[rnd.primary_rubric].dimensions}
    assert not any(f.startswith("seconds_in_") or f in ("sentences", "commitment_time_share") for f in model.features)  # length moves no tier


@pytest.mark.fast
def test_fit_reaches_the_penalised_optimum():
    # Newton's method on C * cross-entropy + ½‖W‖²: the gradient vanishes at the result.
    rng = np.random.default_rng(0)
    X = rng.random((120, 5))
    y = np.digitize(X @ np.array([2.0, -1.0, 0.5, 0.0, 1.0]) + rng.normal(0, 0.3, 120), [0.3, 0.9, 1.5]) + 1
    classes, W, b = fit_multinomial(X, y, C=0.5)
    Z = X @ W.T + b
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    Y = (y[:, None] == classes[None, :]).astype(float)
    assert list(classes) == [1, 2, 3, 4]
    assert np.abs(0.5 * (P - Y).T @ X + W).max() < 1e-6 and np.abs((P - Y).sum(axis=0)).max() < 1e-4


@pytest.mark.fast
@pytest.mark.parametrize("content, says", [
    ("{not json", "not valid JSON"),
    ('{"format": 2, "inputs": [["i_actions", "count", 3]], "dimensions": {"customer_focus": {"classes": [1, 2], '
     '"coef": [[0.1, 0.2]], "intercept": [0, 0]}}}', "don't match"),
    ('{"format": 2, "inputs": [["i_actions", "squared", 3]], "dimensions": {}}', "is not \"count\", \"atleast\" or \"value\""),
    ('{"format": 1, "features": [], "dimensions": {}}', "format 1 is not 2"),
    # damaged weights and classes (a new user's finding: NaN weights were accepted and moved the total)
    ('{"format": 2, "inputs": [["i_actions", "count", 3]], "dimensions": {"customer_focus": {"classes": [1, 2], '
     '"coef": [[NaN], [0.2]], "intercept": [0, 0]}}}', "not a number"),
    ('{"format": 2, "inputs": [["i_actions", "count", 3]], "dimensions": {"customer_focus": {"classes": [1, 2], '
     '"coef": [[1e308], [0.2]], "intercept": [0, 0]}}}', "beyond"),
    ('{"format": 2, "inputs": [["i_actions", "count", 3]], "dimensions": {"customer_focus": {"classes": [2, 1], '
     '"coef": [[0.1], [0.2]], "intercept": [0, 0]}}}', "increasing order"),
    ('{"format": 2, "inputs": [["i_actions", "count", "a"]], "dimensions": {}}', "wrong kind"),
    ('{"format": 2, "dimensions": {}}', "missing the field 'inputs'"),
    # the story's projections by meaning: 384 numbers each, finite, and every "value" input names one
    ('{"format": 2, "inputs": [["story_whole_1", "value", 0]], "dimensions": {}, "projections": '
     '[{"name": "story_whole_1", "phases": ["argument"], "mean": [0, 0], "direction": [1, 0]}]}', "384 numbers"),
    ('{"format": 2, "inputs": [["story_whole_1", "value", 0]], "dimensions": {}, "projections": '
     '[{"name": "story_whole_1", "phases": ["argument"], "mean": [' + ", ".join(["0"] * 384) + '], "direction": [NaN'
     + ", 0" * 383 + ']}]}', "not finite"),
    ('{"format": 2, "inputs": [["story_whole_9", "value", 0]], "dimensions": {}}', "reads a projection the file does not have"),
])
def test_a_broken_model_file_is_refused_when_the_round_loads(tmp_path, content, says):
    src = (ROOT / "voiceround" / "rounds" / "disagree_and_commit.toml").read_text(encoding="utf-8")
    (tmp_path / "disagree_and_commit.tiers.json").write_text(content, encoding="utf-8")
    (tmp_path / "round.toml").write_text(src, encoding="utf-8")  # its lexicons are found among the bundled ones
    with pytest.raises(RoundFileError) as err:
        load_round(tmp_path / "round.toml")
    assert says in str(err.value) and err.value.field == "scoring.tier_model"
    assert load_round(tmp_path / "round.toml", tier_model=False).scoring.get("tier_model") is None


@pytest.mark.fast
def test_the_model_moves_no_tier_more_than_one_from_the_anchors_conditions(rnd):
    """The tier model's rule (never more than one tier from the conditions' tier), on every fourth
    `test` answer (193; all of them took 38 s of the suite's budget, every second 31 s). Read without the sentence
    encoder: the tier model reads the lexicons only, and the encoder's reading of the same answers
    is checked by the corpus floors (tests/test_scoring.py)."""
    from voiceround.engines.encoder import shared_encoder
    from voiceround.scoring import use_encoder
    moved = 0
    use_encoder(None)
    try:
        cards = [score(text_transcript(load_case(p)), rnd) for p in sorted(glob.glob(str(ROOT / "tests" / "data" / "corpus" / "test" / "*.toml")))[::4]]
    finally:
        use_encoder(shared_encoder)
    for card in cards:
        for d in card["dimensions"].values():
            given = d["tier"] if not d["capped_by"] else None
            if given is not None:
                assert abs(given - d["conditions_tier"]) <= 1, d
                moved += given != d["conditions_tier"]
            if "probability" in d:  # none for an answer under MIN_MODEL_SENTENCES: the conditions alone read it
                assert 0.0 <= d["probability"] <= 1.0
    assert moved > 0  # it does read answers differently from the conditions somewhere


def test_a_short_answer_is_read_by_the_anchors_conditions_alone(rnd):
    """The model learned on whole stories (10 sentences or more); a typed paragraph is read by the
    anchors' conditions, so "1.8% against 0.6%" is never put a tier under the anchor it meets."""
    from voiceround.core.types import Transcript, Turn
    from voiceround.scoring.scorer import MIN_MODEL_SENTENCES
    short = Transcript([Turn("candidate", "Last spring my director Priya wanted to ship the new checkout to everyone at once. "
                             "I argued for a staged rollout because the beta error rate was 1.8% against 0.6% on the old flow.", 0, 20)])
    card = score(short, rnd)
    assert card["features"]["sentences"] < MIN_MODEL_SENTENCES
    assert all("probability" not in d and (d["tier"] == d["conditions_tier"] or d["capped_by"]) for d in card["dimensions"].values())


def test_the_shipped_model_matches_the_current_features():
    """The model is trained on the scorer's features: a change to how they are read must retrain it
    (tools/train_tier_model.py --write), or the weights read different inputs than they learned."""
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "train_tier_model.py"), "--check"], capture_output=True, text=True,
                         timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stdout[-600:] + run.stderr[-1200:]
    assert "up to date" in run.stdout


@pytest.mark.fast
def test_load_tier_model_reads_the_shipped_file():
    model = load_tier_model(MODEL)
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    assert len(model.conditions) == len(data["inputs"]) and model.path == MODEL
    x = model.inputs(lambda name: 0.0)
    tier, probs, _ = model.predict("execution_commitment", x)
    assert tier in (1, 2) and abs(sum(probs.values()) - 1.0) < 1e-9  # nothing said: the lowest tiers


def test_the_story_read_by_meaning_ignores_padding_and_needs_the_encoder(rnd):
    """The tier model's projections of the story (rounds/tier_model.py, ``story_*``) read the mean
    sentence vector of the sentences that tell it: small talk added to every turn moves none of them,
    while a different story does; without the sentence encoder they are not computed (the model reads
    them as 0, the dev answers' mean) and the answer is still scored."""
    from voiceround.core.types import Transcript, Turn
    from voiceround.engines.encoder import shared_encoder
    from voiceround.scoring import use_encoder
    model = rnd.scoring["tier_model"]
    assert model.projections and all(p.name.startswith("story_") for p in model.projections)
    tr = text_transcript(load_case(SHARED / "cases" / "strong-staged-rollout.toml"))
    pad = " It was raining most of that week. The office had a new coffee machine."
    padded = Transcript([Turn(t.speaker, t.text + pad, t.start_s, t.end_s) for t in tr.turns])
    other = text_transcript(load_case(SHARED / "cases" / "weak-yields-quickly.toml"))
    story = [{p.name: card["features"][p.name] for p in model.projections} for card in (score(tr, rnd), score(padded, rnd), score(other, rnd))]
    assert story[0] == story[1]
    assert any(abs(story[0][k] - story[2][k]) > 0.5 for k in story[0])
    use_encoder(None)
    try:
        words_only = score(tr, rnd)
    finally:
        use_encoder(shared_encoder)
    assert not any(k.startswith("story_") for k in words_only["features"]) and words_only["total"] > 0
