"""Scorecard rendering (pure): plain text for the terminal, from the presentation model in
:mod:`voiceround.report.view` (the same one the HTML/PDF and the Qt view use)."""
from __future__ import annotations

from collections import Counter



def status_text(row: dict) -> str:
    """A stored session's status as the user reads it in History, ``sessions`` and Replay:
    "unfinished" (a crash left it), "not scored" (its scoring failed; ``recover`` offers it), or
    its ended status ("finished", "ended early", "recovered"). ``row``: a :meth:`Store.sessions` row."""
    if row.get("unfinished"):
        return "unfinished"
    if row.get("unscored"):
        return "not scored"
    return str(row.get("status", "")).replace("_", " ")


def clock(seconds: float) -> str:
    """``m:ss`` for a number of seconds."""
    s = int(round(seconds))
    return f"{s // 60}:{s % 60:02d}"


FIT_NOTES = {  # interviewer.fit problems, as the scorecard names them
    "non_answer": "the opening question got no story at first",
    "won": "the first story was one the candidate's side won, not lost",
    "hypothetical": "the first answer said what the candidate would do, not what happened",
    "no_disagreement": "the first answer had no disagreement in it",
}


def round_use(a: dict) -> str:
    """"Round used 4:47 of 20:00 (24%), ended early" from a scorecard's analytics, then what the
    interviewer noted: a story redirected because it didn't fit the round, no specific example, a
    second example (named as not scored). "" when there is nothing to say; text-only scoring has no
    round clock, so only the notes."""
    used, length = a.get("round_used_s"), a.get("round_length_s")
    parts = []
    if used and length:  # typed rounds too: their clock is real (only text-only scoring has none, and no round_used_s)
        share = used / length
        early = (", the interviewer closed early: no specific example came, and the scorecard reads what was said"
                 if a.get("interviewer_closed_early") and a.get("no_example_noted") else
                 ", the interviewer closed early: it had what it needed, and the scorecard reads what was said"
                 if a.get("interviewer_closed_early") else ", ended early: the scorecard reads only what was said in that time")
        parts.append(f"Round used {clock(min(used, length))} of {clock(length)} ({min(share, 1.0):.0%})" + (early if share < 0.85 else ""))
    fits = [p for p in a.get("fit_redirects") or [] if p in FIT_NOTES]
    caps = [c for c in a.get("story_caps") or [] if c.get("description")]
    same = next((c for c in caps if fits and c.get("fit") == fits[0]), None)
    if same is not None:  # the redirect and the cap are one finding: told once, in the cap's words
        times = {1: "once", 2: "twice"}.get(len(fits), f"{len(fits)} times")
        first, _, rest = same["description"].rstrip(".").partition(". ")
        parts.append(f"{first} (the interviewer redirected {times}; it went on the same way)" + (f". {rest}" if rest else ""))
        caps.remove(same)
    elif fits:  # the first is why the story was redirected; a later one is what the redirect got back
        times = {1: "once", 2: "twice"}.get(len(fits), f"{len(fits)} times")
        later = [FIT_NOTES[p] for p in dict.fromkeys(fits[1:]) if p != fits[0]]  # a new user's non-answer, then a hypothetical
        parts.append(f"The interviewer redirected {times}: {FIT_NOTES[fits[0]]}"
                     + (f"; then {'; then '.join(later)}" if later else "; asked again, no other story was told" if len(fits) > 1 else ""))
    # the round file's conditional caps that held (Disagree and Commit: a story the candidate won), in its words
    parts += [c["description"].rstrip(".") for c in caps]
    for t in a.get("unasked_traps") or []:  # the round ended before the part was asked for
        parts.append(f"The round ended before the {t['slot']} was asked for, so {t['name']} is not flagged: "
                     "the tiers read only what was said")
    if a.get("no_answer"):
        parts.append("No answer was recorded: every dimension reads tier 1 because nothing was said that could be scored")
    if a.get("no_example_noted"):
        parts.append("The interviewer noted that no specific example was given, after asking for one again")
    # how long it takes to say: the time spoken, or for typed words their time at the speaking rate
    # (a new user's typed 5,160 words were stored as 98 s and got no note)
    from voiceround.report import view  # imported here, as in scorecard_text
    if view.too_long(a):  # a text longer than the round could hold (a new user's 13-hour file scored silently)
        parts.append(f"This answer takes about {clock(view.speaking_s(a))} to say, far longer than the {clock(a['round_length_s'])} round: a real "
                     "interviewer would have cut it short, and the scorecard reads all of it")
    if a.get("not_english") is not None:
        parts.append("This answer does not read as English: VoiceRound scores English answers only, so these tiers "
                     "say little about it")
    elif a.get("not_english_turns"):
        turns = a["not_english_turns"]
        which = f"Turn {turns[0]} does" if len(turns) == 1 else f"Turns {', '.join(map(str, turns[:-1]))} and {turns[-1]} do"
        parts.append(f"{which} not read as English: VoiceRound scores English only, so what was said there was not read")
    reader = a.get("meaning_reader") or ""
    if reader.startswith("unavailable"):  # the sentence encoder could not run: traps read by their word lists only
        names = a.get("meaning_traps") or ["some traps"]
        parts.append(f"{', '.join(names)} were read from word lists only, so they (and the tiers they cap) may be missed: "
                     f"the sentence encoder was {reader} (`voiceround doctor` checks it)")
    if a.get("second_example_asked"):
        parts.append("A second example was asked once the first story had no depth left; only the first story is scored")
    return ". ".join(parts)


