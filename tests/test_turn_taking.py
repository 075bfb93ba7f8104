"""Real-time turn-taking: barge-in, backchannels, interruptions, and endpointing on natural pauses."""
import time

import numpy as np
import pytest

from tests.conftest import CASES, REALSPEECH
from voiceround.audio import read_audio
from voiceround.session.feeds import StreamFeed
from voiceround.session.runner import SessionRunner
from voiceround.storage import Store

pytestmark = pytest.mark.live  # real time: run alone, never beside other tests (Makefile `test`)


def scripted(*parts):
    """A microphone stream: ("silence", seconds) or ("audio", int16 array) parts, frame by frame."""
    def gen():
        for kind, val in parts:
            x = np.zeros(int(val * 16000), np.int16) if kind == "silence" else val
            for i in range(0, len(x) - 511, 512):
                yield x[i:i + 512]
    return gen()


def paced(frames, late: list | None = None):
    """Frames at a microphone's pace (one 32 ms frame every 32 ms of wall time). ``late``, if
    given, gets how late (seconds) each frame was asked for: how far the reader fell behind."""
    t0 = time.monotonic()
    for i, f in enumerate(frames):
        due = t0 + i * 512 / 16000
        now = time.monotonic()
        time.sleep(max(0.0, due - now))
        if late is not None:
            late.append(max(0.0, now - due))
        yield f


def run(rnd, engines, *parts):
    events = []
    res = SessionRunner(rnd, engines, StreamFeed(scripted(*parts)), Store(), source="test", use_llm=False,
                        on_event=lambda ev: events.append(ev)).run()
    return res, events


def test_barge_in_stops_playback_and_keeps_what_was_played(engines, rnd, data_dir):
    jfk = read_audio(REALSPEECH / "fwh_jfk.flac")
    res, events = run(rnd, engines, ("silence", 2.0), ("audio", jfk), ("silence", 12.0))
    barge = [e for e in events if e.kind == "barge_in"]
    assert barge and barge[0].data["stop_ms"] <= 250
    first = res.transcript.turns[0]
    assert first.meta.get("barged_in") and first.text.endswith("…")
    assert first.meta["full_text"].startswith(first.text.rstrip("…").rsplit(" ", 1)[0])
    assert len(first.text) < len(first.meta["full_text"])
    cand = [t for t in res.transcript.turns if t.speaker == "candidate"]
    assert cand and "americans" in cand[0].text.lower()
    assert "country" in " ".join(t.text for t in cand).lower()  # nothing the candidate said is lost
    assert cand[0].start_s < first.end_s + 0.6  # the candidate's turn starts where they cut in


def test_backchannel_does_not_stop_the_interviewer(engines, rnd, data_dir):
    jfk = read_audio(REALSPEECH / "fwh_jfk.flac")
    onset = int(np.argmax(np.abs(jfk) > 3000))
    blip = jfk[onset:onset + int(0.3 * 16000)]  # a 0.3 s "mm-hm"
    res, events = run(rnd, engines, ("silence", 2.0), ("audio", blip), ("silence", 15.0))
    assert not [e for e in events if e.kind == "barge_in"]
    assert not res.transcript.turns[0].meta.get("barged_in")


def test_abstraction_is_interrupted_while_the_candidate_talks(engines, rnd, data_dir, capsys):
    import json

    from voiceround.cli import main
    assert main(["rehearse", str(CASES / "weak-abstraction.toml"), "--json", "-q", "--no-llm"]) == 0
    r = json.loads(capsys.readouterr().out)
    events = Store().events(r["session_id"])
    cut = [e for e in events if e["kind"] == "interruption" and e["data"]["reason"] == "abstraction"]
    assert cut
    ends = [e["t_s"] for e in events if e["kind"] == "speech_end"]
    starts = [e["t_s"] for e in events if e["kind"] == "tts_ready"]
    for c in cut:  # the interviewer starts within 1.0 s of the triggering sentence's end
        end = max(t for t in ends if t <= c["t_s"])
        start = min(t for t in starts if t >= c["t_s"])
        assert start - end <= 1.0


