"""What a round produced (:class:`SessionResult`) and its machine-readable form (``--json``)."""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from voiceround.core import events as ev
from voiceround.core.types import Transcript
from voiceround.rounds import Round


@dataclass
class SessionResult:
    """What a finished (or stopped) round produced. ``scorecard`` is None until the caller scores
    the session (:func:`voiceround.session.controller.score_session`); ``timings`` come from the
    round's events (``wall_s``, ``session_s``, real-time factors, per-stage latency percentiles)."""

    session_id: str
    transcript: Transcript
    scorecard: dict | None
    timings: dict
    status: str


def result_json(session_id: str, rnd: Round, transcript: Transcript, scorecard: dict, timings: dict | None = None) -> dict:
    """The machine-readable result of a round (the ``--json`` shape)::

        {"session_id", "round", "turns": [{"speaker", "text", "start_s", "end_s", "intent", "topic"}],
         "scores": {"total", "dimensions", "rubrics", "analytics"}, "traps": [{"id", "name", "evidence", "carried_by"}],
         "evidence": [{"id", "name", "tier", "capped_by", "for": [quote], "against": [quote]}],
         "not_counted": [{"turn", "quote", "start_s", "why"}], "timings": {...}}

    ``evidence``: per dimension of the primary rubric, the quotes that count for its tier (✓ on the
    scorecard) and against it (✗: a flagged trap's sentences, ``why`` naming the trap), as the app,
    the text report and the PDF show them (:func:`voiceround.report.view.dimension_rows`; ``quote``
    is ``{"quote", "turn", "start_s", "unsure", "why"}``). ``not_counted``: sentences addressed to the
    evaluator, which count for nothing.
    """
    from voiceround.report import view
    scores = {k: scorecard[k] for k in ("total", "dimensions", "rubrics", "analytics", "round_version")}
    rows = view.dimension_rows(scorecard, rnd, transcript)
    return {
        "session_id": session_id, "round": rnd.id,
        "turns": [{k: t.to_dict()[k] for k in ("speaker", "text", "start_s", "end_s", "intent", "topic")} for t in transcript.turns],
        "scores": scores, "traps": scorecard["traps"], "timings": timings or {},
        "evidence": [{k: r[k] for k in ("id", "name", "tier", "capped_by", "for", "against")} for r in rows],
        "not_counted": view.not_counted(scorecard),
    }


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 3) if values else 0.0


def round_timings(events: list[ev.Event], stats: dict, writer, *, wall_s: float, session_s: float, load_s: dict) -> dict:
    """A round's timings: compute totals and real-time factors from ``stats`` (seconds: ``stt_s``,
    ``stt_audio_s``, ``tts_s``, ``tts_audio_s``, ``planner_s``, ``vad_s``), the LLM counters of
    ``writer`` (a :class:`~voiceround.session.wording.ProbeWriter`), and every latency figure from the
    round's ``events`` alone: per-stage p50/p95/max in seconds, barge-in stop times in ms."""
    st = stats
    rows = ev.stage_rows(events)
    compute = ev.response_compute_s(events)
    return {
        "wall_s": round(wall_s, 3), "session_s": round(session_s, 3), "load_s": load_s,
        "stt_s": round(st["stt_s"], 3), "stt_audio_s": round(st["stt_audio_s"], 3),
        "stt_rtf": round(st["stt_s"] / st["stt_audio_s"], 4) if st["stt_audio_s"] else None,
        "tts_s": round(st["tts_s"], 3), "tts_audio_s": round(st["tts_audio_s"], 3),
        "tts_rtf": round(st["tts_s"] / st["tts_audio_s"], 4) if st["tts_audio_s"] else None,
        "vad_s": round(st["vad_s"], 3), "planner_s": round(st["planner_s"], 4), "llm_s": round(writer.llm_s, 3),
        "llm_rewordings_tried": writer.tried, "llm_rewordings_accepted": writer.accepted,
        "response_compute_s": {"p50": _pct(compute, 50), "p95": _pct(compute, 95),
                               "max": round(max(compute), 3) if compute else 0.0},
        "stages": {k: {"p50": _pct([r[k] for r in rows], 50), "p95": _pct([r[k] for r in rows], 95),
                       "max": round(max((r[k] for r in rows), default=0.0), 3)} for k in ev.STAGES},
        "barge_in_stop_ms": ev.barge_in_stop_ms(events),
        "turn_latencies": rows,
    }


def first_sample(ep: dict | None, pending: float | None, t_first_audio: float, planner_s: float, llm_s: float,
                 t_s: float) -> ev.FirstSample | None:
    """The :class:`~voiceround.core.events.FirstSample` of a reply whose first sample is ready now.

    ``ep``: the endpoint of the candidate's turn (``wait_s`` endpoint wait, ``wall`` perf-counter
    second of the pause, ``stt_tail_s``, optional ``input_lag_s``), or None after a typed answer or no answer. ``pending``:
    perf-counter second the answer was final (compute starts). ``t_first_audio``: perf-counter
    second the first synthesized sentence was ready; ``planner_s``/``llm_s``: this turn's planner
    and LLM seconds; ``t_s``: session second. None when there is nothing to time (the opening)."""
    now = time.perf_counter()
    compute = now - pending if pending is not None else None
    if ep is None and compute is None:
        return None
    stages = {}
    if ep:
        lag = ep.get("input_lag_s", 0.0)
        stages = {"endpoint_wait_s": ep["wait_s"], "input_lag_s": lag, "stt_tail_s": ep["stt_tail_s"], "planner_s": planner_s, "llm_s": llm_s,
                  "tts_first_s": max(0.0, t_first_audio - ep["wall"] - ep["stt_tail_s"] - planner_s - llm_s),
                  "voice_to_voice_s": ep["wait_s"] + lag + (now - ep["wall"])}
    return ev.FirstSample(t_s, compute_s=None if compute is None else round(compute, 3), from_speech=bool(ep),
                          **{k: round(v, 3) for k, v in stages.items()})
