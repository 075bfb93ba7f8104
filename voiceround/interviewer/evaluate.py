"""Interviewer quality metrics over a finished transcript (``voiceround eval interviewer``).

Metrics (issue "Bar Raiser interviewer: the probes a real Bar Raiser would ask, measured"):
praise count; share of turns that are exactly one question; claim-probe coverage (claims that
needed a probe and got one within ``PROBE_WINDOW`` interviewer turns / claims that needed one,
leaving out claims made too close to the end to be probed); pushback asked; commitment reached;
reflection asked; repeats (identical text, or the same intent on the same claim twice in a row);
leading questions; the fit redirects asked (a won, hypothetical or disagreement-free story, or no story);
quotes cut mid-phrase (:func:`voiceround.analysis.is_fragment`) and questions over 25 words.
"""
from __future__ import annotations

from collections import Counter
from itertools import pairwise

from voiceround import analysis as A
from voiceround.core.types import Transcript
from voiceround.interviewer import PROBE_WINDOW, claim_needs
from voiceround.interviewer import fit as FIT
from voiceround.interviewer.planner import MAX_QUESTION_WORDS
from voiceround.interviewer.wording import check_turn, leading_reason, praise_found, quoted_spans
from voiceround.rounds import Round


def evaluate(tr: Transcript, rnd: Round) -> dict:
    """Metrics for one round; see the module docstring. Returns a JSON-able dict."""
    forb = rnd.interviewer["forbidden"]
    praise_all = sum(1 for _, t in tr.interviewer_turns() if praise_found(t.text, forb))
    presup = rnd.interviewer.get("presuppositions", [])
    iv = [(i, t) for i, t in tr.interviewer_turns() if t.intent != "closing_reply"]  # the last line asks nothing
    praise = praise_all
    single = sum(1 for _, t in iv if check_turn(t.text, []) is None)
    # Claim coverage
    needed = covered = 0
    missed: list[str] = []
    seen_keys: set[str] = set()
    for n, _t in tr.candidate_turns():
        later = [x for i, x in iv if i > n][:PROBE_WINDOW]
        probes = [x for x in later if x.intent != "wrap_up"]
        for need in claim_needs(tr, rnd, upto_turn=n):
            if need.turn != n or need.key in seen_keys:
                continue
            seen_keys.add(need.key)
            if len(probes) < PROBE_WINDOW and (not later or later[-1].intent == "wrap_up"):
                probed_early = any(need.key in x.meta.get("claims", [x.meta.get("claim")]) for x in probes)
                if not probed_early:
                    continue  # the round ended before the interviewer could probe it
            needed += 1
            if any(need.key in x.meta.get("claims", [x.meta.get("claim")]) for x in probes):
                covered += 1
            else:
                missed.append(need.claim.quote)
    intents = [t.intent for _, t in iv]
    sents = A.split_sentences(tr)
    cov = A.slot_coverage(sents, rnd.slots)
    commitment = "commitment" in {s.id for s in rnd.slots if cov[s.id][0] >= s.min_weight} or \
        any(i in ("ask_commitment", "move_to_commitment") for i in intents)
    texts = [t.text for _, t in iv]
    repeats = len(texts) - len(set(texts))
    for (_, a), (_, b) in pairwise(iv):
        if a.intent == b.intent and a.meta.get("claim") and a.meta.get("claim") == b.meta.get("claim"):
            repeats += 1
    # Leading questions, and quotes cut mid-phrase ("You said '70% on our paying'"), each against
    # what the candidate had said by then.
    leading, said = 0, ""
    leading_examples: list[str] = []
    fragments: list[str] = []
    for t in tr.turns:
        if t.speaker == "candidate":
            said += " " + t.text
            continue
        if t.intent not in FIT.STORY_QUESTIONS:  # the opening and the redirects state the round's premise
            why = leading_reason(t.text, said, presup)
            if why:
                leading += 1
                leading_examples.append(why)
        if t.intent != "closing_reply":
            for q in quoted_spans(t.text):
                if len(q.split()) >= 2 and A.is_fragment(q, _sentence_with(said, q)):
                    fragments.append(q)
    long_questions = [t.text for _, t in iv if len(A.words(t.text)) > MAX_QUESTION_WORDS]
    pushback_turn = next((i for i, t in iv if t.intent == "pushback"), None)
    response = None
    if pushback_turn is not None:
        nxt = next((t for i, t in tr.candidate_turns() if i > pushback_turn), None)
        response = A.pushback_response(nxt.text, rnd.lexicons) if nxt else None
    return {
        "interviewer_turns": len(iv), "praise": praise, "single_question_share": round(single / len(iv), 3) if iv else 0.0,
        "claims_needing_probe": needed, "claims_probed": covered,
        "claim_probe_coverage": round(covered / needed, 3) if needed else 1.0, "missed_claims": missed,
        "pushback": "pushback" in intents, "pushback_response": response, "commitment": commitment,
        "reflection": "ask_reflection" in intents, "repeats": repeats, "leading": leading,
        "no_example_noted": "note_no_example" in intents,
        # stories redirected because they didn't fit the round (voiceround.interviewer.fit)
        "fit_redirects": tr.fit_redirects(),
        "leading_examples": leading_examples, "duration_s": round(tr.end_s, 1),
        "fragments_quoted": len(fragments), "fragment_examples": fragments[:5],
        "focus_probes": sum(1 for _, t in iv if t.intent == "probe_focus"),  # back to the first story
        # the share of questions that open with the most common first two words ("You said", "Okay. Who")
        "same_opening_share": _same_opening_share([t.text for _, t in iv]),
        "questions_over_25_words": len(long_questions), "long_question_examples": long_questions[:3],
    }


def _same_opening_share(texts: list[str]) -> float:
    """The share of ``texts`` that start with the most common first two words (0.0 for none)."""
    heads = Counter(" ".join(t.lower().split()[:2]) for t in texts if t.strip())
    return round(max(heads.values()) / len(texts), 3) if heads else 0.0


def _sentence_with(text: str, quote: str) -> str:
    """The sentence of ``text`` (:func:`voiceround.analysis.split_text`) that holds ``quote``
    (case-insensitive), or ``quote`` itself."""
    q = quote.lower()
    return next((s for s in A.split_text(text) if q in s.lower()), quote)
