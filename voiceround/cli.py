"""``voiceround`` command line: the desktop app (no arguments), ``rehearse``, ``score``,
``sessions`` and ``doctor``. Errors print one clear message and exit with status 2 (bad input)
or 3 (models/storage), never a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from voiceround.core.errors import VoiceRoundError
from voiceround.rounds import DEFAULT_ROUND, RoundFileError, load_round


def _err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def round_of_session(args, row: dict):
    """The round a stored session was recorded on: its bundled round by id, else the round file it
    was run from (kept in the session's meta), else ``--round FILE``. A ``--round`` naming another
    round than the session's is refused (scoring a session on another round mixes two rubrics)."""
    from voiceround.scoring import check_round
    rid = row["round_id"]
    if getattr(args, "round", None):
        rnd = load_round(args.round)
        if rnd.id != rid:
            raise RoundFileError(f"session {row['id']} was recorded on round {rid!r}, not {rnd.id!r}; leave out --round, "
                                 f"or give {rid!r}'s own file")
    else:
        from pathlib import Path
        path = (row.get("meta") or {}).get("round_path")
        if path and Path(path).is_file():
            rnd = load_round(path)  # the very file the session was run from (a custom round may reuse an id)
        else:
            try:
                rnd = load_round(rid)
            except RoundFileError:
                raise RoundFileError(f"session {row['id']} was recorded on round {rid!r}, which is not bundled; "
                                     f"give its file with --round FILE") from None
    check_round(rnd)
    return rnd


def round_for(args, default: str = DEFAULT_ROUND):
    """The round a command runs on: ``--round`` when given, else ``default`` (the case file's or the
    stored session's round). Loaded and checked against the scorer's features; raises
    :class:`voiceround.rounds.RoundFileError` with a message."""
    from voiceround.scoring import check_round
    rnd = load_round(getattr(args, "round", None) or default)
    check_round(rnd)
    return rnd


def cmd_rehearse(args) -> int:
    """Run a whole round from a case file's audio, headless."""
    from voiceround.report import clock, scorecard_text
    from voiceround.session.cases import check_audio, load_case
    from voiceround.session.controller import SessionController
    from voiceround.session.engines import Engines
    from voiceround.session.feeds import SimulatedFeed
    from voiceround.session.results import result_json
    if args.llm:
        os.environ["VOICEROUND_LLM_MODEL"] = args.llm
    rnd = round_for(args) if getattr(args, "round", None) else None
    case = load_case(args.case, rnd)
    rnd = rnd or round_for(args, case.round_ref)
    check_audio(case)  # before the models load: a bad file fails in a second, not after
    quiet = args.quiet

    def progress(line: str) -> None:
        if not quiet:
            _err(line)

    # In real time the bundled 135M model isn't worth its ~0.3 s a turn (about one paraphrase in six
    # passes the checks): live rounds use it only when a bigger model is configured (--llm).
    use_llm = not args.no_llm and (not args.realtime or bool(args.llm))
    engines = Engines.load(use_llm=use_llm, progress=progress)

    def on_event(event) -> None:
        from voiceround.core.events import TurnAdded
        if isinstance(event, TurnAdded) and not quiet:
            who = "Interviewer" if event.speaker == "interviewer" else "Candidate  "
            _err(f"[{clock(event.start_s)}] {who}: {event.text}")

    control = SessionController(rnd)
    try:
        result = control.run(engines, SimulatedFeed(case, realtime=args.realtime), source=f"case:{case.id}",
                             realtime=args.realtime, use_llm=use_llm, on_event=on_event, meta={"case": str(case.path)})
    except KeyboardInterrupt:
        sid = getattr(control.runner, "sid", None)
        _err(f"\nstopped; the turns so far are kept in session {sid} (shown as unfinished)" if sid else "\nstopped")
        return 130
    finally:
        engines.close()
    if args.json:
        print(json.dumps(result_json(result.session_id, rnd, result.transcript, result.scorecard, result.timings),
                         sort_keys=True, ensure_ascii=False, indent=2))
    else:
        head = (f"Session {result.session_id}   {rnd.title}   {clock(result.timings['session_s'])}, "
                f"{len(result.transcript.turns)} turns, {result.status}")
        print(scorecard_text(result.scorecard, head, rnd, result.transcript))
        t = result.timings
        print(f"\nTimings: wall {t['wall_s']:.1f} s; STT real-time factor {t['stt_rtf']}; TTS real-time factor {t['tts_rtf']}; "
              f"LLM rewordings accepted {t['llm_rewordings_accepted']}/{t['llm_rewordings_tried']}"
              + ("" if use_llm else " (LLM off: --no-llm, or --realtime without --llm)"))
        st = t.get("stages", {})
        if t.get("turn_latencies"):  # the interviewer's replies to spoken answers (events first_sample)
            v2v = st["voice_to_voice_s"]
            parts = ", ".join(f"{k[:-2].replace('_', ' ')} {st[k]['p50']:.2f}" for k in st if k != "voice_to_voice_s")
            print(f"Voice-to-voice ({len(t['turn_latencies'])} replies): p50 {v2v['p50']:.2f} s, p95 {v2v['p95']:.2f} s, "
                  f"max {v2v['max']:.2f} s; stages p50 (s): {parts}" + ("" if args.realtime else " (not paced in real time: use --realtime)"))
    return 0


def cmd_score(args) -> int:
    """Score a stored session, or a case file's text (``--text``)."""
    from voiceround.report import scorecard_text
    from voiceround.scoring import score
    from voiceround.session.results import result_json
    if args.text and args.rescore:  # nothing is stored for a text: there is no scorecard to replace
        raise VoiceRoundError("--rescore re-scores a stored session; --text scores a file's text and stores nothing",
                         hint="drop --rescore to score the text, or give a session id (voiceround sessions) without --text")
    if args.text:
        from pathlib import Path

        from voiceround.session.cases import CLOSING_TOPIC, CaseFileError, load_case, text_transcript
        rnd = round_for(args) if getattr(args, "round", None) else None
        case = load_case(args.target, rnd, any_topic=True)  # only the words are scored: any round's topics will do
        rnd = rnd or round_for(args, case.round_ref)
        transcript = text_transcript(case)
        left_out = [ct.number for ct in case.turns if ct.topic == "unknown"]
        if not transcript.turns:
            raise CaseFileError(f"{Path(args.target).name}: no turn to score: every turn has topic 'unknown'",
                                hint="'unknown' marks the answer a rehearsal gives to a probe the story can't answer; "
                                     "give each part of your story its topic (README: 'To score an answer you wrote yourself')")
        known = set(rnd.topics) | {CLOSING_TOPIC}
        odd = [(ct.number, ct.topic) for ct in case.turns if ct.topic and ct.topic not in known]
        if odd:  # a new user's "banana" passed without a word: it is scored (only the words are), but say so
            listed = ", ".join(f"{t!r} (turn {n})" for n, t in odd[:3]) + (f" and {len(odd) - 3} more" if len(odd) > 3 else "")
            _err(f"{'topic' if len(odd) == 1 else 'topics'} {listed} {'is not a topic' if len(odd) == 1 else 'are not topics'} of "
                 f"{rnd.id}: scored as told (only the words are read), but `rehearse` would refuse "
                 f"{'it' if len(odd) == 1 else 'them'}. Its topics: {', '.join(rnd.topics)}.")
        if left_out:  # a new user's turns went missing without a word, and the turn numbers shifted
            _err(f"left out turn{'s' if len(left_out) > 1 else ''} {', '.join(map(str, left_out))} of the file: topic 'unknown' is the "
                 "answer a rehearsal gives to a probe the story can't answer, not part of the story. Turns below are numbered as scored.")
        from voiceround.analysis import split_sentences
        said = split_sentences(transcript)
        asked = [x for x in said if x.text.rstrip().endswith("?")]
        if said and len(asked) * 2 >= len(said):  # a new user's file of the interviewer's questions was scored as an answer
            _err(f"{len(asked)} of the answer's {len(said)} sentences are questions: the turns hold what the candidate says, "
                 "not the interviewer's questions (scored as told).")
        card = score(transcript, rnd)
        sid = None
        head = f"Case {case.id} (text only)   {rnd.title}"
    else:
        from voiceround.session.controller import score_transcript
        from voiceround.storage import Store, rescore
        from voiceround.core.errors import SessionNotFound
        store = Store()
        try:
            row = store.session(args.target)
        except SessionNotFound as exc:
            if not str(args.target).endswith(".toml"):
                raise
            # a case file given without --text: say how to score it
            raise SessionNotFound(f"no session with id {args.target!r}",
                                  hint=f"to score an answer file, add --text: voiceround score --text {args.target}") from exc
        rnd = round_of_session(args, row)
        transcript = store.transcript(args.target)
        card = score_transcript(transcript, rnd, args.target)
        stored_card = store.scorecard(args.target)
        if not args.rescore and stored_card and stored_card.get("total") != card.get("total"):
            # a new user saw another total here than in `sessions`, the app and the PDF, with no word why
            _err(f"scored again with this version of the scorer: {card.get('total')}; the stored scorecard (app, PDF, "
                 f"`sessions`) says {stored_card.get('total')}. Add --rescore to store this one.")
        if args.rescore:  # keep the old scorecard in the history, store the new one
            stored = rescore(store, args.target, card)
            _err("re-scored: stored the new scorecard, the previous one is kept in the history" if stored
                 else "re-scored: the same scorecard as the one stored, so nothing new was stored")
        sid = args.target
        from voiceround.report import clock
        length = row.get("duration_s") or (transcript.turns[-1].end_s if transcript.turns else 0.0)
        head = (f"Session {sid}   {rnd.title}   {clock(length)}, {len(transcript.turns)} turns"
                + ("   (unfinished)" if row["unfinished"] else ""))
        store.close()
    if args.text:
        card["analytics"]["timing"] = "estimated from text at 150 words/min (no audio)"
        card["analytics"].pop("round_used_s", None)  # no round was run: no round clock to report
    if args.json:
        out = result_json(sid, rnd, transcript, card)
        out.pop("timings")
        print(json.dumps(out, sort_keys=True, ensure_ascii=False, indent=2))
    else:
        print(scorecard_text(card, head, rnd, transcript))
        if args.text:  # a new user looked for the session to export: say there is none
            print("\nScored from the text only: nothing is stored, so there is no session to replay or export. "
                  "A round in the app, or `voiceround rehearse` on a case with audio, is stored.")
    return 0


def cmd_sessions(args) -> int:
    """List stored sessions, newest first."""
    from voiceround.report import clock, status_text
    from voiceround.storage import Store
    store = Store()
    rows = store.sessions()
    store.close()
    if args.json:
        print(json.dumps(rows, sort_keys=True, indent=2))
        return 0
    if not rows:
        print("no sessions yet: run `voiceround rehearse CASE.toml` or start a round in the app")
        return 0
    print(f"{'session':<24} {'started (UTC)':<26} {'round':<20} {'length':>7} {'turns':>5} {'total':>6}  status")
    for r in rows:
        total = f"{r['total']:.1f}" if r["total"] is not None else "-"
        status = status_text(r)
        print(f"{r['id']:<24} {r['started_at']:<26} {r['round_id']:<20} {clock(r['duration_s'] or 0):>7} {r['turns']:>5} {total:>6}  {status}")
    return 0


def cmd_doctor(args) -> int:
    """``doctor``: each model's source, path, size and load time; audio devices; echo cancellation;
    the data folder (see :mod:`voiceround.cli_doctor`)."""
    from voiceround.cli_doctor import cmd_doctor as run_doctor
    return run_doctor(args)


def _listen_s(text: str) -> float:
    """``--listen``: a number of seconds from 1 to 30 (argparse type; a clear usage error otherwise)."""
    import argparse
    import math
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or not 1.0 <= value <= 30.0:
        raise argparse.ArgumentTypeError(f"{text} s is out of range: give 1 to 30 seconds")
    return value


def cmd_soundcheck(args) -> int:
    """``soundcheck``: play a phrase, measure the echo and the microphone, give the verdict and save
    it to Settings (see :mod:`voiceround.cli_doctor`)."""
    from voiceround.cli_doctor import cmd_soundcheck as run_check
    return run_check(args)


def cmd_eval(args) -> int:
    """``eval interviewer|scorer CASES…`` (see :mod:`voiceround.cli_eval`)."""
    from voiceround.cli_eval import cmd_eval as run_eval
    return run_eval(args)


def cmd_export(args) -> int:
    """``export SESSION_ID --pdf OUT.pdf`` and/or ``--bundle OUT.zip``."""
    import tempfile
    from pathlib import Path

    from voiceround.core.settings import Settings
    from voiceround.report.html import scorecard_document
    from voiceround.storage import Store, check_export_target, export_bundle
    if not args.pdf and not args.bundle:
        _err("error: say what to export: --pdf OUT.pdf and/or --bundle OUT.zip")
        return 2
    for target, suffix, magic in ((args.pdf, ".pdf", b"%PDF"), (args.bundle, ".zip", b"PK")):
        if not args.force:
            check_export_target(target, suffix, magic)
    store = Store()
    row = store.session(args.session)
    card = store.scorecard(args.session)
    rnd = round_of_session(args, row)
    if card is None:
        from voiceround.scoring import score
        card = score(store.transcript(args.session), rnd)
    doc = scorecard_document(card, row, rnd, store.transcript(args.session))
    from voiceround.ui.pdf import write_pdf
    page = args.page_size or Settings.load().page_size
    pdf = Path(args.pdf) if args.pdf else Path(tempfile.mkdtemp()) / "scorecard.pdf"
    replaced = args.pdf is not None and pdf.exists()
    write_pdf(doc, pdf, page)
    if args.pdf:
        print(f"wrote {pdf}" + (" (replaced the file that was there)" if replaced else ""))
    if args.bundle:
        print(f"wrote {export_bundle(store, args.session, Path(args.bundle), pdf)}")
        audio = Path(row["audio_path"]) if row.get("audio_path") else None
        if audio is None or not audio.is_file():  # said, not silently left out (a new user's test)
            _err(f"note: the session's recording{f' ({audio})' if audio else ''} is missing: the bundle has the transcript "
                 "and scorecard but no audio")
    store.close()
    return 0


def cmd_import(args) -> int:
    """``import BUNDLE.zip``: bring a session back (never overwrites one that exists)."""
    from pathlib import Path

    from voiceround.storage import Store, import_bundle
    store = Store()
    sid = import_bundle(store, Path(args.bundle))
    store.close()
    print(f"imported session {sid}")
    return 0


def cmd_recover(args) -> int:
    """``recover``: list sessions to recover (left unfinished by a crash, or not scored because
    scoring failed); ``recover ID`` scores and keeps one; ``recover ID --discard`` deletes it."""
    from voiceround.session.controller import SessionController
    control = SessionController(round_for(args))
    if args.discard and not args.session:
        _err("error: --discard needs the SESSION_ID of the unfinished session to delete (see `voiceround recover`)")
        return 2
    if not args.session:
        rows = control.unfinished()
        if not rows:
            print("no sessions to recover")
        for r in rows:
            why = "not scored" if r["unscored"] else "unfinished"
            print(f"{r['id']}  {r['started_at']}  {r['turns']} turns  {why}  (recover with `voiceround recover {r['id']}`)")
        return 0
    row = control.read(lambda st: st.session(args.session))
    if not (row["unfinished"] or row["unscored"]):
        _err(f"error: session {args.session} has nothing to recover ({row['status'].replace('_', ' ')} and scored)")
        return 2
    if args.discard:
        control.delete(args.session)
        print(f"discarded session {args.session}")
        return 0
    card = control.recover(args.session, round_of_session(args, row))
    print(f"recovered session {args.session}: total {card['total']:.1f}")
    return 0


def cmd_delete(args) -> int:
    """``delete SESSION_ID`` or ``delete --all --yes``: remove sessions and their audio."""
    from voiceround.session.controller import SessionController
    control = SessionController(round_for(args))
    if args.all and args.session:
        _err(f"error: give either a SESSION_ID or --all, not both (nothing was deleted; did you mean `voiceround delete {args.session}`?)")
        return 2
    if args.all:
        if not args.yes:
            _err("error: `delete --all` removes every session and recording; add --yes to confirm")
            return 2
        n = control.delete_all()
        print(f"deleted {n} session{'' if n == 1 else 's'} and {'its' if n == 1 else 'their'} audio")
        return 0
    if not args.session:
        _err("error: give a SESSION_ID, or --all --yes")
        return 2
    control.delete(args.session)
    print(f"deleted session {args.session}")
    return 0


def cmd_rounds(args) -> int:
    """``rounds``: the bundled rounds (id, length, title, file); any of them goes to ``--round``."""
    from voiceround.rounds import bundled_rounds
    for path in bundled_rounds():
        rnd = load_round(path)
        print(f"{rnd.id:<24} {rnd.card.get('duration_min', round(rnd.duration_s / 60))} min   {rnd.title}   ({path})")
    return 0


def cmd_gui(args) -> int:
    """Start the desktop app. When no window can open (no display, a display with no server, or a
    missing X11 library) it says why and how to fix it, instead of letting Qt abort."""
    rnd = round_for(args)  # a bad --round fails here, with a message, before any window opens
    from voiceround.ui.display import display_problem
    problem = display_problem()
    if problem:
        _err(f"error: {problem}")
        return 2
    from voiceround.ui.launch import main as gui_main
    return gui_main(rnd)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="voiceround", description="Offline spoken practice for behavioral interview rounds.")
    p.add_argument("--round", default=None, help=f"round id (see `voiceround rounds`) or round TOML file (default: the case's or "
                   f"session's round, else {DEFAULT_ROUND})")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--round", default=argparse.SUPPRESS, help="round id or round TOML file")
    sub = p.add_subparsers(dest="cmd")
    _add = sub.add_parser
    sub.add_parser = lambda *a, **k: _add(*a, parents=[common], **k)  # every subcommand also takes --round
    r = sub.add_parser("rehearse", help="run a whole round from a simulated candidate's audio (a case TOML)")
    r.add_argument("case", help="case file, e.g. ../shared/cases/strong-staged-rollout.toml")
    r.add_argument("--json", action="store_true", help="print the machine-readable result")
    r.add_argument("--realtime", action="store_true", help="pace the audio at real speed (latency work)")
    r.add_argument("--no-llm", action="store_true", help="don't load the LLM; use template wording only")
    r.add_argument("--llm", metavar="PATH", help="a bigger GGUF (e.g. Qwen2.5 1.5B Instruct) that writes the probes")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    r.set_defaults(func=cmd_rehearse)
    s = sub.add_parser("score", help="re-score a stored session, or a case's text with --text")
    s.add_argument("target", help="SESSION_ID, or a case TOML with --text")
    s.add_argument("--text", action="store_true", help="score the case file's turn texts (no audio)")
    s.add_argument("--json", action="store_true", help="print the machine-readable scorecard")
    s.add_argument("--rescore", action="store_true", help="store the new scorecard (the old one is kept in the history)")
    s.set_defaults(func=cmd_score)
    ls = sub.add_parser("sessions", help="list stored sessions")
    ls.add_argument("--json", action="store_true", help="print the sessions as JSON")
    ls.set_defaults(func=cmd_sessions)
    d = sub.add_parser("doctor", help="check models and audio devices")
    d.set_defaults(func=cmd_doctor)
    sc = sub.add_parser("soundcheck", help="10-second sound check: echo from the speaker, microphone level; saves the verdict")
    sc.add_argument("--json", action="store_true", help="print the measurements as JSON")
    sc.add_argument("--listen", type=_listen_s, default=5.0, metavar="S", help="seconds to listen to you, 1-30 (default 5)")
    sc.set_defaults(func=cmd_soundcheck)
    ex = sub.add_parser("export", help="export a session's scorecard as PDF and/or the whole session as a zip")
    ex.add_argument("session", help="SESSION_ID (see `voiceround sessions`)")
    ex.add_argument("--pdf", metavar="OUT.pdf", help="the scorecard as a PDF")
    ex.add_argument("--bundle", metavar="OUT.zip", help="audio, transcript, scorecard and PDF in one zip")
    ex.add_argument("--page-size", choices=["A4", "Letter"], help="default: the Settings page size (A4)")
    ex.add_argument("--force", action="store_true",
                    help="write even where a name doesn't end in .pdf/.zip, or replace a file that is not an earlier export")
    ex.set_defaults(func=cmd_export)
    im = sub.add_parser("import", help="import a session zip made by `export --bundle`")
    im.add_argument("bundle", metavar="BUNDLE.zip")
    im.set_defaults(func=cmd_import)
    rc = sub.add_parser("recover", help="list sessions to recover (a crash left them unfinished, or scoring failed); "
                                          "score (or --discard) one")
    rc.add_argument("session", nargs="?", help="the session to score and keep (without it: list them)")
    rc.add_argument("--discard", action="store_true", help="delete that session instead of scoring it")
    rc.set_defaults(func=cmd_recover)
    dl = sub.add_parser("delete", help="delete a session (rows and audio), or --all --yes")
    dl.add_argument("session", nargs="?", help="the session to delete (see `voiceround sessions`)")
    dl.add_argument("--all", action="store_true", help="delete every session and recording (needs --yes)")
    dl.add_argument("--yes", action="store_true", help="confirm --all")
    dl.set_defaults(func=cmd_delete)
    ev = sub.add_parser("eval", help="measure the interviewer or the scorer on labelled case files (text mode)")
    ev.add_argument("what", choices=["interviewer", "scorer"], help="what to evaluate")
    ev.add_argument("cases", nargs="*", help="case files or folders of them (scorer: none, or a folder with dev/ and test/, "
                    "gives both splits of the labelled corpus side by side)")
    ev.add_argument("--json", action="store_true", help="print the metrics as JSON")
    ev.set_defaults(func=cmd_eval)
    rl = sub.add_parser("rounds", help="list the bundled rounds (their ids go to --round)")
    rl.set_defaults(func=cmd_rounds)
    g = sub.add_parser("gui", help="start the desktop app (the default)")
    g.set_defaults(func=cmd_gui)
    return p


