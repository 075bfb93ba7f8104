"""Pure text analysis of a transcript: sentences, quantitative claims and their baselines,
"I"/"we" action attribution, opinion, abstraction, customer and filler cues, story-phase tagging,
words per minute.

Everything here is deterministic and works on the candidate's words only. Cue lexicons are
general English for behavioral interviews; round-specific cues (story slots) come from the round
file and are passed in.
"""
from __future__ import annotations

from itertools import pairwise
import re
from dataclasses import dataclass, field

from voiceround.core.types import Transcript

# ---------------------------------------------------------------------------------------------
# Sentences


@dataclass(frozen=True)
class Sentence:
    """A candidate sentence. ``turn``: 1-based turn number; ``start``/``end``: character offsets in
    the turn text; ``start_s``: estimated start second on the session timeline (the turn's start
    plus its share of the turn's duration by character position)."""

    turn: int
    index: int
    start: int
    end: int
    text: str
    start_s: float

    @property
    def lower(self) -> str:
        return self.text.lower()


_FILLER_WORD = r"(?:um+|uh+|erm+|er|hmm+|mm+)"
_SENT_END = re.compile(rf"(?<=[.!?])\s+(?=(?:{_FILLER_WORD},?\s+)*[\"'A-Z0-9])", re.IGNORECASE)
_FILLER_STRIP = re.compile(rf"(?:(?<=\s)|^){_FILLER_WORD}\b[,.]?\s*", re.IGNORECASE)


def strip_fillers(text: str) -> str:
    """``text`` without filled pauses ("um", "uh", "erm", "hmm"), so they never change content
    analysis; filler counts are kept separately (:func:`delivery`)."""
    out = _FILLER_STRIP.sub("", text)
    return re.sub(r"\s+([,.;!?])", r"\1", re.sub(r"\s{2,}", " ", out)).strip()


def split_sentences(transcript: Transcript, speaker: str = "candidate") -> list[Sentence]:
    """Split the given speaker's turns into sentences, in timeline order.

    Splits after ``.``, ``!`` or ``?`` followed by whitespace, optional fillers and a capital, digit
    or quote (decimals like "1.8" stay whole). ``Sentence.text`` has fillers removed
    (:func:`strip_fillers`); ``start``/``end`` index the raw turn text. Returns :class:`Sentence` objects.
    """
    out: list[Sentence] = []
    for number, turn in enumerate(transcript.turns, start=1):
        if turn.speaker != speaker or not turn.text.strip():
            continue
        text = turn.text
        bounds = [0] + [m.end() for m in _SENT_END.finditer(text)] + [len(text)]
        n = max(len(text), 1)
        for a, b in pairwise(bounds):
            piece = text[a:b]
            lead = len(piece) - len(piece.lstrip())
            s, e = a + lead, a + len(piece.rstrip())
            if e <= s:
                continue
            clean = strip_fillers(text[s:e])
            if not clean:
                continue
            start_s = round(turn.start_s + (turn.end_s - turn.start_s) * s / n, 3)
            out.append(Sentence(number, len(out), s, e, clean[0].upper() + clean[1:], start_s))
    return out


def words(text: str) -> list[str]:
    """Lower-case word tokens (letters, digits, apostrophes, %, $, decimal points)."""
    return re.findall(r"[a-z0-9$%][a-z0-9'%.,$]*", text.lower())


# ---------------------------------------------------------------------------------------------
# Quantitative claims

_NUMWORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"thousand|million|billion|point|half|a)"
)
_NUM = rf"(?:\$?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|bn|thousand|million|billion))?|\b{_NUMWORD}(?:[\s-]+(?:and\s+)?{_NUMWORD})*)"
_METRIC_NOUN = (
    r"(?:tickets?|users?|customers?|orders?|sessions?|requests?|errors?|failures?|calls?|complaints?|sign ?ups?|"
    r"accounts?|transactions?|payment attempts?|attempts?|downloads?|visits?|clicks?|conversions?|incidents?|bugs?|"
    r"pages?|records?|queries|messages?|installs?|subscribers?|members?|shoppers?|clients?|points?(?!\s+(?:zero|one|two|three|four|five|six|seven|eight|nine)\b)|"
    r"milliseconds?|ms|seconds?|requests per second|qps|rps)"
)
_CLAIM = re.compile(
    rf"(?P<num>{_NUM})\s*(?P<unit>%|percent(?:age points?)?|pp\b|x\b|times\b|dollars?|bucks|(?:an?|per) (?:day|week|month|quarter|year|night|shift)\b|"
    rf"(?:(?:[a-z]+\s){{0,2}}){_METRIC_NOUN}\b)"
    rf"|(?P<money>\$\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|bn|thousand|million|billion))?)",
    re.IGNORECASE,
)
_BASELINE = re.compile(
    r"\b(from\b.{0,60}\bto|against|versus|vs\.?|compared (to|with)|relative to|baseline|up from|down from|"
    r"than (the |our )?(old|previous|before|last|control)|previous(ly)?|used to be|before (the|it|we|launch))\b",
    re.IGNORECASE,
)
# Crediting the team instead of isolating: never an attribution method, whatever cue words it has.
TEAM_CREDIT = re.compile(r"\b(team (result|effort|number|win)|whole team|we all (owned|contributed|did)|hard to (separate|say)|"
                         r"can'?t (really )?(prove|separate|isolate)|it all helped)\b", re.IGNORECASE)
