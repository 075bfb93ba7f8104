"""Text normalisation for the interviewer's voice (TTS front end): numbers, currency, multipliers,
percentages, ranges, quarters, ordinals and years written out as words, so the voice says "$2M" as
"two million dollars", not "dollar two em" (issue "A Bar Raiser who listens", item 3: Piper read
quoted numbers letter by letter).

Only the audio changes: the transcript, the scorecard and the interviewer's stored turn keep the
text as written. Number words come from ``num2words`` (maintained, LGPL-2.1); the patterns here
decide which words a written form stands for (the conventions of spoken English, as in the
"non-standard words" taxonomy of Sproat et al. 2001, *Normalization of non-standard words*,
Computer Speech & Language 15(3)).
"""
from __future__ import annotations

import re

from num2words import num2words

# A written number: 1,200 / 3.5 / 14 (no sign: "-" between numbers is a range).
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CURRENCY = {"$": ("dollar", "dollars"), "€": ("euro", "euros"), "£": ("pound", "pounds")}
_SCALE_SUFFIX = {"k": "thousand", "m": "million", "mm": "million", "mn": "million", "b": "billion", "bn": "billion"}
_SCALE_WORD = r"thousand|million|billion|trillion"
# A four-digit number read as a year after these words ("in 2023", "Q3 2024", "since 2019").
_YEAR_CONTEXT = (r"in|since|by|of|from|until|till|during|before|after|early|late|mid|around|Q[1-4]|H[12]|"
                 r"spring|summer|fall|autumn|winter|january|february|march|april|may|june|july|august|"
                 r"september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")

_RX_MONEY = re.compile(rf"([$€£])\s?({_NUM})(?:\s?(k|mm|mn|m|bn|b)\b|\s+({_SCALE_WORD})\b)?", re.IGNORECASE)
# "$50-80M", "$2 to 3M" (one amount said once); "$2M to $3.5M" is two amounts, said in full.
_RX_MONEY_RANGE = re.compile(rf"([$€£])\s?({_NUM})\s?(k|mm|mn|m|bn|b)?\s?(?:-|–|to)\s?({_NUM})\s?(k|mm|mn|m|bn|b)?\b", re.IGNORECASE)
# "10-15%", "10 to 15%" (one range); "14% to 9%" is a change between two values, said in full.
_RX_PERCENT_RANGE = re.compile(rf"({_NUM})\s?(?:-|–|to)\s?({_NUM})\s?%")
_RX_PERCENT = re.compile(rf"({_NUM})\s?(%|pp\b|bps\b)")
_RX_TIMES = re.compile(rf"({_NUM})\s?[x×](?![a-z0-9])", re.IGNORECASE)
_RX_SCALED = re.compile(rf"\b({_NUM})\s?(k|mm|mn|m|bn|b)\b(?!\.\d)", re.IGNORECASE)
_RX_QUARTER = re.compile(r"\b([QH])([1-4])\b")
_RX_YEAR = re.compile(rf"\b({_YEAR_CONTEXT})(\s+|\s?')((?:19|20)\d\d)\b(?!\s?%)", re.IGNORECASE)
_RX_DECADE = re.compile(r"\b((?:19|20)\d)0s\b")
_RX_SHORT_DECADE = re.compile(r"(?<![\w$€£.])'?([2-9]0)s\b")  # the 90s, the '80s
_RX_UNIT = re.compile(rf"({_NUM})(?:\s?(ms|secs?|mins?|hrs?)|\s(s|h))\b(?!')")  # "90s" is a decade, "90 s" seconds
_UNITS = {"ms": "milliseconds", "s": "seconds", "sec": "seconds", "secs": "seconds", "min": "minutes", "mins": "minutes",
          "hr": "hours", "hrs": "hours", "h": "hours"}
_RX_CLOCK = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")
_RX_SLASH = re.compile(rf"\b({_NUM})/({_NUM})\b")  # 24/7, a 40/60 split: said as two numbers
_RX_PERCENTILE = re.compile(r"\b([pP])(\d{2})\b")
_RX_ORDINAL = re.compile(r"\b(\d+)(st|nd|rd|th)\b", re.IGNORECASE)
_RX_RANGE = re.compile(rf"\b({_NUM})\s?(?:-|–)\s?({_NUM})\b")
_RX_NUMBER = re.compile(rf"(?<![\w.])({_NUM})(?![\w])")
_ABBREVIATIONS = (
    (re.compile(r"\bvs\.?(?=\s)", re.IGNORECASE), "versus"),
    (re.compile(r"\be\.g\.,?", re.IGNORECASE), "for example"),
    (re.compile(r"\bi\.e\.,?", re.IGNORECASE), "that is"),
    (re.compile(r"\bA/B\b"), "A B"),
    (re.compile(r"\betc\.", re.IGNORECASE), "etcetera"),
    (re.compile(r"\bYoY\b", re.IGNORECASE), "year over year"),
    (re.compile(r"\bMoM\b", re.IGNORECASE), "month over month"),
    (re.compile(r"\b(KPI|NPS|ARR|MRR|CSAT|SLA|QA|PM|ML|API|UI|UX)s\b"), r"\1 s"),
)


