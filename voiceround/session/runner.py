"""The round runner: one session thread that wires an audio feed, the engines, the interviewer
and storage, keeps the session clock and emits typed events (:mod:`voiceround.core.events`).

The same runner serves ``voiceround rehearse`` (a case's WAVs through a file AudioSource) and the
desktop app (the microphone). The session timeline is the recorded audio itself: candidate audio
(and the silence around it) and interviewer speech are appended to one 16 kHz WAV as they happen,
so ``t`` is always ``samples written / 16000``. In real-time mode the processing time between the
candidate's endpoint and the interviewer's first sample is recorded as silence too.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterator, Protocol

import numpy as np

from voiceround import analysis as A
from voiceround import interviewer as planner
from voiceround.audio import SAMPLE_RATE, FileSource, WavRecorder
from voiceround.core.errors import AudioError
from voiceround.core import events as ev
from voiceround.core.types import Transcript, Turn
from voiceround.engines.stt import STTResult
from voiceround.core.audio_format import FRAME_S, FRAME_SAMPLES
from voiceround.engines.vad import SileroVAD
from voiceround.turntaking.bargein import BargeInDetector, Decision
from voiceround.turntaking.endpointing import EndpointConfig, Endpointer, Utterance, sentence_complete
from voiceround.interviewer.wording import check_rewording, check_turn, leading_reason
from voiceround.rounds import Round
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
        self._source: FileSource | None = None

    def frames_for(self, action: planner.Action) -> Iterator[np.ndarray] | None:
        ct = self.sim.answer(action.topics or ("unknown",))
        if ct is None:
            return None
        self.last_topic = ct.topic
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
    """What a finished (or stopped) round produced. ``scorecard`` is None until the caller scores
    the session (:func:`voiceround.session.controller.score_session`); ``timings`` come from the
    round's events (``wall_s``, ``session_s``, real-time factors, per-stage latency percentiles)."""

    session_id: str
    transcript: Transcript
    scorecard: dict | None
    timings: dict
    status: str


# Decode ahead only once this much new speech has built up (samples; 6 s): shorter chunks lose
# Whisper's context (measured: WER of strong-onboarding-ml rose from 0.28 to 0.35 with 0.2 s chunks).
DECODE_AHEAD_MIN = 6 * SAMPLE_RATE


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 3) if values else 0.0


