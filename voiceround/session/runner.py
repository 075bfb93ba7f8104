"""The round runner: one session thread that wires an audio feed, the engines, the interviewer
and storage, keeps the session clock and emits typed events (:mod:`voiceround.core.events`).

The same runner serves ``voiceround rehearse`` (a case's WAVs through a file AudioSource) and the
desktop app (the microphone). The session timeline is the recorded audio itself: candidate audio
(and the silence around it) and interviewer speech are appended to one 16 kHz WAV as they happen,
so ``t`` is always ``samples written / 16000``. In real-time mode the processing time between the
candidate's endpoint and the interviewer's first sample is recorded as silence too.
"""
from __future__ import annotations

import itertools
import threading
import time
from typing import Callable, Iterator

import numpy as np

from voiceround import analysis as A
from voiceround import interviewer as planner
from voiceround.audio import WavRecorder
from voiceround.core import events as ev
from voiceround.core.audio_format import FRAME_S, SAMPLE_RATE
from voiceround.core.types import SPEAKING_RATE_WPS, Transcript, Turn
from voiceround.engines.spoken import for_speech
from voiceround.core.types import UNSURE_LOGPROB
from voiceround.engines.stt import STTResult
from voiceround.rounds import Round
from voiceround.session.engines import Engines
from voiceround.session.feeds import CandidateFeed, with_echo_canceller
from voiceround.session.playback import DuplexPolicy, barge_in_config, play_listening
from voiceround.session.results import SessionResult, first_sample, round_timings
from voiceround.session.wording import ProbeWriter
from voiceround.storage import Store
from voiceround.turntaking.endpointing import EndpointConfig, Endpointer, Utterance, sentence_complete

# Decode ahead only once this much new speech has built up (samples; 6 s): shorter chunks lose
# Whisper's context (measured: WER of strong-onboarding-ml rose from 0.28 to 0.35 with 0.2 s chunks).
DECODE_AHEAD_MIN = 6 * SAMPLE_RATE
CLOSING_WAIT_S = 12.0  # the closing question waits this long for an answer to begin (seconds)
# A live question met with silence (or only sounds the STT gates: a laugh, a cough) for this long is
# taken as not answered: the interviewer says it heard no answer and asks again (planner
# ``repeat_question``), then moves on after a second silence. Without it a silent microphone waited
# out the whole round (a new user's laugh got no reply for over 2 minutes). 15 s is over four times
# the longest thinking pause the endpointing keeps open mid-sentence (``unfinished_max_pause_s``, 3.5 s).
NO_ANSWER_S = 15.0


