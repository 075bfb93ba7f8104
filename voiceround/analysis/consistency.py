"""Consistency and backbone: conflicting baselines, the answer to pushback, abstraction drift."""
from __future__ import annotations

import re

from voiceround.analysis.claims import CLAIM, FROM_TO, NUMBER, PERCENT, UP_FROM, Claim, find_claims
from voiceround.analysis.normalize import normalize_for_wer, spoken_values
from voiceround.analysis.sentences import Sentence, split_text, strip_fillers

# a number as said: digits, or words ("forty-four", "two hundred and fifty")
_N = (r"(?:\d[\d.,]*|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|\w+ty|hundred|thousand)"
      r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine|fifty|hundred|and|\w+ty|\w+teen))*")
# a number as said, strictly (no "faculty", no "canteen"): digits, or number words
_NS = (r"(?:\d(?:[\d.,]*\d)?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|"
       r"(?:twen|thir|for|fif|six|seven|eigh|nine)ty|hundred|thousand|half|third|quarter|fifth|tenth)(?:[- ](?:and )?(?:zero|one|two|three|four|five|six|seven|eight|nine|point|hundred|thousand|"
       r"(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twen|thir|for|fif|six|seven|eigh|nine)ty))*")
# Hedged or corrected baselines: "It was, like, five days. Maybe six." / "more like two hundred a month before, not three hundred".
BASELINE_CORRECTION = re.compile(
    r"\bmore like\b[^.]{0,50}\bnot\b|\b(probably|actually) more like\b|\bthinking about it more\b|\bthan i said\b|\b(?:like|about) \w+ (?:days|weeks|months|per ?cent|hours)\.\s*maybe \w+\b"
    # a number taken back and replaced mid-answer: "or maybe it was closer to 8", "I think the average was more like 1.5",
    # "I said 6.8 and then 9"
    # a number said before, taken back when the baseline is asked for ("The 1.2 seconds, yeah, I think earlier I
    # said 800", "it might have been more like twenty-five thousand before")
    # ("before I said" only before a number: "I ran a survey before I said anything" is no correction)
    rf"|\bearlier i said\b|\bbefore i said (?=(?:a |an |about |around |like )?{_NS}\b)|\bmight have been (more like|closer to)\b"
    r"|\bor maybe (it was )?(closer to|more like)\b|\bi think (the \w+ |it )?was (actually )?more like\b|\bi said (?:[\d.,%]+|(?:(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|\w+ty|hundred|thousand|point|percent)[\s-]*){1,6}) ?and then\b"
    # a level given as two guesses when asked for it ("around eleven, maybe twelve percent", "forty-four,
    # maybe forty-six weeks", "Maybe fifteen, twenty", "9, or maybe 6"), or a guess hedged on its own ("Two-fifty maybe.")
    rf"|\b(?!one\b){_N}\s*{PERCENT}?,? (?:or )?maybe {_N}\b|\bmaybe {_N}, {_N}\b|^(?:\w+,? )?{_N}\s*{PERCENT}? maybe[.?]?$"
    # a number said before, revisited when pushed: "I said four hundred earlier", "I said a hundred and ten
    # before?", "the 2.1 million I mentioned was the peak month", "I said 18%, it was really more like 15 to 20"
    rf"|\bi (?:think i )?(?:said|mentioned|quoted|gave you) (?:a |an |like |about |around )?{_NS}[^.?!]{{0,25}}?\b(?:earlier|before)\b(?!\s+(?:the|a|an|we|i|he|she|they|that|this|my|our|it|you)\b)"
    rf"|\bthe (?:a |an )?{_NS}(?:\s*(?:%|per ?cent|million|thousand|k|minutes|hours|days|seconds))? i (?:mentioned|quoted|said)\b(?! to\b)|\bthe {_NS}\s*{PERCENT}? earlier\b"
    rf"|\bi said {_NS}\s*{PERCENT}?, (?:it|that) was (?:really|actually)\b|\b(?:it|that) was (?:really|actually) more like {_NS}\b"
    # a level given as a range of guesses or several years' worth ("maybe two or three percent", "eighty deals the
    # year before, maybe ninety", "twenty-five to thirty, it depends which year you take"), or the speaker's memory
    # of the numbers doubted ("I might be mixing them up", "I'd have to check which one I was using")
    rf"|\bmaybe {_NS} or {_NS}(?=\s*(?:%|per ?cent\b|[.,?!]|$))|\b(?!one\b){_NS} [a-z]+ (?:the |a )?(?:year|month|week|quarter) before, maybe {_NS}\b"
    rf"|\bdepends (?:on )?which (?:year|month|week|quarter|period)\b|\bmixing (?:them|those|it|the \w+) up\b|\bi'?d have to check which\b"
    rf"|^\W*sorry, {_NS}\b"
    # a starting level taken back ("waste was eleven percent before, not eighteen", "the baseline was
    # really fourteen percent, not eighteen"), admitted a guess ("the eighteen percent was more of an
    # estimate"), or guessed open-ended ("maybe twelve percent, maybe less"): a new user's answers
    rf"|\b{_NS}\s*{PERCENT}?[^.?!,]{{0,25}}\bbefore, not {_NS}\b|\b(?:baseline|starting (?:point|level))\b[^.?!]{{0,30}}\b{_NS}\b[^.?!,]{{0,20}}, not {_NS}\b"
    rf"|\bthe {_NS}\s*{PERCENT}? (?:i (?:said|mentioned|gave you) )?was (?:more (?:of )?|really |just |only |a bit of )?(?:an? )?(?:estimate|guess|ballpark|rough (?:number|figure|guess))\b"
    rf"|\bmaybe {_NS}\s*{PERCENT}?,? maybe (?:less|more|lower|higher)\b",
    re.IGNORECASE)