def work_on_next(dimensions: list[dict], n: int = 2) -> list[dict]:
    """The ``n`` weakest dimensions (lowest tier, heavier weight first). Superseded by
    :func:`voiceround.report.view.next_steps` (next tier only, with an example); kept for callers
    not yet switched to it."""
    return sorted(dimensions, key=lambda d: (d["tier"], -d["weight"]))[:n]


def bundled_round(card: dict):
    """The bundled round a scorecard was scored on (``card["round"]``), or None when it isn't
    bundled or can't be read (the report then shows only what the scorecard holds)."""
    from voiceround.rounds import RoundFileError, load_round
    try:
        return load_round(card["round"]) if card.get("round") else None
    except RoundFileError:
        return None


def _turns(q: dict) -> str:
    """"turn 4", or "turns 10, 14 and 24" for a sentence listed once for every time it was said."""
    turns = q.get("turns") or [q["turn"]]
    if len(turns) == 1:
        return f"turn {turns[0]}"
    # a sentence said again in one turn: "turn 2 ×119", not 119 twos (Counter keeps the turns' order)
    said = [f"{t}" + (f" ×{n}" if n > 1 else "") for t, n in Counter(turns).items()]
    word = "turn" if len(said) == 1 else "turns"
    return f"{word} " + (said[0] if len(said) == 1 else ", ".join(said[:-1]) + f" and {said[-1]}")


def _quote_line(q: dict, mark: str) -> str:
    why = f"  [{q['why']}]" if q.get("why") else ""
    unsure = " (may be misheard)" if q.get("unsure") else ""
    return f"      {mark} “{q['quote']}” (turn {q['turn']}, {clock(q['start_s'])}){unsure}{why}"