class SessionRunner:
    """Runs one round. Call :meth:`run` on the session thread; :meth:`stop` from any thread ends it
    early; the caller scores the session. ``on_event`` receives every event (:mod:`voiceround.core.events`):
    the GUI's bridge or CLI progress. ``events``: the round's stream so far (the source of its timings)."""

    def __init__(self, rnd: Round, engines: Engines, feed: CandidateFeed, store: Store, *, source: str,
                 realtime: bool = False, use_llm: bool = True, endpoint: EndpointConfig | None = None,
                 on_event: Callable[[ev.Event], None] | None = None, meta: dict | None = None, sink=None):
        self.rnd, self.engines, self.store = rnd, engines, store
        # the speaker (None: only recorded); with a live microphone the speaker's echo is cancelled
        self.feed, self.echo = with_echo_canceller(feed, sink)
        self.sink = sink
        self.max_turn_s = float(rnd.timing.get("monologue_budget_s", 90))
        self._feed_ready = threading.Event()
        self.source, self.realtime = source, realtime
        self.writer = ProbeWriter(rnd, engines.llm, use_llm=use_llm, realtime=realtime)
        self.endpointer = Endpointer(endpoint)
        self.on_event, self.meta, self.transcript = on_event, meta or {}, Transcript()
        self._stop, self._say_closing = threading.Event(), True
        self.stats = {"stt_s": 0.0, "stt_audio_s": 0.0, "tts_s": 0.0, "tts_audio_s": 0.0, "planner_s": 0.0, "vad_s": 0.0}
        self._pending_endpoint, self._last_endpoint = None, None  # (perf-counter second, endpoint dict) of the last answer
        self._last_level = self._turn_planner_s = self._turn_llm_s = 0.0
        self._preroll: list | None = None
        self.duplex = DuplexPolicy(self.echo, forced=self.meta.get("duplex") == "half", emit=self._emit)
        self.events: list[ev.Event] = []
        self._paused, self._repeat = threading.Event(), threading.Event()
        self._last_spoken: list[tuple[np.ndarray, object]] = []  # the last question as played: (16 kHz audio, device-rate audio)
        self._last_question = ""
        # Speak ahead: (spoken text, TTS future) of the next question's first sentence, synthesized at
        # the gap where the answer was decoded ahead; used when the final plan says the same words.
        self._tts_ahead: tuple[str, object] | None = None
        # Decode ahead off the frame loop (latency issue, item 2): in a real-time round the STT of the
        # answer so far runs on this one worker thread while the frames keep coming, so the endpoint
        # is found on time; decoding in the loop had let 0.5-0.65 s of microphone frames queue up by
        # the end of long answers in the rig (docs/BENCHMARKS.md). One worker: decodes stay in order.
        self._stt_worker = None

    def pause(self, on: bool) -> None:
        """Pause (``on`` True) or resume the round, from any thread. Takes effect while the
        candidate has the floor (a question being asked is finished first): microphone frames are
        dropped, not recorded, so the session clock and the round's time stand still
        (:class:`~voiceround.core.events.Paused`). Only for a live microphone; a file or a typed
        round ignores it."""
        (self._paused.set if on else self._paused.clear)()

    def repeat_question(self) -> None:
        """Ask for the last question again, from any thread: it is played again once the candidate
        has the floor and hasn't started answering (:class:`~voiceround.core.events.QuestionRepeated`);
        ignored once the answer has begun."""
        self._repeat.set()

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

    def stop(self, say_closing: bool = True) -> None:
        """End the round after the current step; ``say_closing`` False skips the closing line (quitting)."""
        self._say_closing = say_closing
        self._stop.set()

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

    def _speak(self, action: planner.Action, t_decided: float) -> None:
        """Say ``action``: wording (LLM within its budget), then TTS sentence by sentence, the next
        sentence synthesized while the previous plays. With a continuous feed (microphone,
        recording) the candidate is heard while the interviewer talks: speech that lasts past a
        backchannel (0.6 s) is a barge-in, playback stops, the stored turn is what was played (none
        when it was cut before its first word), and the rest of the synthesis is cancelled; a short "mm-hm" only pauses playback."""
        text, info = self.writer.word(action, self.transcript)
        self._turn_llm_s = self.writer.last_llm_s
        sentences = A.split_text(text) or [text]
        spoken_text = [for_speech(x) for x in sentences]  # "$2M" said as words
        ahead, self._tts_ahead = self._tts_ahead, None
        reuse = ahead is not None and ahead[0] == spoken_text[0] and not ahead[1].cancelled()
        if ahead is not None:
            self._emit(ev.SpokeAhead(self.rec.t_s, used=reuse))
        futures = [ahead[1] if k == 0 and reuse else self.engines.tts.submit(self.engines.tts._speak, x) for k, x in enumerate(spoken_text)]
        first = futures[0].result()
        t_first_audio = time.perf_counter()
        live = getattr(self.feed, "live", False) and not action.is_wrap_up
        cutting_in = bool(self.transcript.turns) and bool(self.transcript.turns[-1].meta.get("interrupted"))
        if self.realtime and not (live and getattr(self.feed, "backlog", 0)):
            self.rec.silence(t_first_audio - t_decided)  # deciding and synthesizing: silence on the timeline
        start = self.rec.t_s  # (a microphone's frames captured meanwhile are that silence, recorded as heard)
        self._emit(ev.TtsReady(start, synth_s=round(first.synth_s, 3)))
        played: list[str] = []
        spoken: list[tuple[np.ndarray, object]] = []
        barge = None
        for k, (sentence, fut) in enumerate(zip(sentences, futures, strict=True)):
            speech = first if k == 0 else fut.result()
            self.stats["tts_s"] += speech.synth_s
            self.stats["tts_audio_s"] += speech.duration_s
            audio = speech.audio
            spoken.append((audio, speech.hifi))
            if k == 0:
                self._record_latency(t_first_audio)
            if not live:
                self.rec.write(audio)
                if self.sink is not None:
                    self.sink.play(audio, speech.hifi)
                elif self.realtime:
                    time.sleep(len(audio) / SAMPLE_RATE)
                played.append(sentence)
                continue
            done = self._play_listening(audio, speech.hifi, cutting_in=k == 0 and cutting_in)
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
        if not live and self.sink is not None:
            self.sink.drain()  # the last word is heard before anything else happens
        meta = {**action.meta(), **info}
        said = " ".join(played) if barge else text
        if barge:
            meta.update(barged_in=True, full_text=text)
            self._emit(ev.BargedIn(barge["onset_s"], stop_ms=round(barge["stop_ms"], 1), played_text=said))
            self._preroll = barge["frames"]
            if not said.strip():  # cut before its first word: nothing was asked, the planner may ask again
                return
        self._last_spoken, self._last_question = spoken, said
        self._repeat.clear()  # a repeat asked while this question played: it has just been heard
        self._add_turn(Turn("interviewer", said, start, self.rec.t_s, intent=action.intent, meta=meta))

    def _say_again(self) -> list[np.ndarray] | None:
        """Play the last question again (Repeat the question). Returns the candidate's frames when
        they talked over it (a barge-in: those frames start the answer), else None."""
        self._emit(ev.QuestionRepeated(self.rec.t_s, text=self._last_question))
        live = getattr(self.feed, "live", False)
        for audio, hifi in self._last_spoken:
            if not live:
                self.rec.write(audio)
                if self.sink is not None:
                    self.sink.play(audio, hifi)
                continue
            done = self._play_listening(audio, hifi)
            if done is not None:
                return done["frames"]
        if not live and self.sink is not None:
            self.sink.drain()
        return None

    def _play_listening(self, audio: np.ndarray, hifi=None, cutting_in: bool = False) -> dict | None:
        """Playback of one sentence while listening (:func:`~voiceround.session.playback.play_listening`); half-duplex per
        :class:`DuplexPolicy`; ``cutting_in``: an interruption's first sentence holds the floor (:func:`barge_in_config`)."""
        half = self.duplex.half(self.rec.t_s)
        return play_listening(audio, hifi, feed=self.feed, sink=self.sink, rec=self.rec, vad=self.engines.vad.stream(),
                              realtime=self.realtime, config=barge_in_config(half, cutting_in), gate=getattr(self.echo, "double_talk", None),
                              on_hold=lambda t, held: self._emit(ev.PlaybackHeld(t, held_s=round(held, 3))))

    def _plan_ahead(self, text: str, topic: str | None = None) -> None:
        """Plan and speak ahead (latency issue, item 3): at a gap where the answer so far was decoded
        ahead, plan the next question as if the answer ended here and start synthesizing its first
        sentence. :meth:`_speak` uses that audio only when the final plan, on the final transcript,
        says the same first sentence; otherwise it is dropped. Planning is pure and takes ~10 ms;
        the synthesis runs on the TTS thread. Never raises: a failure here only loses the head start."""
        if not text:
            return
        try:
            tentative = Transcript([*self.transcript.turns, Turn("candidate", text, self.rec.t_s, self.rec.t_s, topic=topic)])
            action = planner.next_action(tentative, self.rec.t_s, self.rnd)
            if action.is_wrap_up or self.writer.rewords(action):
                return  # the wrap-up is timed at the endpoint; an LLM may reword the question
            first = for_speech((A.split_text(action.text) or [action.text])[0])
            if self._tts_ahead is None or self._tts_ahead[0] != first:
                self._tts_ahead = (first, self.engines.tts.submit(self.engines.tts._speak, first))
        except Exception:  # noqa: BLE001  (the question is planned again at the endpoint anyway)
            self._tts_ahead = None

    def _record_latency(self, t_first_audio: float) -> None:
        """Emit the :class:`~voiceround.core.events.FirstSample` of this reply (:func:`first_sample`)."""
        event = first_sample(self._last_endpoint, self._pending_endpoint, t_first_audio, self._turn_planner_s, self._turn_llm_s, self.rec.t_s)
        self._last_endpoint = self._pending_endpoint = None
        self._emit(event) if event is not None else None

    def _listen(self, frames: Iterator[np.ndarray], preroll: list[np.ndarray] | None = None, story: bool = False,
                deadline: float | None = None, watch: bool = False, no_answer_s: float | None = None) -> Turn | None:
        """Stream frames through VAD endpointing into STT; the candidate turn, or None if no speech.

        At each pause only the audio since the last pause is decoded. A complete sentence ends the
        turn (the endpoint), else listening goes on until the pause reaches ``max_pause_s``. The
        interviewer cuts in (the cut-off turn is kept, ``meta.interrupted``) on abstraction or past
        the round's monologue budget. Speech still coming after an endpoint (a file source) stays in
        the turn. ``preroll``: frames already heard (a barge-in) that start this turn. ``story``:
        the question asked for a story, so its first seconds end only after a longer pause
        (:class:`~voiceround.turntaking.endpointing.EndpointConfig` ``story_pause_s``). ``deadline``:
        session second after which no answer is waited for any more (default: the round's end); an
        answer still going then ends at its next pause once past the round's end (or 30 s past ``deadline``).
        ``watch``: in a live round, check the partial text at each gap between sentences and cut in
        there when the answer drifts into abstraction (:func:`voiceround.analysis.live_drift`).
        ``no_answer_s``: seconds of the session clock after which listening ends (None returned) when
        nothing has been said yet, or only sounds the STT gated (:data:`NO_ANSWER_S` in a live round).
        """
        force_end = self.rnd.duration_s if deadline is None else max(self.rnd.duration_s, deadline + 30.0)
        deadline = self.rnd.duration_s if deadline is None else deadline
        self.endpointer.reset()
        vad = self.engines.vad.stream()
        t0 = self.rec.t_s - len(preroll or []) * FRAME_S
        t_heard = self.rec.t_s  # listening began (the question's end): the no-answer clock
        unanswered = False
        vad_t = time.perf_counter()
        texts: list[str] = []          # finished utterances of this turn
        segs: list = []
        first_start = last_end = None
        done_samples, done_text = 0, ""  # decoded part of the utterance in progress
        interrupted = None
        drift, lag_s = None, 0.0

        def input_lag() -> float:
            """Seconds the frame being handled lags the microphone: frames still queued, and the echo
            canceller's hold-back (part of the gap the candidate hears before a reply)."""
            return (getattr(self.feed, "backlog", 0) + getattr(self.echo, "held_samples", 0)) / SAMPLE_RATE

        spec: tuple | None = None  # (decoded from sample, to sample, context, STTResult): the tail decoded at a gap
        # Real time: every decode runs on the worker (see __init__), each giving a ``spec``.
        # ``ahead_job``: the latest speculative decode at a gap; ``commit``: a long stretch's decode,
        # kept once done; ``partial``: (future, text before it, session second the speech began) of
        # the live text being decoded.
        worker = None
        if self.realtime:
            if self._stt_worker is None:
                from concurrent.futures import ThreadPoolExecutor
                self._stt_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vr-stt-ahead")
            worker = self._stt_worker
        ahead_job = commit = partial = None

        def take_in(res: STTResult | None, to: int) -> None:
            """The utterance is decoded up to sample ``to``; ``res`` (None: nothing to decode) adds its text."""
            nonlocal done_samples, done_text
            if res is not None:
                segs.extend(res.segments)
            done_samples, done_text = to, (done_text + " " + res.text).strip() if res is not None and res.text else done_text

        def settle(wait: bool) -> None:
            """Take in a finished long-stretch decode (``wait``: wait for it if still running)."""
            nonlocal commit
            if commit is not None and (wait or commit.done()):
                _, to, _, res = commit.result()
                commit = None
                take_in(res, to)

        def decode_tail(utt: Utterance) -> str:
            nonlocal spec, ahead_job
            settle(wait=True)
            if ahead_job is not None:
                spec, ahead_job = ahead_job.result(), None  # decoded while the pause grew
            tail = utt.audio[done_samples:]
            context = " ".join(texts + [done_text])
            if spec is not None and spec[:3] == (done_samples, len(utt.audio), context):
                res = spec[3]  # decoded ahead at the gap, and nothing was said since: the same audio, the same text
            elif len(tail) <= 1600:
                res = None
            elif worker is not None:
                res = worker.submit(self._transcribe_audio, tail, context).result()
            else:
                res = self._transcribe_audio(tail, context)
            take_in(res, len(utt.audio))
            return done_text

        def close(utt: Utterance, text: str, reason: str | None) -> None:
            nonlocal first_start, last_end, done_samples, done_text
            self.endpointer.finish()
            self._emit(ev.SpeechEnded(t0 + utt.end_s))
            self._emit(ev.EndpointReached(t0 + utt.endpoint_s, pause_s=round(utt.endpoint_s - utt.end_s, 3), reason=reason or ""))
            now_w = time.perf_counter()
            pause_w = getattr(self, "_pause_wall", None) or now_w
            self._last_endpoint = {"speech_end_s": t0 + utt.end_s, "wait_s": utt.endpoint_s - utt.end_s,
                                   "wall": pause_w, "stt_tail_s": now_w - pause_w, "input_lag_s": round(lag_s, 3)}
            self._pause_wall = None
            if text:
                texts.append(text)
                first_start = t0 + utt.start_s if first_start is None else first_start
                last_end = t0 + utt.end_s
            done_samples, done_text = 0, ""

        # the barge-in frames (already recorded) first, then the live stream
        paused = False
        unfinished = False  # the words before the current pause don't end a sentence
        for frame, fresh in itertools.chain(((f, False) for f in preroll or []), ((f, True) for f in frames)):
            if self._stop.is_set():
                break
            if fresh and self._paused.is_set() != paused and getattr(self.feed, "live", False):
                paused = not paused
                self._emit(ev.Paused(self.rec.t_s, paused=paused))
            if fresh and paused:
                continue  # not recorded: the session clock stands still while paused
            if fresh and self._repeat.is_set() and not self.endpointer.in_speech and not texts and not done_text:
                self._repeat_now = True
                break
            if fresh:
                self.rec.write(frame)
            settle(wait=False)
            now = time.perf_counter()
            if now - self._last_level >= 0.1:  # at most ten level readings a second for the meter
                self._last_level = now
                rms = float(np.sqrt(np.mean((frame.astype(np.float32) / 32768.0) ** 2)))
                self._emit(ev.MicLevel(self.rec.t_s, dbfs=round(20 * float(np.log10(max(rms, 1e-6))), 1)))
            was, cfg = self.endpointer.in_speech, self.endpointer.cfg
            began = first_start if first_start is not None else t0 + self.endpointer.start_frame * FRAME_S
            early = story and (not self.endpointer.in_speech and first_start is None or self.rec.t_s - began < cfg.story_min_s)
            self.endpointer.pause_s, self.endpointer.max_pause_s = (cfg.story_pause_s, cfg.story_max_pause_s) if early else (cfg.story_late_pause_s if story else cfg.pause_s, cfg.max_pause_s)
            if unfinished and self.endpointer.silence_frames:  # a pause mid-sentence: a thinking pause is kept longer
                self.endpointer.max_pause_s = max(self.endpointer.max_pause_s, cfg.unfinished_max_pause_s)
            utt = self.endpointer.push(frame, vad.prob_int16(frame))
            if self.endpointer.in_speech and not was:
                self._emit(ev.SpeechStarted(t0 + self.endpointer.start_frame * FRAME_S))
            if utt is None and self.rec.t_s >= deadline and not self.endpointer.in_speech:
                break
            if no_answer_s is not None and utt is None and not self.endpointer.in_speech and first_start is None \
                    and not done_text and self.rec.t_s - t_heard >= no_answer_s:
                unanswered = True  # nothing said (or only gated sounds) since the question
                break
            soft = utt is not None and utt.soft
            # Live partial text while the candidate talks: at each gap between sentences, the answer so
            # far is decoded on the STT worker (with the context the endpoint would use), then shown and
            # checked for abstraction (the answer is cut at the next pause). When the pause then ends the
            # turn, its text is already there (speculative decoding, discarded when the candidate goes
            # on). Past DECODE_AHEAD_MIN of new speech, that decode is kept for good (a commit), so the
            # stretch left for the endpoint stays short. One decode per gap, none between gaps: on 2
            # cores a decode still running when a pause is reached delays the endpoint by its length.
            if worker is not None and soft and commit is None and len(utt.audio) > done_samples + 3200:
                tail, context = utt.audio[done_samples:].copy(), " ".join(texts + [done_text])
                job = worker.submit(self._decode_ahead, done_samples, tail, context, getattr(self.feed, "live", False))
                if len(tail) > DECODE_AHEAD_MIN:
                    commit = job
                else:
                    if ahead_job is not None:
                        ahead_job.cancel()  # an older gap's decode not started yet: this one supersedes it
                    ahead_job = job
                partial = (job, context.strip(), first_start if first_start is not None else t0 + utt.start_s)
            if partial is not None and partial[0].done():  # the live text is decoded: shown, and checked for drift
                job, before, began = partial
                partial = None
                if not job.cancelled():
                    text_now = (before + " " + job.result()[3].text).strip()
                    self._emit(ev.PartialText(self.rec.t_s, text=text_now))
                    drift = A.live_drift(text_now, self.rec.t_s - began, self.rnd.lexicons) if watch else None
            over = utt is None and self.endpointer.utterance_s >= self.max_turn_s + (0 if self.endpointer.silence_frames >= 3 else 5)  # at a pause
            if over or (drift and (soft or self.endpointer.silence_frames >= 3)):  # cut in: past the budget, or drift at a pause (≥ 96 ms)
                reason = "monologue" if over else drift
                lag_s = input_lag()
                utt = self.endpointer.force()
                text = decode_tail(utt)
                self._emit(ev.Interrupted(self.rec.t_s, reason=reason, after_s=round(self.rec.t_s - (first_start if first_start is not None else t0 + utt.start_s), 1)))
                close(utt, text, reason)
                interrupted = reason
                break
            if soft:  # a gap between sentences: decode ahead (above), decide nothing
                if worker is None and len(utt.audio) > done_samples + DECODE_AHEAD_MIN:
                    decode_tail(utt)
                continue
            if utt is not None:
                long_enough = utt.endpoint_s - utt.end_s >= self.endpointer.pause_s - 0.02  # (a story's first seconds: 1 s)
                can_end = utt.final or long_enough or self.rec.t_s >= force_end
                if not can_end and any(job is not None and not job.done() for job in (ahead_job, commit)):
                    # A pause check that can't end the turn (0.5 s into a story answer's 0.65 s pause)
                    # doesn't wait for the decode still running ahead: the frame loop would stall
                    # for the rest of it (0.2-0.35 s, measured) and reach the endpoint that far behind
                    # the microphone. The live text's own check (``drift``, above) covers abstraction.
                    continue
                self._pause_wall, lag_s = time.perf_counter(), input_lag()
                text = decode_tail(utt) if len(utt.audio) > done_samples + 3200 else done_text
                if text:
                    self._emit(ev.PartialText(self.rec.t_s, text=" ".join(texts + [text]).strip()))
                if not utt.final and A.abstraction_drift(text, self.rnd.lexicons):
                    self._emit(ev.Interrupted(self.rec.t_s, reason="abstraction"))
                    close(utt, text, "abstraction")
                    interrupted = "abstraction"
                    break
                unfinished = not sentence_complete(text)
                if utt.final or (long_enough and not unfinished) or self.rec.t_s >= force_end:
                    close(utt, text, None)
                    if not getattr(self.feed, "has_more_speech", lambda: False)():
                        break
            if self._stop.is_set():
                break
        self.stats["vad_s"] += time.perf_counter() - vad_t
        if paused:
            self._emit(ev.Paused(self.rec.t_s, paused=False))
        if getattr(self, "_repeat_now", False):
            return None
        if self.endpointer.in_speech and done_text:  # the source ended mid-utterance
            texts.append(done_text)
        if not texts:
            self._emit(ev.NoSpeech(self.rec.t_s, reason=f"no answer in {no_answer_s:.0f} s" if unanswered else "no speech, or gated by STT confidence"))
            return None
        self._pending_endpoint = time.perf_counter()
        text = " ".join(texts)
        self._emit(ev.SttFinal(self.rec.t_s, text=text))
        conf = min((sg.avg_logprob for sg in segs), default=0.0)
        meta = {"stt_min_avg_logprob": round(conf, 3)}
        unsure = [sg.text for sg in segs if sg.avg_logprob < UNSURE_LOGPROB and sg.text]
        if unsure:  # the stretches the STT was least sure of (shown as "may be misheard")
            meta["unsure"] = unsure
        if interrupted:
            meta["interrupted"] = interrupted
        start = first_start if first_start is not None else t0
        return Turn("candidate", text, start, last_end if last_end is not None else self.rec.t_s,
                    topic=getattr(self.feed, "last_topic", None), meta=meta)

    def _closing_exchange(self, closing: planner.Action) -> None:
        """After the closing question: listen for the candidate's answer (up to ``CLOSING_WAIT_S``
        for it to begin, past the round's end if need be), keep it (``meta.closing``; not scored),
        then say the round's neutral closing reply. Skipped when the round was stopped (End round, quit)."""
        if self._stop.is_set():
            return
        turn, _ = self._answer(closing, deadline=self.rec.t_s + CLOSING_WAIT_S)
        if turn is not None:
            self._add_turn(Turn(**{**turn.__dict__, "meta": {**turn.meta, "closing": True}}))
        if not self._stop.is_set():
            self._speak(planner.closing_reply(self.rnd, turn.text if turn is not None else None), time.perf_counter())

    def _answer(self, action: planner.Action, deadline: float | None = None) -> tuple[Turn | None, bool]:
        """The candidate's answer to ``action``: typed (no microphone) or heard (:meth:`_listen`).
        Returns ``(turn or None, heard)``; ``heard`` False when the feed has nothing to give
        (a simulated candidate with no fitting turn)."""
        if hasattr(self.feed, "text_for"):  # typed: the closing question waits a minute for an answer
            turn = self._typed(action, None if deadline is None else 60.0)
            return turn, turn is not None
        frames = self.feed.frames_for(action)
        preroll, self._preroll = self._preroll, None
        # a story is expected: abstraction is cut off (not in the pushback, the reflection or the close)
        watch = action.asks_for_story and "reflection" not in (action.slot, action.deepens)
        if frames is None:
            return None, False
        while True:
            self._repeat_now = False
            no_answer = NO_ANSWER_S if deadline is None and getattr(self.feed, "live", False) else None
            turn = self._listen(frames, preroll, action.asks_for_story, deadline, watch, no_answer)
            if not self._repeat_now or self._stop.is_set():
                return turn, True
            self._repeat.clear()
            preroll = self._say_again()  # the same question, played again; then listen again

    def _decode_ahead(self, frm: int, tail: np.ndarray, context: str, plan: bool) -> tuple:
        """On the STT worker: decode ``tail`` (int16, 16 kHz: the utterance from sample ``frm``) with
        ``context`` (the turn's text so far), then (``plan``: a live round) plan and speak ahead on
        ``context`` + the tail's text.
        Returns the ``spec`` ``(frm, frm + len(tail), context, STTResult)`` the endpoint reuses when
        nothing was said since."""
        res = self._transcribe_audio(tail, context)
        if plan:
            self._plan_ahead((context.strip() + " " + res.text).strip(), topic=getattr(self.feed, "last_topic", None))
        return (frm, frm + len(tail), context, res)

    def _transcribe_audio(self, audio: np.ndarray, context: str = "") -> STTResult:
        result = self.engines.stt.transcribe(audio, context) if context else self.engines.stt.transcribe(audio)
        self.stats["stt_s"] += result.decode_s
        self.stats["stt_audio_s"] += result.audio_s
        return result

    def _typed(self, action: planner.Action, timeout_s: float | None = None) -> Turn | None:
        """A typed answer: waits for the feed's text (up to ``timeout_s``); the wait is silence on the timeline."""
        t0, w0 = self.rec.t_s, time.perf_counter()
        text = self.feed.text_for(action, self._stop.is_set, **({"timeout_s": timeout_s} if timeout_s else {}))
        waited = time.perf_counter() - w0
        if not text or not text.strip():
            return None
        # an answer typed ahead still takes its speaking time, up to the monologue budget a spoken answer
        # is cut at (a pasted 5,000-word essay is not 33 minutes of the round)
        dur = min(max(1.0, len(text.split()) / SPEAKING_RATE_WPS), self.max_turn_s)
        self.rec.silence(max(waited, dur) if self.realtime else dur)
        self._pending_endpoint = time.perf_counter()
        return Turn("candidate", text.strip(), t0, self.rec.t_s, meta={"typed": True})

    def run(self) -> SessionResult:
        """Run the whole round; returns a :class:`SessionResult`. Storage errors propagate after the
        turns committed so far are kept."""
        wall0 = time.perf_counter()
        meta = {**self.meta, "round_version": self.rnd.version, "round_path": str(self.rnd.path), "models": self.engines.describe()}
        self.sid = self.store.new_session(self.rnd.id, self.rnd.version, self.source, meta)
        self.rec = WavRecorder(self.store.session(self.sid)["audio_path"])
        status = "finished"
        try:
            self._emit(ev.RoundStarted(0.0, round_id=self.rnd.id, source=self.source))
            action = planner.opening(self.rnd)
            t_decided = time.perf_counter()
            while True:
                if self._stop.is_set() and not action.is_wrap_up:  # End round while this probe was planned: close instead
                    action, status = planner.next_action(self.transcript, self.rnd.duration_s, self.rnd), "ended_early"
                if action.is_wrap_up and self._stop.is_set() and not self._say_closing:
                    break
                if action.is_wrap_up and self._stop.is_set():  # ended by the candidate: no question they can't answer
                    self._speak(planner.closing_reply(self.rnd, False), t_decided)
                    break
                self._speak(action, t_decided)
                if action.is_wrap_up:
                    self._closing_exchange(action)
                    break
                turn, heard = self._answer(action)
                if turn is not None:
                    self._add_turn(turn)
                t_decided = p0 = time.perf_counter()
                if getattr(self.feed, "lost", False) and not self._stop.is_set() and not self._time_up():
                    if self._wait_for_feed():  # the same question again, now typed
                        p0 = time.perf_counter()
                        action = planner.next_action(self.transcript, self.rec.t_s, self.rnd)
                        self.stats["planner_s"] += time.perf_counter() - p0
                        continue
                if self._stop.is_set() or self._time_up():
                    action = planner.next_action(self.transcript, self.rnd.duration_s, self.rnd)  # wrap-up
                    if self._stop.is_set():
                        status = "ended_early"
                else:  # a simulated candidate with no story left still gets the pushback and the reflection
                    action = planner.next_action(self.transcript, self.rec.t_s, self.rnd, exhausted=not heard or self.feed.exhausted)
                self._turn_planner_s = time.perf_counter() - p0
                self.stats["planner_s"] += self._turn_planner_s
                self._emit(ev.PlannerDecided(self.rec.t_s, intent=action.intent, reason=action.reason))
        finally:
            self.rec.close()
            self.writer.close()  # no vr-llm-wait thread outlives the round
            if self._stt_worker is not None:
                self._stt_worker.shutdown(wait=True, cancel_futures=True)  # no decode outlives the round
        self.store.finish(self.sid, self.rec.t_s, status)
        echo = {"echo_db": self.echo.echo_db, "aec_erle_db": self.echo.erle_db} if self.echo is not None else {}
        self._emit(ev.RoundEnded(self.rec.t_s, status=status, **echo))
        timings = round_timings(self.events, self.stats, self.writer, wall_s=time.perf_counter() - wall0,
                                session_s=self.rec.t_s, load_s=self.engines.load_times())
        timings.update(echo)  # how loud the speaker came back into the microphone, and how much AEC removed
        return SessionResult(self.sid, self.transcript, None, timings, status)
