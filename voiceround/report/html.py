"""Scorecard and transcript as one printable HTML document (pure; Qt renders it to PDF).

Sections: header (round, company, role, date, duration), both rubrics' totals, the dimension
table with tier, weight and a bar, evidence quotes with timestamps, traps, analytics with a chart
of the phase split, what to work on next, and the full transcript with timestamps as an appendix.
"""
from __future__ import annotations

import html

from voiceround.report import clock, round_use, work_on_next

PHASE_COLORS = {"argument": "#c0504d", "decision": "#8064a2", "commitment": "#4f81bd", "outcome": "#9bbb59",
                "reflection": "#f79646"}


def _bar(tier: int, width: int = 160) -> str:
    filled = int(width * tier / 4)
    return (f"<table cellspacing='0' cellpadding='0' style='border:1px solid #888'><tr>"
            f"<td width='{filled}' height='10' bgcolor='#2f6db3'></td><td width='{width - filled}' height='10' bgcolor='#eeeeee'></td>"
            f"</tr></table>")


def in_rubric_order(dims: dict, rubric) -> list[dict]:
    """A scorecard's dimensions in the rubric's order (stored JSON is key-sorted)."""
    order = [d.id for d in rubric.dimensions] if rubric is not None else []
    return [dims[k] for k in order if k in dims] + [v for k, v in dims.items() if k not in order]


def pace_html(a: dict) -> str:
    """Words per minute and talk share, or why there are none (typed answers, text-only scoring)."""
    if a.get("timing"):
        return "pace not measured: " + html.escape(a["timing"])
    return f"{a['wpm']:.0f} words per minute · talk share {a['talk_share']:.0%}"


def scorecard_document(card: dict, session: dict, rnd, transcript) -> str:
    """The full report as HTML. ``session``: the stored session row (id, started_at, duration_s,
    status); ``rnd``: the loaded round; ``transcript``: the session's :class:`Transcript`."""
    e = html.escape
    c = rnd.card
    rubric_defs = list(rnd.rubrics.values())
    rubrics = {rb.id: card["rubrics"][rb.id] for rb in rubric_defs if rb.id in card.get("rubrics", {})}
    dims = in_rubric_order(card["dimensions"], rubric_defs[0] if rubric_defs else None)
    date = (session.get("started_at") or "")[:16].replace("T", " ")
    status = "" if session.get("status") in ("finished", None) else f" · {e(session['status'])}"
    out = [f"<h1 style='margin-bottom:2px'>{e(c.get('headline', rnd.title))}</h1>",
           f"<p style='color:#444'>{e(c['company'])} · {e(c['role'])} · {e(c['field'])} · {e(str(c['duration_min']))}-minute round · "
           f"{e(date)} · duration {clock(session.get('duration_s') or 0)}{status} · session {e(session.get('id', ''))}</p>"]
    used = round_use(card.get("analytics", {}))
    if used:
        out.append(f"<p>{e(used)}.</p>")
    out.append("<table cellpadding='6'><tr>" + "".join(
        f"<td style='border:1px solid #999'><b style='font-size:16pt'>{rb['total']:.1f}</b> / 100<br>{e(rb['title'])}</td>"
        for rb in rubrics.values()) + "</tr></table>")
    out.append("<h2>Dimensions</h2><table cellpadding='4' cellspacing='0' width='100%'>"
               "<tr><th align='left'>Dimension</th><th align='left'>Weight</th><th align='left'>Tier</th><th align='left'></th></tr>")
    for d in dims:
        out.append(f"<tr><td>{e(d['name'])}</td><td>{d['weight']:.0f}%</td><td>{d['tier']} / 4</td><td>{_bar(d['tier'])}</td></tr>")
    out.append("</table>")
    out.append("<h2>Evidence</h2>")
    for d in dims:
        capped = f" <i>(capped by trap: {e(d['capped_by'])})</i>" if d.get("capped_by") else ""
        out.append(f"<p><b>{e(d['name'])}</b> — tier {d['tier']}: {e(d['anchor'])}{capped}</p><ul>")
        out += [f"<li>“{e(q['quote'])}” <span style='color:#666'>(turn {q['turn']}, {clock(q['start_s'])})</span></li>"
                for q in d["evidence"]] or ["<li><i>no evidence</i></li>"]
        out.append("</ul>")
    out.append("<h2>Traps</h2>")
    if card["traps"]:
        for t in card["traps"]:
            out.append(f"<p><b>{e(t['name'])}</b></p><ul>" + "".join(
                f"<li>“{e(q['quote'])}” <span style='color:#666'>(turn {q['turn']}, {clock(q['start_s'])})</span></li>" for q in t["evidence"]) + "</ul>")
    else:
        out.append("<p>None flagged.</p>")
    for rdef, rb in list(zip(rubric_defs, rubrics.values(), strict=False))[1:]:
        out.append(f"<h2>{e(rb['title'])}: {rb['total']:.1f} / 100</h2><table cellpadding='4' cellspacing='0' width='100%'>")
        for d in in_rubric_order(rb["dimensions"], rdef):
            out.append(f"<tr><td>{e(d['name'])}</td><td>{d['weight']:.0f}%</td><td>{d['tier']} / 4</td><td>{_bar(d['tier'])}</td></tr>")
        out.append("</table>")
    a = card.get("analytics", {})
    if a:
        phases = a.get("phase_seconds", {})
        total = sum(phases.values()) or 1.0
        chart = "<table cellspacing='0' cellpadding='0' style='border:1px solid #888'><tr>" + "".join(
            f"<td width='{max(1, int(480 * v / total))}' height='16' bgcolor='{PHASE_COLORS.get(k, '#999')}'></td>" for k, v in phases.items()) + "</tr></table>"
        legend = " · ".join(f"<span style='color:{PHASE_COLORS.get(k, '#999')}'>■</span> {e(k)} {clock(v)} ({v / total:.0%})" for k, v in phases.items())
        fillers = ", ".join(f"{k} ×{n}" for k, n in a.get("fillers", {}).items()) or "none transcribed"
        out.append(f"<h2>Analytics</h2><p>Time by story phase (your speech):</p>{chart}<p>{legend}</p>"
                   f"<p>{pace_html(a)} · fillers: {fillers} "
                   f"(Whisper under-reports “um” and “uh”) · numbers stated: {a['numbers']}, with a baseline: {a['numbers_with_baseline']}</p>")
    weakest = work_on_next(dims)
    out.append("<h2>What to work on next</h2><ul>" + "".join(
        f"<li><b>{e(d['name'])}</b> (tier {d['tier']}): aim for “{e(d.get('next_anchor') or d['anchor'])}”</li>" for d in weakest) + "</ul>")
    out.append("<h2 style='page-break-before:always'>Appendix: transcript</h2>")
    for n, t in enumerate(transcript.turns, start=1):
        who = "Interviewer" if t.speaker == "interviewer" else "Candidate"
        out.append(f"<p><b>{n}. {who}</b> <span style='color:#666'>[{clock(t.start_s)}–{clock(t.end_s)}]</span> {e(t.text)}</p>")
    return "<html><body style='font-family:sans-serif; font-size:10pt'>" + "\n".join(out) + "</body></html>"