_DURATION_CHANGE = re.compile(rf"\b(?:went|dropped|fell|rose|came|got|cut|brought) (?:it )?(?:down |up )?(?:to|from) (?:about |like |around |under |over )?"
                              rf"(?P<num>{_NUM}) (?P<unit>days?|weeks?|hours?|minutes?|months?)\b", re.IGNORECASE)
_BASELINE_LEAD = re.compile(r"\s*(down|up|compared|against|versus|from|that was|before that)\b", re.IGNORECASE)
_PROPOSAL = re.compile(r"\bi (wanted|proposed|suggested|recommended|asked for)\b|\b(staged|stage) roll|\bthen everyone\b", re.IGNORECASE)
_HYPOTHETICAL = re.compile(r"\b(would|could|might)\b(?! (do|bring|frame|push|have done|see|show|tell|measure|read)\b)", re.IGNORECASE)
_ARGUING = re.compile(r"\b(my (argument|case|point|concern) (was|is)|i argued|i pointed out|i showed (him|her|them))\b", re.IGNORECASE)
_SLICE = re.compile(
    r"\b(for|among|on|in|from) (the |our |that |this |one )?([a-z]+ ){0,2}(segment|cohort|region|market|card network|"
    r"network|holdout|flow|platform|mobile|desktop|new users|tier|card type|country|group)\b|\bby (card type|segment|region|cohort)\b",
    re.IGNORECASE,
)
_WINDOW = re.compile(
    r"\b(per|a|each|every|that|this|last|next) (day|week|month|quarter|year)\b|\bover (the )?(next |first |last )?"
    r"\w+ (days|weeks|months|quarters|years)\b|\bin the first (day|week|month|quarter)\b|\bon (sale|launch) day\b|\bwithin\b",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(
    r"\b(hold ?out|a/?b test|a b test|control group|isolat\w*|attribut\w*|experiment|counterfactual|alone accounts)\b"
    r"|\b(i'?d|i would|i can|i'?ll|i) claim\b|\bwon'?t claim\b|\bthe only change\b|\bgive (him|her|them) (the )?credit\b"
    r"|\bcredit (her|him|them|it to)\b|\bthe other (unit|team|store|site|region|group|cohort)\b.{0,40}\b(saw|went|stayed|had)\b"
    r"|\bthe part i'?d claim\b|\bwhat i can (isolate|claim|measure)\b|\b(a b|a/b|split) test(ed)?\b|\bwith a split\b"
    r"|\bi can show it\b|\bon its own\b|\bcompared (it )?(to|with|against) (the )?(control|other)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Claim:
    """A quantitative claim: a number with a unit, a percentage or money.

    ``quote``: the claim phrase as said (number, unit and up to three following words).
    ``has_*``: whether the claim's sentence states a baseline, a slice or segment, a time window, an
    attribution method; a baseline may also open the next sentence of the same turn ("… was 0.7%.
    Down from 1.8."). ``is_proposal``: the number describes a plan the candidate proposed ("five
    percent, then twenty five"), not a measurement. ``value``: the normalised number phrase.
    """

    sentence: Sentence
    start: int
    end: int
    quote: str
    value: str
    has_baseline: bool
    has_slice: bool
    has_window: bool
    has_attribution: bool
    is_proposal: bool = False

    @property
    def turn(self) -> int:
        return self.sentence.turn


_SMALL = {"a", "and", "point", "half", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "zero"}


def _is_number_phrase(text: str, unit: str) -> bool:
    """Whether a matched number phrase is a real quantity. A lone small spelled number ("one page",
    "two engineers") is a count of things, not a metric, unless it is a percentage or money."""
    t = text.strip().lower()
    if re.search(r"\d", t):
        return not (re.fullmatch(r"100", t) and unit.strip().lower().startswith(("%", "percent")))
    tokens = [tok for tok in re.split(r"[\s-]+", t) if tok]
    if not any(tok not in {"a", "and", "point", "half"} for tok in tokens):
        return False
    if "point" in tokens and len(tokens) >= 3:  # a spoken decimal: "zero point four"
        return True
    if re.match(r"(an?|per) (day|week|month|quarter|year|night|shift)$", unit.strip().lower()):
        return True  # a rate: "two a month"
    if re.match(r"(%|percent|pp|x|times|dollars?|bucks)", unit.strip().lower()):
        # "a hundred percent" / "one hundred percent" is a figure of speech or a full rollout, not a metric.
        return not re.fullmatch(r"(a|one) hundred", t)
    return any(tok not in _SMALL for tok in tokens)


class _FromToMatch:
    """Adapter giving a from-to match the group names of a _CLAIM match (num = the final value)."""

    def __init__(self, m: re.Match):
        self.m = m

    def group(self, name: str):
        return {"num": self.m.group("b"), "money": None, "unit": "%"}.get(name)

    def start(self, *_a) -> int:
        return self.m.start()

    def end(self, *_a) -> int:
        return self.m.end()


_QUOTE_STOP = {"because", "and", "so", "but", "which", "who", "when", "while", "since", "if", "then", "would",
               "could", "will", "was", "were", "is", "are", "it", "we", "i", "they", "he", "she"}


def find_claims(sentences: list[Sentence]) -> list[Claim]:
    """Find quantitative claims in ``sentences`` (see :class:`Claim`), in order.

    A claim is a percentage, an amount of money, a latency, or a number followed within two words
    by a countable metric noun (tickets, users, orders ...). Bare time spans ("two weeks") are
    windows, not claims.
    """
    out: list[Claim] = []
    for k, s in enumerate(sentences):
        nxt = sentences[k + 1] if k + 1 < len(sentences) and sentences[k + 1].turn == s.turn else None
        baseline = bool(_BASELINE.search(s.text)) or bool(nxt and _BASELINE_LEAD.match(nxt.text))
        proposal = bool(_PROPOSAL.search(s.text))
        matches = list(_CLAIM.finditer(s.text))
        for dm in _DURATION_CHANGE.finditer(s.text):
            if not any(m.start() <= dm.start("num") < m.end() for m in matches):
                matches.append(dm)
        # "went from about sixty a month to eighteen": a change stated as from-to is a claim even
        # when its unit is only implied.
        for ft in _FROM_TO.finditer(s.text):
            if not any(m.start() <= ft.start("b") < m.end() or m.start() <= ft.start("a") < m.end() for m in matches):
                matches.append(_FromToMatch(ft))
        matches.sort(key=lambda m: m.start())
        for m in matches:
            num = m.group("num") or m.group("money") or ""
            if not _is_number_phrase(num, m.group("unit") or "%"):
                continue
            a, b = m.start(), m.end()
            qe = b
            for w in list(re.finditer(r"\s+(\$?[\w']+(?:[.,]\d+)?%?)", s.text[b:]))[:3]:
                if w.start() != qe - b or w.group(1).lower() in _QUOTE_STOP:
                    break
                qe = b + w.end()
            quote = s.text[a:qe].strip().rstrip(",.;")
            value = re.sub(r"^(a|about|around|roughly|some)\s+", "", re.sub(r"\s+", " ", num.lower()).strip())
            out.append(Claim(
                s, a, b, quote, value,
                baseline, bool(_SLICE.search(s.text)), bool(_WINDOW.search(s.text)),
                bool(_ATTRIBUTION.search(s.text)), proposal,
            ))
    return out


# ---------------------------------------------------------------------------------------------
# Who did what: action statements

_ADVERBS = r"(?:all|just|also|personally|then|quickly|really|actually|even|still|immediately|finally|basically|mostly|later|first|myself|ourselves|both)"
_NON_ACTION = {
    "felt", "thought", "believed", "knew", "liked", "wanted", "agreed", "learned", "remembered", "disagreed",
    "decided", "needed", "hoped", "figured", "guessed", "assumed", "expected", "realized", "realised",
    "understood", "worried", "feared", "preferred", "loved", "hated", "wished", "tried", "seemed", "used",
    "called", "supposed", "based", "concerned", "interested", "excited", "surprised", "disappointed", "named",
    "red", "need", "bed", "shed", "wed", "had", "were", "was", "did", "ended", "started",
}
_ACTION_IRREGULAR = {
    "built", "wrote", "made", "ran", "took", "set", "led", "drove", "found", "brought", "sent", "put", "got",
    "gave", "told", "spoke", "met", "kept", "cut", "shipped", "rewrote", "dug", "fought", "sat", "held", "paid",
    "won", "lost", "went", "began", "chose", "did", "stood", "ate", "rang", "caught", "taught", "sought", "saw",
}
_MODAL_ACTION = re.compile(rf"\b(?P<who>i|we)(?:'ll| will)\s+(?:{_ADVERBS}\s+)*(?P<verb>[a-z]+)\b")
_SUBJ_VERB = re.compile(rf"\b(?P<who>i|we)\s+(?:{_ADVERBS}\s+)*(?P<verb>[a-z]+)\b(?!')")


@dataclass(frozen=True)
class Action:
    """An action statement: ``who`` ("i" or "we") did ``verb``; ``start``/``end`` index the sentence."""

    sentence: Sentence
    who: str
    verb: str
    start: int
    end: int


def _is_action_verb(verb: str) -> bool:
    if verb in _NON_ACTION:
        return False
    return verb in _ACTION_IRREGULAR or (verb.endswith("ed") and len(verb) > 4)


def find_actions(sentences: list[Sentence]) -> list[Action]:
    """Action statements ("I built", "we shipped", "I'll own") in ``sentences``.

    Judged on who did what, not on raw pronoun counts: cognition and feeling verbs ("we felt",
    "I thought") and group decisions ("we decided") are not actions. Returns :class:`Action` list.
    """
    out: list[Action] = []
    for s in sentences:
        low = s.lower
        seen: set[int] = set()
        for m in _MODAL_ACTION.finditer(low):
            verb = m.group("verb")
            # "I'll own it" is a commitment; "we will fail" is a prediction, not a team action.
            if m.group("who") == "i" and verb not in {"be", "have", "need", "want", "try", "think", "feel", "see"}:
                out.append(Action(s, m.group("who"), verb, m.start(), m.end()))
                seen.add(m.start())
        for m in _SUBJ_VERB.finditer(low):
            if m.start() in seen:
                continue
            verb = m.group("verb")
            if _is_action_verb(verb):
                out.append(Action(s, m.group("who"), verb, m.start(), m.end()))
    return out


# ---------------------------------------------------------------------------------------------
# Cue lexicons


def _rx(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


OPINION = _rx(
    r"\b(i|we) (just )?(felt|feel|liked|like|prefer(red)?)\b", r"\bgut feeling\b", r"\b(nicer|cleaner|prettier)\b",
    r"\bmore of a (gut|feeling|preference)\b", r"\bpersonal preference\b", r"\bi thought (that was|it was) (a )?(bad|wrong|better)\b",
    r"\bjust (a )?better\b", r"\bfelt (right|wrong|better)\b",
    r"\bfor me,? (it|tech\w*|the|this)\b", r"\bi really believe\b", r"\bwasn'?t (really )?about (the )?numbers\b", r"\bmy view (is|was) that\b", r"\bi (just )?(think|believe) (it|that|they) (should|shouldn'?t)\b", r"\bgut\b", r"\b(looked|looks|felt|feels) (dated|cheap|off|wrong|better|cleaner|nicer)\b", r"\bi (just )?(didn'?t|don'?t) like\b", r"\btaste\b"
)
ABSTRACTION = _rx(
    r"\bin general\b", r"\bgenerally\b", r"\bi always\b", r"\btypically\b", r"\busually\b", r"\bin my experience\b",
    r"\bi believe (that|in|decisions)\b", r"\bas a rule\b", r"\bthat's (just )?how i operate\b", r"\bthere (are|have been) (many|so many)\b",
    r"\byou should always\b", r"\bif you\b", r"\bteams that\b", r"\bpeople (who|that)\b", r"\bi'?m a very\b",
    r"\b(learn|work|do) best when\b", r"\bi'?ve (always )?(read|believed)\b", r"\bin (education|business|engineering|life)\b", r"\bthese (platforms|tools|things)\b", r"\ba lot of (these|people|companies)\b"
)
CUSTOMER = _rx(
    r"\bcustomers?\b", r"\busers?\b", r"\bshoppers?\b", r"\bclients?\b", r"\bend users?\b", r"\bbuyers?\b", r"\bpatients?\b",
    r"\bmembers?\b", r"\bsubscribers?\b", r"\bsign ?ups?\b", r"\bsellers?\b", r"\bmerchants?\b", r"\bapplicants?\b",
    r"\b(small )?businesses\b", r"\bdrivers?\b", r"\briders?\b", r"\bguests?\b", r"\bplayers?\b", r"\bvisitors?\b",
    r"\bnurses?\b(?= .{0,30}\b(tired|fatigue|burn))", r"\bresidents?\b", r"\bstudents?\b", r"\bkids\b", r"\bborrowers?\b", r"\bcardholders?\b", r"\bapplicants?\b", r"\bcandidates?\b", r"\bhiring managers?\b", r"\bdiners?\b", r"\bemployees?\b", r"\bstaff\b"
)
# Friction the end user feels by definition (abandonment, churn, complaints, support tickets) ...
USER_FRICTION = _rx(
    r"\babandon(ment|ed|s)?\b", r"\bdrop ?-?offs?\b", r"\bsupport tickets?\b", r"\btickets?\b", r"\bcomplain\w*",
    r"\bconfus\w*\b", r"\bchurn\w*\b", r"\bfriction\b", r"\bpain\b", r"\bcut off\b", r"\bwait(ing)? times?\b",
    r"\bfalse positives?\b", r"\bstopped at\b", r"\bpunish\w*\b", r"\bdrop(ped)? out\b", r"\bfailed orders?\b",
    r"\bsign ?ups? dropped\b", r"\bfailed payments?\b", r"\bpayment errors?\b",
    r"\bfalls?\b(?! (to|from|by)\b)", r"\bmedication errors?\b", r"\binjur\w*\b", r"\blate (orders?|deliveries|packages|shipments?)\b", r"\bmissed (the )?(truck|deliver\w*|shipments?|cutoff)\b", r"\bdelays?\b", r"\bwait(ed|ing)?\b", r"\bdropped\b", r"\bbrows\w* drop\b", r"\block(ed)? out\b", r"\bdeclined\b", r"\bdelinquen\w*\b", r"\bcomplaints?\b"
)
# ... and system friction, which counts as the user's only when the sentence names the user.
SYSTEM_FRICTION = _rx(
    r"\berrors?\b", r"\bfail(ed|ures?|s|ing)?\b", r"\blatency\b", r"\bslow\w*\b", r"\boutage\b", r"\bcrash\w*\b",
    r"\bblock(ed|s|ing)?\b", r"\bdown ?time\b", r"\bbugs?\b",
)


def customer_friction(text: str) -> bool:
    """Whether a sentence ties a problem to the end user: user-felt friction, or system friction
    in the same sentence as a customer/user word."""
    return bool(USER_FRICTION.search(text) or (SYSTEM_FRICTION.search(text) and CUSTOMER.search(text)))


COMMIT_EXPLICIT = _rx(
    r"\bi'?m in\b", r"\bi (fully )?committed\b", r"\bi('ll| will) (own|help|make)\b", r"\bi('d| would) help make it work\b",
    r"\bi (was|got) (fully )?(on board|behind)\b", r"\bcommit(ted)? to (her|his|their|the) (plan|path|decision|call|approach)\b",
    r"\bonce it was decided, i\b", r"\bonce the (call|decision) was made, i\b",
    r"\bi'?m all in\b", r"\bi'?m committed\b", r"\bi disagree,? but i'?m\b", r"\bi'?ll own\b"
)
PASSIVE_AGGRESSIVE = _rx(
    r"\bdid (exactly )?what (he|she|they|i was|we were) (asked|told|said)\b", r"\bwasn'?t my (call|problem|job)\b",
    r"\bprove my point\b", r"\bjust in case\b", r"\bi (had )?warned (him|her|them)\b", r"\bi'?d warned\b", r"\bpaper trail\b",
    r"\bi told you so\b", r"\bi didn'?t add anything extra\b", r"\bwasn'?t on me\b", r"\bthe way the ticket said\b",
    r"\bi won the argument\b", r"\bso fine\b", r"\blet it fail\b",
    r"\bnothing more\b", r"\bkept the emails?\b", r"\bin case it (blew up|broke|failed|went wrong)\b", r"\bi'?d told (them|him|her)\b", r"\bdid (exactly )?what was asked\b", r"\bnot my (call|problem|job) anymore\b", r"\bcovered myself\b", r"\bcya\b", r"\bthe bare minimum\b", r"\blogged (my|the) objection\b"
)
YIELD = _rx(
    r"\bi didn'?t push( it)?( any)? (further|harder)\b", r"\bi didn'?t want to create friction\b", r"\bi gave up\b",
    r"\bshe probably knew better\b", r"\bhe probably knew better\b", r"\bthey probably knew better\b", r"\bi trust the decision\b",
    r"\bi said okay,? i understand\b", r"\bpretty much made\b", r"\bi dropped it\b", r"\bi let it go\b", r"\bi backed down\b",
    r"\b(i said okay,? (and )?)?let it go\b", r"\bi said okay,? makes sense\b", r"\bi didn'?t want to (argue|be the one|fight|push|rock)\b", r"\bit'?s their call\b", r"\bwasn'?t (really )?my place\b", r"\bi shouldn'?t have argued\b", r"\bi trust that\b", r"\bknew better\b", r"\bi (just )?went along\b", r"\bi backed off\b"
)
WON = _rx(
    r"\bi won the argument\b", r"\b(agreed|sided) with me\b", r"\bwent with my (plan|proposal|recommendation|approach|option|design)\b",
    r"\bmy (plan|proposal|recommendation|approach) (won|was chosen|was approved|got approved|went ahead)\b",
    r"\b(came|come) around to my\b", r"\bthey accepted my\b", r"\bpicked my\b", r"\bchose my\b", r"\bbacked my\b",
)
LOST = _rx(
    r"\boverruled\b", r"\bi lost\b", r"\blost the argument\b", r"\bwent against (me|my)\b", r"\bdecision went against\b",
    r"\bi'?m in\b", r"\bdisagree and commit\b", r"\b(sided|agreed) with (her|him|them|the other|[A-Z][a-z]+)\b(?<!me)",
    r"\bwent with (her|his|their) (plan|proposal|approach|date|option)\b", r"\bthe call was (hers|his|theirs)\b",
    r"\b(decided|chose) to (ship|launch|roll|go|keep|remove|replace|skip)\b",
)
COUNTERFACTUAL = _rx(r"\b(should|would|could) have\b", r"\bnext time\b", r"\blooking back\b", r"\bin hindsight\b")
ESCALATE = _rx(
    r"\bescalat\w*\b", r"\bi asked for (\w+ ){0,3}(minutes|meeting|time|review)\b", r"\b(took|brought) it to\b", r"\bi pushed (back|again)\b",
    r"\bone (slide|page)\b", r"\bskip[ -]level\b", r"\bi (went|argued) again\b", r"\basked to bring it to\b",
    r"\b(took|brought|raised) (it|this|the (case|data|numbers|doc|analysis)) (to|with)\b", r"\bpresented (it|this|the \w+) to\b",
    r"\bto the (\w+ )?(council|board|committee|vp|cto|ceo|director|review|leadership)\b", r"\bi made the case\b",
    r"\bi (went|argued|pushed) (again|twice|back|harder)\b", r"\bwith (her|his|their) (boss|manager|director|vp)\b"
)
RECALIBRATE = _rx(
    r"\b(was|were) right about\b", r"\bfair (challenge|point)\b", r"\bin hindsight\b", r"\bi'?d still\b", r"\bi still (think|believe|would)\b",
    r"\bi was wrong about\b", r"\bnext time i would\b", r"\bi would (bring|frame|push|have)\b", r"\bshe had a point\b", r"\bhe had a point\b",
)
TRADEOFF = _rx(
    r"\bworth more than\b", r"\bcost(s|ing)? (more|less)\b", r"\bupside\b", r"\bdownside\b", r"\btrade-?off\b", r"\bnext to the\b",
    r"\bagainst (her|his|their) goal\b", r"\bwould cost\b", r"\bat the cost of\b", r"\boutweigh\w*\b", r"\brevenue argument\b",
    r"\bworst case\b", r"\brisk\b",
)
STAKEHOLDER = _rx(
    r"\b(my|our) (\w+ )?(director|manager|vp|boss|lead|head of \w+|cto|ceo|architect|skip)\b",
    r"\bthe (vp|architect|director|cto|head) of\b",
)
FILLERS = re.compile(r"\b(um+|uh+|erm+|er|hmm+|mm+)\b|\byou know\b", re.IGNORECASE)
REFLECT_GENERIC = _rx(
    r"\bcommunication is key\b", r"\bteamwork is (really )?important\b", r"\bgo with the flow\b", r"\bassume good intent\b",
    r"\bkeep a paper trail\b", r"\bbusiness timing matters\b",
)


DONT_KNOW = _rx(
    r"\bi don'?t (really )?(know|remember|have (that|the) (exact )?(number|figure|data))", r"\bi'?m not sure\b",
    r"\bi'?d have to look\b", r"\bhard to point to\b", r"\bcan'?t recall\b",
)


def cue_spans(pattern: re.Pattern, sentences: list[Sentence]) -> list[tuple[Sentence, int, int]]:
    """Every match of ``pattern`` in ``sentences`` as ``(sentence, start, end)`` character spans."""
    return [(s, m.start(), m.end()) for s in sentences for m in pattern.finditer(s.text)]


# ---------------------------------------------------------------------------------------------
# Story slots and phases


def tag_slots(sentences: list[Sentence], slots) -> list[tuple[str, ...]]:
    """For each sentence, the ids of the round's story slots whose cues match it (round-file order).

    ``slots``: the round's :class:`~voiceround.rounds.Slot` list (ids, phases, compiled cues).
    """
    return [tuple(slot.id for slot in slots if any(c.search(s.lower) for c in slot.cues)) for s in sentences]


def slot_coverage(sentences: list[Sentence], slots) -> dict[str, tuple[float, list[Sentence]]]:
    """How well each story slot is covered: ``{slot_id: (weight, sentences)}``.

    A sentence tagged with n slots adds 1/n to each, so a sentence that only mentions a slot in
    passing among others counts less than one that is about it. A slot is covered at weight >= 1.
    """
    out: dict[str, tuple[float, list[Sentence]]] = {slot.id: (0.0, []) for slot in slots}
    for s, tags in zip(sentences, tag_slots(sentences, slots), strict=True):
        for t in tags:
            w, ss = out[t]
            out[t] = (round(w + 1.0 / len(tags), 4), ss + [s])
    return out


def tag_phases(sentences: list[Sentence], slots) -> list[str]:
    """One story phase per sentence (the round's slot phases: argument, decision, commitment, ...).

    A tagged sentence takes the phase of its best slot: the matching slot latest in story order (a
    sentence that recalls the argument and reports an action after the decision belongs to the
    later phase), except that an outcome phrased as a proposal or a hypothetical stays in the
    argument. An untagged sentence takes the phase of the nearest tagged sentence in the same turn
    (earlier first), else the previous turn's last phase; the first default is ``"argument"``.
    """
    order = {s.id: i for i, s in enumerate(slots)}
    phase_of = {s.id: s.phase for s in slots}
    phases_known = set(phase_of.values())
    own: list[str | None] = []
    decided = False
    claim_sents = {c.sentence.index for c in find_claims(sentences)}
    acted = {a.sentence.index for a in find_actions(sentences)}
    all_tags = tag_slots(sentences, slots)
    # A story told out of order (the interviewer asked for the commitment before the decision):
    # once a decision is told anywhere, a turn with no argument cue can hold commitment actions.
    decision_told = any("decision" in t for t in all_tags)
    argued_turns = {s_.turn for s_, t in zip(sentences, all_tags, strict=True) if any(phase_of[x] == "argument" for x in t)}
    for sent, tags in zip(sentences, all_tags, strict=True):
        ph = phase_of[max(tags, key=order.__getitem__)] if tags else None
        # Outcomes are reported facts: a proposal or a hypothetical ("I wanted a holdout", "the
        # holdout would cost revenue") is still the argument.
        if ph == "outcome" and (_PROPOSAL.search(sent.text) or _HYPOTHETICAL.search(sent.text) or _ARGUING.search(sent.text)):
            ph = "argument"
        # After the decision, something the candidate did (and that reports no number) is the
        # commitment phase, whatever other cue words it contains ("I set up a holdout").
        if (decided or (decision_told and sent.turn not in argued_turns)) and "commitment" in phases_known \
                and sent.index in acted and sent.index not in claim_sents \
                and ph not in ("reflection",) and not _HYPOTHETICAL.search(sent.text):
            ph = "commitment"
        if ph == "decision" or (tags and "decision" in tags):
            decided = True
        own.append(ph)
    phases: list[str] = []
    carry = "argument"
    for i, sent in enumerate(sentences):
        if own[i] is None:
            same = [j for j in range(len(sentences)) if sentences[j].turn == sent.turn and own[j] is not None]
            before = [j for j in same if j < i]
            after = [j for j in same if j > i]
            ph = own[before[-1]] if before else own[after[0]] if after else carry
        else:
            ph = own[i]
        phases.append(ph)
        if i + 1 == len(sentences) or sentences[i + 1].turn != sent.turn:
            carry = ph
    return phases


# ---------------------------------------------------------------------------------------------
# Delivery analytics


@dataclass
class Delivery:
    """Speaking analytics. ``wpm``: candidate words per minute of candidate speaking time;
    ``fillers``: filler counts by form (as transcribed: Whisper under-reports "um/uh");
    ``talk_share``: candidate speaking time / all speaking time (0-1)."""

    words: int = 0
    speaking_s: float = 0.0
    wpm: float = 0.0
    fillers: dict[str, int] = field(default_factory=dict)
    filler_rate_per_100_words: float = 0.0
    talk_share: float = 0.0


def delivery(transcript: Transcript) -> Delivery:
    """Compute :class:`Delivery` analytics from turn texts and times."""
    d = Delivery()
    cand = [t for t in transcript.turns if t.speaker == "candidate"]
    d.words = sum(len(words(t.text)) for t in cand)
    d.speaking_s = round(sum(t.duration_s for t in cand), 3)
    total = sum(t.duration_s for t in transcript.turns)
    d.wpm = round(d.words / (d.speaking_s / 60.0), 1) if d.speaking_s > 0 else 0.0
    counts: dict[str, int] = {}
    for t in cand:
        for m in FILLERS.finditer(t.text):
            form = m.group(0).lower()
            counts[form] = counts.get(form, 0) + 1
    d.fillers = dict(sorted(counts.items()))
    d.filler_rate_per_100_words = round(100.0 * sum(counts.values()) / d.words, 2) if d.words else 0.0
    d.talk_share = round(d.speaking_s / total, 3) if total > 0 else 0.0
    return d


# ---------------------------------------------------------------------------------------------
# Consistency and backbone

_FROM_TO = re.compile(rf"\bfrom (?P<a>{_NUM})\s*(?:%|percent)?\s+(?:\w+\s){{0,3}}?to (?P<b>{_NUM})", re.IGNORECASE)
_UP_FROM = re.compile(rf"(?P<b>{_NUM})\s*(?:%|percent)?[^.]{{0,30}}?\b(?:up|down) from (?P<a>{_NUM})", re.IGNORECASE)
# Hedged or corrected baselines: "It was, like, five days. Maybe six." / "more like two hundred a month before, not three hundred".
BASELINE_CORRECTION = re.compile(
    r"\bmore like\b[^.]{0,50}\bnot\b|\b(probably|actually) more like\b|\bthinking about it more\b|\bthan i said\b|\b(?:like|about) \w+ (?:days|weeks|months|percent|hours)\.\s*maybe \w+\b", re.IGNORECASE)


def baseline_conflicts(claims: list[Claim]) -> list[tuple[Claim, Claim]]:
    """Pairs of claims in different turns that report the same final value from different
    baselines ("from 14% to 9%" … later "from 12% to 9%"): the seed's "never invent a false
    baseline". Returns ``[(earlier, later)]``."""
    seen: dict[str, tuple[str, Claim]] = {}
    out = []
    for c in claims:
        m = _FROM_TO.search(c.sentence.text) or _UP_FROM.search(c.sentence.text)
        if not m:
            continue
        a, b = m.group("a").lower().strip(), m.group("b").lower().strip()
        if b in seen and seen[b][0] != a and seen[b][1].turn != c.turn:
            out.append((seen[b][1], c))
        seen.setdefault(b, (a, c))
    return out


FOLD = _rx(
    r"\byou'?re right\b", r"\b(she|he|they) (probably )?knew better\b", r"\bi shouldn'?t have (argued|pushed)\b",
    r"\bi trust the decision\b", r"\bthey were right\b(?!.*\bbut\b)", r"\bi was wrong\b(?!.*\bbut\b)",
)
HOLD = _rx(r"\bi'?d still\b", r"\bi still (think|believe|would)\b", r"\bbut\b.{0,60}\b(data|number|because)\b")


def pushback_response(text: str) -> str:
    """How a candidate answered a pushback: ``"folded"`` (conceded without reasoning),
    ``"held_with_data"`` (kept the position with numbers or reasons), ``"recalibrated"`` (conceded
    part and kept part), or ``"unclear"``. Rule-based on the answer's words and numbers."""
    sents_ = [Sentence(1, i, 0, len(t), t, 0.0) for i, t in enumerate(re.split(r"(?<=[.!?])\s+", text)) if t]
    has_numbers = bool(find_claims(sents_))
    folded, held, recal = bool(FOLD.search(text)), bool(HOLD.search(text)), bool(RECALIBRATE.search(text))
    if held and (recal or folded):
        return "recalibrated"
    if held or (has_numbers and not folded):
        return "held_with_data"
    if folded:
        return "folded"
    if recal:
        return "recalibrated"
    return "unclear"


def abstraction_drift(text: str) -> bool:
    """Whether an answer in progress has drifted into abstraction for more than one sentence: its
    last two sentences both carry abstraction cues ("in general", "I always", "typically", "if
    you…"), and neither states a number. Used to interrupt while the candidate is still talking."""
    parts = [p for p in re.split(r"(?<=[.!?])\s+", strip_fillers(text)) if p.strip()]
    if len(parts) < 2:
        return False
    last = parts[-2:]
    return all(ABSTRACTION.search(p) and not _CLAIM.search(p) for p in last)
