"""A drill: a short round on one rubric dimension ("Practise this again" on the scorecard).

The drill is the same round (same interviewer, rubric, traps, so its scorecard compares with the
full round's), shortened to ``DRILL_S`` seconds with a one-minute wrap-up, whose opening question
asks for a story told for that dimension. The question is the dimension's ``drill`` text in the
round file when it has one, else built from the dimension's name and definition (the seed rubric).
"""
from __future__ import annotations

from dataclasses import replace

from voiceround.rounds.model import Round

DRILL_S = 300.0       # five minutes: a story and two or three probes at the round's measured exchange length
DRILL_WRAP_UP_S = 60.0


def drill_question(rnd: Round, dimension_id: str) -> str:
    """The drill's opening question for ``dimension_id`` of the primary rubric: the dimension's
    ``coach.drill`` text, else one built from its name (25 words or fewer, like every question).
    Raises KeyError for an unknown dimension."""
    dims = {d.id: d for d in rnd.rubrics[rnd.primary_rubric].dimensions}
    d = dims[dimension_id]
    own = getattr(d, "drill", None)
    if own:
        return own
    return f"Drill on {d.name}. Tell me about one specific time a decision went against you, and make that part concrete."


def drill_round(rnd: Round, dimension_id: str) -> Round:
    """``rnd`` as a drill on ``dimension_id``: ``DRILL_S`` long, wrap-up in the last
    ``DRILL_WRAP_UP_S``, its opening probe asking :func:`drill_question`; the title says it is a
    drill and the version carries ``+drill-<dimension>`` (stored with each session). Raises
    KeyError for an unknown dimension."""
    question = drill_question(rnd, dimension_id)
    name = {d.id: d.name for d in rnd.rubrics[rnd.primary_rubric].dimensions}[dimension_id]
    opening = next(p for p in rnd.probes.values() if p.intent == "ask_scenario")
    probes = {k: (replace(p, templates=(question,)) if p is opening else p) for k, p in rnd.probes.items()}
    timing = dict(rnd.timing, duration_s=DRILL_S, wrap_up_s=DRILL_WRAP_UP_S)
    return replace(rnd, title=f"Drill: {name} ({rnd.title})", version=f"{rnd.version}+drill-{dimension_id}",
                   timing=timing, probes=probes, card=dict(rnd.card, duration_min=int(DRILL_S // 60)))
