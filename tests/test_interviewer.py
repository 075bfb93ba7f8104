"""Interviewer v1 on text: what it asks, in what words, and what it never does."""
import glob

import pytest

from tests.conftest import CASES
from voiceround.core.types import Transcript, Turn
from voiceround.interviewer import next_action, opening
from voiceround.interviewer.wording import check_rewording, check_turn, praise_found
from voiceround.session.cases import SimulatedCandidate, load_case


def converse(rnd, case, wps=2.5):
    """Play a case's text against the planner the way `rehearse` does (text instead of audio)."""
    sim, tr, t = SimulatedCandidate(case), Transcript(), 0.0
    while True:
        a = next_action(tr, t, rnd)
        tr.add(Turn("interviewer", a.text, t, t + 5, intent=a.intent, meta=a.meta()))
        t += 5
        if a.is_wrap_up:
            return tr
        ct = sim.answer(a.topics)
        d = len(ct.text.split()) / wps
        tr.add(Turn("candidate", ct.text, t, t + d, topic=ct.topic))
        t += d
        if sim.story_used_up:
            a = next_action(tr, rnd.duration_s, rnd)
            tr.add(Turn("interviewer", a.text, t, t + 5, intent=a.intent, meta=a.meta()))
            return tr


def one_turn(rnd, text, asked=None):
    tr = Transcript([Turn("interviewer", opening(rnd).text, 0, 5, intent="ask_scenario", meta={"slot": "scenario"})])
    tr.add(Turn("candidate", text, 5, 20))
    return next_action(tr, 20, rnd)


def test_opens_with_one_specific_scenario(rnd):
    a = next_action(Transcript(), 0, rnd)
    assert a.intent == "ask_scenario" and "one specific time" in a.text


def test_number_without_baseline_is_probed_in_candidates_words(rnd):
    a = one_turn(rnd, "My manager wanted to ship it. In the end revenue went up 22% that quarter.")
    assert a.intent == "probe_baseline" and "'22% that quarter'" in a.text and a.text.endswith("?")


def test_headline_metric_with_baseline_gets_a_slice_probe(rnd):
    a = one_turn(rnd, "The result was that abandonment went from 14% to 9% over six weeks.")
    assert a.intent == "probe_slice" and "14% to 9%" in a.text


def test_royal_we_gets_an_ownership_probe(rnd):
    a = one_turn(rnd, "So we all got on board and we built it in React and we delivered it.")
    assert a.intent == "probe_ownership" and "personally" in a.text.lower() or "yours" in a.text


def test_opinion_gets_an_evidence_probe(rnd):
    a = one_turn(rnd, "We felt that Vue was cleaner and nicer to work with.")
    assert a.intent == "probe_opinion" and "evidence" in a.text


def test_abstraction_gets_pulled_back_to_the_case(rnd):
    a = one_turn(rnd, "In general I believe that disagreement is healthy. I always try to create a safe culture. Typically it works out.")
    assert a.intent == "probe_abstraction"


def test_wraps_up_when_time_is_spent(rnd):
    tr = Transcript([Turn("interviewer", "Q?", 0, 5, intent="ask_scenario"), Turn("candidate", "I disagreed with my manager.", 5, 20)])
    assert next_action(tr, rnd.duration_s - 10, rnd).intent == "wrap_up"


def test_moves_to_commitment_when_the_argument_eats_the_clock(rnd):
    case = load_case(CASES / "mixed-argument-heavy.toml")
    tr = Transcript([Turn("interviewer", "Q?", 0, 5, intent="ask_scenario", meta={"slot": "scenario"})])
    t = 5.0
    for ct in case.turns[:5]:  # scenario, data, opposing view, words said, escalation: all argument
        tr.add(Turn("candidate", ct.text, t, t + 100))
        t += 100
        tr.add(Turn("interviewer", "Go on?", t, t + 5, intent="probe_baseline", meta={"claim": f"x{t}"}))
        t += 5
    assert next_action(tr, 540, rnd).intent == "move_to_commitment"


@pytest.mark.parametrize("path", sorted(glob.glob(str(CASES / "*.toml"))), ids=lambda p: p.split("/")[-1])
def test_whole_conversation_rules(rnd, path):
    tr = converse(rnd, load_case(path))
    asked = tr.interviewer_turns()
    forbidden = rnd.interviewer["forbidden"]
    texts = [t.text for _, t in asked]
    assert all(check_turn(x, forbidden) is None for x in texts), texts
    assert len(set(texts)) == len(texts), "identical probe text twice"
    intents = [t.intent for _, t in asked]
    assert intents[0] == "ask_scenario" and intents[-1] == "wrap_up"
    assert "pushback" in intents
    # Reflection comes after the pushback, unless the candidate's story ran out right at the pushback.
    assert "ask_reflection" in intents[intents.index("pushback"):] or intents[-2] == "pushback"
    for (_, a), (_, b) in zip(asked, asked[1:]):
        assert not (a.intent == b.intent and a.meta.get("claim") and a.meta.get("claim") == b.meta.get("claim"))


def test_rewording_checks(rnd):
    F = rnd.interviewer["forbidden"]
    keep = rnd.probes["probe_baseline"].keep
    orig = "You said '22% that quarter'. From what baseline, and how did you measure it?"
    q = "22% that quarter"
    assert check_rewording(orig, "You said '22% that quarter'. What was the baseline, and how was it measured?", q, F, keep) is None
    assert "praise" in check_rewording(orig, "Great. You said '22% that quarter'. What was the baseline?", q, F, keep)
    assert "question" in check_rewording(orig, "You said '22% that quarter'. Baseline? And how measured?", q, F, keep)
    assert "quoted" in check_rewording(orig, "You said revenue grew. What was the baseline, and how was it measured?", q, F, keep)
    assert "intent" in check_rewording(orig, "You said '22% that quarter'. Why did it matter to you, and when did it happen?", q, F, keep)
    assert "numbers" in check_rewording(orig, "You said '22% that quarter'. Was the baseline 10%, and how was it measured?", q, F, keep)
    assert praise_found("That's a great point.", F) == "great" and praise_found("The migration went fine.", F) is None
