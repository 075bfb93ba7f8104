"""The session controller: start and stop a round, score it, recover, delete — with no Qt, so the
command line and the desktop app drive rounds the same way.

A round runs on one ``vr-session`` thread (:meth:`SessionController.start`) or in the caller's
thread (:meth:`SessionController.run`). The runner only plays the round; the controller scores the
stored transcript afterwards (:func:`score_session`), so a scoring failure never loses the round:
the session stays stored and *unscored*, and ``recover`` offers it.
"""
from __future__ import annotations

import threading
from contextlib import closing
from dataclasses import replace
from typing import Callable

from voiceround.core.errors import VoiceRoundError
from voiceround.core.events import Event
from voiceround.rounds import Round
from voiceround.scoring import score
from voiceround.session.engines import Engines
from voiceround.session.results import SessionResult
from voiceround.session.runner import SessionRunner
from voiceround.storage import Store


def score_session(store: Store, session_id: str, rnd: Round, *, status: str | None = None) -> dict:
    """Score the stored transcript of ``session_id`` on ``rnd``, store the scorecard and return it.
    ``status``: also mark the session (e.g. "recovered"). Raises :class:`VoiceRoundError` when the
    session is unknown; any scoring error propagates with the session left as it was (unscored)."""
    tr = store.transcript(session_id)
    card = score(tr, rnd)
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
        """Sessions a crash left unfinished (newest first)."""
        return self.read(lambda st: st.unfinished())

    def recover(self, session_id: str, rnd: Round | None = None) -> dict:
        """Score an unfinished session and keep it (status "recovered"); returns the scorecard."""
        return self.read(lambda st: score_session(st, session_id, rnd or self.rnd, status="recovered"))

    def correct(self, session_id: str, idx: int, text: str, rnd: Round | None = None) -> dict:
        """Correct a misheard answer (turn ``idx``, 1-based) and re-score the session on ``rnd``
        (the previous scorecard is kept in the score history). Returns the new scorecard. Raises
        ValueError for a turn that isn't an answer or an empty text (nothing changes then)."""
        from voiceround.storage import rescore

        def work(st: Store) -> dict:
            st.correct_turn(session_id, idx, text)
            card = score(st.transcript(session_id), rnd or self.rnd)
            rescore(st, session_id, card)
            return card
        return self.read(work)

    def delete(self, session_id: str) -> None:
        """Delete one session: its rows and its recording."""
        self.read(lambda st: st.delete_session(session_id))

    def delete_all(self) -> int:
        """Delete every session and recording; returns how many sessions were deleted."""
        return self.read(lambda st: st.delete_all())
