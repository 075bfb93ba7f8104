"""Storage: sqlite-utils database (WAL, migrations) for sessions, turns, events and scores, plus
session audio files. Each turn is committed when it ends, so a killed round keeps every
completed turn and shows up as unfinished.
"""
from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import re
import threading
import sqlite3
import uuid
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from voiceround.core import paths
from voiceround.core.errors import SessionNotFound, StorageError, VoiceRoundError
from voiceround.core.events import Event
from voiceround.core.types import Transcript, Turn

migrations = Migrations("voiceround")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    """Sessions, turns, events, scores."""
    db["sessions"].create({
        "id": str, "round_id": str, "round_version": str, "started_at": str, "ended_at": str,
        "status": str, "source": str, "audio_path": str, "duration_s": float, "total": float,
        "meta": str,
    }, pk="id")
    db["turns"].create({
        "id": int, "session_id": str, "idx": int, "speaker": str, "text": str, "start_s": float,
        "end_s": float, "intent": str, "topic": str, "meta": str,
    }, pk="id", foreign_keys=[("session_id", "sessions", "id")])
    db["turns"].create_index(["session_id", "idx"], unique=True)
    db["events"].create({
        "id": int, "session_id": str, "t_s": float, "kind": str, "data": str, "wall": str,
    }, pk="id", foreign_keys=[("session_id", "sessions", "id")])
    db["events"].create_index(["session_id"])
    db["scores"].create({
        "session_id": str, "scored_at": str, "total": float, "scorecard": str,
    }, pk="session_id", foreign_keys=[("session_id", "sessions", "id")])


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs. A killed process its parent hasn't reaped yet (a zombie,
    state ``Z`` in /proc on Linux) is gone: a session killed with ``kill -9`` from a shell was not
    offered by ``recover`` until the shell reaped it, ~20 s later (a new user's finding)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc (macOS, Windows): kill(pid, 0) is the answer


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _flags(row: dict) -> dict:
    """Add a session row's ``unfinished`` (running, or left so by a crash) and ``unscored`` (ended
    without a stored scorecard: its scoring failed) flags; returns the row."""
    row["unfinished"] = row["status"] not in ("finished", "ended_early", "recovered")
    row["unscored"] = not row["unfinished"] and row["total"] is None
    return row


_OPEN_LOCK = threading.Lock()
"""Serializes opening (create, switch to WAL, migrate) within the process: done at once by several
threads on a new file, SQLite answered "database is locked" to all but one (seen on a first launch)."""


class Store:
    """The session database. ``path`` defaults to :func:`voiceround.core.paths.db_path`.

    Raises :class:`StorageError` when the database is locked, corrupt or unwritable; it never
    truncates or recreates an existing file.
    """

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else paths.db_path()
        with _OPEN_LOCK:  # the app's first storage reads start together: one creates and migrates, then the rest open
            self._open()

    def _open(self) -> None:
        new = not self.path.exists()
        try:
            if new:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
                os.close(fd)
            conn = sqlite3.connect(str(self.path), timeout=5.0, check_same_thread=False)
            self.db = sqlite_utils.Database(conn)
            tables = set(self.db.table_names())
            if tables and "_sqlite_migrations" not in tables:
                conn.close()
                raise StorageError(f"{self.path} is a database that VoiceRound did not create (tables: {', '.join(sorted(tables))})",
                                   hint="point VOICEROUND_DATA_DIR at another folder; this file was not changed")
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=2000")
            conn.execute("BEGIN IMMEDIATE")  # refuse now, not mid-round, if another process holds the write lock
            conn.execute("ROLLBACK")
            migrations.apply(self.db)
        except sqlite3.DatabaseError as exc:
            if not os.access(self.path.parent, os.W_OK) or not os.access(self.path, os.W_OK):
                hint = f"the folder {self.path.parent} or the database is read-only; make it writable or choose another VOICEROUND_DATA_DIR"
            elif "locked" in str(exc):
                hint = "another VoiceRound seems to be using it: close it and try again"
            else:
                hint = "the file may be damaged: move it aside to start a new database (it is never overwritten)"
            raise StorageError(f"cannot open the session database {self.path}: {exc}", hint=hint) from exc
        except OSError as exc:
            raise StorageError(f"cannot create the session database {self.path}: {exc.strerror or exc}") from exc

    def _write(self, fn):
        try:
            with self.db.conn:
                return fn()
        except sqlite3.OperationalError as exc:
            raise StorageError(f"cannot write to {self.path}: {exc}",
                               hint="free some disk space, or close other programs using the database") from exc

    # -- sessions -------------------------------------------------------------------------------
    def delete_session(self, session_id: str) -> None:
        """Delete a session: its rows (turns, events, scores, history) and its audio file."""
        row = self.session(session_id)

        def rm():
            for table in ("turns", "events", "scores", "score_history"):
                self.db.execute(f"delete from {table} where session_id = ?", [session_id])
            self.db.execute("delete from sessions where id = ?", [session_id])
        self._write(rm)
        audio = Path(row["audio_path"]) if row.get("audio_path") else None
        if audio is not None and audio.resolve().parent == paths.audio_dir().resolve():  # never a file outside the data folder
            audio.unlink(missing_ok=True)

    def delete_all(self) -> int:
        """Delete every session and every session audio file; returns how many sessions were deleted."""
        ids = [r["id"] for r in self.db.query("select id from sessions")]
        for sid in ids:
            self.delete_session(sid)
        for wav in paths.audio_dir().glob("*.wav"):
            wav.unlink(missing_ok=True)
        return len(ids)

    def unfinished(self) -> list[dict]:
        """Sessions to recover, newest first: those left unfinished by a crash or a kill (their
        process is gone), and those that ended but whose scoring failed (``unscored``)."""
        out = []
        for r in self.sessions():
            if r["unscored"]:
                out.append(r)
                continue
            if r["status"] != "running":
                continue
            pid = r["meta"].get("pid")
            if pid and pid != os.getpid() and _alive(pid):
                continue  # still running in another process
            out.append(r)
        return out

    def new_session(self, round_id: str, round_version: str, source: str, meta: dict | None = None) -> str:
        """Create a session row (status ``running``); return its id. Its audio goes to
        ``audio/<id>.wav`` in the data dir."""
        sid = dt.datetime.now().strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]  # the form SESSION_ID checks
        audio = str(paths.audio_dir() / f"{sid}.wav")
        self._write(lambda: self.db["sessions"].insert({
            "id": sid, "round_id": round_id, "round_version": round_version, "started_at": _now(), "ended_at": None,
            "status": "running", "source": source, "audio_path": audio, "duration_s": 0.0, "total": None,
            "meta": json.dumps(dict(meta or {}, pid=os.getpid()), sort_keys=True),
        }))
        return sid

    def add_turn(self, session_id: str, idx: int, turn: Turn) -> None:
        """Commit one turn (``idx`` 1-based) as soon as it ends."""
        self._write(lambda: self.db["turns"].insert({
            "session_id": session_id, "idx": idx, "speaker": turn.speaker, "text": turn.text, "start_s": turn.start_s,
            "end_s": turn.end_s, "intent": turn.intent, "topic": turn.topic, "meta": json.dumps(turn.meta, sort_keys=True),
        }))
        self._write(lambda: self.db["sessions"].update(session_id, {"duration_s": turn.end_s}))

    def add_event(self, session_id: str, event: Event) -> None:
        """Store an event (:mod:`voiceround.core.events`) as its ``kind`` and JSON ``data``."""
        self._write(lambda: self.db["events"].insert({
            "session_id": session_id, "t_s": round(event.t_s, 3), "kind": event.kind,
            "data": json.dumps(event.data, sort_keys=True), "wall": _now(),
        }))

    def finish(self, session_id: str, duration_s: float, status: str = "finished") -> None:
        """Mark a session ended (``finished``, or ``ended_early`` when the user stopped it)."""
        self._write(lambda: self.db["sessions"].update(session_id, {"ended_at": _now(), "status": status, "duration_s": round(duration_s, 3)}))

    def save_score(self, session_id: str, scorecard: dict) -> None:
        """Store (or replace) a session's scorecard."""
        text = json.dumps(scorecard, sort_keys=True)
        self._write(lambda: self.db["scores"].upsert({"session_id": session_id, "scored_at": _now(), "total": scorecard["total"], "scorecard": text}, pk="session_id"))
        self._write(lambda: self.db["sessions"].update(session_id, {"total": scorecard["total"]}))

    def correct_turn(self, session_id: str, idx: int, text: str) -> dict:
        """Replace the text of candidate turn ``idx`` (1-based) with the user's correction of a
        mishearing. The STT's text is kept in the turn's ``meta.stt_text`` (the first one, however
        often it is corrected) and a ``correction`` event records ``{"idx", "old", "new"}``.
        Returns the updated turn row. Raises :class:`SessionNotFound`, or ValueError when ``idx``
        isn't a candidate turn or ``text`` is empty."""
        self.session(session_id)
        text = " ".join(text.split())
        rows = list(self.db["turns"].rows_where("session_id = ? and idx = ?", [session_id, idx]))
        if not rows or rows[0]["speaker"] != "candidate":
            raise ValueError(f"turn {idx} is not one of your answers in session {session_id}")
        if not text:
            raise ValueError("the corrected text is empty")
        row = rows[0]
        meta = json.loads(row["meta"] or "{}")
        meta.setdefault("stt_text", row["text"])
        meta["corrected"] = True
        old = row["text"]
        self._write(lambda: self.db.execute("update turns set text = ?, meta = ? where session_id = ? and idx = ?",
                                            [text, json.dumps(meta, sort_keys=True), session_id, idx]))
        self._write(lambda: self.db["events"].insert({
            "session_id": session_id, "t_s": row["start_s"], "kind": "correction",
            "data": json.dumps({"idx": idx, "old": old, "new": text}, sort_keys=True), "wall": _now()}))
        return dict(row, text=text, meta=meta)

    # -- reading --------------------------------------------------------------------------------
    def session(self, session_id: str) -> dict:
        """The session row as a dict; raises :class:`SessionNotFound`."""
        rows = list(self.db["sessions"].rows_where("id = ?", [session_id]))
        if not rows:
            raise SessionNotFound(f"no session with id {session_id!r}", hint="`voiceround sessions` lists them")
        row = rows[0]
        row["meta"] = json.loads(row["meta"] or "{}")
        return _flags(row)

    def sessions(self) -> list[dict]:
        """All sessions, newest first, with their turn count and two flags: ``unfinished`` (still
        running, or left so by a crash) and ``unscored`` (ended, but no scorecard was stored: the
        scoring failed; ``recover`` scores it again)."""
        out = []
        for row in self.db.query(
            "select s.*, (select count(*) from turns t where t.session_id = s.id) as turns "
            "from sessions s order by s.started_at desc, s.id desc"
        ):
            row["meta"] = json.loads(row["meta"] or "{}")
            out.append(_flags(row))
        return out

    def transcript(self, session_id: str) -> Transcript:
        """The stored transcript of a session, in turn order."""
        self.session(session_id)
        rows = list(self.db["turns"].rows_where("session_id = ?", [session_id], order_by="idx"))
        for r in rows:
            r["meta"] = json.loads(r["meta"] or "{}")
        return Transcript.from_dicts(rows)

    def events(self, session_id: str) -> list[dict]:
        """The session's events in order, ``data`` decoded."""
        rows = list(self.db["events"].rows_where("session_id = ?", [session_id], order_by="id"))
        for r in rows:
            r["data"] = json.loads(r["data"] or "{}")
        return rows

    def scorecard(self, session_id: str) -> dict | None:
        """The stored scorecard, or None if the session was never scored."""
        rows = list(self.db["scores"].rows_where("session_id = ?", [session_id]))
        return json.loads(rows[0]["scorecard"]) if rows else None

    def close(self) -> None:
        self.db.conn.close()


