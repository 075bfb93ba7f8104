"""Named stakeholders: the people on the other side of the story, told by name or by role.

The Conflict Articulation anchors ask for "a named stakeholder" (tier 3) and "named stakeholders"
(tier 4). A person is named when the candidate gives a proper name in a role the story needs: the
subject of a decision or a speech verb ("Sandra said…", "Hoffmann, decided…"), the person told or
asked ("I told Greg…"), a title ("Dr. Okafor", "Mr. Harris") or a role with its holder ("our tech
lead, Paulo Reyes"). Names are read from the capitals Whisper writes (and typed answers have), so a
name is a capitalised word that is not a sentence opener, a pronoun, a month or a weekday.
"""
from __future__ import annotations

import re

from voiceround.analysis.sentences import Sentence

_NOT_NAMES = frozenset("""
I I'm I'd I'll I've The He She They We It That This These Those My Our Your His Her Their Its So And But Then Yes No
Okay OK Ok Well Also After Before When Once Honestly Basically Actually Looking Next Now What Which Who Why How If
Because Since While There Here A An In On At For From To With By Of Or As Our Everyone Everybody Nobody Someone
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Christmas Easter Black Cyber Q1 Q2 Q3 Q4 Right Sure Fine Deal Understood
Mostly Net Again Still Even Just Only First Second Third Finally Later Together Both Each Every Most Some Any
Director Manager Sales Finance Marketing Legal Engineering Product Ops Operations Support Procurement Security
You Teachers Nurses Doctors Customers Users Patients Management Leadership Team Company Board
""".split())
_TITLES = frozenset({"Dr", "Doctor", "Mr", "Mrs", "Ms", "Professor"})
_NAME = r"(?:(?:Dr|Doctor|Mr|Mrs|Ms|Professor)\.? )?[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?"
# subject of a decision or speech verb: "Sandra said", "Doctor Feld, he decided", "Jonah sided with"
_SUBJECT = re.compile(rf"(?P<name>{_NAME}),?(?: (?:he|she|they))? (?:said|decided|wanted|argued|thought|pointed|asked|told|pushed|"
                      r"made|sided|agreed|believed|insisted|chose|went with|overruled|replied|approved|signed|countered|came back|"
                      r"kept|proposed|preferred|owned|was worried|was convinced|disagreed|answered|didn't|wouldn't|had)\b")
# the person the candidate addressed: "I told Greg", "I asked Dr. Okafor", "I messaged Darnell"
_ADDRESSED = re.compile(rf"\b(?:told|asked|messaged|called|emailed|convinced|showed|went to|said to|wrote to|met with) (?P<name>{_NAME})\b")
# a title, or a role with its holder: "Dr. Okafor", "our tech lead, Paulo Reyes"
_TITLED = re.compile(r"\b(?P<name>(?:Dr|Doctor|Mr|Mrs|Ms|Professor)\.? [A-Z][a-z]+)")
_ROLE_HOLDER = re.compile(r"\b(?:[Oo]ur|[Mm]y|[Tt]he|[Hh]is|[Hh]er|[Tt]heir) (?:[a-z-]+ ){0,3}(?:director|manager|lead|head|owner|officer|chief|"
                          rf"VP|CTO|CEO|CFO|COO|CMO|PM|founder|supervisor|engineer|architect|producer|partner|chair|principal|"
                          rf"superintendent|editor|president|coordinator|controller|counsel|nurse|doctor),? (?P<name>{_NAME})")

# the holder, then the role: "Priya, our head of sales, wanted…", "Tomás, the night baker"
_HOLDER_ROLE = re.compile(rf"(?P<name>{_NAME}), (?:[Oo]ur|[Mm]y|[Tt]he|[Hh]is|[Hh]er|[Tt]heir) (?:[a-z-]+ ){{0,3}}(?:director|manager|lead|head|"
                          r"owner|officer|chief|VP|CTO|CEO|CFO|COO|CMO|PM|founder|supervisor|engineer|architect|producer|partner|chair|"
                          r"principal|superintendent|editor|president|coordinator|controller|counsel|nurse|doctor|baker|chef)\b")
# A sentence this short ("Priya agreed.") is a poor quote for a name that a longer sentence also names in a
# role (and, in the scorer's evidence, for any feature a longer sentence also carries).
SHORT_SENTENCE_WORDS = 6


def named_people(sentences: list[Sentence]) -> list[tuple[Sentence, str]]:
    """``[(sentence, name)]`` for every person the candidate names in a role (see the module
    docstring), in order, each name once: its first sentence, or the first of at least
    :data:`SHORT_SENTENCE_WORDS` words when the first is shorter ("Priya agreed." then "Priya, our
    head of sales, wanted…": the second). Titles ("Dr.") are kept in the name;
    pronouns, sentence openers, months and weekdays are never names."""
    out: list[tuple[Sentence, str]] = []
    seen: dict[str, int] = {}  # a name's last word -> its place in ``out``
    for s in sentences:
        for rx in (_ROLE_HOLDER, _HOLDER_ROLE, _TITLED, _SUBJECT, _ADDRESSED):
            for m in rx.finditer(s.text):
                name = m.group("name")
                first, _, rest = name.partition(" ")
                if rest and first in _NOT_NAMES and first not in _TITLES:
                    name = rest  # "So Farah made the call": the opener is no part of the name
                bare = [t for t in name.replace(".", " ").split() if t not in _TITLES]
                if not bare or bare[0] in _NOT_NAMES or bare[-1] in _NOT_NAMES:
                    continue
                key = name.split()[-1]
                if key not in seen:
                    seen[key] = len(out)
                    out.append((s, name))
                elif len(out[seen[key]][0].text.split()) < SHORT_SENTENCE_WORDS <= len(s.text.split()):
                    out[seen[key]] = (s, out[seen[key]][1])  # a fuller sentence naming them in a role is the better quote
    return out