# Fillers and the commas around them, which speech puts inside a from-to ("from, uh, 22%"); a
# comma inside a number ("1,200") is kept.
_SPOKEN_NOISE = re.compile(r",?\s*\b(?:um+|uh+|erm|er|you know|i mean|like)\b\s*,?|(?<!\d),|,(?!\d{3})")


def baseline_conflicts(claims: list[Claim], stated_in: set[int] | None = None) -> list[tuple[Claim, Claim]]:
    """Pairs of claims in different turns that report the same final value from different
    baselines ("from 14% to 9%" … later "from 12% to 9%"), the same metric changing from two
    baselines, or (for sentences in ``stated_in``) a level stated while arguing that another turn
    contradicts: the seed's "never invent a false baseline". Returns ``[(earlier, later)]``."""
    # the first from-to to each final value, by what it can be matched on: (unit, "v", value) for each
    # value it can mean and (unit, "t", its words) (:func:`_same_number`); an entry is (order, baseline, claim)
    first_to: dict[tuple, tuple[int, tuple, Claim]] = {}
    by_metric: dict[str, tuple[tuple, Claim]] = {}
    out = []
    for c in claims:
        text = " ".join(_SPOKEN_NOISE.sub(" ", c.sentence.text).split())  # "went from, um, nineteen percent down to fifteen"
        m = FROM_TO.search(text) or UP_FROM.search(text)
        if not m:
            continue
        # compared as values, not text: "14% to 9%" and "fourteen percent to nine percent" are the same
        # claim, as "340" and "three hundred and forty" (and "three forty") are one number
        # the same final value in the same unit: "from five days to two" and "from three weeks to two"
        # end at different values (a new user's answer: read as an invented baseline)
        unit = _unit_after(text, m)
        a, b = _said(m.group("a"), unit), _said(m.group("b"), unit)
        keys = [(unit, "v", v) for v in b[0]] + [(unit, "t", b[1])]
        first = min((first_to[k] for k in keys if k in first_to), default=None, key=lambda e: e[0])
        if first is not None and not _same_number(first[1], a) and first[2].turn != c.turn:
            out.append((first[2], c))
        if first is None:  # looked up, not searched for: an answer of thousands of from-tos stays linear
            first_to.update(dict.fromkeys(keys, (len(first_to), a, c)))
        # the same metric retold from another baseline ("tickets went from about twelve hundred a week"
        # … later "tickets went from 850 a week"), unless either is a slice of it
        metric = _metric(text[:m.start()]) if m.re is FROM_TO else None  # a from-to, not "up from"
        _same_metric(by_metric, metric, a, c, out)
    # a starting level stated outright while arguing ("our monthly churn was 8 percent" … "our monthly
    # churn at the time was 5 percent" … "churn went from 12 percent to 10"): one metric, one baseline.
    # ``stated_in``: the sentence indexes told before the decision (levels stated later are results).
    # Told later, a level is a starting point only when said to be one ("before the change our repeat
    # rate was eleven percent", "back then it was…", "…was around 45 percent before the tour").
    for c in (c for c in claims if stated_in is not None):
        text = " ".join(_SPOKEN_NOISE.sub(" ", c.sentence.text).split())
        change = FROM_TO.search(text)
        for sm in _STATED.finditer(text):
            if change and change.start() <= sm.start() <= change.end():
                continue
            said_before = _BEFORE.search(text, max(0, sm.start("lead") - 30), sm.start("v")) or _BEFORE.search(text, sm.end(), sm.end() + 25)
            if c.sentence.index not in stated_in and (not said_before or _COMPARED_AFTER.match(text, sm.end())):
                continue  # a later level, not said to be the start ("…were at 22%, against 19% before")
            u = _UNIT.match(text, sm.end("v"))
            unit = u.group("u").lower().rstrip("s") if u else ""
            _same_metric(by_metric, _metric(sm.group("lead") + " was"), _said(sm.group("v"), unit), c, out)
    return out


