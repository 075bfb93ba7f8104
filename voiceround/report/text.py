"""Scorecard rendering (pure): plain text for the terminal. HTML/PDF come in the report issue."""
from __future__ import annotations


def clock(seconds: float) -> str:
    """``m:ss`` for a number of seconds."""
    s = int(round(seconds))
    return f"{s // 60}:{s % 60:02d}"


def round_use(a: dict) -> str:
    """"Round used 4:47 of 20:00 (24%), ended early" from a scorecard's analytics ("" for text-only
    scoring, which has no round clock). A second example, when one was asked, is named as not scored."""
    used, length = a.get("round_used_s"), a.get("round_length_s")
    if not used or not length or a.get("timing"):
        return ""
    share = used / length
    out = f"Round used {clock(min(used, length))} of {clock(length)} ({min(share, 1.0):.0%})"
    if share < 0.85:
        out += ", ended early: the scorecard reads only what was said in that time"
    if a.get("no_example_noted"):
        out += ". The interviewer noted that no specific example was given, after three requests for one"
    if a.get("second_example_asked"):
        out += ". A second example was asked once the first story had no depth left; only the first story is scored"
    return out


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
