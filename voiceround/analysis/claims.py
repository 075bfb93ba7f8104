"""Quantitative claims and their baselines, slices, time windows and attribution."""
from __future__ import annotations

import re
from dataclasses import dataclass

from voiceround.analysis.quotes import phrase_quote
from voiceround.analysis.sentences import Sentence

_NUMWORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"thousand|million|billion|point|half|a(?=[\s-]+(?:hundred|thousand|million|billion|half)\b))"
)
# A number in digits or words; each number word ends at a word boundary ("fifteen and the holdout"
# is "fifteen", not "fifteen a"), and "a" is a number word only before a scale ("a hundred"):
# "forty seven a month" is "forty seven".
_NUM = rf"(?:\$?\d(?:\d|,\d)*(?:\.\d+)?(?:\s?(?:k|m|bn|thousand|million|billion)\b)?|\b{_NUMWORD}\b(?:[\s-]+(?:and\s+)?{_NUMWORD}\b)*)"
NUMBER = re.compile(_NUM, re.IGNORECASE)  # one number, in digits or words ("312", "three hundred and fourteen", "a hundred")
# Spoken hedges before a number ("from about twelve hundred a week", "up from, I think it was about 58%").
# A percentage sign or the word, said as one word or two ("percent", "per cent"): one pattern for every regex
# here and in consistency.py, so they read the same numbers.
PERCENT = r"(?:%|per ?cent)"
_HEDGE = r"(?:(?:,\s*)?(?:i think|i believe|i'd say)\s*,?\s*)?(?:it was\s+)?(?:(?:about|around|roughly|some|nearly|almost|maybe|like|just (?:under|over))\s+)?"
FROM_TO = re.compile(rf"\bfrom {_HEDGE}(?P<a>{_NUM})\s*{PERCENT}?\s+(?:[\w-]+\s){{0,5}}?to {_HEDGE}(?P<b>{_NUM})", re.IGNORECASE)
UP_FROM = re.compile(rf"(?P<b>{_NUM})\s*{PERCENT}?[^.]{{0,30}}?\b(?:up|down) from,?\s*{_HEDGE}(?P<a>{_NUM})", re.IGNORECASE)
_METRIC_NOUN = (
    r"(?:tickets?|users?|customers?|orders?|sessions?|requests?|errors?|failures?|calls?|complaints?|sign ?ups?|"
    r"accounts?|transactions?|payment attempts?|attempts?|downloads?|visits?|clicks?|conversions?|incidents?|bugs?|"
    r"pages?|records?|queries|messages?|installs?|subscribers?|members?|shoppers?|clients?|points?(?!\s+(?:zero|one|two|three|four|five|six|seven|eight|nine)\b)|"
    r"milliseconds?|ms|seconds?|requests per second|qps|rps)"
)
# Units said after a number: money in any currency's words, rates ("twenty-eight moves an hour per
# crane", "150 boxes a night"), and a count of any things ("sixty cubes", "forty square metres", "two
# hundred parcels"). Spoken answers name their own units: a closed list of metric nouns missed most
# numbers in answers written away from software (corpus w7: 23% exact on Data-driven Advocacy).
_CURRENCY = r"(?:dollars?|bucks|pounds?|quid|euros?|rupees?|yen|pesos?|francs?|pence|cents?|grand)\b"
_RATE = r"(?:(?:[a-z-]+\s){0,2}?)(?:an?|per) (?:second|minute|hour|day|week|month|quarter|year|night|shift|crane|truck|patient|head|bed|visit|order|flight|store|site)\b"
_NOT_COUNTED = (r"(?:years?|months?|weeks?|weekends?|nights?|mornings?|evenings?|summers?|winters?|days?|hours?|minutes?|seconds?|times|ones|things|ways|others|people|of|more|less|or|and|to|in|on|"
                r"at|for|from|by|as|with|per ?cent|is|was|were|are|has|had|this|that|these|those|us|its|his|hers|theirs|ours|yours)\b")
