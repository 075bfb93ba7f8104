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
from voiceround.analysis.claims import OTHER_PLAN
from voiceround.core.types import Transcript
from voiceround.rounds import Round

EARLY_ANSWERS = 3      # the fit is judged on the first three answers at most ("early on", issue 16)
BARE_WORDS = 8         # an answer to the opening this short, with nothing concrete in it, is no story ("Yes.")
# a hedge is no hypothetical: "there was a real tension, I would say, …", "a, let's say, different view"
WOULD = re.compile(r"\b(i|we) would\b(?! have)(?! say\b)|\bi'd\b(?! have)(?! say\b)|\bi'?ll\b|\bmy (approach|first step|job|plan) would be\b"
                   r"|\bhypothetical(ly)?\b|\blet'?s say\b(?!,)|\bif (that|this|it) (happened|were to happen|ever happened)\b", re.IGNORECASE)

SUPPOSING = re.compile(r"\b(if|whenever|when(ever)?) (i|we|my \w+) (ever )?(disagreed|disagree|had|have|was|were|lost|wanted|wants|asked|asks|decided|decides|"
                       r"pushed|pushes|said|says|chose|chooses)\b|\bsay (that )?(i|we|my)\b",
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


# What each side proposed, and the decision adopting one of them: the fit check's reading of a win
# told only as content ("the committee approved the changeover program" after "I proposed a quick
# changeover program"), which no won cue catches.
_OWN_PROPOSAL = re.compile(r"\bi (?:proposed|suggested|recommended|pushed for|argued for|asked for|wanted to|wanted us to|thought we should)\b"
                           r"|\bmy (?:plan|proposal|idea|option|version|recommendation) (?:was|is)\b", re.IGNORECASE)
_ADOPTED = re.compile(r"\b(?:approved|adopted|chose|picked|went with|go with|going with|went ahead with|signed off on|backed|greenlit|"
                      r"funded|accepted|agreed to)\b", re.IGNORECASE)
_FUNCTION_WORDS = frozenset("""a an the and or but of to in on for with at by from as that this these those it its is was were be been
being are i we you he she they me us him her them my our your his their what which who whom when where why how all any
each every some such no not only own same so than too very can will just should would could now then there here about
over under again further once more most other into through during before after above below up down out off also
instead just really like okay yeah um uh kind sort thing things one way plus""".split())


def _content(text: str) -> set[str]:
    """Content words of ``text``, lower case, a plural's ``s`` dropped ("shops" = "shop")."""
    out = set()
    for w in re.findall(r"[a-z][a-z'-]+|\d+(?:\.\d+)?", text.lower()):
        w = re.sub(r"'s$", "", w)
        if w in _FUNCTION_WORDS or len(w) < 3:
            continue
        out.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return out


ADOPTED_MIN_WORDS = 2  # content words the adopted option must share with the candidate's proposal only


def adopted_own_proposal(story: list[A.Sentence]) -> tuple[A.Sentence, int] | None:
    """The sentence telling that the decision adopted the candidate's own proposal, and the answer
    (1-based) in which that became clear, or None.

    ``story``: the candidate's sentences (``turn`` = the k-th answer). A decision sentence (an
    adoption verb: "approved", "went with", "go with"…, not with "I" as its subject) whose object
    shares at least :data:`ADOPTED_MIN_WORDS` content words with the candidate's proposal ("I
    proposed/suggested/wanted to…") that the other side's proposal
    (:data:`voiceround.analysis.claims.OTHER_PLAN`) doesn't have, and none with the other side's
    alone. The proposals may be told after the decision (a candidate asked how it ended before
    what they argued): the win is clear at the later of the two. The seed's checklist asks for a
    story "where you lost the argument": this reads the win told only by naming what was chosen."""
    own: dict[str, int] = {}
    other: set[str] = set()
    proposals = set()
    for s in story:
        m = _OWN_PROPOSAL.search(s.text)
        o = OTHER_PLAN.search(s.text)
        if m:
            proposals.add(s.index)
            for w in _content(s.text[m.end():]):
                own.setdefault(w, s.turn)
        if o and not (m and m.start() < o.start()):
            proposals.add(s.index)
            other |= _content(s.text[o.end():].split(", but ")[0])
    if not own or not other:
        return None
    for s in story:
        if s.index in proposals:
            continue
        for a in _ADOPTED.finditer(s.text):
            if re.search(r"\bi\s+(?:\w+\s+)?$", s.text[:a.start()], re.IGNORECASE):
                continue  # "I went with her plan": the candidate adopting, not the decision
            obj = _content(re.split(r"[.;]|, (?:and|but|so) ", s.text[a.end():])[0])
            mine = obj & (set(own) - other)
            if len(mine) >= ADOPTED_MIN_WORDS and not obj & (other - set(own)):
                return s, max(s.turn, *sorted(own[w] for w in mine)[:ADOPTED_MIN_WORDS])
    return None


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
    adopted = adopted_own_proposal(story)
    # said in the latest answer, or clear only now (the proposal told after the decision)
    won_now = bool(won) and won[-1].turn == len(cands) or \
        adopted is not None and adopted[1] == len(cands) and not _has(rnd, "counterfactual", adopted[0].text)
    if won_now and not any(_has(rnd, "lost", s.text) for s in story):
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