@migrations()
def m002_scorecard_history(db: sqlite_utils.Database) -> None:
    """Earlier scorecards of a session, kept when it is re-scored with a newer rubric."""
    db["score_history"].create({
        "id": int, "session_id": str, "scored_at": str, "round_version": str, "total": float, "scorecard": str,
    }, pk="id", foreign_keys=[("session_id", "sessions", "id")])


BUNDLE_FORMAT = "voiceround-session-bundle"
BUNDLE_VERSION = 1


def _archive_old(store: "Store", session_id: str) -> None:
    rows = list(store.db["scores"].rows_where("session_id = ?", [session_id]))
    if rows:
        old = json.loads(rows[0]["scorecard"])
        store.db["score_history"].insert({"session_id": session_id, "scored_at": rows[0]["scored_at"],
                                          "round_version": old.get("round_version"), "total": rows[0]["total"],
                                          "scorecard": rows[0]["scorecard"]})


def rescore(store: "Store", session_id: str, scorecard: dict) -> bool:
    """Store a new scorecard for a session and keep the previous one in ``score_history``. Returns
    False, storing nothing, when it is the scorecard already stored (the same transcript and rubric
    give the same card: re-scoring three times kept three identical copies, a new user's test)."""
    if store.scorecard(session_id) == json.loads(json.dumps(scorecard, sort_keys=True)):
        return False
    store._write(lambda: _archive_old(store, session_id))
    store.save_score(session_id, scorecard)
    return True