def number_words(written: str) -> str:
    """A written number ("1,200", "3.5", "14") as words ("one thousand two hundred", "three point
    five", "fourteen"). Raises ValueError for text that isn't a number."""
    value = float(written.replace(",", "")) if "." in written else int(written.replace(",", ""))
    return _words(value)


def _words(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return num2words(value).replace(",", "").replace("-", " ")


def _scaled(num: str, scale: str | None) -> tuple[str, bool]:
    """Words for ``num`` with an optional scale ("k", "million"); and whether the amount is one."""
    words = number_words(num)
    if scale:
        words += " " + _SCALE_SUFFIX.get(scale.lower(), scale.lower())
    return words, not scale and float(num.replace(",", "")) == 1


def _money(m: re.Match) -> str:
    symbol, num, suffix, scale_word = m.group(1), m.group(2), m.group(3), m.group(4)
    one, many = _CURRENCY[symbol]
    if not suffix and not scale_word and "." in num and len(num.split(".")[1]) == 2:  # $4.99: dollars and cents
        whole, cents = num.replace(",", "").split(".")
        text = f"{_words(int(whole))} {one if int(whole) == 1 else many}"
        return text + (f" and {_words(int(cents))} cent{'s' if int(cents) != 1 else ''}" if int(cents) and symbol == "$" else
                       (f" {_words(int(cents))}" if int(cents) else ""))
    words, single = _scaled(num, suffix or scale_word)
    return f"{words} {one if single else many}"


def _money_range(m: re.Match) -> str:
    symbol, a, sa, b, sb = m.groups()
    scale_b = sb or sa
    return f"{_scaled(a, sa)[0]} to {_scaled(b, scale_b)[0]} {_CURRENCY[symbol][1]}"


def _percent(m: re.Match) -> str:
    unit = {"%": "percent", "pp": "percentage points", "bps": "basis points"}[m.group(2).lower()]
    return f"{number_words(m.group(1))} {unit}"


def _year(m: re.Match) -> str:
    return f"{m.group(1)} {num2words(int(m.group(3)), to='year').replace('-', ' ')}"  # "in '19" and "in 2019" alike


def _unit(m: re.Match) -> str:
    unit = _UNITS[(m.group(2) or m.group(3)).lower()]
    return f"{number_words(m.group(1))} {unit[:-1] if m.group(1) == '1' else unit}"


def _clock(m: re.Match) -> str:
    hour, minute = int(m.group(1)), int(m.group(2))
    if minute == 0:
        return f"{_words(hour)} o'clock"
    return f"{_words(hour)} {'oh ' if minute < 10 else ''}{_words(minute)}"


def _decade(m: re.Match) -> str:
    year = num2words(int(m.group(1) + "0"), to="year").replace("-", " ")  # "nineteen ninety"
    return year[:-1] + "ies" if year.endswith("y") else year + "s"


def for_speech(text: str) -> str:
    """``text`` as the TTS voice should read it: every written number, amount and symbol the voice
    would misread replaced by its words. Examples: "$2M" → "two million dollars", "1.5x" → "one
    point five times", "$4 million" → "four million dollars", "14% to 9%" → "fourteen percent to
    nine percent", "10-15%" → "ten to fifteen percent", "Q3 2024" → "Q three twenty twenty four",
    "in 2019" → "in twenty nineteen", "3rd" → "third", "1,200 users" → "one thousand two hundred
    users". Text with no numbers or symbols comes back unchanged. Pure; never raises."""
    if not re.search(r"[\d$€£%]|\b(vs|e\.g|i\.e|etc|A/B|YoY|MoM)\b|[A-Z]{2,}s\b", text, re.IGNORECASE):
        return text
    out = text
    for rx, spoken in _ABBREVIATIONS:
        out = rx.sub(spoken, out)
    steps = (
        (_RX_MONEY_RANGE, _money_range),
        (_RX_MONEY, _money),
        (_RX_PERCENT_RANGE, lambda m: f"{number_words(m.group(1))} to {number_words(m.group(2))} percent"),
        (_RX_PERCENT, _percent),
        (_RX_TIMES, lambda m: f"{number_words(m.group(1))} times"),
        (_RX_UNIT, _unit),
        (_RX_CLOCK, _clock),
        (_RX_SLASH, lambda m: f"{number_words(m.group(1))} {number_words(m.group(2))}"),
        (_RX_PERCENTILE, lambda m: f"{m.group(1)} {_words(int(m.group(2)))}"),
        (_RX_SCALED, lambda m: _scaled(m.group(1), m.group(2))[0]),
        (_RX_YEAR, _year),
        (_RX_DECADE, _decade),
        (_RX_SHORT_DECADE, lambda m: _words(int(m.group(1)))[:-1] + "ies"),
        (_RX_QUARTER, lambda m: f"{m.group(1)} {_words(int(m.group(2)))}"),
        (_RX_ORDINAL, lambda m: num2words(int(m.group(1)), to="ordinal").replace("-", " ")),
        (_RX_RANGE, lambda m: f"{number_words(m.group(1))} to {number_words(m.group(2))}"),
        (_RX_NUMBER, lambda m: number_words(m.group(1))),
    )
    for rx, spoken in steps:
        try:
            out = rx.sub(spoken, out)
        except (ValueError, OverflowError, ArithmeticError):  # a form num2words can't say: leave it as written
            continue
    return re.sub(r"[ \t]{2,}", " ", out)
