"""Correcting a misheard answer and re-scoring (Scorecard → Correct a misheard answer…), and the
drill on one dimension ("Practise this again"): storage and round logic, no models."""
import json

import pytest

from voiceround.core.types import Turn
from voiceround.interviewer import planner
from voiceround.rounds import drill_round, load_round
from voiceround.session.controller import SessionController, score_session
from voiceround.storage import Store

pytestmark = pytest.mark.fast

MISHEARD = ("Last year my director wanted to launch the new checkout to all traffic at once. I disagreed and wanted a "
          "staged rollout. We launched to everyone. The air rate went from 1.8 to 0.7 percent.")


@pytest.fixture
def stored(tmp_path, monkeypatch):
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(tmp_path))
    rnd = load_round()
    st = Store()
    sid = st.new_session(rnd.id, rnd.version, "test")
    st.add_turn(sid, 1, Turn("interviewer", planner.opening(rnd).text, 0.0, 8.0, intent="ask_scenario"))
    st.add_turn(sid, 2, Turn("candidate", MISHEARD, 9.0, 30.0, meta={"stt_min_avg_logprob": -0.9, "unsure": ["The air rate went from 1.8 to 0.7 percent."]}))
    st.finish(sid, 30.0)
    score_session(st, sid, rnd)
    yield st, sid, rnd
    st.close()


def test_correction_keeps_the_stt_text_records_it_and_rescores(stored):
    st, sid, rnd = stored
    fixed = MISHEARD.replace("air rate", "payment error rate")
    card = SessionController(rnd).correct(sid, 2, fixed, rnd)
    turn = st.transcript(sid).turns[1]
    assert turn.text == fixed and turn.meta["stt_text"] == MISHEARD and turn.meta["corrected"]
    events = [e for e in st.events(sid) if e["kind"] == "correction"]
    assert events and events[0]["data"] == {"idx": 2, "old": MISHEARD, "new": fixed}
    assert st.scorecard(sid) == json.loads(json.dumps(card))  # the new scorecard is the stored one
    assert len(list(st.db["score_history"].rows_where("session_id = ?", [sid]))) == 1  # the old one kept
    # correcting again keeps the first STT text, not the first correction
    SessionController(rnd).correct(sid, 2, fixed + " That was my part.", rnd)
    assert st.transcript(sid).turns[1].meta["stt_text"] == MISHEARD


def test_a_corrected_answer_is_no_longer_marked_as_maybe_misheard(stored):
    """A new user's test: after "Correct a misheard answer…" the words typed by the user were still
    shown "(may be misheard)", from the STT's confidence in the words it had heard."""
    from voiceround.report.view import dimension_rows
    st, sid, rnd = stored

    def unsure_quotes():
        rows = dimension_rows(st.scorecard(sid), rnd, st.transcript(sid))
        return [q for r in rows for q in (*r["for"], *r["against"]) if q["turn"] == 2 and q["unsure"]]
    assert unsure_quotes()  # heard with low confidence: marked
    SessionController(rnd).correct(sid, 2, MISHEARD.replace("air rate", "payment error rate"), rnd)
    assert not unsure_quotes()


def test_correction_refuses_interviewer_turns_and_empty_text(stored):
    st, sid, rnd = stored
    before = [t.to_dict() for t in st.transcript(sid).turns]
    with pytest.raises(ValueError, match="not one of your answers"):
        st.correct_turn(sid, 1, "I never asked that")
    with pytest.raises(ValueError, match="empty"):
        st.correct_turn(sid, 2, "   ")
    with pytest.raises(ValueError, match="not one of your answers"):
        st.correct_turn(sid, 9, "no such turn")
    assert [t.to_dict() for t in st.transcript(sid).turns] == before  # nothing changed


def test_drill_is_a_five_minute_round_that_opens_on_its_dimension():
    rnd = load_round()
    for d in rnd.rubrics[rnd.primary_rubric].dimensions:
        drill = drill_round(rnd, d.id)
        assert drill.duration_s == 300 and drill.timing["wrap_up_s"] < drill.duration_s
        assert drill.id == rnd.id and drill.version.endswith(f"+drill-{d.id}") and d.name in drill.title
        opening = planner.opening(drill).text
        assert opening != planner.opening(rnd).text and d.name.lower() in opening.lower()
        assert drill.rubrics == rnd.rubrics and drill.traps == rnd.traps  # scored like the full round
    assert planner.opening(rnd).text.startswith("Tell me about one specific time")  # the round itself unchanged
    with pytest.raises(KeyError):
        drill_round(rnd, "no_such_dimension")
