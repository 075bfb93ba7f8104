"""Text-mode rounds: a case's simulated candidate against the real planner, with no audio.

Used by ``voiceround eval interviewer`` and the interviewer tests. The candidate speaks at 150
words/min and the interviewer at 160; the loop is the runner's (opening, probe, answer with the
best-fitting unused turn, until the story is used up or the clock runs out, then the closing
question, which a case leaves unanswered, and the closing reply).
"""
from __future__ import annotations

from voiceround import interviewer as planner
from voiceround.core.types import SPEAKING_RATE_WPS, Transcript, Turn
from voiceround.rounds import Round
from voiceround.session.cases import Case, SimulatedCandidate

INTERVIEWER_WPS = 2.67
GAP_S = 0.8


def simulate_text(case: Case, rnd: Round) -> Transcript:
    """Play ``case`` against the planner; returns the full transcript (interviewer turns carry
    intent and meta, candidate turns carry the case topic)."""
    sim, tr, t = SimulatedCandidate(case), Transcript(), 0.0
    action = planner.opening(rnd)
    while True:
        d = len(action.text.split()) / INTERVIEWER_WPS
        tr.add(Turn("interviewer", action.text, t, t + d, intent=action.intent, meta=action.meta()))
        t += d + GAP_S
        if action.is_wrap_up:
            ct = sim.answer(action.topics, fallback=False)
            if ct is not None:
                d = max(1.0, len(ct.text.split()) / SPEAKING_RATE_WPS)
                tr.add(Turn("candidate", ct.text, t, t + d, topic=ct.topic, meta={"closing": True}))
                t += d + GAP_S
            reply = planner.closing_reply(rnd, answered=ct.text if ct is not None else None)
            tr.add(Turn("interviewer", reply.text, t, t + len(reply.text.split()) / INTERVIEWER_WPS, intent=reply.intent, meta=reply.meta()))
            return tr
        ct = sim.answer(action.topics or ("unknown",))
        if ct is not None:
            d = max(1.0, len(ct.text.split()) / SPEAKING_RATE_WPS)
            tr.add(Turn("candidate", ct.text, t, t + d, topic=ct.topic))
            t += d + GAP_S
        done = ct is None or sim.story_used_up
        action = planner.next_action(tr, t, rnd, exhausted=done)
