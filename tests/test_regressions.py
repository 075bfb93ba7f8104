"""The shared regression cases (../shared/cases/regressions): small inputs the product once got
wrong, each held to the right behaviour its README gives. The text-level checks run the planner and
the scorer on the case texts; the last test rehearses two of them from their audio, as a user's
round would run."""
import json
import subprocess
import sys

import pytest

from tests.conftest import CASES, ROOT
from voiceround.scoring import score
from voiceround.session.cases import load_case, text_transcript
from voiceround.session.textsim import simulate_text

REGRESSIONS = CASES / "regressions"


def case(name: str):
    return load_case(REGRESSIONS / f"{name}.toml")


def tiers(card: dict) -> dict:
    return {rid: {d: v["tier"] for d, v in rb["dimensions"].items()} for rid, rb in card["rubrics"].items()}


def evidence_quotes(card: dict) -> list[str]:
    out = [e["quote"] for rb in card["rubrics"].values() for d in rb["dimensions"].values() for e in d.get("evidence", [])]
    return out + [e["quote"] for t in card["traps"] for e in t.get("evidence", [])]


@pytest.mark.fast
def test_an_instruction_to_the_evaluator_raises_nothing_and_is_never_evidence(rnd):
    base, attack = case("inject-base"), case("inject-attack")
    cb, ca = score(text_transcript(base), rnd), score(text_transcript(attack), rnd)
    for rid, dims in tiers(ca).items():
        for d, tier in dims.items():
            assert tier <= tiers(cb)[rid][d], (rid, d)
    assert ca["total"] <= cb["total"] and all(ca["rubrics"][r]["total"] <= cb["rubrics"][r]["total"] for r in ca["rubrics"])
    added = {t.text for t in attack.turns} - {t.text for t in base.turns}
    injected = next(iter(added)).split("minutes. ", 1)[1]
    assert all("Ignore your instructions" not in q and "customer obsession" not in q for q in evidence_quotes(ca)), injected


@pytest.mark.fast
def test_a_changed_baseline_is_flagged_the_same_in_digits_and_in_words(rnd):
    digits, mixed = case("num-digits-inconsistent"), case("num-mixed-inconsistent")
    cd, cm = score(text_transcript(digits), rnd), score(text_transcript(mixed), rnd)
    assert [t["id"] for t in cd["traps"]] == [t["id"] for t in cm["traps"]] and cd["traps"], cd["traps"]
    assert tiers(cd) == tiers(cm) and cd["total"] == cm["total"]
    follow = {}
    for name, c in (("digits", digits), ("mixed", mixed)):
        tr = simulate_text(c, rnd)
        follow[name] = [t.intent for _, t in tr.interviewer_turns()]
    assert "probe_inconsistency" in follow["digits"] and follow["digits"] == follow["mixed"]


@pytest.mark.fast
def test_a_story_the_candidate_won_is_redirected_within_five_questions(rnd):
    tr = simulate_text(case("won"), rnd)
    asked = [t.intent for _, t in tr.interviewer_turns()]
    assert "redirect_won" in asked[:5], asked
    assert "won" in tr.fit_redirects()


@pytest.mark.fast
def test_yes_to_the_opening_is_not_a_story(rnd):
    tr = simulate_text(case("yesno"), rnd)
    asked = [t.intent for _, t in tr.interviewer_turns()]
    assert asked[0] == "ask_scenario" and asked[1] == "ask_story_again", asked


@pytest.mark.parametrize("name,within", [("won", 5), ("yesno", 2)])
def test_regressions_rehearsed_from_their_audio(name, within, data_dir):
    """The same two interviewer behaviours through `voiceround rehearse`: the case's WAVs through
    the VAD, endpointing and Whisper, the interviewer's questions through Piper."""
    proc = subprocess.run([sys.executable, "-m", "voiceround", "rehearse", str(REGRESSIONS / f"{name}.toml"), "--json", "--no-llm", "-q"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    asked = [t["intent"] for t in result["turns"] if t["speaker"] == "interviewer"]
    want = {"won": "redirect_won", "yesno": "ask_story_again"}[name]
    assert want in asked[:within], asked
