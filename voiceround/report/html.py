"""Scorecard and transcript as one printable HTML document (pure; Qt renders it to PDF).

Built on the presentation model in :mod:`voiceround.report.view`, so the PDF says what the
terminal and the app say. Page 1 is a one-page summary: the round and date, the one headline score
with what it is, the dimension tiers with bars, the traps flagged and what to work on next. Then
the evidence per dimension (✓ for the tier, ✗ against it), the traps' quotes, the second rubric
under its one-line explanation, analytics with a chart of the phase split, and the full
transcript with timestamps as an appendix.

Headings are ``<h1>``-``<h3>`` so the PDF writer (:func:`voiceround.ui.pdf.write_pdf`) can keep
each one on the page of the text that follows it.
"""
from __future__ import annotations

import html

from voiceround.report import clock, round_use, status_text
from voiceround.report import view

PHASE_COLORS = {"argument": "#c0504d", "decision": "#8064a2", "commitment": "#4f81bd", "outcome": "#9bbb59",
                "reflection": "#f79646"}
# ✓ and ✗ marks: at least 4.5:1 contrast on white (WCAG 2 AA for normal text): 6.6:1 and 8.2:1.
GOOD_COLOR = "#176b2c"
BAD_COLOR = "#9b1c1c"
MUTED = "#555555"  # 7.5:1 on white
BAR_COLOR = "#2f6db3"
UL = "<ul style='list-style-type:none'>"  # quotes carry their own ✓/✗ mark
H2 = "style='margin-top:8px; margin-bottom:3px'"  # the summary page's headings (h3): the page must fit on one page