def test_an_interviewer_cut_before_its_first_word_leaves_no_empty_turn(engines, rnd, data_dir):
    """A candidate who keeps talking through the interviewer's start: a question cut before its first
    word was never asked, so no blank interviewer turn is stored (it was, in a recording round), and
    what the candidate said stays in order."""
    wav = read_audio(CASES / "audio" / "strong-staged-rollout.01.wav")
    res, events = run(rnd, engines, ("audio", wav), ("silence", 10.0))
    assert [e for e in events if e.kind == "barge_in"]
    assert all(t.text.strip() for t in res.transcript.turns), [(t.speaker, t.text) for t in res.transcript.turns]
    said = " ".join(t.text for t in res.transcript.turns if t.speaker == "candidate").lower()
    assert "checkout" in said.replace("check out", "checkout") and "four million" in said.replace("$4 million", "four million")


def test_end_round_after_a_probe_was_planned_goes_straight_to_the_closing(engines, rnd, data_dir):
    """End round pressed right after an answer, when the next probe is already planned: the
    interviewer says its closing line, not a question the candidate can no longer answer."""
    from voiceround.session.feeds import TypedFeed
    feed = TypedFeed()
    feed.submit("In 2023 I disagreed with my manager Priya about launching checkout to 100% of traffic; "
                "our last big-bang launch had a 4% error rate.")
    box = {}

    def on_event(e):
        if e.kind == "planner" and e.intent != "wrap_up" and "runner" in box:
            box["runner"].stop()  # as MainWindow.end_round does, from another thread
    runner = SessionRunner(rnd, engines, feed, Store(), source="test", use_llm=False, on_event=on_event)
    box["runner"] = runner
    res = runner.run()
    iv = [t for t in res.transcript.turns if t.speaker == "interviewer"]
    # ended by the candidate: a closing line with no question in it (a question they couldn't answer)
    assert [t.intent for t in iv] == ["ask_scenario", "closing_reply"], [(t.intent, t.text) for t in iv]
    assert "?" not in iv[-1].text
    assert res.status == "ended_early"


def test_a_pasted_essay_takes_no_more_of_the_clock_than_a_spoken_monologue(engines, rnd, data_dir):
    """A new user pasted a 5,000-word typed answer: it was clocked as 33 minutes of speech and the
    round was over. A typed answer takes its speaking time up to the 90 s monologue budget."""
    from voiceround.session.feeds import TypedFeed
    feed = TypedFeed()
    feed.submit("In 2023 I disagreed with my manager Priya about launching checkout to everyone at once. " * 400)
    box = {}

    def on_event(e):
        if e.kind == "planner" and "runner" in box:
            box["runner"].stop()
    runner = SessionRunner(rnd, engines, feed, Store(), source="test", use_llm=False, on_event=on_event)
    box["runner"] = runner
    res = runner.run()
    answer = next(t for t in res.transcript.turns if t.speaker == "candidate")
    assert len(answer.text.split()) > 5000 and answer.end_s - answer.start_s <= 90.5, answer.end_s - answer.start_s


