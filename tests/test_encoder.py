"""The sentence encoder (voiceround/engines/encoder.py) and the scorer's reading of cues by meaning
(voiceround/rounds/meaning_model.py), on the bundled model."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT
from voiceround.core.errors import ModelError
from voiceround.core.types import Transcript, Turn
from voiceround.engines import models
from voiceround.engines.encoder import SentenceEncoder
from voiceround.rounds import RoundFileError, load_round
from voiceround.scoring import score, use_encoder


def test_encoder_matches_the_models_published_similarities(sentence_encoder):
    """sbert.net's quick start for all-MiniLM-L6-v2: 0.6660 and 0.1046 (cosine of unit vectors)."""
    v = sentence_encoder.encode(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."])
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    sim = v @ v.T
    assert abs(sim[0, 1] - 0.6660) < 0.002 and abs(sim[0, 2] - 0.1046) < 0.002 and abs(sim[1, 2] - 0.1411) < 0.002


def test_digits_and_words_get_the_same_vector(sentence_encoder):
    a, b = sentence_encoder.encode(["Refunds fell 14% in 3 weeks, about $2M.", "Refunds fell fourteen percent in three weeks, about two million dollars."])
    assert np.array_equal(a, b)


def test_a_missing_or_corrupt_encoder_model_is_a_clear_error(tmp_path, monkeypatch):
    cut = tmp_path / "model.zip"
    cut.write_bytes(models.resolve("encoder").path.read_bytes()[:5000])
    broken = SentenceEncoder(models.resolve("encoder", cut))
    try:
        with pytest.raises(ModelError, match="ENCODER") as e:
            broken.load()
    finally:
        broken.close()
    assert e.value.hint
    monkeypatch.setenv("VOICEROUND_ENCODER_MODEL", str(tmp_path / "nowhere.zip"))
    with pytest.raises(ModelError, match="not found"):
        models.resolve("encoder")


def test_vectors_kept_on_disk_are_the_same_vectors(tmp_path, monkeypatch):
    monkeypatch.setenv("VOICEROUND_ENCODER_CACHE", str(tmp_path / "v.sqlite"))
    first = SentenceEncoder()
    try:
        a = first.encode(["I did what the ticket said, to the letter."])
    finally:
        first.close()
    second = SentenceEncoder()
    second._forward = None   # a second process reads the disk: no forward pass may run
    try:
        b = second.encode(["I did what the ticket said, to the letter."])
    finally:
        second.close()
    assert np.array_equal(a, b) and (tmp_path / "v.sqlite").stat().st_size > 0


def _story(*candidate: str) -> Transcript:
    turns, t = [], 0.0
    for text in candidate:
        turns.append(Turn("candidate", text, t, t + 20.0))
        t += 25.0
    return Transcript(turns)


# An argument from taste, said in words no lexicon of the round lists (written for this test).
TASTE = _story(
    "At the credit union I ran the mobile app team, and our head of marketing, Dana, wanted the new statement screen in the serif font.",
    "I disagreed. The serif font looked old-fashioned to me, a bit stuffy, like a bank statement.",
    "Dana decided to keep it. After that I built the screen with her font, shipped it in the March release and wrote the style notes for the team.",
    "About 40,000 members used the new screen in the first month.",
)


def test_a_trap_said_in_other_words_is_read_by_meaning(rnd):
    """An opinion-only argument told without the opinion lexicon's wordings: the meaning model
    reads it (the trap, quoting that sentence, and Data-driven Advocacy capped at 2); without the
    encoder the word lists alone miss it."""
    card = score(TASTE, rnd)
    assert card["analytics"]["meaning_reader"] == "all-MiniLM-L6-v2"
    traps = {t["id"]: t for t in card["traps"]}
    assert "opinion_based_conflict" in traps, card["features"]
    assert any("old-fashioned to me" in q["quote"] for q in traps["opinion_based_conflict"]["evidence"])
    assert card["features"]["opinion_cues_read"] > card["features"]["opinion_cues"] == 0
    assert card["dimensions"]["data_driven_advocacy"]["tier"] <= 2
    from voiceround.engines.encoder import shared_encoder
    try:
        use_encoder(None)
        plain = score(TASTE, rnd)
    finally:
        use_encoder(shared_encoder)
    assert "opinion_based_conflict" not in {t["id"] for t in plain["traps"]}
    assert plain["analytics"]["meaning_reader"].startswith("unavailable")


# Philosophy about disagreement in place of what happened, in words the abstraction lexicon does not list.
DRIFT = _story(
    "I ran the planning desk at a freight company, and the operations director, Tomas, wanted to move our Saturday shift to Sunday.",
    "It was a classic case of different priorities, which happens a lot in big organisations. Progress comes from tension held with respect.",
    "Disagreement, done well, is a gift: it sharpens the thinking of everyone in the room. Teams grow when every voice is heard.",
    "He decided on Sunday, and I moved the rota.",
    "Looking back, the way a group handles conflict tells you more about it than any plan ever could.",
)


def test_abstraction_drift_is_read_from_the_answer_as_a_whole(rnd):
    """Abstraction drift told without the lexicon's words: the per-answer meaning model flags it,
    quoting the most abstract sentences (Conflict Articulation capped at 2); the rule alone does not."""
    card = score(DRIFT, rnd)
    traps = {t["id"]: t for t in card["traps"]}
    assert "abstraction_drift" in traps and card["features"]["abstraction_cues"] == 0
    quotes = " ".join(q["quote"] for q in traps["abstraction_drift"]["evidence"])
    assert "Progress comes from tension" in quotes and "moved the rota" not in quotes
    assert card["dimensions"]["conflict_articulation"]["tier"] <= 2
    from voiceround.engines.encoder import shared_encoder
    try:
        use_encoder(None)
        assert "abstraction_drift" not in {t["id"] for t in score(DRIFT, rnd)["traps"]}
    finally:
        use_encoder(shared_encoder)


def test_a_failing_encoder_still_scores_and_says_so(rnd):
    """A missing or corrupt encoder loses no score: the cues are read by their lexicons and the
    scorecard says which traps were read that way."""
    from voiceround.engines.encoder import shared_encoder
    from voiceround.report.text import round_use

    class Broken:
        def encode(self, sentences):
            raise ModelError("ENCODER model 'all-MiniLM-L6-v2' is truncated or corrupt", hint="reinstall it")
    try:
        use_encoder(lambda: Broken())
        card = score(TASTE, rnd)
    finally:
        use_encoder(shared_encoder)
    assert card["total"] > 0 and card["analytics"]["meaning_reader"].startswith("unavailable: ENCODER model")
    note = round_use(card["analytics"])
    assert "word lists only" in note and "tiers they cap" in note
    assert set(card["analytics"]["meaning_traps"]) == {"Opinion-based conflict", "Passive-aggressive compliance",
                                                       "Abstraction drift", "Missing the commitment phase"}


def test_a_near_miss_is_not_read_as_the_trap(rnd):
    """Frustration admitted, then full effort told concretely: not passive-aggressive compliance."""
    near = _story(
        "At the hospital pharmacy I wanted to keep two pharmacists on the night shift; our director, Priya, wanted one.",
        "I showed her that night-time order errors had been 4 per 1,000 orders with two people and 9 per 1,000 in the month we tried one.",
        "She decided on one pharmacist. I was frustrated for a day, then I rebuilt the night checklist myself so one person could run it.",
        "I trained the four night pharmacists on it and I reviewed every flagged order with them for the first two weeks.",
        "Errors went from 9 to 5 per 1,000 orders in the first month, against 4 with two people.",
    )
    assert "passive_aggressive_compliance" not in {t["id"] for t in score(near, rnd)["traps"]}


@pytest.mark.parametrize("damage,match", [
    (lambda m: m.update(dim=128), "dim"),
    (lambda m: m["cues"]["opinion_cues"].update(coef=[0.1] * 5), "weights"),
    (lambda m: m["cues"]["opinion_cues"].update(threshold=1.5), "threshold"),
    (lambda m: m["cues"].update(made_up_cues=m["cues"]["opinion_cues"]), "made_up_cues"),
    (lambda m: m["traps"]["abstraction_drift"].update(answer_coef=[1.0, float("nan"), 0.0, 0.0]), "not a number"),
    (lambda m: m["traps"].update(made_up_trap=m["traps"]["abstraction_drift"]), "made_up_trap"),
])
def test_a_damaged_meaning_model_is_refused_when_the_round_loads(tmp_path, damage, match):
    src = ROOT / "voiceround" / "rounds"
    for name in ("disagree_and_commit.toml", "disagree_and_commit.tiers.json"):
        (tmp_path / name).write_bytes((src / name).read_bytes())
    model = json.loads((src / "disagree_and_commit.meaning.json").read_text())
    damage(model)
    (tmp_path / "disagree_and_commit.meaning.json").write_text(json.dumps(model))
    with pytest.raises(RoundFileError, match=match):
        load_round(tmp_path / "disagree_and_commit.toml")


def test_the_meaning_model_was_trained_on_dev_and_the_phrase_bank():
    """Provenance: trained on the dev split only (test is never tuned on) and the blind phrase banks."""
    model = load_round("disagree_and_commit").scoring["meaning_model"]
    assert model.trained["corpus"] == "tests/data/corpus/dev"
    assert model.trained["phrase_bank"] == ["tests/data/corpus/phrasebank.json", "tests/data/corpus/phrasebank2.json"]
    assert set(model.cues) == {"opinion_cues", "passive_aggressive_cues"}


def test_score_cli_reads_meaning_as_the_app_does(tmp_path):
    """`voiceround score --text` (a subprocess, as a user runs it) reads cues by meaning too."""
    case = tmp_path / "answer.toml"
    case.write_text("id = \"answer\"\n" + "".join(f"[[turns]]\ntopic = \"{t}\"\ntext = {json.dumps(x.text)}\n"
                    for t, x in zip(["situation", "argument", "commitment", "outcome"], TASTE.turns, strict=True)))
    r = subprocess.run([sys.executable, "-m", "voiceround", "score", "--text", str(case), "--json"],
                       capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    card = json.loads(r.stdout)
    assert "opinion_based_conflict" in {t["id"] for t in card["traps"]}
