"""Optional LLM rewording of interviewer probes with llama.cpp (SmolLM2-135M by default).

DESIGN.md: the bundled model is too small to run the interview, so the planner decides what to
ask and the LLM may only reword it. Every rewording is validated by
:func:`voiceround.interviewer.wording.check_rewording`; on failure the template wording is used.
"""
from __future__ import annotations

import time

from voiceround.core.errors import ModelError
from voiceround.engines import Engine, spare_core_threads
from voiceround.engines.models import ModelSpec, resolve, verify

SYSTEM = "You paraphrase interview questions. Output only the paraphrased question."
# Two worked examples: without them SmolLM2-135M answers the question instead of rewording it
# (measured: 0 of 11 rewordings accepted with an instruction-only prompt).
FEW_SHOT = (
    ("You said 'cut latency by 40%'. What was it before, and how did you measure it?",
     "You said 'cut latency by 40%'. What was the starting point, and how was it measured?"),
    ("Who decided, and when?", "Who made the decision, and at what point?"),
)
MAX_TOKENS = 60


class LlamaRewriter(Engine):
    """llama.cpp chat model that rewords a probe. Greedy decoding (temperature 0) so the same
    probe always gets the same rewording.

    ``n_threads``: default one core less than the machine has (at most 4). llama.cpp's threads
    spin while they wait for each other, so with every core taken a single other busy process
    makes each generation several times slower (measured on 2 cores with one other process at
    100%: 1.2–4.9 s a rewording with 2 threads, 0.4–1.0 s with 1).
    """

    role = "llm"

    def __init__(self, spec: ModelSpec | None = None, n_threads: int | None = None):
        super().__init__()
        self.spec = spec or resolve("llm")
        self.n_threads = n_threads or spare_core_threads()
        self._llm = None

    def _load(self) -> None:
        verify(self.spec)
        try:
            from llama_cpp import Llama
            self._llm = Llama(model_path=str(self.spec.path), n_ctx=1024, n_threads=self.n_threads, seed=0, verbose=False)
        except Exception as exc:
            raise ModelError(f"LLM '{self.spec.name}' failed to load from {self.spec.path} (truncated, damaged or not a llama.cpp GGUF)",
                             hint=self.spec.fix) from exc

    def _release(self) -> None:
        """Free the llama.cpp model and context on the worker thread (see :meth:`Engine.close`)."""
        llm, self._llm = self._llm, None
        if llm is not None and hasattr(llm, "close"):
            llm.close()  # llama-cpp-python frees the model and context now, not at interpreter exit

    @staticmethod
    def messages(probe: str) -> list[dict]:
        """The chat messages sent for ``probe``: system line, the few-shot pairs, then the probe."""
        msgs = [{"role": "system", "content": SYSTEM}]
        for original, paraphrase in FEW_SHOT:
            msgs += [{"role": "user", "content": f"Paraphrase: {original}"}, {"role": "assistant", "content": paraphrase}]
        return msgs + [{"role": "user", "content": f"Paraphrase: {probe}"}]

    @property
    def composes(self) -> bool:
        """A user-configured (bigger) GGUF writes probes from the planner's intent and context; the
        bundled 135M model only rewords templates (DESIGN.md: its free-form questions are unusable)."""
        return not self.spec.is_default

    def compose(self, intent: str, reason: str, answer: str, template: str, persona: str = "") -> tuple[str, float]:
        """Write a probe for ``intent`` (and the planner's ``reason``) about the candidate's last
        ``answer``; ``template`` shows the expected form; ``persona`` is the round file's
        ``interviewer.persona`` (who the interviewer is). Returns ``(text, seconds)``."""
        return self.call(self._compose, intent, reason, answer, template, persona)

    def _compose(self, intent: str, reason: str, answer: str, template: str, persona: str = "") -> tuple[str, float]:
        t0 = time.perf_counter()
        system = ((persona or "You are a tough behavioural interviewer.") + " "
                  "Never praise. Ask exactly one short question that ends with a question mark. Quote the candidate's own "
                  "words in single quotes when you probe a claim. Do not assume facts they have not said.")
        user = (f"Probe goal: {intent.replace('_', ' ')} ({reason}).\nCandidate's last answer: {answer[-600:]}\n"
                f"Example wording: {template}\nWrite the interviewer's next turn only.")
        out = self._llm.create_chat_completion(messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
                                               temperature=0.0, top_k=1, max_tokens=MAX_TOKENS, seed=0)
        return (out["choices"][0]["message"]["content"] or "").strip().strip('"').strip(), time.perf_counter() - t0

    def _warm(self) -> None:
        """One short rewording (llama.cpp's first evaluation builds its compute graph)."""
        self.reword("What happened next?")

    def reword(self, probe: str) -> tuple[str, float]:
        """Return ``(reworded_text, seconds)`` for ``probe``; runs on the LLM thread."""
        return self.call(self._reword, probe)

    def _reword(self, probe: str) -> tuple[str, float]:
        t0 = time.perf_counter()
        out = self._llm.create_chat_completion(
            messages=self.messages(probe),
            temperature=0.0, top_k=1, max_tokens=MAX_TOKENS, seed=0,
        )
        text = (out["choices"][0]["message"]["content"] or "").strip().strip('"').strip()
        return text, time.perf_counter() - t0
