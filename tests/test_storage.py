"""Storage: round trip, WAL, owner-only files, unfinished sessions, and a damaged database is never overwritten."""
import os
import stat

import pytest

from voiceround.core.errors import SessionNotFound, StorageError
from voiceround.core.events import EndpointReached, from_row
from voiceround.core.types import Turn
from voiceround.storage import Store

pytestmark = pytest.mark.fast  # no models, no audio, no subprocess (make test-fast)


def test_round_trip(data_dir):
    st = Store()
    sid = st.new_session("disagree_and_commit", "1", "test")
    turns = [Turn("interviewer", "What happened?", 0, 2.5, intent="ask_scenario", meta={"slot": "scenario"}),
             Turn("candidate", "I disagreed with my director.", 3.0, 6.123456, topic="scenario")]
    for i, t in enumerate(turns, 1):
        st.add_turn(sid, i, t)
    st.add_event(sid, EndpointReached(6.9, pause_s=0.8, reason=""))
    assert [s["id"] for s in st.sessions()] == [sid] and st.sessions()[0]["unfinished"]
    st.finish(sid, 7.0)
    st.save_score(sid, {"total": 42.0, "x": [1]})
    back = st.transcript(sid)
    assert [t.to_dict() for t in back.turns] == [t.to_dict() for t in turns]
    assert st.events(sid)[0]["data"] == {"pause_s": 0.8, "reason": ""}
    assert from_row(st.events(sid)[0]) == EndpointReached(6.9, pause_s=0.8, reason="")  # typed again
    assert st.scorecard(sid) == {"total": 42.0, "x": [1]}
    row = st.session(sid)
    assert not row["unfinished"] and row["total"] == 42.0
    assert st.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(SessionNotFound):
        st.session("nope")


def test_owner_only_permissions(data_dir):
    st = Store()
    st.new_session("r", "1", "test")
    assert stat.S_IMODE(os.stat(data_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(st.path).st_mode) == 0o600


def test_corrupt_database_is_refused_not_truncated(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    bad = data_dir / "voiceround.db"
    junk = b"this is not a database" * 100
    bad.write_bytes(junk)
    with pytest.raises(StorageError, match="cannot open the session database"):
        Store()
    assert bad.read_bytes() == junk


def test_first_launch_reads_opened_at_once_all_succeed(data_dir):
    """A first launch starts the History, unfinished-session and latest-scorecard reads together on a
    data folder that doesn't exist yet. Each must open the new database (one creates the folder and
    migrates it, the others wait): before, some got "database is locked" or "exists but is not a
    folder", and the app showed that as an error dialog on its very first start."""
    import threading

    errors, barrier = [], threading.Barrier(8)

    def open_and_read():
        barrier.wait()
        try:
            st = Store()
            st.sessions()
            st.unfinished()
            st.close()
        except Exception as exc:  # collected: every thread must succeed
            errors.append(str(exc))
    threads = [threading.Thread(target=open_and_read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not data_dir.exists() or data_dir.is_dir()
    assert errors == [] and data_dir.is_dir() and oct(data_dir.stat().st_mode & 0o777) == "0o700"


def test_a_killed_process_not_yet_reaped_is_not_alive():
    """A round killed with kill -9 from a shell stays a zombie until the shell reaps it; recover
    should offer its session right away (a new user waited ~20 s for it)."""
    import signal
    import subprocess
    import time

    from voiceround.storage.store import _alive
    proc = subprocess.Popen(["sleep", "30"])
    try:
        assert _alive(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        deadline = time.time() + 5
        while _alive(proc.pid) and time.time() < deadline:
            time.sleep(0.05)
        assert not _alive(proc.pid) and proc.poll() is not None  # gone while still unreaped until poll()
    finally:
        proc.kill()
        proc.wait()