def check_export_target(target: str | Path | None, suffix: str, magic: bytes) -> None:
    """Refuse an export that would lose a file (a new user's test: ``--pdf out/s.zip`` replaced their
    session bundle with a PDF; another's window export replaced a text file after Qt's "already
    exists" prompt): a name that doesn't end in ``suffix`` (e.g. ``".pdf"``), or an existing file
    that is not one of the same kind (its first bytes are not ``magic``, e.g. ``b"%PDF"``).
    Re-exporting over an earlier PDF (or zip) is fine. ``None`` is no target. Raises
    :class:`VoiceRoundError`, a usage error rather than a storage failure; its hint names the
    command line's ``--force``."""
    if target is None:
        return
    path = Path(target)
    if path.suffix.lower() != suffix:
        raise VoiceRoundError(f"{target} does not end in {suffix}: not writing a {suffix[1:].upper()} under another name",
                              hint=f"name it ….{suffix[1:]} (on the command line, --force writes it anyway)")
    if path.is_file():
        try:
            with path.open("rb") as fh:
                same_kind = fh.read(len(magic)) == magic
        except OSError:
            same_kind = False
        if not same_kind:
            raise VoiceRoundError(f"{target} exists and is not a {suffix[1:].upper()} made by an export: not replacing it",
                                  hint="choose another name (on the command line, --force replaces it)")