class SessionRunner:
    """Runs one round. Call :meth:`run` on the session thread; :meth:`stop` from any thread ends the
    round early (the interviewer still says the closing line; the caller scores the session).

    ``on_event`` receives every event (:class:`voiceround.core.events.Event`): the GUI's bridge,
    or CLI progress. ``events``: the round's event stream so far (the source of its timings).
    """

    def __init__(self, rnd: Round, engines: Engines, feed: CandidateFeed, store: Store, *, source: str,
                 realtime: bool = False, use_llm: bool = True, endpoint: EndpointConfig | None = None,
                 on_event: Callable[[ev.Event], None] | None = None, meta: dict | None = None, sink=None):
        self.rnd, self.engines, self.feed, self.store = rnd, engines, feed, store
        self.sink = sink  # plays interviewer speech (speaker); None: only recorded
        self.max_turn_s = float(rnd.timing.get("monologue_budget_s", 90))
        self._feed_ready = threading.Event()
        self.source, self.realtime = source, realtime
        self.use_llm = use_llm and engines.llm is not None
        self.endpointer = Endpointer(endpoint)
        self.on_event = on_event
        self.meta = meta or {}
        self.transcript = Transcript()
        self._stop = threading.Event()
        self.stats = {"stt_s": 0.0, "stt_audio_s": 0.0, "tts_s": 0.0, "tts_audio_s": 0.0, "llm_s": 0.0,
                      "planner_s": 0.0, "vad_s": 0.0, "llm_tried": 0, "llm_accepted": 0}
        self._pending_endpoint: float | None = None
        self._last_endpoint: dict | None = None
        self._last_decode_s = 0.0
        self._last_level = 0.0
        self._turn_planner_s = self._turn_llm_s = 0.0
        self._preroll: list | None = None
        self.events: list[ev.Event] = []
        self.llm_budget_s = 0.4
        self._llm_busy = None
        from concurrent.futures import ThreadPoolExecutor
        self._llm_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vr-llm-wait")

    def replace_feed(self, feed) -> None:
        """Continue the round with another feed (after the microphone was lost: typed answers)."""
        self.feed = feed
        self._feed_ready.set()

    def _wait_for_feed(self) -> bool:
        """The microphone stopped mid-round: pause until the UI gives a new feed (or the round stops)."""
        self._emit(ev.DeviceLost(self.rec.t_s, reason=getattr(getattr(self.feed, "source", None), "error", None) or "input stopped"))
        self._feed_ready.clear()
        while not self._stop.is_set():
            if self._feed_ready.wait(0.1):
                return True
        return False

    def stop(self) -> None:
        """Ask the round to end after the current step."""
        self._stop.set()

    # -- helpers --------------------------------------------------------------------------------
    def _emit(self, event: ev.Event) -> None:
        """Add ``event`` to the round's stream: stored (unless display-only) and sent to ``on_event``."""
        if event.stored:
            self.events.append(event)
            self.store.add_event(self.sid, event)
        if self.on_event:
            self.on_event(event)

    def _time_up(self) -> bool:
        return self.rec.t_s >= self.rnd.duration_s

    def _add_turn(self, turn: Turn) -> None:
        idx = self.transcript.add(turn)
        self.store.add_turn(self.sid, idx, turn)
        self._emit(ev.TurnAdded(turn.end_s, idx=idx, speaker=turn.speaker, text=turn.text, start_s=turn.start_s,
                                 end_s=turn.end_s, intent=turn.intent))

    def _word(self, action: planner.Action) -> tuple[str, dict]:
        """Final wording of an action: the LLM's rewording when it passes every check, else the template."""
        text, info = action.text, {"template_text": action.text}
        if self.use_llm and not action.is_wrap_up and action.intent != "ask_scenario":
            self.stats["llm_tried"] += 1
            t_llm = time.perf_counter()
            try:
                llm = self.engines.llm
                if getattr(llm, "composes", False):
                    last = next((t.text for t in reversed(self.transcript.turns) if t.speaker == "candidate"), "")
                    call = (llm.compose, action.intent, action.reason, last, action.text)
                else:
                    call = (llm.reword, action.text)
                if self.realtime and hasattr(llm, "submit") and self.llm_budget_s:
                    # Live rounds: the interviewer doesn't wait for the LLM past its budget; the
                    # template is spoken instead (the LLM thread finishes its call in the background).
                    if self._llm_busy is not None and not self._llm_busy.done():
                        raise TimeoutError("LLM still busy with the previous turn")
                    self._llm_busy = fut = self._llm_pool.submit(*call)
                    reworded, secs = fut.result(timeout=self.llm_budget_s)
                else:
                    reworded, secs = call[0](*call[1:])
            except Exception as exc:  # a failing or slow LLM never stops or stalls the round
                reworded, secs = "", time.perf_counter() - t_llm
                info["llm_error"] = type(exc).__name__ if isinstance(exc, TimeoutError) else str(exc)
            self._turn_llm_s = time.perf_counter() - t_llm
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
        """Say ``action``: wording (LLM within its budget), then TTS sentence by sentence, the next
        sentence synthesized while the previous plays. With a continuous feed (microphone,
        recording) the candidate is heard while the interviewer talks: speech that lasts past a
        backchannel (0.6 s) is a barge-in, playback stops, the stored turn is what was played, and
        the rest of the synthesis is cancelled; a short "mm-hm" only pauses playback."""
        self._turn_llm_s = 0.0
        text, info = self._word(action)
        sentences = [x for x in re.split(r"(?<=[.!?])\s+", text.strip()) if x] or [text]
        futures = [self.engines.tts.submit(self.engines.tts._speak, x) for x in sentences]
        first = futures[0].result()
        t_first_audio = time.perf_counter()
        if self.realtime:  # the time spent deciding and synthesizing is silence on the timeline
            self.rec.silence(t_first_audio - t_decided)
        start = self.rec.t_s
        self._emit(ev.TtsReady(start, synth_s=round(first.synth_s, 3)))
        live = getattr(self.feed, "live", False) and not action.is_wrap_up
        if live:
            self.engines.vad.reset()
        played: list[str] = []
        barge = None
        for k, (sentence, fut) in enumerate(zip(sentences, futures, strict=True)):
            speech = first if k == 0 else fut.result()
            self.stats["tts_s"] += speech.synth_s
            self.stats["tts_audio_s"] += speech.duration_s
            audio = speech.audio
            if k == 0:
                self._record_latency(t_first_audio)
            if not live:
                self.rec.write(audio)
                if self.sink is not None:
                    self.sink.play(audio)
                elif self.realtime:
                    time.sleep(len(audio) / SAMPLE_RATE)
                played.append(sentence)
                continue
            done = self._play_listening(audio)
            if done is None:
                played.append(sentence)
                continue
            words = sentence.split()
            cut = " ".join(words[: int(round(len(words) * done["played"] / max(len(audio), 1)))])
            barge = done
            if cut:
                played.append(cut + "…")
            for f in futures[k + 1:]:
                f.cancel()  # synthesis not started yet is dropped
            break
        meta = {**action.meta(), **info}
        said = " ".join(played) if barge else text
        if barge:
            meta.update(barged_in=True, full_text=text)
            self._emit(ev.BargedIn(barge["onset_s"], stop_ms=round(barge["stop_ms"], 1), played_text=said))
            self._preroll = barge["frames"]
        self._add_turn(Turn("interviewer", said, start, self.rec.t_s, intent=action.intent, meta=meta))

    def _play_listening(self, audio: np.ndarray) -> dict | None:
        """Play ``audio`` in 32 ms chunks while listening to the feed's stream. Returns None when it
        played to the end, or a barge-in ``{"played", "onset_s", "stop_ms", "frames"}``."""
        frames = self.feed.frames_for(None)
        pos, heard = 0, []
        det = BargeInDetector()
        while pos < len(audio) or det.paused:
            frame = next(frames, None) if frames is not None else None
            cand = frame if frame is not None else np.zeros(FRAME_SAMPLES, np.int16)
            if det.paused:
                self.rec.write(cand)
            else:
                chunk = audio[pos:pos + FRAME_SAMPLES]
                pos += len(chunk)
                mix = cand[: len(chunk)].astype(np.int32) + chunk
                mix = np.concatenate([mix, cand[len(chunk):].astype(np.int32)])
                self.rec.write(np.clip(mix, -32768, 32767).astype(np.int16))
                if self.sink is not None:
                    self.sink.play(chunk)
                elif self.realtime:
                    time.sleep(len(chunk) / SAMPLE_RATE)
            decision = det.push(self.engines.vad.prob_int16(cand), self.rec.t_s)
            if det.collecting:
                heard.append(cand)
            elif det.run == 0:  # nothing heard, or a backchannel/blip that was forgotten
                heard = []
            if decision is Decision.BARGE_IN:
                return {"played": pos, "onset_s": det.onset_s, "stop_ms": det.stop_ms, "frames": heard}
            if frame is None and frames is not None and pos >= len(audio):
                break
        return None

    def _record_latency(self, t_first_audio: float) -> None:
        """Emit :class:`~voiceround.core.events.FirstSample`: the compute from the end of the candidate's
        turn to this first interviewer sample, and (after speech) the per-stage times."""
        ep = self._last_endpoint
        self._last_endpoint = None
        now = time.perf_counter()
        compute = now - self._pending_endpoint if self._pending_endpoint is not None else None
        self._pending_endpoint = None
        if ep is None and compute is None:
            return
        stages = {}
        if ep:
            stages = {"endpoint_wait_s": ep["wait_s"], "stt_tail_s": ep["stt_tail_s"], "planner_s": self._turn_planner_s,
                      "llm_s": self._turn_llm_s,
                      "tts_first_s": max(0.0, t_first_audio - ep["wall"] - ep["stt_tail_s"] - self._turn_planner_s - self._turn_llm_s),
                      "voice_to_voice_s": ep["wait_s"] + (now - ep["wall"])}
        self._emit(ev.FirstSample(self.rec.t_s, compute_s=None if compute is None else round(compute, 3), from_speech=bool(ep),
                                  **{k: round(v, 3) for k, v in stages.items()}))

    def _listen(self, frames: Iterator[np.ndarray], preroll: list[np.ndarray] | None = None) -> Turn | None:
        """Stream frames through VAD endpointing into STT; the candidate turn, or None if no speech.

        Streaming: at each pause only the audio since the last pause (the tail) is decoded, and the
        text so far is published as a partial. A complete sentence ends the turn (the endpoint);
        otherwise listening goes on until the pause reaches ``max_pause_s``. The interviewer cuts
        in (an interruption; the cut-off turn is kept) when the answer drifts into abstraction for
        more than one sentence, or when it runs past the round's monologue budget. If the candidate
        is still talking after an endpoint (a file source with speech left), the rest is kept in the
        same turn. ``preroll``: frames already heard (a barge-in) that start this turn.
        """
        self.endpointer.reset()
        self.engines.vad.reset()
        t0 = self.rec.t_s - len(preroll or []) * FRAME_S
        vad_t = time.perf_counter()
        texts: list[str] = []          # finished utterances of this turn
        segs: list = []
        first_start = last_end = None
        done_samples, done_text = 0, ""  # decoded part of the utterance in progress
        interrupted = None
        last_partial = 0.0

        def decode_tail(utt: Utterance) -> str:
            nonlocal done_samples, done_text
            tail = utt.audio[done_samples:]
            res = self._transcribe_audio(tail, " ".join(texts + [done_text])) if len(tail) > 1600 else None
            if res is not None:
                segs.extend(res.segments)
            text = (done_text + " " + res.text).strip() if res is not None and res.text else done_text
            done_samples, done_text = len(utt.audio), text
            return text

        def close(utt: Utterance, text: str, reason: str | None) -> None:
            nonlocal first_start, last_end, done_samples, done_text
            self.endpointer.finish()
            self._emit(ev.SpeechEnded(t0 + utt.end_s))
            self._emit(ev.EndpointReached(t0 + utt.endpoint_s, pause_s=round(utt.endpoint_s - utt.end_s, 3), reason=reason or ""))
            now_w = time.perf_counter()
            pause_w = getattr(self, "_pause_wall", None) or now_w
            self._last_endpoint = {"speech_end_s": t0 + utt.end_s, "wait_s": utt.endpoint_s - utt.end_s,
                                   "wall": pause_w, "stt_tail_s": now_w - pause_w}
            self._pause_wall = None
            if text:
                texts.append(text)
                first_start = t0 + utt.start_s if first_start is None else first_start
                last_end = t0 + utt.end_s
            done_samples, done_text = 0, ""

        def heard():  # the barge-in frames (already recorded) first, then the live stream
            yield from ((f, False) for f in preroll or [])
            yield from ((f, True) for f in frames)
        for frame, fresh in heard():
            if fresh:
                self.rec.write(frame)
            now = time.perf_counter()
            if now - self._last_level >= 0.1:  # at most ten level readings a second for the meter
                self._last_level = now
                rms = float(np.sqrt(np.mean((frame.astype(np.float32) / 32768.0) ** 2)))
                self._emit(ev.MicLevel(self.rec.t_s, dbfs=round(20 * float(np.log10(max(rms, 1e-6))), 1)))
            was = self.endpointer.in_speech
            utt = self.endpointer.push(frame, self.engines.vad.prob_int16(frame))
            if self.endpointer.in_speech and not was:
                self._emit(ev.SpeechStarted(t0 + self.endpointer.start_frame * FRAME_S))
            if utt is None and self._time_up() and not self.endpointer.in_speech:
                break
            if utt is None and self.endpointer.utterance_s >= self.max_turn_s:
                utt = self.endpointer.force()
                text = decode_tail(utt)
                self._emit(ev.Interrupted(self.rec.t_s, reason="monologue", after_s=round(utt.endpoint_s - utt.start_s, 1)))
                close(utt, text, "monologue")
                interrupted = "monologue"
                break
            if utt is None and self.realtime and self.endpointer.in_speech and now - last_partial > 1.5:
                last_partial = now  # live partial while the candidate is still talking (display only)
                live = self.endpointer.peek()
                if live is not None and len(live.audio) > done_samples + 8000:
                    tail = self._transcribe_audio(live.audio[done_samples:])
                    self._emit(ev.PartialText(self.rec.t_s, text=" ".join(texts + [done_text, tail.text]).strip()))
            if utt is not None and utt.soft:  # a gap between sentences: decode ahead, decide nothing
                if len(utt.audio) > done_samples + DECODE_AHEAD_MIN:
                    decode_tail(utt)
                continue
            if utt is not None:
                self._pause_wall = time.perf_counter()
                text = decode_tail(utt) if len(utt.audio) > done_samples + 3200 else done_text
                if text:
                    self._emit(ev.PartialText(self.rec.t_s, text=" ".join(texts + [text]).strip()))
                if not utt.final and A.abstraction_drift(text):
                    self._emit(ev.Interrupted(self.rec.t_s, reason="abstraction"))
                    close(utt, text, "abstraction")
                    interrupted = "abstraction"
                    break
                if utt.final or sentence_complete(text) or self._time_up():
                    close(utt, text, None)
                    if not getattr(self.feed, "has_more_speech", lambda: False)():
                        break
            if self._stop.is_set():
                break
        self.stats["vad_s"] += time.perf_counter() - vad_t
        if self.endpointer.in_speech and done_text:  # the source ended mid-utterance
            texts.append(done_text)
        if not texts:
            self._emit(ev.NoSpeech(self.rec.t_s, reason="no speech, or gated by STT confidence"))
            return None
        self._pending_endpoint = time.perf_counter()
        text = " ".join(texts)
        self._emit(ev.SttFinal(self.rec.t_s, text=text))
        conf = min((sg.avg_logprob for sg in segs), default=0.0)
        meta = {"stt_min_avg_logprob": round(conf, 3)}
        if interrupted:
            meta["interrupted"] = interrupted
        start = first_start if first_start is not None else t0
        return Turn("candidate", text, start, last_end if last_end is not None else self.rec.t_s,
                    topic=getattr(self.feed, "last_topic", None), meta=meta)

    def _transcribe_audio(self, audio: np.ndarray, context: str = "") -> STTResult:
        result = self.engines.stt.transcribe(audio, context) if context else self.engines.stt.transcribe(audio)
        self.stats["stt_s"] += result.decode_s
        self.stats["stt_audio_s"] += result.audio_s
        self._last_decode_s = result.decode_s
        return result

    def _typed(self, action: planner.Action) -> Turn | None:
        """A typed answer: waits for the feed's text; the wait is silence on the timeline."""
        t0, w0 = self.rec.t_s, time.perf_counter()
        text = self.feed.text_for(action, self._stop.is_set)
        waited = time.perf_counter() - w0
        if not text or not text.strip():
            return None
        dur = max(1.0, len(text.split()) / 2.5)
        self.rec.silence(waited if self.realtime else dur)
        self._pending_endpoint = time.perf_counter()
        return Turn("candidate", text.strip(), t0, self.rec.t_s, meta={"typed": True})

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
            self._emit(ev.RoundStarted(0.0, round_id=self.rnd.id, source=self.source))
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
                    preroll, self._preroll = self._preroll, None
                    turn = self._listen(frames, preroll) if frames is not None else None
                if turn is not None:
                    self._add_turn(turn)
                t_decided = time.perf_counter()
                p0 = time.perf_counter()
                if getattr(self.feed, "lost", False) and not self._stop.is_set() and not self._time_up():
                    if self._wait_for_feed():  # the same question again, now typed
                        p0 = time.perf_counter()
                        action = planner.next_action(self.transcript, self.rec.t_s, self.rnd)
                        self.stats["planner_s"] += time.perf_counter() - p0
                        continue
                if frames is None or self.feed.exhausted or self._stop.is_set() or self._time_up():
                    action = planner.next_action(self.transcript, self.rnd.duration_s, self.rnd)  # wrap-up
                    if self._stop.is_set():
                        status = "ended_early"
                else:
                    action = planner.next_action(self.transcript, self.rec.t_s, self.rnd)
                self._turn_planner_s = time.perf_counter() - p0
                self.stats["planner_s"] += self._turn_planner_s
                self._emit(ev.PlannerDecided(self.rec.t_s, intent=action.intent, reason=action.reason))
        finally:
            self.rec.close()
            self._llm_pool.shutdown(wait=True, cancel_futures=True)  # no vr-llm-wait thread outlives the round
        self.store.finish(self.sid, self.rec.t_s, status)
        self._emit(ev.RoundEnded(self.rec.t_s, status=status))
        st = self.stats
        rows = ev.stage_rows(self.events)
        compute = ev.response_compute_s(self.events)
        timings = {
            "wall_s": round(time.perf_counter() - wall0, 3), "session_s": round(self.rec.t_s, 3),
            "load_s": self.engines.load_times(),
            "stt_s": round(st["stt_s"], 3), "stt_audio_s": round(st["stt_audio_s"], 3),
            "stt_rtf": round(st["stt_s"] / st["stt_audio_s"], 4) if st["stt_audio_s"] else None,
            "tts_s": round(st["tts_s"], 3), "tts_audio_s": round(st["tts_audio_s"], 3),
            "tts_rtf": round(st["tts_s"] / st["tts_audio_s"], 4) if st["tts_audio_s"] else None,
            "vad_s": round(st["vad_s"], 3), "planner_s": round(st["planner_s"], 4), "llm_s": round(st["llm_s"], 3),
            "llm_rewordings_tried": st["llm_tried"], "llm_rewordings_accepted": st["llm_accepted"],
            "response_compute_s": {"p50": _pct(compute, 50), "p95": _pct(compute, 95),
                                   "max": round(max(compute), 3) if compute else 0.0},
            "stages": {k: {"p50": _pct([r[k] for r in rows], 50), "p95": _pct([r[k] for r in rows], 95),
                           "max": round(max((r[k] for r in rows), default=0.0), 3)} for k in ev.STAGES},
            "barge_in_stop_ms": ev.barge_in_stop_ms(self.events),
            "turn_latencies": rows,
        }
        return SessionResult(self.sid, self.transcript, None, timings, status)


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
