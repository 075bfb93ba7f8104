"""The round runner: one session thread that wires an audio feed, the engines, the interviewer
and storage, keeps the session clock and emits :class:`SessionEvent` s.

The same runner serves ``voiceround rehearse`` (a case's WAVs through a file AudioSource) and the
desktop app (the microphone). The session timeline is the recorded audio itself: candidate audio
(and the silence around it) and interviewer speech are appended to one 16 kHz WAV as they happen,
so ``t`` is always ``samples written / 16000``. In real-time mode the processing time between the
candidate's endpoint and the interviewer's first sample is recorded as silence too.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator, Protocol

import numpy as np

from voiceround import interviewer as planner
from voiceround.audio import SAMPLE_RATE, ArraySource, FileSource, WavRecorder
from voiceround.core.errors import AudioError
from voiceround.core.types import SessionEvent, Transcript, Turn
from voiceround.engines.stt import STTResult
from voiceround.engines.vad import EndpointConfig, Endpointer, SileroVAD, Utterance, sentence_complete
from voiceround.interviewer.wording import check_rewording, check_turn, leading_reason
from voiceround.rounds import Round
from voiceround.scoring import score
from voiceround.session.cases import Case, SimulatedCandidate
from voiceround.storage import Store


class CandidateFeed(Protocol):
    """Where the candidate's audio comes from. ``frames_for(action)`` returns the frame iterator to
    listen to after the interviewer's ``action`` (None: nobody will answer, the round ends)."""

    def frames_for(self, action: planner.Action) -> Iterator[np.ndarray] | None: ...

    @property
    def exhausted(self) -> bool: ...

    last_topic: str | None


class SimulatedFeed:
    """A case played through the microphone path: for each probe the simulated candidate picks the
    best-fitting unused turn and its WAV is streamed (then ``tail_silence_s`` of silence, as a person
    who has stopped talking). Raises :class:`AudioError` if a turn's WAV is missing or unreadable."""

    def __init__(self, case: Case, realtime: bool = False, tail_silence_s: float = 8.0):
        self.sim = SimulatedCandidate(case)
        self.realtime, self.tail = realtime, tail_silence_s
        self.last_topic: str | None = None
        self.last_reference: str | None = None
        self._source: FileSource | None = None

    def frames_for(self, action: planner.Action) -> Iterator[np.ndarray] | None:
        ct = self.sim.answer(action.topics or ("unknown",))
        if ct is None:
            return None
        self.last_topic, self.last_reference = ct.topic, ct.text
        if not ct.audio.exists():
            raise AudioError(f"case {self.sim.case.id}: turn {ct.number} has no audio file {ct.audio}",
                             hint="speak the case with shared/tools/make_case_audio.py, or score it with `voiceround score --text`")
        self._source = FileSource(ct.audio, self.tail, self.realtime)
        return self._source.frames()

    def has_more_speech(self) -> bool:
        """Whether the answer being played still has sound after the current position."""
        return self._source is not None and self._source.has_more_sound()

    @property
    def exhausted(self) -> bool:
        return self.sim.story_used_up


@dataclass
class Engines:
    """The loaded engines a session needs. ``llm`` is optional (probe rewording)."""

    vad: SileroVAD
    stt: object
    tts: object
    llm: object | None = None

    @classmethod
    def load(cls, use_llm: bool = True, progress: Callable[[str], None] | None = None) -> "Engines":
        """Load the default (or ``VOICEROUND_*_MODEL``) engines; ``progress`` gets one line per model.
        Raises :class:`ModelError` naming the model that failed."""
        from voiceround.engines.llm import LlamaRewriter
        from voiceround.engines.stt import WhisperSTT
        from voiceround.engines.tts import PiperTTS
        say = progress or (lambda _m: None)
        out = {}
        for name, make in (("vad", SileroVAD), ("stt", WhisperSTT), ("tts", PiperTTS)) + ((("llm", LlamaRewriter),) if use_llm else ()):
            say(f"loading {name.upper()} model…")
            engine = make()
            engine.load()
            say(f"loaded {name.upper()} ({engine.spec.name}) in {engine.load_s:.2f} s")
            out[name] = engine
        return cls(**out)

    def load_times(self) -> dict:
        return {k: round(getattr(self, k).load_s, 3) for k in ("vad", "stt", "tts", "llm") if getattr(self, k) is not None}

    def close(self) -> None:
        for k in ("vad", "stt", "tts", "llm"):
            e = getattr(self, k)
            if e is not None:
                e.close()