_COUNT = rf"(?:(?:[a-z-]+\s){{0,2}}?)(?!{_NOT_COUNTED})[a-z-]{{3,}}s\b"
CLAIM = re.compile(
    rf"(?P<num>{_NUM})\s*(?P<unit>%|per ?cent(?:age points?)?|pp\b|x\b|times\b|{_CURRENCY}|{_RATE}|(?:an?|per) (?:day|week|month|quarter|year|night|shift)\b|"
    # a share told as a fraction: "around 60 of the 140", "12 out of 40 stores"
    rf"(?:out )?of (?:the |our |those |these |all )?(?:{_NUM})\b|"
    rf"(?:(?:[a-z]+\s){{0,2}}){_METRIC_NOUN}\b|{_COUNT})"
    rf"|(?P<money>\$\d(?:\d|,\d)*(?:\.\d+)?(?:\s?(?:k|m|bn|thousand|million|billion)\b)?)",
    re.IGNORECASE,
)
_BASELINE = re.compile(
    r"\b(from\b.{0,60}\bto|against|versus|vs\.?|compared (to|with)|relative to|baseline|up from|down from|"
    r"than (the |our )?(old|previous|before|last|control)|previous(ly)?|used to be|before (the|it|we|launch)"
    # a comparison is a baseline too (the rubric: "metrics with baselines or comparisons")
    r"|while\b.{0,60}\b(was|were|had|sat|ran|stayed) (at|on|around|about)|whereas|twice|doubled?|tripled|halved"
    r"|the old (one|flow|system|process|version|path|setup|way))\b",
    re.IGNORECASE,
)
# A count of things or a spoken decimal, told as an outcome: "four phone-related referrals", "two
# hotfixes", "95 active volunteers", "zero point eight one". Not time spans ("two weeks"), not people
# sizing the work ("three engineers"), not "one of" / "a couple of".
OUTCOME_COUNT = re.compile(
    rf"\b(?!(?:one|a|half|point)\b)(?P<num>{_NUM})\s+(?:[a-z-]+\s){{0,2}}?(?!(?:years?|months?|weeks?|weekends?|nights?|mornings?|evenings?|days?|hours?|minutes?|times|ways?|"
    r"things?|people|engineers?|developers?|of|more|other|others|or|and|to|in|on|at|for|percent)\b)[a-z-]{3,}s\b"
    rf"|\b(?:zero|one|two|three|four|five|six|seven|eight|nine) point (?:zero|one|two|three|four|five|six|seven|eight|nine)\b"
    # ... and the same decimal written in digits ("like 1.8 before"), so digits and words count alike
    r"|(?<![\d.,$£€])\b\d{1,3}\.\d+\b(?![.,]?\d|[a-z%]|\s*(?:%|percent\b|per cent\b|million\b|billion\b|thousand\b|k\b))",
    re.IGNORECASE)
# Crediting the team instead of isolating: never an attribution method, whatever cue words it has.
# Also the isolation disowned: "It's hard to isolate, honestly", "I didn't break out the redesign on its
# own" (corpus dev: both were read as an isolation method by their cue words).
TEAM_CREDIT = re.compile(r"\b(team (result|effort|number|win)|whole team|we all (owned|contributed|did)|"
                         r"(hard|difficult|impossible|tough) to (separate|say|isolate|attribute|split|tell)|"
                         r"can'?t (really )?(prove|separate|isolate|attribute)|it all helped|"
                         r"(didn'?t|did not|never|couldn'?t|could not) (really )?(break|split|tease|pull) (\w+ ){0,3}?(out|apart)|"
                         r"(didn'?t|did not|never|couldn'?t|could not) (really )?(isolate|separate|attribute))\b", re.IGNORECASE)
_DURATION_CHANGE = re.compile(rf"\b(?:went|dropped|fell|rose|came|got|cut|brought) (?:it )?(?:down |up )?(?:to|from) (?:about |like |around |under |over )?"
                              rf"(?P<num>{_NUM}) (?P<unit>days?|weeks?|hours?|minutes?|months?)\b", re.IGNORECASE)
# A duration that is itself the metric ("12 minutes of downtime", "three days of delay"), not a window.
_DURATION_METRIC = re.compile(rf"\b(?P<num>{_NUM}) (?P<unit>seconds?|minutes?|hours?|days?|weeks?) of (?:\w+ )?"
                              rf"(?:downtime|delay|delays|outage|waiting|wait|latency|lag|rework|overtime|disruption)\b", re.IGNORECASE)