# A duration in minutes, so one told in another unit is the same number ("six hours" and "360 minutes").
_MINUTES = {"second": 1 / 60, "minute": 1.0, "hour": 60.0, "day": 1440.0, "week": 10080.0}


def _said(number: str, unit: str = "") -> tuple[frozenset[float], str]:
    """A number as said, for comparing: ``(the values it can mean, its normalised words)``
    (:func:`voiceround.analysis.normalize.spoken_values`). A duration (``unit``: "second" … "week",
    singular) may also mean its value in minutes: "6 hours" is 6 and 360, so "from 360 minutes" is no
    other baseline (a new user's answer was flagged so)."""
    values = spoken_values(number)
    if unit in _MINUTES:
        values = values | {round(v * _MINUTES[unit], 6) for v in values}
    return values, normalize_for_wer(number)


def _same_number(x: tuple[frozenset[float], str], y: tuple[frozenset[float], str]) -> bool:
    """Whether two numbers as said (:func:`_said`) are one: a value they can both mean, else the same words."""
    return bool(x[0] & y[0]) if x[0] and y[0] else x[1] == y[1]


_UNIT = re.compile(r"\s*(?P<u>seconds?|minutes?|hours?|days?|weeks?|months?|quarters?|years?|percent|per cent|%|points?|"
                        r"dollars?|pounds?|euros?|k|thousand|million|billion)(?!\w)", re.IGNORECASE)


def _unit_after(text: str, m: re.Match) -> str:
    """The unit of a from-to ``m`` in ``text`` ("from five days to two": "day"), singular and
    lower-case: the unit said after its final value, else after its baseline, else ""."""
    u = _UNIT.match(text, m.end("b")) or _UNIT.match(text, m.end("a"))
    if u is None:
        return ""
    word = u.group("u").lower()
    return {"%": "percent", "per cent": "percent"}.get(word, word.rstrip("s") if len(word) > 3 else word)


_COMPARED_AFTER = re.compile(rf"\s*({PERCENT})?,?\s*(against|versus|vs\.?|compared|up from|down from)\b", re.IGNORECASE)
_BEFORE = re.compile(r"\bbefore (the|that|this|it|we|my|our|any)\b|\bat the time\b|\bback then\b|\boriginally\b|\bto start with\b|"
                     r"\bused to be\b|\bwhere we started\b", re.IGNORECASE)


