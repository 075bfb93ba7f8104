"""Quoting the candidate: a whole phrase of what they said, never a fragment cut mid-phrase.

The interviewer quotes the candidate's words back ("You said 'the 70% of paying users who started
on the free tier'."). A quote cut inside a phrase ("You said '70% on our paying'", "'40% came from
the'") reads as a machine that wasn't listening (issue "A Bar Raiser who listens", item 3). A quote
here ends only where a phrase ends: at punctuation, at the end of the sentence, or just before a
word that opens a new phrase (a preposition, a conjunction, a relative or subject pronoun), and
never on a word that needs one after it ("the", "our", "from", "and").
"""
from __future__ import annotations

import re

# Words that open a new phrase: a quote may end just before one of them. Not "out" and "off": after a
# verb they are its particle ("a 10% hold out", "signed off"), and a quote cut there is a fragment.
OPENERS = frozenset("""
about above across after against along among around as at before behind below beside between beyond by despite
during except for from in inside into like near of on onto outside over past per since than through
throughout till to toward towards under until unlike upon versus via with within without
and but or nor so yet because although though while whereas if unless when whenever where wherever which who whom
whose that then once
i we they he she
""".split())
# Openers that start a new clause (not only a prepositional phrase): the best places to cut.
CLAUSE_OPENERS = frozenset("""
and but or nor so yet because although though while whereas if unless when whenever where wherever which who whom
whose that then once i we they he she
""".split())
# Words a quote can't end on: they need what follows them (determiners, possessives, openers, intensifiers).
DANGLING = OPENERS | frozenset("""
the a an our my their his her its your this these those some any no not very more less most much many each every
another such both either neither own same other just only also even really quite about around roughly nearly almost
you it am is are was were be been being had has have would could should will shall can may might must did do does
""".split())
# Verbs whose particle follows them ("came through", "went up", "ended up"): never cut between the two.
PHRASAL = frozenset("came went got turned ended brought carried held picked set".split())
# Words just before a number that belong to its phrase ("the 70%", "about 40%").
LEAD_IN = frozenset("the about around roughly nearly almost over under only just some a".split())
_PUNCT_END = ".?!;:"
# Subject pronouns: after "with," one of them opens a new clause, not the preposition's object.
_SUBJECTS = frozenset("i we they he she you".split())
_FILLERS = frozenset("um uh er erm like basically actually honestly".split())
_FILLER_PAIRS = frozenset(["you know", "i mean", "kind of", "sort of", "and stuff", "or something", "and you", "and so"])
_STRIP = " ,.;:!?\"'()[]"


def _bare(word: str) -> str:
    """``word`` lower-cased without punctuation; a contraction counts as its first word ("we'd" → "we")."""
    bare = word.strip(_STRIP).lower().replace("’", "'")
    head, _, tail = bare.partition("'")
    return head if tail in ("d", "ll", "re", "ve", "m", "s") and head in OPENERS else bare


def is_fragment(quote: str, sentence: str) -> bool:
    """Whether ``quote`` (a span of ``sentence``) is cut mid-phrase: it ends on a word that needs
    what follows ("the", "from", "our"), or the sentence goes on, with no punctuation between,
    into a word that continues the same phrase ("70% on our paying | users"). Quotes not found
    in ``sentence`` are judged by their last word alone."""
    words = quote.split()
    if not words:
        return False
    pos = sentence.lower().find(quote.lower())
    if pos < 0:
        return len(words) > 1 and _bare(words[-1]) in DANGLING
    rest = sentence[pos + len(quote):]
    if not rest.strip() or rest.lstrip()[:1] in _PUNCT_END + ",-—–)" or quote[-1:] in _PUNCT_END + ",":
        return False  # the phrase ends where the candidate's did ("we rolled it out.")
    if len(words) > 1 and _bare(words[-1]) in DANGLING:
        return True
    return _bare(rest.split()[0]) not in OPENERS


def phrase_quote(text: str, start: int = 0, max_words: int = 8, min_words: int = 2) -> str:
    """The candidate's words from character ``start`` of ``text`` as a quotable phrase of about
    ``max_words`` words (``min_words`` or more when the text has them): it stops at a clause or
    sentence end (a comma after ``min_words`` words, or . ; : ! ?); a clause of up to
    ``max_words + 2`` words is kept whole; a longer one is cut before
    the last new clause that fits (:data:`CLAUSE_OPENERS`: "70% on our paying users | who
    started…"), else before the last phrase that does (:data:`OPENERS`); trailing words that
    need what follows are dropped. A number's lead-in just before ``start`` ("the", "about") is
    included. Returns "" for empty text. Pure; never raises."""
    if start > 0:
        before = text[:start].split()
        if before and _bare(before[-1]) in LEAD_IN and not before[-1][-1:] in _PUNCT_END + ",":
            start = text.rfind(before[-1], 0, start)
    tokens = re.findall(r"\S+", text[start:])
    if not tokens:
        return ""
    clause: list[str] = []
    for i, tok in enumerate(tokens):
        clause.append(tok)
        if tok[-1:] in _PUNCT_END and not re.search(r"\d[.:]\d", tok) or \
                (tok.endswith(",") and i + 1 >= min_words and _bare(tok) not in DANGLING):  # "went from, uh, 60" goes on
            break
        if tok.endswith(",") and _bare(tok) in OPENERS - CLAUSE_OPENERS and i + 1 < len(tokens) \
                and _bare(tokens[i + 1]) in _SUBJECTS:  # "a feature I disagreed with, | I would…": a stranded preposition ends the clause
            break
    if len(clause) > max_words + 2:  # a clause one or two words over is quoted whole rather than cut
        valid = [k for k in range(min_words, max_words + 3)
                 if _bare(clause[k]) in OPENERS and _bare(clause[k - 1]) not in DANGLING | PHRASAL]
        clause_cuts = [k for k in valid if k >= 3 and _bare(clause[k]) in CLAUSE_OPENERS]
        cut = clause_cuts[-1] if clause_cuts else valid[-1] if valid else None
        if cut is not None and cut <= 3 and max_words >= 5 and len(clause) <= max_words + 4:  # "about 40%" of a short clause says too little
            cut = len(clause)
        if cut is None:  # no phrase end within reach: the whole clause if it is short, else the next phrase end
            later = [k for k in range(max_words + 1, min(len(clause), max_words + 5))
                     if _bare(clause[k]) in OPENERS and _bare(clause[k - 1]) not in DANGLING]
            cut = len(clause) if len(clause) <= max_words + 6 else later[0] if later else max_words
        clause = clause[:cut]
    natural_end = clause[-1][-1:] in _PUNCT_END or clause[-1] == tokens[-1]
    words = [w for w in (w.strip(_STRIP) for w in clause) if w]
    while len(words) > min_words:  # no trailing filler; after a cut, no word that needs what followed
        if " ".join(words[-2:]).lower() in _FILLER_PAIRS:
            del words[-2:]
        elif words[-1].lower() in _FILLERS or (words[-1].lower() in DANGLING and not natural_end):
            words.pop()
        else:
            break
    return " ".join(words)