# A duration measured, not a window: "in and out in about sixty-five minutes", "that went to just
# over two hours", "the average turn took 38 minutes", "we were nine days behind". Not "in two weeks
# we shipped" or "over the next six weeks" (windows: no measure word before the number). Corpus w9:
# "we finished in about thirty-eight weeks", "which cost about three weeks", "fell over for about forty minutes".
_DURATION_MEASURE = re.compile(
    rf"\b(?:(?:was|were|is|are|took|takes|take|averaged|average of|down to|up to|to|at|cost|costs|lost|saved)\s+(?:about |around |roughly |nearly |almost |just over |just under |over |under )?"
    rf"|(?:in|over|under|for)\s+(?:about|around|roughly|nearly|almost|just over|just under)\s+)"
    rf"(?P<num>{_NUM}) (?P<unit>seconds?|minutes?|hours?|days?)\b", re.IGNORECASE)
# Weeks and months only as a measure ("which cost about three weeks", "we finished in about thirty-eight
# weeks"), not as a plan's length ("guardrails are 30,000 and one week").
_DURATION_LONG = re.compile(
    rf"\b(?:(?:took|takes|cost|costs|lost|saved)\s+(?:us\s+)?(?:about |around |roughly |nearly |almost |just over |just under |over |under )?"
    rf"|(?:in|over|under|for)\s+(?:about|around|roughly|nearly|almost|just over|just under)\s+)"
    rf"(?P<num>{_NUM}) (?P<unit>weeks?|months?)\b", re.IGNORECASE)
# An amount of money told with no currency word after a verb of money ("It raised about forty
# thousand, gross", "that cost us about eighteen grand"; corpus w9).
_AMOUNT = re.compile(
    r"\b(?:raised|cost|costs|saved|spent|made|lost|brought in|generated|earned|paid)\s+(?:us\s+|them\s+)?"
    r"(?:about |around |roughly |nearly |almost |over |under |just over |just under )?"
    r"(?P<num>\d[\d.,]*|[a-z]+(?:-[a-z]+)?) (?P<unit>thousand|million|billion|grand)\b", re.IGNORECASE)
_BASELINE_LEAD = re.compile(r"\s*(down|up|compared|against|versus|from|that was|before that)\b", re.IGNORECASE)
# The plan the candidate put forward, told as a question too ("Can we ship to ten percent for one
# week?": a new user's test read its "ten percent" as data argued with).
PROPOSAL = re.compile(r"\bi (wanted|proposed|suggested|recommended|asked for)\b|\b(staged|stage) roll|\bthen everyone\b"
                      r"|\b(can|could|shall) we (ship|launch|start|try|test|run|roll|go|do|pilot|release|limit|keep|hold|cap|delay|wait)\b"
                      r"|\bwhat if we\b|\bwhy don'?t we\b|\blet'?s (ship|launch|start|try|test|run|roll|go|pilot|wait|delay)\b", re.IGNORECASE)
HYPOTHETICAL = re.compile(r"\b(would|could|might)\b(?! (do|bring|frame|push|have done|see|show|tell|measure|read)\b)", re.IGNORECASE)
# The candidate's role told with the size of what they run ("I am head chef in a restaurant in Lisbon,
# sixty covers", "I manage an arable farm, nine hundred hectares"): a number of the setting, not data
# argued with (corpus dev: such numbers were read as the argument's).
# A time told first ("In March 2023 I was the support lead for a payments app with about forty
# thousand monthly users") is still the role's introduction.
ROLE_INTRO = re.compile(r"^\W*(?:(?:so|okay|ok|well|um|uh|right),?\s+)*(?:(?:in|back in|during|around|early|late|last)\b[^,.;:]{0,25}?,?\s+|[a-z\s]{0,15}? ago,?\s+)?"
                        r"(?:(?:i'?m|i am|i was) (?:a|an|the|head|senior|junior|chief|lead|assistant|deputy)\b"
                        r"|i work(?:ed)? as\b|i (?:manage|managed|run|ran|lead|led) (?:a|an|the)\b)", re.IGNORECASE)
