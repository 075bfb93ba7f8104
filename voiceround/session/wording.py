"""The interviewer's wording of each probe: the round's template, or the LLM's wording when it
passes every check (one question, no praise, the probe's intent kept, the candidate's quoted words
unchanged, nothing presupposed). In live rounds the LLM gets a time budget (0.4 s) and the template
is spoken when it runs over, so the LLM never delays the interviewer."""
from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from voiceround.core.types import Transcript
from voiceround.interviewer import Action
from voiceround.interviewer.wording import check_rewording, check_turn, leading_reason, praise_found
from voiceround.rounds import Round

log = logging.getLogger("voiceround.app")


class ProbeWriter:
    """Words the planner's actions for one round. ``llm``: an engine with ``reword(text)`` (or, when
    ``composes``, ``compose(intent, reason, answer, template, persona)``) returning ``(text, seconds)``; None
    for templates only. ``realtime``: a live round (the LLM call is bounded by ``budget_s`` seconds).
    Counters: ``tried``, ``accepted``, ``llm_s`` (LLM seconds), ``last_llm_s`` (the last call's wall
    seconds). Call :meth:`close` at the end of the round (joins its ``vr-llm-wait`` thread)."""

    def __init__(self, rnd: Round, llm=None, *, use_llm: bool = True, realtime: bool = False, budget_s: float = 0.4):
        self.rnd, self.llm, self.realtime, self.budget_s = rnd, llm, realtime, budget_s
        self.use_llm = use_llm and llm is not None
        self.tried = self.accepted = 0
        self.llm_s = self.last_llm_s = 0.0
        self._busy = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vr-llm-wait")

    def rewords(self, action: Action) -> bool:
        """Whether :meth:`word` asks the LLM to reword ``action`` (then its words may differ from the template)."""
        return self.use_llm and not action.is_wrap_up and action.intent != "ask_scenario" and action.intent in self.rnd.probes

    def word(self, action: Action, transcript: Transcript) -> tuple[str, dict]:
        """Final wording of ``action`` given the ``transcript`` so far: the LLM's wording when it passes
        every check, else the round's template. Returns ``(text, info)``; ``info`` records the
        template, the LLM verdict ("accepted" / "rejected: why") and any LLM error."""
        text, info = action.text, {"template_text": action.text}
        self.last_llm_s = 0.0
        if self.rewords(action):
            self.tried += 1
            t_llm = time.perf_counter()
            try:
                llm = self.llm
                if getattr(llm, "composes", False):
                    last = next((t.text for t in reversed(transcript.turns) if t.speaker == "candidate"), "")
                    call = (llm.compose, action.intent, action.reason, last, action.text, self.rnd.interviewer.get("persona", ""))
                else:
                    call = (llm.reword, action.text)
                if self.realtime and hasattr(llm, "submit") and self.budget_s:
                    # Live rounds: the interviewer doesn't wait for the LLM past its budget; the
                    # template is spoken instead (the LLM thread finishes its call in the background).
                    if self._busy is not None and not self._busy.done():
                        raise TimeoutError("LLM still busy with the previous turn")
                    self._busy = fut = self._pool.submit(*call)
                    reworded, secs = fut.result(timeout=self.budget_s)
                else:
                    reworded, secs = call[0](*call[1:])
            except Exception as exc:  # a failing or slow LLM never stops or stalls the round
                reworded, secs = "", time.perf_counter() - t_llm
                info["llm_error"] = type(exc).__name__ if isinstance(exc, TimeoutError) else str(exc)
            self.last_llm_s = time.perf_counter() - t_llm
            self.llm_s += secs
            why = check_rewording(action.text, reworded, action.quote, self.rnd.interviewer["forbidden"],
                                  self.rnd.probes[action.intent].keep)
            if why is None:  # a rewording must not presuppose what the candidate hasn't said
                said = " ".join(t.text for t in transcript.turns if t.speaker == "candidate")
                why = leading_reason(reworded, said, self.rnd.interviewer.get("presuppositions", []))
            info["llm"] = "accepted" if why is None else f"rejected: {why}"
            if why is None:
                self.accepted += 1
                text = reworded
        problem = self._problem(action, text)  # a rewording passed check_turn above: this is the template
        if problem:
            # Templates are checked when the round loads (with each acknowledgement before them), so
            # this is a rule the loader doesn't know yet: the question is still asked, and the
            # failed check is kept with the turn. (It was an AssertionError that ended a live round
            # on "Understood. And what did you say to that objection?")
            info["check_failed"] = problem
            log.warning("interviewer turn failed its check (%s): %r", problem, text)
        return text, info

    def _problem(self, action: Action, text: str) -> str | None:
        """Why ``text`` can't be spoken for ``action`` (:func:`check_turn` for a probe; the closing
        reply asks nothing, and still never praises), or None."""
        if action.intent in self.rnd.probes:
            return check_turn(text, self.rnd.interviewer["forbidden"])
        found = praise_found(text, self.rnd.interviewer["forbidden"])
        return f"praise {found!r}" if found else None

    def close(self) -> None:
        """Stop the LLM-wait thread (a call still running is waited for)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