# "<metric> (at the time) was (about) N%", "…was stuck at 38 percent": a level stated as the starting point
_STATED = re.compile(r"(?P<lead>(?:\b[\w-]+\s){1,6})(?:at the time |back then |before |then )?(?:was|were|had been) (?:running at |sitting at |stuck at |hovering (?:at |around )|stood at |at )?"
                     r"(?:about |around |roughly |only |just )?(?P<v>\d[\d,.]*|(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                     r"twelve|\w+teen|\w+ty)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine|point|\w+teen|\w+ty))*)\s?(?:%|per ?cent|minutes?\b|hours?\b|seconds?\b)",
                     re.IGNORECASE)


def _same_metric(by_metric: dict, metric: tuple | None, value: tuple[frozenset[float], str], c: Claim, out: list) -> None:
    """Record ``value`` (a number as said, :func:`_said`) as ``metric``'s baseline from claim ``c``; a
    different baseline for the same metric from another turn (neither a slice) is a conflict appended
    to ``out``. Metrics are the same when :func:`_metric` heads match and, for a generic head ("rate"),
    a modifier is shared ("repeat call rate" and "our repeat rate"; not "late-delivery rate" and
    "reorder rate"); for any other head, two qualified by different words just before it are two
    metrics ("discharge wait" and "the general wait", "desktop conversion" and "site-wide conversion")."""
    if not metric or c.has_slice:
        return
    head, mods, near = metric
    key = next((k for k in by_metric if k[0] == head and (head not in _GENERIC_HEADS or k[1] & mods)
                and not (head not in _GENERIC_HEADS and k[2] and near and k[2] != near)), metric)
    prev = by_metric.get(key)
    if prev and not _same_number(prev[0], value) and prev[1].turn != c.turn and not prev[1].has_slice \
            and (prev[1], c) not in out and (c, prev[1]) not in out:
        out.append((prev[1], c))
    by_metric.setdefault(key, (value, c))


_CHANGE_WORDS = frozenset("went came down dropped fell rose was were up it has had got moved improved increased decreased "
                          "reduced cut grew climbed jumped shrank the that this our my their its and so then also over "
                          "after before by about around".split())


_CHANGED = re.compile(r"\b(?:went|came|dropped|fell|rose|moved|improved|grew|climbed|jumped|shrank|decreased|increased|"
                      r"went (?:up|down)|came (?:up|down)|was|were)\s*,?\s*$", re.IGNORECASE)
_PREP_PHRASE = re.compile(r"\b(?:on|in|at|for|of|across|among|with|by) (?:the |our |my |that |this |their )?[\w-]+(?: [\w-]+)?", re.IGNORECASE)


def _metric(before: str) -> tuple[str, frozenset, str | None] | None:
    """The metric a from-to is about, when it is told as a change ("Schedule tickets went from…"):
    ``(head, modifiers, qualifier)``: its subject's last word, singular, prepositional phrases left out
    ("agency shifts on the unit went" → "shift"), up to three words before it ("repeat call
    rate" → ``("rate", {"repeat", "call"}, "call")``), and the word just before the head when it
    qualifies it (not "the", "our", "and"…; else None). A rate told "per" something is about what is
    counted: "night lines per hour" → ``("line per hour", {"night"}, "night")``, not "hour". None for anything
    else ("wanted to move the unit from…")."""
    clause = re.split(r"[,;:]", before)[-1]
    m = _CHANGED.search(clause)
    if not m:
        return None
    tokens = re.findall(r"[a-z][a-z-]*", _PREP_PHRASE.sub(" ", clause[:m.start()]).lower())
    per = ""
    if len(tokens) >= 3 and tokens[-2] == "per":  # "lines per hour": lines, counted per hour
        per, tokens = f" per {tokens[-1].rstrip('s')}", tokens[:-2]
    words = [w for w in tokens if w not in _CHANGE_WORDS]
    if not words:
        return None
    head = words[-1].rstrip("s") + per
    # a generic head needs its modifier: "late-delivery rate" and "reorder rate" are two metrics
    mods = frozenset(w for w in words[-4:-1] if w not in _GENERIC_HEADS)
    if head in _GENERIC_HEADS and not mods:
        return None
    at = max(i for i, t in enumerate(tokens) if t == words[-1])
    near = tokens[at - 1] if at >= 1 and tokens[at - 1] not in _CHANGE_WORDS else None
    return head, mods, near