def scorecard_text(card: dict, header: str = "", rnd=None, transcript=None) -> str:
    """The scorecard as terminal text, from :mod:`voiceround.report.view`: one headline score
    ("Total: 58.3 / 100", the primary rubric) with the line saying what it is; each dimension with
    tier, weight and its quotes, ✓ for the tier and ✗ against it (naming the trap), "(may be
    misheard)" on low-confidence speech; flagged traps; what to work on next (the next tier as an
    instruction and a rewrite of one of the candidate's sentences); the second rubric as a detail
    under its one-line explanation; delivery analytics.

    ``rnd``: the loaded round (default: the bundled round named in the card, see
    :func:`bundled_round`); ``transcript``: the session's transcript, for the misheard marks and
    the examples."""
    from voiceround.report import view
    rnd = rnd if rnd is not None else bundled_round(card)
    out = []
    if header:
        out += [header, ""]
    head = view.headline(card, rnd)
    out.append(f"Total: {head['total']:.1f} / 100   ({head['title']})")
    if head["summary"]:
        out.append(head["summary"])
    used = round_use(card.get("analytics", {}))
    if used:
        out.append(used + ".")
    out.append("")
    for d in view.dimension_rows(card, rnd, transcript):
        bar = "█" * d["tier"] + "·" * (4 - d["tier"])
        capped = f"  [held down by: {d['capped_by']}]" if d["capped_by"] else ""
        out.append(f"  {d['name']:<26} {d['weight']:>4.0f}%   tier {d['tier']}/4 {bar}{capped}")
        out.append(f"      {d['anchor']}")
        if d["reading"]:
            out.append(f"      ({d['reading']}.)")
        out += [_quote_line(q, "✓") for q in d["for"]] + [_quote_line(q, "✗") for q in d["against"]]
        if not d["for"] and not d["against"]:
            out.append("      no evidence")
    out.append("")
    flagged = view.traps(card, rnd, transcript)
    if flagged:
        out.append("Traps flagged:")
        for t in flagged:
            held = ", ".join(f"{c['name']} at tier {c['tier']}" for c in t["caps"])
            out.append(f"  - {t['name']}" + (f" (caps {held})" if held else ""))
            out += [_quote_line(dict(q, why=""), "✗") for q in t["evidence"]]
    else:
        out.append("Traps flagged: none")
    ignored = view.not_counted(card)
    if ignored:
        out.append(f"{view.NOT_COUNTED_NOTE}:")
        out += [f"  ∅ “{q['quote']}” ({_turns(q)}" + (f": {q['why']})" if q.get("why") else ")") for q in ignored]
    out.append("")
    out.append("What to work on next:")
    steps = view.next_steps(card, rnd, transcript)
    if not steps:
        out.append(f"  {view.no_steps_note(card)}")
    for i, st in enumerate(steps, start=1):
        out.append(f"  {i}. {st['name']} (tier {st['tier']} of 4). {st['target']}")
        if st["cap_note"]:
            out.append(f"     {st['cap_note']}")
        ex = st["example"]
        if ex:
            out.append(f"     {'Instead of' if ex['replaces'] else 'You said'}: “{ex['sentence']}”"
                       + (" (may be misheard)" if ex["unsure"] else ""))
            out.append(f"     {'Say' if ex['replaces'] else 'Stronger'}: “{ex['rewrite']}”")
    for rb in view.secondary(card, rnd):
        out.append("")
        out.append(f"{rb['title']} (a second reading, not part of your score): {rb['total']:.1f} of 100")
        if rb["summary"]:
            out.append(f"  {rb['summary']}")
        for d in rb["dimensions"]:
            out.append(f"  {d['name']:<40} {d['weight']:>4.0f}%   tier {d['tier']}/4")
    a = card.get("analytics", {})
    if a:
        out.append("")
        fillers = ", ".join(f"{k} ×{v}" for k, v in a["fillers"].items()) or "none transcribed"
        if a.get("timing"):
            out.append(f"Delivery: fillers: {fillers} (pace not measured: {a['timing']})")
        else:
            out.append(f"Delivery: {a['wpm']:.0f} words/min, talk share {a['talk_share']:.0%}, fillers: {fillers}"
                       " (Whisper under-reports um/uh)")
        ph = a.get("phase_seconds", {})
        if ph:
            out.append("Time by phase: " + ", ".join(f"{k} {clock(v)}" for k, v in ph.items()))
        out.append(f"Numbers: {a['numbers']} stated, {a['numbers_with_baseline']} with a baseline")
    return "\n".join(out)
