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
