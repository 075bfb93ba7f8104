"""Fit check: is the story the one the round asks for?

Disagree and Commit asks for "a recent, concrete disagreement ... where you lost the argument but
the project shipped" (seed, pre-interview checklist). Early in the round (the answers to the
opening question and to a redirect, or the first :data:`EARLY_ANSWERS` answers) this module reads
what the candidate said and names what doesn't fit: no story at all ("Yes."), a story the
candidate's side won, a hypothetical ("I would…"), or no disagreement. The planner then redirects
once, the way a Bar Raiser would ("This round is about a time the decision went against you. Do
you have one?"), and the scorecard notes it. Pure: reads the transcript and the round only.

Each problem has its redirect probe in the round file (:data:`REDIRECTS`); a round without one
(Customer Obsession has no "lost" story) never redirects for it. Cue lists are the round's
lexicons: ``won_decision``/``lost`` (shared behavioural lexicon), ``hypothetical``, ``no_disagreement``.
"""
from __future__ import annotations

import re

from voiceround import analysis as A
from voiceround.core.types import Transcript
from voiceround.rounds import Round

EARLY_ANSWERS = 3      # the fit is judged on the first three answers at most ("early on", issue 16)
BARE_WORDS = 8         # an answer to the opening this short, with nothing concrete in it, is no story ("Yes.")
WOULD = re.compile(r"\b(i|we) would\b(?! have)|\bi'd\b(?! have)|\bi'?ll\b|\bmy (approach|first step|job|plan) would be\b"
                   r"|\bhypothetical(ly)?\b|\blet'?s say\b|\bif (that|this|it) (happened|were to happen|ever happened)\b", re.IGNORECASE)

SUPPOSING = re.compile(r"\b(if|whenever|when(ever)?) (i|we|my \w+) (ever )?(disagreed|disagree|had|have|was|were|lost)\b|\bsay (that )?(i|we|my)\b",
                       re.IGNORECASE)

# problem -> the round file's probe intent that redirects it
REDIRECTS = {"non_answer": "ask_story_again", "won": "redirect_won", "hypothetical": "redirect_hypothetical",
             "no_disagreement": "redirect_no_disagreement"}
STORY_QUESTIONS = {"ask_scenario", *REDIRECTS.values()}


def _early_answers(transcript: Transcript) -> list[tuple[int, str, str]]:
    """``(turn number, question intent, answer text)`` for the answers the fit is judged on."""
    out, intent = [], ""
    for i, t in enumerate(transcript.turns):
        if t.speaker != "candidate":
            intent = t.intent or ""  # the question the next answers answer
            continue
        if len(out) < EARLY_ANSWERS or intent in STORY_QUESTIONS:
            out.append((i + 1, intent, t.text))
    return out


def _has(rnd: Round, lexicon: str, text: str) -> bool:
    return lexicon in rnd.lexicons and bool(rnd.lexicons[lexicon].search(text))


def problem(transcript: Transcript, rnd: Round) -> str | None:
    """What doesn't fit in the story told so far, judged on the latest answer: ``"non_answer"`` (a
    story question answered in under :data:`BARE_WORDS` words with nothing concrete),
    ``"no_disagreement"``, ``"hypothetical"`` ("I would…" and no concrete event: in two sentences,
    or in one when it answers a story question), or ``"won"`` (a ``won_decision`` cue outside a
    counterfactual and no ``lost`` cue so far). The first three are judged on early answers only
    (the first :data:`EARLY_ANSWERS`, or answers to a story question); a won story whenever it
    shows, before a second example is asked. None when it fits or can't be told yet."""
    cands = transcript.candidate_turns()
    if not cands or any(t.intent == "ask_second_example" for _, t in transcript.interviewer_turns()):
        return None
    last_q = max((i for i, _ in transcript.interviewer_turns()), default=-1)
    if any(t.meta.get("interrupted") == "abstraction" for i, t in cands if i > last_q):
        return None  # an answer cut off for abstraction gets the abstraction probe, not a redirect
    story = A.split_sentences(Transcript([t for _, t in cands]))  # the candidate's sentences; turn k = k-th answer
    early = _early_answers(transcript)
    if early and early[-1][0] == cands[-1][0]:
        _, intent, last = early[-1]
        sents = A.split_sentences(Transcript([cands[-1][1]]))
        # a sentence told as a supposition ("if I disagreed with my manager…", "I'd ask…") is no event,
        # however concrete its words
        concrete = any(A.concrete(s.text) and not WOULD.search(s.text) and not SUPPOSING.search(s.text) for s in sents)
        story_q = intent in STORY_QUESTIONS
        if story_q and len(last.split()) < BARE_WORDS and not concrete:
            return "non_answer"
        if _has(rnd, "no_disagreement", last):  # ("I can't think of a time I lost" is no "lost" cue)
            rest = " ".join(s.text for s in story if not _has(rnd, "no_disagreement", s.text))
            if not _has(rnd, "lost", rest):
                return "no_disagreement"
        if sum(1 for s in sents if WOULD.search(s.text)) >= (1 if story_q else 2) and not concrete:
            return "hypothetical"
    won = [s for s in story if _has(rnd, "won_decision", s.text) and not _has(rnd, "counterfactual", s.text)]
    if won and won[-1].turn == len(cands) and not any(_has(rnd, "lost", s.text) for s in story):
        return "won"
    return None


OUTCOME_CHECK_AFTER = 2  # answers told before the interviewer asks how the decision went, if the story hasn't said


def outcome_check(transcript: Transcript, rnd: Round, asked_or_told: set[str]) -> str | None:
    """The slot to ask now to learn whether the decision went against the candidate (the round's
    ``interviewer.fit_outcome_slot``), or None. Asked once :data:`OUTCOME_CHECK_AFTER` answers are
    in and none of them says who won (no ``lost`` or ``won_decision`` cue), so that a story the
    candidate won shows, and is redirected, within the first five questions (regression case
    ``won``: the win came out at the sixth). ``asked_or_told``: slots asked or already covered."""
    slot = rnd.interviewer.get("fit_outcome_slot")
    if not slot or slot in asked_or_told or REDIRECTS["won"] not in rnd.probes:
        return None
    cands = transcript.candidate_turns()
    if len(cands) < OUTCOME_CHECK_AFTER or any(t.intent == "ask_second_example" for _, t in transcript.interviewer_turns()):
        return None
    said = " ".join(t.text for _, t in cands)
    if _has(rnd, "lost", said) or _has(rnd, "won_decision", said):
        return None
    return slot


def redirect(transcript: Transcript, rnd: Round, asked: list[str]) -> tuple[str, str] | None:
    """``(probe intent, problem)`` for the redirect to ask now, or None. Each story problem is
    redirected once, and only one of won / hypothetical / no disagreement per round ("redirect
    once", issue 16); a bare answer gets "tell me the story" once. ``asked``: intents asked so far."""
    p = problem(transcript, rnd)
    if p is None or REDIRECTS[p] not in rnd.probes or REDIRECTS[p] in asked:
        return None
    if p != "non_answer" and any(i in asked for k, i in REDIRECTS.items() if k != "non_answer"):
        return None
    return REDIRECTS[p], p