def _sentence_encoder():
    """The process's shared sentence encoder, imported only when a score needs it (numpy and the
    encoder module cost about 0.1 s of start-up that commands which never score need not pay)."""
    from voiceround.engines.encoder import shared_encoder
    return shared_encoder()


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = build_parser().parse_args(argv)
    from voiceround.scoring import use_encoder
    use_encoder(_sentence_encoder)  # the scorer reads meaning with it (imported and loaded at the first score)
    if not hasattr(args, "func"):  # no subcommand: the desktop app (with --round if given)
        args.func = cmd_gui
    try:
        if getattr(args, "round", None) is not None and not args.round.strip():  # `--round ""` is no round, not the default
            raise RoundFileError("--round is empty: give a round id (see `voiceround rounds`) or a round TOML file")
        if getattr(args, "round", None) and args.func is not cmd_gui:
            # `--round X sessions`, `--round X rounds`: a round given to any command is checked first, not
            # silently ignored by a command that doesn't use it (a new user's test)
            round_for(args)
        return args.func(args)
    except RoundFileError as exc:
        _err(f"error: {exc}")
        return 2
    except VoiceRoundError as exc:
        _err(f"error: {exc}")
        return 3 if exc.code in ("model", "storage", "scoring") else 2
    except KeyboardInterrupt:
        _err("\ninterrupted")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # e.g. a full disk or a read-only folder met outside the storage layer
        _err(f"error: {exc.strerror or exc}{': ' + str(exc.filename) if getattr(exc, 'filename', None) else ''}")
        return 3


if __name__ == "__main__":
    sys.exit(main())