def _bar(tier: int, width: int = 120) -> str:
    filled = int(width * tier / 4)
    return (f"<table cellspacing='0' cellpadding='0' style='border:1px solid #888'><tr>"
            f"<td width='{filled}' height='10' bgcolor='{BAR_COLOR}'></td><td width='{width - filled}' height='10' bgcolor='#eeeeee'></td>"
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


def quote_html(q: dict, against: bool | None = None) -> str:
    """One quote of :func:`voiceround.report.view.dimension_rows` as a list item: a green ✓ (for
    the tier) or a dark-red ✗ naming the trap (against it; default: when the quote has a ``why``),
    the turn and time, and "(may be misheard)" when the speech recognition was unsure."""
    e = html.escape
    against = bool(q.get("why")) if against is None else against
    mark = f"<span style='color:{BAD_COLOR}'><b>✗</b></span>" if against else f"<span style='color:{GOOD_COLOR}'><b>✓</b></span>"
    why = f" <span style='color:{BAD_COLOR}'>{e(q['why'])}</span>" if q.get("why") else ""
    unsure = f" <i style='color:{MUTED}'>(may be misheard)</i>" if q.get("unsure") else ""
    return (f"<li>{mark} “{e(q['quote'])}” <span style='color:{MUTED}'>(turn {q['turn']}, {clock(q['start_s'])})</span>"
            f"{unsure}{why}</li>")


def _caps_text(trap: dict) -> str:
    return ", ".join(f"{c['name']} at tier {c['tier']}" for c in trap["caps"])


EXAMPLE_WORDS = 18  # the summary page shows the end of a long sentence, where the addition joins it


def example_html(ex: dict, max_words: int = EXAMPLE_WORDS) -> str:
    """A next step's example: the candidate's own sentence (grey; a long one shown from "…" and
    its last ``max_words`` words) followed by what to add, in bold (the round file's rewrite,
    placeholders in brackets); or, for a sentence that tripped a trap, "Instead of … say …"."""
    e = html.escape
    rewrite, sentence = ex["rewrite"], ex["sentence"]
    unsure = " <i>(may be misheard)</i>" if ex["unsure"] else ""
    if ex.get("replaces"):
        words = sentence.split()
        shown = sentence if len(words) <= max_words else " ".join(words[:max_words]) + " …"
        return (f"<span style='color:{MUTED}'>Instead of</span> “{e(shown)}”{unsure}<span style='color:{MUTED}'>, say:</span> "
                f"“<b>{e(rewrite)}</b>”")
    if sentence and sentence in rewrite:
        pre, post = rewrite.split(sentence, 1)
        words = sentence.split()
        shown = sentence if len(words) <= max_words else "… " + " ".join(words[-max_words:])
        body = f"{e(pre)}<span style='color:{MUTED}'>{e(shown)}</span><b>{e(post)}</b>"
    else:
        body = e(rewrite)
    return f"<span style='color:{MUTED}'>Your sentence{unsure} made stronger (add the bold part):</span> “{body}”"


def next_steps_html(steps: list[dict], card: dict | None = None) -> str:
    """"What to work on next" (:func:`voiceround.report.view.next_steps`): per dimension the next
    tier as an instruction, what holds it down, and the candidate's sentence with what to add; or
    :func:`voiceround.report.view.no_steps_note` for ``card``."""
    e = html.escape
    if not steps:
        return f"<p>{e(view.no_steps_note(card or {}))}</p>"
    out = []
    for i, st in enumerate(steps, start=1):
        lines = [f"<b>{i}. {e(st['name'])}</b> (tier {st['tier']} of 4). {e(st['target'])}"]
        if st["capped_by"]:  # a trap's description is with its quotes, after the summary page; a round's cap has none there
            note = f"Held at tier {st['tier']} by: {st['capped_by']}." if st.get("cap_is_trap") or not st.get("cap_note") else st["cap_note"]
            lines.append(f"<span style='color:{BAD_COLOR}'>{e(note)}</span>")
        if st["example"]:
            lines.append(example_html(st["example"]))
        out.append("<p style='margin-top:2px; margin-bottom:5px; font-size:9pt'>" + "<br>".join(lines) + "</p>")
    return "".join(out)


def scorecard_document(card: dict, session: dict, rnd, transcript) -> str:
    """The full report as HTML. ``session``: the stored session row (id, started_at, duration_s,
    status); ``rnd``: the loaded round; ``transcript``: the session's :class:`Transcript`."""
    e = html.escape
    c = rnd.card
    head = view.headline(card, rnd)
    rows = view.dimension_rows(card, rnd, transcript)
    date = (session.get("started_at") or "")[:16].replace("T", " ")
    said = status_text(session)
    status = "" if said in ("finished", "") else f" · {e(said)}"  # "unfinished", not "running", for a killed round
    facts = " · ".join(e(f) for f in view.header_facts(rnd))
    # The title is a paragraph: Qt's <h1> ignores a font-size (its own size adjustment wins).
    out = [f"<p style='font-size:12pt; font-weight:bold; margin-bottom:2px'>{e(c.get('headline', rnd.title))}</p>",
           f"<p style='color:{MUTED}; margin-top:0; font-size:9pt'>{facts} · {e(date)} · duration {clock(session.get('duration_s') or 0)}{status}"
           f" · session {e(session.get('id', ''))}</p>"]
    # The one score, large, with what it is.
    out.append("<table width='100%' cellpadding='6' cellspacing='0' style='border:1px solid #999'><tr>"
               f"<td width='190' valign='middle' style='white-space:nowrap'><span style='font-size:30pt; font-weight:bold'>"
               f"{head['total']:.1f}</span><span style='font-size:12pt'>&nbsp;/&nbsp;100</span></td>"
               f"<td valign='middle'><b style='font-size:12pt'>{e(head['title'])}</b><br>{e(head['summary'])}</td></tr></table>")
    used = round_use(card.get("analytics", {}))
    if used:
        out.append(f"<p style='font-size:9pt'>{e(used)}.</p>")
    out.append(f"<h3 {H2}>Dimensions</h3><table cellpadding='2' cellspacing='0'>"
               "<tr><th align='left' width='280'>Dimension</th><th align='left' width='60'>Weight</th><th align='left' width='45'>Tier</th>"
               "<th align='left' width='110'></th></tr>")
    for d in rows:
        held = f"<br><span style='color:{BAD_COLOR}; font-size:9pt'>held down by: {e(d['capped_by'])}</span>" if d["capped_by"] else ""
        out.append(f"<tr><td>{e(d['name'])}{held}</td><td>{d['weight']:.0f}%</td><td>{d['tier']} / 4</td><td>{_bar(d['tier'], 100)}</td></tr>")
    out.append("</table>")
    flagged = view.traps(card, rnd, transcript)
    out.append(f"<h3 {H2}>Traps flagged</h3><p>" + (" · ".join(f"<span style='color:{BAD_COLOR}'>✗</span> {e(t['name'])}" for t in flagged)
                                              if flagged else "None flagged.") + "</p>")
    ignored = view.not_counted(card)
    if ignored:
        out.append(f"<p style='color:{MUTED}'>{e(view.NOT_COUNTED_NOTE)}: " + " · ".join(f"“{e(q['quote'])}”" + (f" ×{q['count']}" if q.get("count", 1) > 1 else "") for q in ignored) + "</p>")
    out.append(f"<h3 {H2}>What to work on next</h3>" + next_steps_html(view.next_steps(card, rnd, transcript), card))

    # Page 2 on: the evidence.
    out.append("<h2 style='page-break-before:always'>Evidence per dimension</h2>"
               f"<p style='color:{MUTED}'><span style='color:{GOOD_COLOR}'><b>✓</b></span> raised the tier · "
               f"<span style='color:{BAD_COLOR}'><b>✗</b></span> counts against it (a flagged trap) · "
               "<i>(may be misheard)</i>: the speech recognition was unsure of these words</p>")
    for d in rows:
        held = f" <span style='color:{BAD_COLOR}'>(held down by: {e(d['capped_by'])})</span>" if d["capped_by"] else ""
        held += f" <span style='color:{MUTED}'>({e(d['reading'])}.)</span>" if d.get("reading") else ""
        out.append(f"<h3>{e(d['name'])} — tier {d['tier']} of 4</h3><p style='margin-top:0'>{e(d['anchor'])}{held}</p>{UL}")
        out += [quote_html(q) for q in d["for"] + d["against"]] or ["<li><i>no evidence</i></li>"]
        out.append("</ul>")
    if flagged:
        out.append("<h2>Traps: what was quoted</h2>")
        for t in flagged:
            caps = f" It caps {e(_caps_text(t))}." if t["caps"] else ""
            out.append(f"<h3>{e(t['name'])}</h3><p style='margin-top:0'>{e(t['description'])}{caps}</p>{UL}" + "".join(
                quote_html(dict(q, why=""), against=True) for q in t["evidence"]) + "</ul>")
    for rb in view.secondary(card, rnd):
        out.append(f"<h2>{e(rb['title'])}: a second reading, {rb['total']:.1f} of 100</h2>"
                   f"<p style='margin-top:0'>{e(rb['summary'])}</p>"
                   "<table cellpadding='2' cellspacing='0'>")  # no header row: it could be left alone at a page foot
        for d in rb["dimensions"]:
            out.append(f"<tr><td width='280'>{e(d['name'])}</td><td width='60'>{d['weight']:.0f}%</td><td width='45'>{d['tier']} / 4</td>"
                       f"<td width='90'>{_bar(d['tier'], 80)}</td></tr>")
        out.append("</table>")
    a = card.get("analytics", {})
    if a:
        phases = a.get("phase_seconds", {})
        total = sum(phases.values()) or 1.0
        chart = "<table cellspacing='0' cellpadding='0' style='border:1px solid #888'><tr>" + "".join(
            f"<td width='{max(1, int(480 * v / total))}' height='16' bgcolor='{PHASE_COLORS.get(k, '#999')}'></td>" for k, v in phases.items()) + "</tr></table>"
        legend = " · ".join(f"<span style='color:{PHASE_COLORS.get(k, '#999')}'>■</span> {e(k)} {clock(v)} ({v / total:.0%})" for k, v in phases.items())
        fillers = ", ".join(f"{k} ×{n}" for k, n in a.get("fillers", {}).items()) or "none transcribed"
        # the chart's caption is a heading, so it keeps with the next text, the legend (the chart's cells hold
        # none): chart and legend share a page (a new user's PDF had the legend alone at the top of the next)
        out.append(f"<h2 style='margin-top:16px'>Analytics</h2><h4 style='font-weight:normal'>Time by story phase (your speech):</h4>{chart}<p>{legend}</p>"
                   f"<p>{pace_html(a)} · fillers: {fillers} "
                   f"(Whisper under-reports “um” and “uh”) · numbers stated: {a['numbers']}, with a baseline: {a['numbers_with_baseline']}</p>")
    # no forced page break: the analytics' last line spilling over left a page with two lines on it (a new user's PDF)
    out.append("<h2 style='margin-top:24px'>Appendix: transcript</h2>")
    for n, t in enumerate(transcript.turns, start=1):
        who = "Interviewer" if t.speaker == "interviewer" else "Candidate"
        out.append(f"<p><b>{n}. {who}</b> <span style='color:{MUTED}'>[{clock(t.start_s)}–{clock(t.end_s)}]</span> {e(t.text)}</p>")
    return "<html><body style='font-family:sans-serif; font-size:10pt'>" + "\n".join(out) + "</body></html>"
