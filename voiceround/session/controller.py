"""The session controller: start and stop a round, score it, recover, delete — with no Qt, so the
command line and the desktop app drive rounds the same way.

A round runs on one ``vr-session`` thread (:meth:`SessionController.start`) or in the caller's
thread (:meth:`SessionController.run`). The runner only plays the round; the controller scores the
stored transcript afterwards (:func:`score_session`), so a scoring failure never loses the round:
the session stays stored and *unscored*, and ``recover`` offers it.
"""
from __future__ import annotations

import logging
import threading
from contextlib import closing
from dataclasses import replace
from typing import Callable

from voiceround.core.errors import ScoringError, VoiceRoundError
from voiceround.core.events import Event
from voiceround.core.types import Transcript
from voiceround.rounds import Round
from voiceround.scoring import score
from voiceround.session.engines import Engines
from voiceround.session.results import SessionResult
from voiceround.session.runner import SessionRunner
from voiceround.storage import Store

log = logging.getLogger(__name__)


def score_transcript(tr: Transcript, rnd: Round, session_id: str) -> dict:
    """:func:`voiceround.scoring.score` of stored session ``session_id``'s transcript, with any
    failure of the scorer turned into :class:`ScoringError`: one line naming the session and the
    failure (the traceback goes to the log), and a fix line pointing at ``recover``."""
    try:
        return score(tr, rnd)
    except VoiceRoundError:
        raise
    except Exception as exc:  # a scorer bug or a round file it can't handle: the session is kept
        log.exception("scoring session %s on round %s failed", session_id, rnd.id)
        what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise ScoringError(f"the round was kept, but scoring it failed ({what}); session {session_id} is unscored",
                           hint=f"`voiceround recover {session_id}` (or the app's recovery prompt) scores it again; "
                                "if it fails again, check the round file") from exc


def score_session(store: Store, session_id: str, rnd: Round, *, status: str | None = None) -> dict:
    """Score the stored transcript of ``session_id`` on ``rnd``, store the scorecard and return it.
    ``status``: also mark the session (e.g. "recovered").

    Raises :class:`SessionNotFound` for an unknown session, :class:`StorageError` when the
    scorecard can't be written, and :class:`ScoringError` (:func:`score_transcript`) when the scorer
    fails. The session is then left as it was, unscored, and :meth:`Store.unfinished` offers it to
    ``recover``."""
    tr = store.transcript(session_id)
    card = score_transcript(tr, rnd, session_id)
    store.save_score(session_id, card)
    if status:
        store.finish(session_id, tr.end_s, status=status)
    return card


class SessionController:
    """One round at a time for ``rnd``, plus the stored sessions' life cycle.

    ``store_factory``: opens a :class:`~voiceround.storage.Store` (each thread opens its own)."""

    def __init__(self, rnd: Round, store_factory: Callable[[], Store] = Store):
        self.rnd = rnd
        self.store_factory = store_factory
        self.runner: SessionRunner | None = None
        self._thread: threading.Thread | None = None

    # -- a round -----------------------------------------------------------------------------------
    def run(self, engines: Engines, feed, *, source: str, realtime: bool = False, use_llm: bool = True, sink=None,
            on_event: Callable[[Event], None] | None = None, meta: dict | None = None,
            on_started: Callable[[SessionRunner], None] | None = None) -> SessionResult:
        """Play a whole round in this thread, then score it. Returns the result with its scorecard.
        ``on_started`` gets the runner before the round starts (to stop it from elsewhere)."""
        store = self.store_factory()
        try:
            self.runner = SessionRunner(self.rnd, engines, feed, store, source=source, realtime=realtime, use_llm=use_llm,
                                        on_event=on_event, meta=meta, sink=sink)
            if on_started is not None:
                on_started(self.runner)
            result = self.runner.run()
            card = score_session(store, result.session_id, self.rnd)
            return replace(result, scorecard=card)
        finally:
            store.close()

    def start(self, engines: Engines, feed, *, on_done: Callable[[SessionResult | None, str | None], None],
              cleanup: Callable[[], None] | None = None, **kw) -> None:
        """Play a round on a new ``vr-session`` thread; ``on_done(result, None)`` when it is scored,
        or ``on_done(None, message)`` when it failed (what was said is kept). ``cleanup`` runs on that
        thread afterwards either way (close the microphone and speaker). ``kw``: as :meth:`run`.
        Raises RuntimeError when a round is already running."""
        if self.busy:
            raise RuntimeError("a round is already running")
        started = threading.Event()

        def work():
            try:
                res = self.run(engines, feed, on_started=lambda _r: started.set(), **kw)
                on_done(res, None)
            except VoiceRoundError as exc:
                on_done(None, str(exc))
            except Exception as exc:  # a bug must end the round with a message, not a dead thread
                on_done(None, f"unexpected error: {exc!r}")
            finally:
                started.set()
                if cleanup is not None:
                    cleanup()
        self._thread = threading.Thread(target=work, name="vr-session", daemon=True)
        self._thread.start()
        started.wait(10)

    @property
    def busy(self) -> bool:
        """A round is running on the session thread."""
        return self._thread is not None and self._thread.is_alive()

    def stop(self, say_closing: bool = True) -> None:
        """End the running round early; it is still scored. ``say_closing``: the interviewer says its
        closing line first (End round), or not (the app is quitting)."""
        if self.runner is not None:
            self.runner.stop(say_closing)

    def join(self, timeout_s: float | None = None) -> bool:
        """Wait for the session thread; True when no round is running any more."""
        if self._thread is not None:
            self._thread.join(timeout_s)
        return not self.busy

    # -- stored sessions ---------------------------------------------------------------------------
    def read(self, fn: Callable[[Store], object]):
        """``fn(store)`` on a store opened for this call and closed afterwards (any thread)."""
        with closing(self.store_factory()) as st:
            return fn(st)

    def unfinished(self) -> list[dict]:
        """Sessions to recover (newest first): left unfinished by a crash, or ended unscored
        because scoring failed (:meth:`Store.unfinished`)."""
        return self.read(lambda st: st.unfinished())

    def recover(self, session_id: str, rnd: Round | None = None) -> dict:
        """Score a session to recover and keep it; returns the scorecard. A crashed session is
        marked "recovered"; an unscored one keeps its status (finished, ended early). Raises
        :class:`ScoringError` when scoring fails again (the session stays to recover)."""
        def work(st: Store) -> dict:
            crashed = st.session(session_id)["status"] == "running"
            return score_session(st, session_id, rnd or self.rnd, status="recovered" if crashed else None)
        return self.read(work)

    def correct(self, session_id: str, idx: int, text: str, rnd: Round | None = None) -> dict:
        """Correct a misheard answer (turn ``idx``, 1-based) and re-score the session on ``rnd``
        (the previous scorecard is kept in the score history). Returns the new scorecard. Raises
        ValueError for a turn that isn't an answer or an empty text (nothing changes then)."""
        from voiceround.storage import rescore

        def work(st: Store) -> dict:
            st.correct_turn(session_id, idx, text)
            card = score_transcript(st.transcript(session_id), rnd or self.rnd, session_id)
            rescore(st, session_id, card)
            return card
        return self.read(work)

    def delete(self, session_id: str) -> None:
        """Delete one session: its rows and its recording."""
        self.read(lambda st: st.delete_session(session_id))

    def delete_all(self) -> int:
        """Delete every session and recording; returns how many sessions were deleted."""
        return self.read(lambda st: st.delete_all())