@dataclass
class SessionResult:
    """What a finished (or stopped) round produced."""

    session_id: str
    transcript: Transcript
    scorecard: dict
    timings: dict
    status: str
    references: list = field(default_factory=list)


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 3) if values else 0.0


class SessionRunner:
    """Runs one round. Call :meth:`run` on the session thread; :meth:`stop` from any thread ends the
    round early (the interviewer still says the closing line and the session is scored).

    ``on_event`` receives every :class:`SessionEvent` (the GUI's bridge, or CLI progress).
    """

    def __init__(self, rnd: Round, engines: Engines, feed: CandidateFeed, store: Store, *, source: str,
                 realtime: bool = False, use_llm: bool = True, endpoint: EndpointConfig | None = None,
                 on_event: Callable[[SessionEvent], None] | None = None, meta: dict | None = None, sink=None):
        self.rnd, self.engines, self.feed, self.store = rnd, engines, feed, store
        self.sink = sink  # plays interviewer speech (speaker); None: only recorded
        self.max_turn_s = float(rnd.timing.get("monologue_budget_s", 90))
        self._feed_ready = threading.Event()
        self.source, self.realtime = source, realtime
        self.use_llm = use_llm and engines.llm is not None
        self.endpointer = Endpointer(engines.vad, endpoint)
        self.on_event = on_event
        self.meta = meta or {}
        self.transcript = Transcript()
        self._stop = False
        self.stats = {"stt_s": 0.0, "stt_audio_s": 0.0, "tts_s": 0.0, "tts_audio_s": 0.0, "llm_s": 0.0,
                      "planner_s": 0.0, "vad_s": 0.0, "llm_tried": 0, "llm_accepted": 0}
        self.latencies: list[float] = []
        self._pending_endpoint: float | None = None
        self._last_level = 0.0
        self.references: list[tuple[str, str]] = []

    def replace_feed(self, feed) -> None:
        """Continue the round with another feed (after the microphone was lost: typed answers)."""
        self.feed = feed
        self._feed_ready.set()

    def _wait_for_feed(self) -> bool:
        """The microphone stopped mid-round: pause until the UI gives a new feed (or the round stops)."""
        self._emit("device_lost", self.rec.t_s, reason=getattr(getattr(self.feed, "source", None), "error", None) or "input stopped")
        self._feed_ready.clear()
        while not self._stop:
            if self._feed_ready.wait(0.1):
                return True
        return False

    def stop(self) -> None:
        """Ask the round to end after the current step."""
        self._stop = True

    # -- helpers --------------------------------------------------------------------------------
    def _emit(self, kind: str, t_s: float, **data) -> None:
        ev = SessionEvent(kind, round(t_s, 3), data)
        self.store.add_event(self.sid, ev)
        if self.on_event:
            self.on_event(ev)

    def _notify(self, kind: str, t_s: float, **data) -> None:
        """A transient event for the UI only (mic level, partial text): not stored."""
        if self.on_event:
            self.on_event(SessionEvent(kind, round(t_s, 3), data))

    def _time_up(self) -> bool:
        return self.rec.t_s >= self.rnd.duration_s

    def _add_turn(self, turn: Turn) -> None:
        idx = self.transcript.add(turn)
        self.store.add_turn(self.sid, idx, turn)
        self._emit("turn", turn.end_s, idx=idx, speaker=turn.speaker, text=turn.text, start_s=turn.start_s,
                   end_s=turn.end_s, intent=turn.intent)

    def _word(self, action: planner.Action) -> tuple[str, dict]:
        """Final wording of an action: the LLM's rewording when it passes every check, else the template."""
        text, info = action.text, {"template_text": action.text}
        if self.use_llm and not action.is_wrap_up and action.intent != "ask_scenario":
            self.stats["llm_tried"] += 1
            try:
                if getattr(self.engines.llm, "composes", False):
                    last = next((t.text for t in reversed(self.transcript.turns) if t.speaker == "candidate"), "")
                    reworded, secs = self.engines.llm.compose(action.intent, action.reason, last, action.text)
                else:
                    reworded, secs = self.engines.llm.reword(action.text)
            except Exception as exc:  # a failing LLM never stops the round
                reworded, secs = "", 0.0
                info["llm_error"] = str(exc)
            self.stats["llm_s"] += secs
            why = check_rewording(action.text, reworded, action.quote, self.rnd.interviewer["forbidden"],
                                  self.rnd.probes[action.intent].keep)
            if why is None:  # a rewording must not presuppose what the candidate hasn't said
                said = " ".join(t.text for t in self.transcript.turns if t.speaker == "candidate")
                why = leading_reason(reworded, said, self.rnd.interviewer.get("presuppositions", []))
            info["llm"] = "accepted" if why is None else f"rejected: {why}"
            if why is None:
                self.stats["llm_accepted"] += 1
                text = reworded
        problem = check_turn(text, self.rnd.interviewer["forbidden"])
        if problem:  # template text is validated when the round loads; this guards future edits
            raise AssertionError(f"interviewer turn failed its check ({problem}): {text!r}")
        return text, info

    def _speak(self, action: planner.Action, t_decided: float) -> None:
        text, info = self._word(action)
        speech = self.engines.tts.speak(text)
        self.stats["tts_s"] += speech.synth_s
        self.stats["tts_audio_s"] += speech.duration_s
        if self.realtime:  # the time spent deciding and synthesizing is silence on the timeline
            self.rec.silence(time.perf_counter() - t_decided)
        if self._pending_endpoint is not None:  # compute time from endpoint to first interviewer sample
            self.latencies.append(time.perf_counter() - self._pending_endpoint)
            self._pending_endpoint = None
        start = self.rec.t_s
        self._emit("tts_ready", start, synth_s=round(speech.synth_s, 3), audio_s=round(speech.duration_s, 3))
        for sentence in speech.sentences:
            self.rec.write(sentence)
            if self.sink is not None:
                self.sink.play(sentence)  # blocks while it plays
            elif self.realtime:
                time.sleep(len(sentence) / SAMPLE_RATE)
        meta = {**action.meta(), **info}
        self._add_turn(Turn("interviewer", text, start, self.rec.t_s, intent=action.intent, meta=meta))

    def _listen(self, frames: Iterator[np.ndarray]) -> Turn | None:
        """Stream frames through VAD endpointing into STT; the candidate turn, or None if no speech.

        At each pause the utterance so far is transcribed: a complete sentence ends the turn (the
        endpoint); otherwise listening goes on until the pause reaches ``max_pause_s``. If the
        candidate is still talking after an endpoint (a file source with speech left), the rest is
        kept in the same turn: nothing they said is dropped.
        """
        self.endpointer.reset()
        t0 = self.rec.t_s
        vad_t = time.perf_counter()
        pieces: list[tuple[Utterance, STTResult]] = []
        cur: tuple[Utterance, STTResult] | None = None
        interrupted = False
        n = 0
        for frame in frames:
            self.rec.write(frame)
            n += 1
            now = time.perf_counter()
            if now - self._last_level >= 0.1:  # at most ten level readings a second for the meter
                self._last_level = now
                rms = float(np.sqrt(np.mean((frame.astype(np.float32) / 32768.0) ** 2)))
                self._notify("level", self.rec.t_s, dbfs=round(20 * np.log10(max(rms, 1e-6)), 1))
            was = self.endpointer.in_speech
            utt = self.endpointer.push(frame)
            if self.endpointer.in_speech and not was:
                self._emit("speech_start", t0 + self.endpointer.start_frame * 512 / SAMPLE_RATE)
            if utt is None and self._time_up() and not self.endpointer.in_speech:
                break
            if utt is None and self.endpointer.utterance_s >= self.max_turn_s:
                # A monologue past the round's budget: the interviewer cuts in (the cut-off turn is kept).
                utt = self.endpointer.force()
                self._emit("interruption", self.rec.t_s, reason="monologue", after_s=round(utt.endpoint_s - utt.start_s, 1))
                pieces.append((utt, self._transcribe(utt)))
                interrupted = True
                break
            if utt is not None:
                if cur is not None and len(cur[0].audio) == len(utt.audio):
                    result = cur[1]  # nothing new since the last check: reuse its transcript
                else:
                    result = self._transcribe(utt)
                cur = (utt, result)
                done = " ".join([r.text for _, r in pieces] + [result.text]).strip()
                if done:
                    self._notify("partial", self.rec.t_s, text=done)
                if utt.final or sentence_complete(result.text) or self._time_up():
                    self.endpointer.finish()
                    self._emit("speech_end", t0 + utt.end_s)
                    self._emit("endpoint", t0 + utt.endpoint_s, pause_s=round(utt.endpoint_s - utt.end_s, 3),
                               complete=not utt.final)
                    pieces.append(cur)
                    cur = None
                    if not getattr(self.feed, "has_more_speech", lambda: False)():
                        break
            if self._stop:
                break
        self.stats["vad_s"] += time.perf_counter() - vad_t
        if cur is not None:  # the source ended mid-utterance
            pieces.append(cur)
        pieces = [(u, r) for u, r in pieces if r.text]
        if not pieces:
            self._emit("no_speech", self.rec.t_s, reason="no speech, or gated by STT confidence")
            return None
        self._pending_endpoint = time.perf_counter()
        text = " ".join(r.text for _, r in pieces)
        self._emit("stt_final", self.rec.t_s, text=text, pieces=len(pieces))
        conf = min((s.avg_logprob for _, r in pieces for s in r.segments), default=0.0)
        meta = {"stt_min_avg_logprob": round(conf, 3)}
        if interrupted:
            meta["interrupted"] = True
        return Turn("candidate", text, t0 + pieces[0][0].start_s, t0 + pieces[-1][0].end_s,
                    topic=getattr(self.feed, "last_topic", None), meta=meta)

    def _typed(self, action: planner.Action) -> Turn | None:
        """A typed answer: waits for the feed's text; the wait is silence on the timeline."""
        t0, w0 = self.rec.t_s, time.perf_counter()
        text = self.feed.text_for(action, lambda: self._stop)
        waited = time.perf_counter() - w0
        if not text or not text.strip():
            return None
        dur = max(1.0, len(text.split()) / 2.5)
        self.rec.silence(waited if self.realtime else dur)
        self._pending_endpoint = time.perf_counter()
        return Turn("candidate", text.strip(), t0, self.rec.t_s, meta={"typed": True})

    def _transcribe(self, utt: Utterance) -> STTResult:
        result = self.engines.stt.transcribe(utt.audio)
        self.stats["stt_s"] += result.decode_s
        self.stats["stt_audio_s"] += result.audio_s
        return result

    # -- the round ------------------------------------------------------------------------------
    def run(self) -> SessionResult:
        """Run the whole round; returns a :class:`SessionResult`. Storage errors propagate after the
        turns committed so far are kept."""
        wall0 = time.perf_counter()
        models = {}
        for role in ("vad", "stt", "tts", "llm"):
            eng = getattr(self.engines, role, None)
            spec = getattr(eng, "spec", None)
            if spec is not None:
                models[role] = {"name": spec.name, "package": spec.package, "sha256": spec.sha256, "path": str(spec.path)}
        meta = {**self.meta, "round_version": self.rnd.version, "models": models}
        self.sid = self.store.new_session(self.rnd.id, self.rnd.version, self.source, meta)
        self.rec = WavRecorder(self.store.session(self.sid)["audio_path"])
        status = "finished"
        try:
            self._emit("round_start", 0.0, round=self.rnd.id, source=self.source)
            action = planner.opening(self.rnd)
            t_decided = time.perf_counter()
            while True:
                self._speak(action, t_decided)
                if action.is_wrap_up:
                    break
                if hasattr(self.feed, "text_for"):  # typed answers (no microphone)
                    turn = self._typed(action)
                    frames = turn
                else:
                    frames = self.feed.frames_for(action)
                    turn = self._listen(frames) if frames is not None else None
                if turn is not None:
                    self._add_turn(turn)
                    ref = getattr(self.feed, "last_reference", None)
                    if ref is not None:
                        self.references.append((ref, turn.text))
                t_decided = time.perf_counter()
                p0 = time.perf_counter()
                if getattr(self.feed, "lost", False) and not self._stop and not self._time_up():
                    if self._wait_for_feed():  # the same question again, now typed
                        p0 = time.perf_counter()
                        action = planner.next_action(self.transcript, self.rec.t_s, self.rnd)
                        self.stats["planner_s"] += time.perf_counter() - p0
                        continue
                if frames is None or self.feed.exhausted or self._stop or self._time_up():
                    action = planner.next_action(self.transcript, self.rnd.duration_s, self.rnd)  # wrap-up
                    if self._stop:
                        status = "ended_early"
                else:
                    action = planner.next_action(self.transcript, self.rec.t_s, self.rnd)
                self.stats["planner_s"] += time.perf_counter() - p0
                self._emit("planner", self.rec.t_s, intent=action.intent, reason=action.reason)
        finally:
            self.rec.close()
        self.store.finish(self.sid, self.rec.t_s, status)
        self._emit("round_end", self.rec.t_s, status=status)
        s0 = time.perf_counter()
        card = score(self.transcript, self.rnd)
        scoring_s = time.perf_counter() - s0
        self.store.save_score(self.sid, card)
        st = self.stats
        timings = {
            "wall_s": round(time.perf_counter() - wall0, 3), "session_s": round(self.rec.t_s, 3),
            "load_s": self.engines.load_times(), "scoring_s": round(scoring_s, 4),
            "stt_s": round(st["stt_s"], 3), "stt_audio_s": round(st["stt_audio_s"], 3),
            "stt_rtf": round(st["stt_s"] / st["stt_audio_s"], 4) if st["stt_audio_s"] else None,
            "tts_s": round(st["tts_s"], 3), "tts_audio_s": round(st["tts_audio_s"], 3),
            "tts_rtf": round(st["tts_s"] / st["tts_audio_s"], 4) if st["tts_audio_s"] else None,
            "vad_s": round(st["vad_s"], 3), "planner_s": round(st["planner_s"], 4), "llm_s": round(st["llm_s"], 3),
            "llm_rewordings_tried": st["llm_tried"], "llm_rewordings_accepted": st["llm_accepted"],
            "response_compute_s": {"p50": _pct(self.latencies, 50), "p95": _pct(self.latencies, 95),
                                   "max": round(max(self.latencies), 3) if self.latencies else 0.0},
        }
        return SessionResult(self.sid, self.transcript, card, timings, status, self.references)


def result_json(session_id: str, rnd: Round, transcript: Transcript, scorecard: dict, timings: dict | None = None) -> dict:
    """The machine-readable result of a round (the ``--json`` shape)::

        {"session_id", "round", "turns": [{"speaker", "text", "start_s", "end_s", "intent", "topic"}],
         "scores": {"total", "dimensions", "rubrics", "analytics"}, "traps": [{"id", "name", "evidence"}],
         "timings": {...}}
    """
    scores = {k: scorecard[k] for k in ("total", "dimensions", "rubrics", "analytics", "round_version")}
    return {
        "session_id": session_id, "round": rnd.id,
        "turns": [{k: t.to_dict()[k] for k in ("speaker", "text", "start_s", "end_s", "intent", "topic")} for t in transcript.turns],
        "scores": scores, "traps": scorecard["traps"], "timings": timings or {},
    }