def write_bytes_atomically(out: Path, data: bytes, hint: str) -> None:
    """Write ``data`` to ``out`` owner-only (an export holds the transcript or the recording): to a
    temporary file in the same folder, flushed to disk, then moved over ``out``. Raises
    :class:`StorageError` (the OS's reason: "No space left on device", "Permission denied"; ``hint``
    what to do; for a folder that can't be written to, that instead; for a folder that doesn't exist,
    that, before anything is written) and removes the temporary file; ``out`` is then as it was. The
    PDF export and the session bundle both write this way."""
    if not out.parent.is_dir():  # a mistyped folder is an error, not a new folder
        raise StorageError(f"cannot write {out}: the folder {out.parent} doesn't exist",
                           hint="pick an existing folder (it is not created for you)")
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):  # not a full disk: "free some space" would mislead
            hint = f"choose a folder you can write to ({out.parent} is not writable)"
        raise StorageError(f"cannot write {out}: {exc.strerror or exc}", hint=hint) from exc


def export_bundle(store: "Store", session_id: str, out: Path, pdf: Path | None = None) -> Path:
    """Write a session as a zip: ``manifest.json`` (format, version, sha256 of every member),
    ``session.json`` (row + events), ``transcript.json``, ``scorecard.json``, ``audio.wav`` and,
    if given, ``scorecard.pdf``. Raises :class:`StorageError` when it can't be written."""
    import hashlib
    import zipfile
    row = store.session(session_id)
    # no folder of this machine in a bundle that may be shared: the audio and a rehearsed case by file name only
    shared = dict(row, audio_path=Path(row["audio_path"]).name if row.get("audio_path") else None)
    if isinstance(row.get("meta"), dict) and isinstance(row["meta"].get("case"), str):
        shared["meta"] = dict(row["meta"], case=Path(row["meta"]["case"]).name)
    members: dict[str, bytes] = {
        "session.json": json.dumps({"session": shared, "events": store.events(session_id)}, sort_keys=True, indent=2).encode(),
        "transcript.json": json.dumps([t.to_dict() for t in store.transcript(session_id).turns], indent=2).encode(),
        "scorecard.json": json.dumps(store.scorecard(session_id), sort_keys=True, indent=2).encode(),
    }
    audio = Path(row["audio_path"]) if row.get("audio_path") else None
    if audio and audio.exists():
        members["audio.wav"] = audio.read_bytes()
    if pdf is not None and Path(pdf).exists():
        members["scorecard.pdf"] = Path(pdf).read_bytes()
    manifest = {"format": BUNDLE_FORMAT, "version": BUNDLE_VERSION, "session_id": session_id,
                "sha256": {k: hashlib.sha256(v).hexdigest() for k, v in members.items()}}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, indent=2))
        for name, data in members.items():
            z.writestr(name, data)
    out = Path(out)
    write_bytes_atomically(out, buf.getvalue(), hint="free some disk space or choose another place")
    return out


