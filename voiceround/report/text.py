"""Scorecard rendering (pure): plain text for the terminal. HTML/PDF come in the report issue."""
from __future__ import annotations


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
    if used and length and not a.get("timing"):
        share = used / length
        parts.append(f"Round used {clock(min(used, length))} of {clock(length)} ({min(share, 1.0):.0%})"
                     + (", ended early: the scorecard reads only what was said in that time" if share < 0.85 else ""))
    for p in a.get("fit_redirects") or []:
        if p in FIT_NOTES:
            parts.append(f"The interviewer redirected once: {FIT_NOTES[p]}")
    if a.get("no_example_noted"):
        parts.append("The interviewer noted that no specific example was given, after three requests for one")
    if a.get("second_example_asked"):
        parts.append("A second example was asked once the first story had no depth left; only the first story is scored")
    return ". ".join(parts)


def work_on_next(dimensions: list[dict], n: int = 2) -> list[dict]:
    """The ``n`` weakest dimensions (lowest tier, heavier weight first): "what to work on next"."""
    return sorted(dimensions, key=lambda d: (d["tier"], -d["weight"]))[:n]


def scorecard_text(card: dict, header: str = "") -> str:
    """The scorecard as terminal text: weighted total, each framework dimension with tier, weight
    and evidence quotes (turn number and start time) or "no evidence", then flagged traps and the
    second rubric's summary."""
    out = []
    if header:
        out += [header, ""]
    primary = card.get("rubrics", {}).get(card.get("primary_rubric", "framework"), {})
    out.append(f"Total: {card['total']:.1f} / 100   (weighted, {primary.get('title', 'interview framework').lower()})")
    used = round_use(card.get("analytics", {}))
    if used:
        out.append(used)
    out.append("")
    for d in card["dimensions"].values():
        bar = "█" * d["tier"] + "·" * (4 - d["tier"])
        capped = f"  [capped by trap: {d['capped_by']}]" if d.get("capped_by") else ""
        out.append(f"  {d['name']:<26} {d['weight']:>4.0f}%   tier {d['tier']}/4 {bar}{capped}")
        out.append(f"      {d['anchor']}")
        if d["evidence"]:
            for e in d["evidence"]:
                out.append(f"      “{e['quote']}” (turn {e['turn']}, {clock(e['start_s'])})")
        else:
            out.append("      no evidence")
    out.append("")
    if card["traps"]:
        out.append("Traps flagged:")
        for t in card["traps"]:
            out.append(f"  - {t['name']}")
            for e in t["evidence"]:
                out.append(f"      “{e['quote']}” (turn {e['turn']}, {clock(e['start_s'])})")
    else:
        out.append("Traps flagged: none")
    rubrics = card.get("rubrics", {})
    if len(rubrics) > 1:
        for rb in list(rubrics.values())[1:]:
            out.append("")
            out.append(f"{rb['title']}: {rb['total']:.1f} / 100")
            for d in rb["dimensions"].values():
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