_GENERIC_HEADS = frozenset("rate number count share percentage score time level volume ratio cost value metric".split())


# A turn that opens by echoing the interviewer's question about the starting level: "The baseline?",
# "Ah, the baseline, yes.", "The baseline before the mandate?", "What they were before launch?". A
# statement such as "Before: about 4 pages a week." is no echo (dev: a terse answer's list).
_BASELINE_ECHO = re.compile(
    r"^\W*(?:(?:ah|oh|um+|uh+|so|right|okay|ok|well|yes|yeah|sure),?\s+)*(?:the |my |our )?"
    r"(?:baseline|before(?: numbers?| figures?)?|starting (?:point|number|level))(?:\s+[\w-]+){0,3}\s*(?:[?,.!]|--|\u2014)"
    r"|^\W*(?:(?:ah|oh|um+|uh+|so|right|okay|ok|well),?\s+)*what (?:it|they|that|those|the [\w-]+) (?:was|were) before\b[^.?!]{0,40}\?",
    re.IGNORECASE)
_NO_COUNT = {"one", "a", "an"}


def _numbers(text: str) -> set[str]:
    """The numbers said in ``text``, normalised ("3,000" and "three thousand" alike), "one"/"a" left out."""
    return {normalize_for_wer(m.group(0)) for m in NUMBER.finditer(text) if m.group(0).strip().lower() not in _NO_COUNT}


def baseline_when_pushed(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences that give a starting level only when it was asked for: a turn opens by echoing the
    question about the baseline (:data:`_BASELINE_ECHO`) and then says a number no earlier turn said.
    The round page's trap "a baseline that … appears only when pushed". A baseline restated on the
    probe with the numbers already told is not it. Returns the echo sentence and the first sentence
    of that turn with a new number; ``[]`` when there is none. Corpus dev: 10 of 44 answers labelled
    with the trap open a turn this way, and 1 of 356 without it (a terse "Before: about 4 a week.").

    ``sentences``: the candidate's sentences in order (``turn`` 1-based)."""
    by_turn: dict[int, list[Sentence]] = {}
    for s in sentences:
        by_turn.setdefault(s.turn, []).append(s)
    said: set[str] = set()
    out: list[Sentence] = []
    for turn in sorted(by_turn):
        group = by_turn[turn]
        if said and _BASELINE_ECHO.search(group[0].text):
            new = next((s for s in group if _numbers(s.text) - said), None)
            if new is not None:
                out.extend(dict.fromkeys([group[0], new]))
        for s in group:
            said |= _numbers(s.text)
    return out


def pushback_response(text: str, lexicons) -> str:
    """How a candidate answered a pushback: ``"folded"`` (conceded without reasoning),
    ``"held_with_data"`` (kept the position with numbers or reasons), ``"recalibrated"`` (conceded
    part and kept part), ``"no_answer"`` ("I don't know", with no number and no position kept), or
    ``"unclear"``. Rule-based on the answer's words and numbers, with the
    round's ``fold``, ``hold`` and ``recalibrate`` lexicons."""
    sents_ = [Sentence(1, i, 0, len(t), t, 0.0) for i, t in enumerate(split_text(text)) if t]
    has_numbers = bool(find_claims(sents_))
    folded, held, recal = (bool(lexicons[k].search(text)) for k in ("fold", "hold", "recalibrate"))
    if lexicons["dont_know"].search(text) and not has_numbers and not held:
        return "no_answer"  # "I'm not sure, I'd have to check": the challenge was not answered
    if held and (recal or folded):
        return "recalibrated"
    if held or (has_numbers and not folded):
        return "held_with_data"
    if folded:
        return "folded"
    if recal:
        return "recalibrated"
    return "unclear"


def abstraction_drift(text: str, lexicons) -> bool:
    """Whether an answer in progress has drifted into abstraction for more than one sentence: its
    last two sentences both carry abstraction cues ("in general", "I always", "typically", "if
    you…", the round's ``abstraction`` lexicon), and neither states a number. Used to interrupt while
    the candidate is still talking."""
    parts = split_text(strip_fillers(text))
    if len(parts) < 2:
        return False
    last = parts[-2:]
    return all(lexicons["abstraction"].search(p) and not CLAIM.search(p) for p in last)


# A concrete event (issue "Interrupt abstraction while the candidate is still talking"): a person,
# a time, a number, or an action in the past tense told by its doer.
PAST_ACTION = re.compile(
    r"\b(?:i|we|she|he|they|my \w+|our \w+)\s+(?:\w+ed|said|told|wrote|ran|built|took|made|sent|went|met|brought|showed|"
    r"got|gave|put|did|found|shipped|called|spoke|saw|chose|thought|knew|left|won|lost|began|led|set up|sat down)\b", re.IGNORECASE)
WHEN = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|"
    r"wednesday|thursday|friday|(?:19|20)\d\d|yesterday|last (?:week|month|year|spring|summer|fall|autumn|winter|quarter)|"
    r"that (?:morning|afternoon|evening|day|week|night)|in q[1-4])\b", re.IGNORECASE)
NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+\b|^(?!(?:That|It|What|There|Here|He|She|Let|Who|Where|How|Everyone|Nobody|Today|Now)'s)[A-Z][a-z]+'s\b")  # a capitalised word inside a sentence (STT capitalises names), or "Jonas's"
NUMBER_WORD = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
                         r"sixty|seventy|eighty|ninety|hundred|thousand|million|billion|per ?cent|half|dozen)\b", re.IGNORECASE)
DIGIT = re.compile(r"\d")
PAST_PASSIVE = re.compile(r"\b(?:had|has|was|were|got)\s+(?:\w+ed|built|made|sent|taken|given|shipped|cut|run)\b", re.IGNORECASE)
IDIOM_NUMBER = re.compile(r"\b(?:a|one) hundred(?: and ten)? (?:percent|%)|\b1[01]0 ?%|\bone of the\b|\bone day\b|\bat one point\b|\b(?:one|two)[- ]way doors?\b|\bfirst of all\b", re.IGNORECASE)
ABSTRACT_STRETCH_S = 20.0  # seconds of an answer with no concrete event before the interviewer cuts in


def concrete(sentence: str) -> bool:
    """Whether a sentence tells a concrete event: a number (:data:`CLAIM`, or in words), a time or
    date, a named person, or an action in the past tense ("I wrote", "she said", "had tripled")."""
    sentence = IDIOM_NUMBER.sub("", sentence)  # "I give it a hundred percent" counts nothing
    # any number in digits counts, as its words do (NUMBER_WORD): "every 30 minutes" and "every thirty minutes" alike
    return bool(CLAIM.search(sentence) or DIGIT.search(sentence) or NUMBER_WORD.search(sentence) or WHEN.search(sentence) or PAST_ACTION.search(sentence)
                or PAST_PASSIVE.search(sentence) or NAME.search(sentence))


def live_drift(text: str, speech_s: float, lexicons) -> str | None:
    """Why an answer in progress should be cut off, or None. ``"abstraction"``: its last two
    sentences are abstract (:func:`abstraction_drift`), or ``speech_s`` seconds (≥
    :data:`ABSTRACT_STRETCH_S`) of it hold no concrete event at all (:func:`concrete`).
    ``"second_story"``: after two sentences of one story, a sentence starts another (the
    ``second_story`` lexicon: "another time", "at my previous company"). ``text``: the answer so far."""
    if abstraction_drift(text, lexicons):
        return "abstraction"
    parts = split_text(strip_fillers(text))
    if speech_s >= ABSTRACT_STRETCH_S and parts and not any(concrete(p) for p in parts):
        return "abstraction"
    if len(parts) >= 3 and lexicons["second_story"].search(parts[-1]) and any(concrete(p) for p in parts[:-1]):
        return "second_story"
    return None