# A session id as :meth:`Store.new_session` makes it ("20261203-183436-94311a"): an imported bundle's
# id names a file in the data folder, so any other id is refused (a new user's hand-edited bundle
# with the id "../../../../tmp/nu/EVIL" wrote its audio outside the data folder).
SESSION_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{6}")


def import_bundle(store: "Store", path: Path) -> str:
    """Import a session zip made by :func:`export_bundle`; returns the session id. Refuses (with
    :class:`StorageError`, changing nothing) a damaged, foreign or tampered zip, and a session id
    that already exists here."""
    import hashlib
    import zipfile
    import zlib
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "manifest.json" not in names:
                raise StorageError(f"{path.name} is not a VoiceRound session bundle (no manifest.json)")
            manifest = json.loads(z.read("manifest.json"))
            if manifest.get("format") != BUNDLE_FORMAT or manifest.get("version") != BUNDLE_VERSION:
                raise StorageError(f"{path.name} is not a VoiceRound session bundle of a version this app reads")
            data = {}
            for name, digest in manifest.get("sha256", {}).items():
                if name not in names:
                    raise StorageError(f"{path.name} is damaged: {name} is missing")
                blob = z.read(name)
                if hashlib.sha256(blob).hexdigest() != digest:
                    raise StorageError(f"{path.name} is damaged: {name} does not match its checksum")
                data[name] = blob
    except FileNotFoundError as exc:
        raise StorageError(f"{path} not found: nothing was imported", hint="give the path of a zip made by `voiceround export … --bundle`") from exc
    except (zlib.error, EOFError) as exc:  # compressed data damaged inside the zip (a bad CRC is a BadZipFile, below)
        raise StorageError(f"{path.name} is damaged ({exc}); nothing was imported") from exc
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        raise StorageError(f"{path.name} can't be read as a session bundle ({exc})") from exc
    for required in ("session.json", "transcript.json", "scorecard.json"):
        if required not in data:
            raise StorageError(f"{path.name} is damaged: {required} is missing")
    sess = json.loads(data["session.json"])
    row, events = sess["session"], sess["events"]
    sid = row.get("id")
    if not isinstance(sid, str) or not SESSION_ID.fullmatch(sid):
        raise StorageError(f"{path.name} names a session id this app doesn't make ({str(sid)[:40]!r}); nothing was imported",
                           hint="import a bundle made by `voiceround export … --bundle`, unedited")
    if list(store.db["sessions"].rows_where("id = ?", [sid])):
        raise StorageError(f"session {sid} already exists here; nothing was imported", hint="delete it first to re-import")
    audio_path = None
    if "audio.wav" in data:
        audio_path = paths.audio_dir() / f"{sid}.wav"
        fd = os.open(audio_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data["audio.wav"])
    turns = json.loads(data["transcript.json"])
    card = json.loads(data["scorecard.json"])

    def write():
        self_row = {k: row.get(k) for k in ("id", "round_id", "round_version", "started_at", "ended_at", "status", "source",
                                            "duration_s", "total")}
        self_row["audio_path"] = str(audio_path) if audio_path else None
        self_row["meta"] = json.dumps(dict(row.get("meta") or {}, imported_from=path.name), sort_keys=True)
        store.db["sessions"].insert(self_row)
        for i, t in enumerate(turns, start=1):
            store.db["turns"].insert({"session_id": sid, "idx": i, "speaker": t["speaker"], "text": t["text"], "start_s": t["start_s"],
                                      "end_s": t["end_s"], "intent": t.get("intent"), "topic": t.get("topic"),
                                      "meta": json.dumps(t.get("meta") or {}, sort_keys=True)})
        for ev in events:
            store.db["events"].insert({"session_id": sid, "t_s": ev["t_s"], "kind": ev["kind"],
                                       "data": json.dumps(ev["data"], sort_keys=True), "wall": ev.get("wall")})
        if card is not None:
            store.db["scores"].insert({"session_id": sid, "scored_at": _now(), "total": card["total"],
                                       "scorecard": json.dumps(card, sort_keys=True)})
    try:
        store._write(write)
    except Exception:
        if audio_path:
            audio_path.unlink(missing_ok=True)
        raise
    return sid
