"""Text normalisation for word error rate (WER): lower-case, no punctuation, digits spelled out.

STT writes "1.8%" and "$4 million" where a reference says "one point eight percent" and "four
million dollars"; both sides are mapped to spelled words so only real recognition errors count.
"""
from __future__ import annotations

import re

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def int_words(n: int) -> str:
    """Spell a non-negative integer below one trillion in English ("one thousand eight hundred")."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        return _ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + int_words(n % 100))
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            rest = n % size
            return int_words(n // size) + f" {name}" + ("" if rest == 0 else " " + int_words(rest))
    return str(n)


def _number(m: re.Match) -> str:
    money, whole, frac, scale, pct = m.group("money"), m.group("whole"), m.group("frac"), m.group("scale"), m.group("pct")
    whole = whole.replace(",", "") if whole else ""
    words = int_words(int(whole)) if whole else "zero"
    if frac:
        words += " point " + " ".join(_ONES[int(d)] for d in frac)
    if scale:
        words += " " + {"k": "thousand", "m": "million", "bn": "billion"}.get(scale.lower(), scale.lower())
    if pct:
        words += " percent"
    if money:
        words += " dollars"
    return f" {words} "


_NUM = re.compile(r"(?P<money>\$)?(?P<whole>\d[\d,]*)?(?:\.(?P<frac>\d+))?(?:\s?(?P<scale>k|m|bn|thousand|million|billion)\b)?(?P<pct>%)?")


def normalize_for_wer(text: str) -> str:
    """Lower-case words with digits spelled out, hyphens split and punctuation removed."""
    t = text.lower().replace("-", " ")
    t = re.sub(r"\$?(?:\d[\d,]*)?(?:\.\d+)?(?:\s?(?:k|m|bn|thousand|million|billion)\b)?%?",
               lambda m: _number(_NUM.fullmatch(m.group(0))) if re.search(r"\d", m.group(0)) else m.group(0), t)
    t = re.sub(r"\bpercent\b", "percent", t)
    t = re.sub(r"[^a-z0-9' ]+", " ", t)
    t = re.sub(r"(?<![a-z])'|'(?![a-z])", " ", t)
    return re.sub(r"\s+", " ", t).strip()


_UNIT_VALUE = {w: i for i, w in enumerate(_ONES)} | {"a": 1, "an": 1, "oh": 0}
_TEN_VALUE = {w: 10 * i for i, w in enumerate(_TENS) if w != "_"}
_SCALE_VALUE = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_FRACTION_VALUE = {"half": 0.5, "quarter": 0.25, "third": 1 / 3}


def spoken_values(text: str) -> frozenset[float]:
    """The values a number as said can mean, from its words after :func:`normalize_for_wer` (digits
    are spelled out by it first): "three hundred and forty" and "340" -> {340}; "one point one" ->
    {1.1}; "six and a half" -> {6.5}; "a hundred and thirty" -> {130}. A number said the colloquial
    way, a one-digit number then a tens word ("three forty", "nine ninety-nine"), may be 340 or 3.40
    (a price, minutes and seconds): both. Words that are not a number ("about", a unit) end it; an
    empty set when ``text`` starts with no number. Used to compare numbers by value, never as text
    (issue 15: "the same transcript with digits or words scores the same")."""
    words = [w for w in re.sub(r"\b(?:a|an) (half|quarter|third)\b", r"\1", normalize_for_wer(text)).split() if w != "and"]
    total, group, seen, i = 0.0, 0.0, False, 0
    while i < len(words):
        w = words[i]
        if w in _UNIT_VALUE and not (w in ("a", "an") and (i + 1 >= len(words) or words[i + 1] not in _SCALE_VALUE)):
            if seen and group % 10 == 0 and group % 100 != 0 and _UNIT_VALUE[w] < 10:
                group += _UNIT_VALUE[w]          # "forty" "two"
            elif seen and group:
                break                            # "two three": a second number
            else:
                group = float(_UNIT_VALUE[w])
        elif w in _TEN_VALUE:
            if seen and group and group < 10 and total == 0:   # "three forty": 340 or 3.40
                after = words[i + 1] if i + 1 < len(words) else ""
                unit = _ONES.index(after) if after in _ONES[1:10] else 0   # "three forty five"
                return frozenset({group * 100 + _TEN_VALUE[w] + unit, group + (_TEN_VALUE[w] + unit) / 100})
            if seen and group % 100 != 0:
                break
            group += _TEN_VALUE[w]
        elif w in _SCALE_VALUE and seen:
            if _SCALE_VALUE[w] == 100:
                group = (group or 1) * 100
            else:
                total += (group or 1) * _SCALE_VALUE[w]
                group = 0.0
        elif w == "point" and seen:
            digits = []
            for d in words[i + 1:]:
                if d in _UNIT_VALUE and _UNIT_VALUE[d] < 10 and d not in ("a", "an"):
                    digits.append(str(_UNIT_VALUE[d]))
                else:
                    break
            if digits:
                return frozenset({total + group + float("0." + "".join(digits))})
            break
        elif w in _FRACTION_VALUE and (seen or i == 0):   # "six and a half", "half"
            group = group + _FRACTION_VALUE[w] if seen else _FRACTION_VALUE[w]
            seen = True
            i += 1
            continue
        else:
            break
        seen = True
        i += 1
    return frozenset({total + group}) if seen else frozenset()