ARGUING = re.compile(r"\b(my (argument|case|point|concern) (was|is)|i argued|i pointed out|i showed (him|her|them))\b", re.IGNORECASE)
_SLICE = re.compile(
    # not the whole ("for all the region") nor a ranking ("one of the best in the region")
    # nor a result "for" the candidate's whole patch told bare, or for a group that is no experiment's ("a
    # great result for the region", "for the hotel group it was positive": corpus dev w42, w43, both read
    # as a slice; "complaints in the region come from these ninety sites" stays one)
    r"(?<!best )(?<!worst )(?<!highest )(?<!lowest )(?<!biggest )\b(for|among|on|in|from) (?!(all|whole|entire|the whole|the entire|the overall)\b)"
    r"(?!(?<=for )(the|our|my) (region|group|market|network)\b)"
    r"(?!(?<=for )(the|our) (?!(control|treatment|test|pilot|holdout|targeted|trial|comparison|treated|changed|first|second)\b)[a-z]+ group\b)"
    r"(the |our |that |this |one )?([a-z]+ ){0,2}(segment|cohort|region|market|card network|"
    r"network|holdout|flow|mobile|desktop|new users|tier|card type|country|group)\b|\bby (card type|segment|region|cohort)\b"
    # a counted or qualified subset of the units the change reached ("in the three rural stores", "at
    # the two pilot sites", "across those twelve wards"): the candidate's own scope, not the whole
    r"|\b(for|among|on|in|from|at|across) (the|our|those|these) (\w+ )?(pilot|trial|test|treated|changed|rural|urban|"
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)( \w+)? (stores|sites|branches|clinics|wards|depots|"
    r"schools|routes|lines|shops|plants|warehouses|hospitals|practices|offices|restaurants|hotels|farms|centres|centers|"
    r"regions|districts|markets|teams|counters|kitchens|vans|trucks|crews|shifts|classes|units)\b",
    re.IGNORECASE,
)
_WINDOW = re.compile(
    r"\b(per|a|each|every|that|this|last|next) (day|week|month|quarter|year)\b|\bover (the )?(next |first |last )?"
    r"\w+ (days|weeks|months|quarters|years)\b|\bin the first (day|week|month|quarter)\b|\bon (sale|launch) day\b|\bwithin\b",
    re.IGNORECASE,
)
ATTRIBUTION = re.compile(
    # not the tooling of an experiment ("I set up the experiment dashboards")
    r"\b(hold ?out|a/?b test|a b test|control group|isolat\w*|attribut\w*|experiment(?! (dashboards?|platform|tooling|tools?|framework|pipeline|setup|config\w*))|counterfactual|alone accounts)\b"
    r"|\b(i'?d|i would|i can|i'?ll|i) claim\b|\bwon'?t claim\b|\bthe only change\b|\bgive (him|her|them) (the )?credit\b"
    r"|\bcredit (her|him|them|it to)\b|\bthe other (unit|team|store|site|region|group|cohort)\b.{0,40}\b(saw|went|stayed|had)\b"
    r"|\bthe part i'?d claim\b|\bwhat i can (isolate|claim|measure)\b|\b(a b|a/b|split) test(ed)?\b|\bwith a split\b"
    r"|\bi can show it\b|\bon its own\b|\bcompared (it )?(to|with|against) (the )?(control|other)\b"
    r"|\b(as a|the) comparison( group)?\b|\bthe rest of the (\w+ )?(country|company|stores|regions|states|sites|fleet|accounts|customers)\b.{0,30}\b(stayed|was|were|saw|held)\b"
    r"|\bsplit (it|them|the (traffic|numbers|effect)) cleanly\b|\bthat part is (my work|mine)\b|\bthat'?s theirs\b"
    # a comparison group or a before/after where only the candidate's change differed (the round page's
    # "isolating what your specific execution work actually moved"), told in everyday words
    r"|\b(still|stayed|remained|kept) on the old\b|\b(didn'?t|did not|never) (get|adopt|have|use|receive|take) (the |my |our |that )?(\w+ )?(change|fix|feature|rule|tool|version|process|playbook|checklist|flow)\b"
    r"|\b(started|launched|went live|rolled out|switched|moved) (\w+ ){0,3}(later|afterwards)\b|\b(basically|roughly|stayed|was|were|stayed about) flat\b"
    r"|\bso the (drop|gain|lift|increase|improvement|decrease|difference|change|reduction|jump) (is|was|came from)\b"
    r"|\btagged (every|each)\b|\bnot (just )?(traffic|seasonality|the season|a quieter|the market|luck|the weather)\b"
    # "the same period", "matching weeks", "the same week last year"; not timing ("we call the customer the same day")
    r"|\b(same|identical|matching) (spike|period|weeks|months|quarter|season|days)\b|\bsame (day|week|month|quarter) (last|a year|the year|of the previous|in the previous)\b|\bmine (is|was) the\b|\bmy (part|piece|share) (is|was)\b"
    r"|\b(while|whereas) (the )?(others?|rest|control|old \w+|remaining|other \w+)\b|\bwithout (my|the|that) (change|fix|rule|tool|feature)\b"
    r"|\b(my|our|a|the|clean|natural) (\w+ )?comparison\b|\bthe part i'?d (point to|claim|take)\b|\bwhere i'?d put my (contribution|credit)\b"
    # the candidate's own share named apart from the headline ("What's mine is those three deals")
    r"|\bwhat'?s mine (is|was|are|were)\b|\bwhat i can (tie|trace|pin) (to|on) me\b|\bmy part,? i can (see|show|measure)\b"
    # a headline given away to its owner ("this is the whole region, this is Mr. Okafor's saving",
    # "that number is hers, not mine")
    r"|\b(this|that|it)(?: is| was|'s) (\w+\.? )?\w+'s (saving|savings|number|figure|result|win|gain|work|credit)\b"
    r"|\b(that|the|this) (number|figure|result|saving|gain) (is|was) (his|hers|theirs)\b"
    # the candidate's own piece named apart ("That's the piece I can say is mine", "the drop is mostly
    # the text reminders, which is Helen's system"; corpus w29)
    r"|\b(piece|part|bit|share) (that )?i (can|could) (say|claim|show|call) (is|was|as) mine\b"
    r"|\bwhich (is|was) (\w+'s|his|her|their) (system|work|change|doing|rule|tool|process|campaign)\b"
    # a control told by another name ("the control half stayed at 2.4%", "the control arm"), a result
    # told against the version without the candidate's work ("fourteen percent against eleven percent
    # on the publisher's standard tuning"), the number the candidate owns named ("The number I own is
    # the timeout rate"), or the headline handed to the whole ("that's nothing to do with me, that's the
    # whole business"): corpus dev, strong answers read as quoting a headline (2026-12-04)
    r"|\bcontrol (half|arm|sites?|stores?|wards?|cohort|branches|schools|clinics|teams?|weeks?)\b"
    r"|\b(against|versus|vs\.?|compared (to|with)) ([\w%.,]+ ){1,3}on the (\w+'s |old |existing |current |original |standard |usual |default )+(\w+ )?"
    r"(version|tuning|flow|process|form|screen|script|design|setup|settings|build|rule|layout|menu|model|checklist)\b"
    r"|\bthe (number|figure|metric|part|result) i (own|owned|can own)\b"
    r"|\bnothing to do with me\b|\b(that'?s|that is|it'?s|it is|that was) the whole (business|company|plant|site|organi[sz]ation|org|network)('s)?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Claim:
    """A quantitative claim: a number with a unit, a percentage or money.

    ``quote``: the claim's whole phrase as said, from the number (and its lead-in, "the 70%"), at
    most :data:`QUOTE_WORDS` words, ending where a phrase ends (:func:`~voiceround.analysis.quotes.phrase_quote`).
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
_SMALL_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _is_number_phrase(text: str, unit: str) -> bool:
    """Whether a matched number phrase is a real quantity. A lone small spelled number ("one page",
    "two engineers") is a count of things, not a metric, unless it is a percentage or money."""
    t = text.strip().lower()
    if re.fullmatch(r"\d", t):  # "3 failures" is read as "three failures": the same count, digits or words
        t = _SMALL_DIGITS[int(t)]
    if re.search(r"\d", t):
        return not (re.fullmatch(r"100", t) and unit.strip().lower().startswith(("%", "percent", "per cent")))
    tokens = [tok for tok in re.split(r"[\s-]+", t) if tok]
    if not any(tok not in {"a", "and", "point", "half"} for tok in tokens):
        return False
    if "point" in tokens and len(tokens) >= 3:  # a spoken decimal: "zero point four"
        return True
    if re.match(r"(an?|per) (day|week|month|quarter|year|night|shift)$", unit.strip().lower()):
        return True  # a rate: "two a month"
    if unit.strip().lower().startswith("out of"):
        return True  # a share: "eight out of ten"
    if re.fullmatch(r"(seconds?|minutes?|hours?|days?|weeks?|months?)", unit.strip().lower()):
        return True  # a duration measured (only measures reach here): "just over two hours", "nine days behind"
    if re.match(r"(%|per ?cent|pp|x|times|dollars?|bucks)", unit.strip().lower()):
        # "a hundred percent" / "one hundred percent" is a figure of speech or a full rollout, not a metric.
        return not re.fullmatch(r"(a|one) hundred", t)
    return any(tok not in _SMALL for tok in tokens)


class _FromToMatch:
    """Adapter giving a from-to match the group names of a CLAIM match (num = the final value)."""

    def __init__(self, m: re.Match):
        self.m = m

    def group(self, name: str):
        return {"num": self.m.group("b"), "money": None, "unit": "%"}.get(name)

    def start(self, *_a) -> int:
        return self.m.start()

    def end(self, *_a) -> int:
        return self.m.end()


# The reason given for a proposal: a number after it is evidence, not part of the plan ("I argued
# for a staged rollout because the beta error rate was 1.8% against 0.6%").
_EVIDENCE_LEAD = re.compile(r"\b(because|since|given( that)?|as|the data|showed|shows|was|were|had)\b", re.IGNORECASE)


def _proposed(text: str, proposal_ends: list[int], at: int) -> bool:
    """Whether the number at character ``at`` describes the plan a proposal phrase (ending at one of
    ``proposal_ends``) put forward: it follows the phrase with no reason given in between."""
    return any(e <= at and not _EVIDENCE_LEAD.search(text, e, at) for e in proposal_ends) or \
        any(e > at for e in proposal_ends) and not _EVIDENCE_LEAD.search(text, 0, at)


QUOTE_WORDS = 7
"""Longest claim quote, in words: with the probe's own words, a question stays under 25 words."""


# The size of a sample right before the number ("a survey of two hundred users in March", "we
# interviewed 40 customers"): the evidence's source, not a claim to baseline or isolate (a live
# round asked "Compared with what baseline?" of "200 users in March").
_SAMPLE_SIZE = re.compile(r"\b(survey(ed)?|sample|poll(ed)?|interview(ed)?|study|studies|asked|talked to|spoke (to|with)|panel)"
                          r"( of| with)?( about| around| over| roughly| some)?\s*$", re.IGNORECASE)


def find_claims(sentences: list[Sentence]) -> list[Claim]:
    """Find quantitative claims in ``sentences`` (see :class:`Claim`), in order.

    A claim is a percentage, an amount of money, a latency, or a number followed within two words
    by a countable metric noun (tickets, users, orders ...). Bare time spans ("two weeks") are
    windows, not claims, and a sample's size ("a survey of 200 users") is not one either.
    """
    out: list[Claim] = []
    for k, s in enumerate(sentences):
        nxt = sentences[k + 1] if k + 1 < len(sentences) and sentences[k + 1].turn == s.turn else None
        baseline = bool(_BASELINE.search(s.text)) or bool(nxt and _BASELINE_LEAD.match(nxt.text))
        proposal_at = [pm.end() for pm in PROPOSAL.finditer(s.text)]
        matches = list(CLAIM.finditer(s.text))
        for dm in [*_DURATION_CHANGE.finditer(s.text), *_DURATION_METRIC.finditer(s.text), *_DURATION_MEASURE.finditer(s.text), *_DURATION_LONG.finditer(s.text), *_AMOUNT.finditer(s.text)]:
            if not any(m.start() <= dm.start("num") < m.end() for m in matches):
                matches.append(dm)
        # "went from about sixty a month to eighteen", "we closed in five days, down from ten": a change
        # stated as from-to, or as "down/up from", is a claim even when its unit is only implied.
        for ft in [*FROM_TO.finditer(s.text), *UP_FROM.finditer(s.text)]:
            if not any(m.start() <= ft.start("b") < m.end() or m.start() <= ft.start("a") < m.end() for m in matches):
                matches.append(_FromToMatch(ft))
        matches.sort(key=lambda m: m.start())
        for m in matches:
            num = m.group("num") or m.group("money") or ""
            if not _is_number_phrase(num, m.group("unit") or "%"):
                continue
            if _SAMPLE_SIZE.search(s.text[:m.start()]):
                continue  # who was asked, not a result: "a survey of two hundred users" has no baseline
            a, b = m.start(), m.end()
            ratio = re.search(r"\b\S+\s+out of\s+$", s.text[:a])  # "eight out of ten times": the whole ratio
            if ratio:
                a = ratio.start()
            # the whole phrase around the number, never cut mid-phrase ("70% on our paying users")
            quote = phrase_quote(s.text, a, max_words=QUOTE_WORDS) or s.text[a:b]
            value = re.sub(r"^(a|about|around|roughly|some)\s+", "", re.sub(r"\s+", " ", num.lower()).strip())
            out.append(Claim(
                s, a, b, quote, value,
                baseline, bool(_SLICE.search(s.text)), bool(_WINDOW.search(s.text)),
                bool(ATTRIBUTION.search(s.text)), _proposed(s.text, proposal_at, a),
            ))
    return out


# A number in the other side's plan ("Our COO, Greg Palmer, wanted to cut the menu from ninety items to
# fifty five") or in what they argued with ("Priya argued that the new flow lifted conversion by 3
# percent"): the opposing position, not the candidate's data. Only the numbers in that clause count:
# "…wanted to ship it, but I disagreed because the error rate was 1.8%" keeps the candidate's 1.8%.
_OTHER_SUBJECT = r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[A-Z][a-z]+|(?:[Tt]he|[Oo]ur|[Mm]y|[Hh]is|[Hh]er|[Tt]heir) [a-z]+(?: [a-z]+)?),? "
OTHER_PLAN = re.compile(_OTHER_SUBJECT + r"(?:wanted|proposed|planned|decided|asked|pushed|was pushing) (?:us )?to\b")
# ... and the data they had ("She had the failed-payment numbers from finance showing we lost about
# eight thousand dollars a week": a new user's test read it as the candidate's argument)
OTHER_ARGUED = re.compile(_OTHER_SUBJECT + r"(?:argued|claimed|pointed (?:out|to)|said|believed|thought|showed|had data"
                          r"|had (?:the |her |his |their |some |its )?(?:[\w-]+ ){0,2}(?:numbers|data|figures|stats|report|analysis|forecast|model|spreadsheet))\b")
# (a decimal point is no clause end: "…wanted to raise the fee from 2.99 to 4.99" is all the plan; nor is
# a colon, which opens what they had: "Priya had the network data: counter transactions had fallen 38%")
_OWN_CLAUSE = re.compile(r"\b(but|because|whereas|while|though|although)\b|\bi\b|;|\.(?!\d)", re.IGNORECASE)


def others_number(c: Claim, plans_only: bool = False) -> bool:
    """Whether claim ``c`` is a number of the other side's: it follows an :data:`OTHER_PLAN` (or,
    unless ``plans_only``, :data:`OTHER_ARGUED`) phrase in its sentence with no turn to the
    candidate's own clause ("but", "because", "I") between. A number in someone's plan is not a
    measurement (the interviewer asks it no baseline); one they argued with is still a claim."""
    text = c.sentence.text
    for rx in (OTHER_PLAN,) if plans_only else (OTHER_PLAN, OTHER_ARGUED):
        for m in rx.finditer(text):
            if m.group(0).startswith(("I ", "We ", "i ", "we ")):
                continue
            if m.end() <= c.start and not _OWN_CLAUSE.search(text, m.end(), c.start):
                return True
    return False