def _first_sentence_split(audio: np.ndarray) -> int:
    """Sample index in the middle of the first gap of 0.25 s or more after the first second."""
    hop = 320
    rms = np.sqrt(np.mean((audio[: len(audio) // hop * hop].astype(np.float32).reshape(-1, hop) / 32768.0) ** 2, axis=1))
    quiet = 20 * np.log10(rms + 1e-9) < -45
    run = 0
    for i, q in enumerate(quiet):
        run = run + 1 if q else 0
        if i * hop > 16000 and run * hop >= 4000:
            return (i - run // 2) * hop
    raise AssertionError("no sentence gap found")


def test_a_pause_after_the_first_sentence_of_a_story_does_not_end_it(engines, rnd, data_dir):
    """The first answer of a round, on a live stream: its first sentence ("Last spring, I was the lead
    engineer on…"), a pause of about 0.75 s while the candidate gathers the story, then the rest.
    One turn, not an endpoint after the first sentence (live rounds were cut there in 3 of 3 runs). With the story rule turned off (the plain
    0.5 s pause), the same audio is split: the test has teeth."""
    from voiceround.turntaking.endpointing import EndpointConfig
    answer = read_audio(CASES / "audio" / "strong-staged-rollout.01.wav")
    cut = _first_sentence_split(answer)
    parts = (("silence", 12.0), ("audio", answer[:cut]), ("silence", 0.4), ("audio", answer[cut:]), ("silence", 4.0))
    firsts = {}
    for label, cfg in (("story rule", EndpointConfig()), ("plain pause", EndpointConfig(story_pause_s=0.5, story_max_pause_s=2.0))):
        events = []
        SessionRunner(rnd, engines, StreamFeed(scripted(*parts)), Store(), source="test", use_llm=False, endpoint=cfg,
                      on_event=events.append).run()
        firsts[label] = [e for e in events if e.kind == "stt_final"][0].text
    assert "checkout" in firsts["story rule"].lower() and "orders a week" in firsts["story rule"].lower(), firsts
    assert len(firsts["plain pause"].split()) < 20, firsts


def test_a_live_round_has_the_answer_decoded_and_the_reply_spoken_ahead_when_the_pause_ends_it(engines, rnd, data_dir):
    """In a live (real-time) round the tail of an answer is decoded at the gap after its last word
    (0.2 s), on the STT worker while the frames keep coming (a microphone's pace here), so when the
    pause ends the turn (a story answer's 0.65 s) that decode is reused, not done again, and only what is left of it
    is waited for: the STT stage of the reply is shorter than the whole tail's decode (about 0.3 s,
    without look-ahead), and the text is the same as without it."""
    from voiceround.turntaking.endpointing import EndpointConfig
    answer = read_audio(CASES / "audio" / "weak-passive-aggressive.04.wav")  # 5.3 s: decoded whole at the end (a reply whose first sentence is short)
    # Live: a story answer's 0.65 s pause (the 0.5 s pause check comes first and can't end the turn).
    # Not live: the 0.5 s pause throughout, so that the whole tail is decoded at the endpoint.
    story = EndpointConfig(story_pause_s=0.65, story_max_pause_s=2.0, story_late_pause_s=0.65)
    plain = EndpointConfig(story_pause_s=0.5, story_max_pause_s=2.0, story_late_pause_s=0.5)
    parts = (("silence", 12.0), ("audio", answer), ("silence", 4.0))
    seen, replies, late, heard = {}, {}, [], []
    for realtime in (False, True):
        events = []

        def on_event(e, events=events):
            events.append(e)
            if e.kind == "endpoint":
                heard.append(len(late))  # frames read from the microphone when the turn ended
        frames = paced(scripted(*parts), late) if realtime else scripted(*parts)
        SessionRunner(rnd, engines, StreamFeed(frames), Store(), source="test", use_llm=False,
                      endpoint=story if realtime else plain, realtime=realtime, on_event=on_event).run()
        text = [e for e in events if e.kind == "stt_final"][0].text
        reply = [e for e in events if e.kind == "first_sample" and e.from_speech][0]
        seen[realtime] = (text, reply.stt_tail_s)
        replies[realtime] = (reply, [e for e in events if e.kind == "spoke_ahead"],
                             [e.text for e in events if e.kind == "turn" and e.speaker == "interviewer"])
    assert seen[True][0] == seen[False][0], seen
    assert seen[True][1] < seen[False][1] and seen[False][1] > 0.1, seen
    # The frame loop keeps up with the microphone through the pause that ends the answer, up to the
    # endpoint: the 0.5 s check doesn't wait for the decode running ahead (it did: the loop fell
    # 0.13-0.15 s behind here, 0.2-0.35 s in live rounds, and the reply came that much later). At the
    # endpoint itself the loop waits for what is left of that decode (the STT stage, above): on a
    # slower machine the decode of this 5.3 s answer outlasts the pause (0.4 s left, measured), so
    # frames read after the endpoint are late by that much and are not part of this check.
    end = int((12.0 + len(answer) / 16000) * 16000 / 512)  # the frame where the answer's audio ends
    ep = heard[-1]  # the live round's endpoint (the audio's own trailing silence counts toward the pause)
    assert ep - end >= 8, (end, ep)  # the window covers the 0.5 s pause check (0.25 s+ of pause after the audio)
    assert max(late[end:ep]) < 0.05, [round(x, 3) for x in late[end:ep + 3]]
    # Speak ahead: the next question was planned at that gap and its first sentence synthesized
    # there; the final plan said the same words, so the reply's TTS stage is ~0 (0.03-0.1 s
    # without, by the sentence's length), and the question asked is the one asked without look-ahead.
    (rt, ahead, asked), (plain_reply, none, plain_asked) = replies[True], replies[False]
    assert none == [] and [e.used for e in ahead][:1] == [True], ahead
    assert asked[:2] == plain_asked[:2], (asked, plain_asked)
    assert rt.tts_first_s <= 0.01 < plain_reply.tts_first_s, (rt, plain_reply, asked)


def test_a_thinking_pause_mid_sentence_does_not_end_the_answer(engines, rnd, data_dir):
    """A 2.5 s thinking pause mid-sentence ("…Payment errors were" | pause | "already our top
    ticket driver…"), 12 s and again about 80 s into one answer to a story question: one turn
    through both (the latency issue's target). With the old 2 s limit the same audio is cut at
    the first pause: the test has teeth."""
    from voiceround.turntaking.endpointing import EndpointConfig
    a02 = read_audio(CASES / "audio" / "strong-staged-rollout.02.wav")
    cut = int(12.36 * 16000)  # just before "already" (Whisper tiny.en ends the prefix "...were..."; at 12.44 s a sliver of "al-" was heard as "R.")
    gap = np.zeros(int(0.5 * 16000), np.int16)
    paused = [a02[:cut], np.zeros(int(2.5 * 16000), np.int16), a02[cut:]]
    middle = [x for n in (1, 4) for x in (gap, read_audio(CASES / "audio" / f"strong-staged-rollout.{n:02d}.wav"))]
    answer = np.concatenate(paused + middle + [gap] + paused)
    second_pause_end = (len(answer) - len(a02) + cut) / 16000 + 2.5
    assert 70 < second_pause_end - 2.5 < 88, second_pause_end  # about 80 s in, before the 90 s monologue budget

    def first_turn(audio, cfg):
        events = []
        SessionRunner(rnd, engines, StreamFeed(scripted(("silence", 12.0), ("audio", audio), ("silence", 5.0))), Store(),
                      source="test", use_llm=False, endpoint=cfg, on_event=events.append).run()
        turn = [e for e in events if e.kind == "turn" and e.speaker == "candidate"][0]
        return turn.end_s - turn.start_s
    assert first_turn(answer, EndpointConfig()) > second_pause_end
    assert first_turn(np.concatenate(paused), EndpointConfig(unfinished_max_pause_s=2.0)) < 12.36 + 2.5


def test_a_question_met_with_silence_is_asked_again_then_the_round_moves_on(engines, rnd, data_dir):
    """A live microphone that stays silent after a question: the interviewer says it heard no answer
    and asks again after NO_ANSWER_S, and moves on after a second silence, instead of waiting out the
    round in silence (a new user's round got no reply for over 2 minutes)."""
    from voiceround.session.runner import NO_ANSWER_S
    res, events = run(rnd, engines, ("silence", 2 * NO_ANSWER_S + 25.0))
    asked = [t for t in res.transcript.turns if t.speaker == "interviewer"]
    assert len(asked) >= 3, [t.text for t in asked]
    assert asked[1].intent == "repeat_question" and "didn't hear an answer" in asked[1].text
    assert asked[2].intent == "note_no_example"  # nothing was ever said: no example came, said once
    gaps = [b.start_s - a.end_s for a, b in zip(asked[:2], asked[1:3], strict=True)]
    assert all(NO_ANSWER_S - 0.1 <= g <= NO_ANSWER_S + 0.5 for g in gaps), gaps
    assert len([e for e in events if e.kind == "no_speech" and e.data.get("reason") == f"no answer in {NO_ANSWER_S:.0f} s"]) >= 2
    assert not [t for t in res.transcript.turns if t.speaker == "candidate"]
