"""The round card (HTML) and the scorecard view: total, the framework dimensions as tier bars with
weights and evidence, traps, what to work on next, the second rubric and delivery analytics."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QScrollArea, QVBoxLayout, QWidget

from voiceround.report import clock, round_use, work_on_next
from voiceround.rounds import Round


def card_html(rnd: Round) -> str:
    """The round card as HTML: header facts, what it is about, strong/weak answers, checklist,
    interviewer behaviour, traps and FAQ (the seed page's sections, from the round file)."""
    c = rnd.card
    e = html.escape

    def items(key: str) -> str:
        return "".join(f"<li><b>{e(i['title'])}.</b> {e(i['text'])}</li>" for i in c.get(key, []))

    traps = "".join(f"<li><b>{e(t.name)}.</b> {e(t.description)}</li>" for t in rnd.traps.values())
    faq = "".join(f"<p><b>{e(q['q'])}</b><br>{e(q['a'])}</p>" for q in c.get("faq", []))
    facts = " · ".join(e(str(x)) for x in (c["field"], c["company"], c["role"], f"{c['duration_min']} min", c["difficulty"]))
    dims = "".join(f"<li>{e(d.name)} — {d.weight:.0f}%<br><span style='color:#555'>{e(d.definition)}</span></li>"
                   for d in next(iter(rnd.rubrics.values())).dimensions)
    return (f"<h2>{e(c.get('headline', rnd.title))}</h2><p style='font-size:14px'>{facts}</p>"
            f"<h3>What this round is about</h3><ul>{items('about')}</ul>"
            f"<h3>What strong answers look like</h3><ul>{items('strong')}</ul>"
            f"<h3>What weak answers look like</h3><ul>{items('weak')}</ul>"
            f"<h3>How the interviewer behaves</h3><ul>{items('interviewer_behaviour')}</ul>"
            f"<h3>Common traps</h3><ul>{traps}</ul>"
            f"<h3>How you are scored</h3><ul>{dims}</ul><h3>Common questions</h3>{faq}")


def title_label(text: str) -> QLabel:
    lab = QLabel(text)
    f = lab.font()
    f.setPointSize(f.pointSize() + 6)
    f.setBold(True)
    lab.setFont(f)
    return lab


class ScorecardView(QWidget):
    """Total, the framework dimensions as tier bars with weights and evidence, traps, what to
    work on next, the second rubric and delivery analytics. Every evidence quote is a link:
    clicking it emits :attr:`seek_requested` ``(session_id, seconds)``."""

    seek_requested = Signal(str, float)

    def __init__(self):
        super().__init__()
        self.session_id = ""
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.scroll)
        self.show_card(None)

    def _link(self, href: str) -> None:
        if href.startswith("t:") and self.session_id:
            self.seek_requested.emit(self.session_id, float(href[2:]))

    def show_card(self, card: dict | None, header: str = "", rnd: Round | None = None, session_id: str = "") -> None:
        """Show ``card`` (dimensions in the round's rubric order when ``rnd`` is given)."""
        self.session_id = session_id
        from voiceround.report.html import in_rubric_order
        if card is not None and rnd is not None:  # stored scorecards are key-sorted: show the rubric's order
            dims = in_rubric_order(card["dimensions"], next(iter(rnd.rubrics.values())))
            card = dict(card, dimensions={k: v for d in dims for k, v in card["dimensions"].items() if v is d})
        body = QWidget()
        v = QVBoxLayout(body)
        if card is None:
            v.addWidget(QLabel("No scorecard yet. Finish a round, or double-click a session in History."))
            v.addStretch()
            self.scroll.setWidget(body)
            return
        e = html.escape
        if header:
            v.addWidget(QLabel(header))
        total = title_label(f"Total {card['total']:.1f} / 100")
        total.setObjectName("total")
        v.addWidget(total)
        used = round_use(card.get("analytics", {}))
        if used:
            use = QLabel(used + ".")
            use.setObjectName("round_use")
            use.setWordWrap(True)
            v.addWidget(use)
        grid = QGridLayout()
        for row, (did, d) in enumerate(card["dimensions"].items()):
            name = QLabel(f"<b>{e(d['name'])}</b><br><span style='color:#555'>weight {d['weight']:.0f}%</span>")
            bar = QProgressBar()
            bar.setRange(0, 4)
            bar.setValue(d["tier"])
            bar.setFormat(f"tier {d['tier']}/4")
            bar.setMinimumWidth(220)
            quotes = "<br>".join(f"“{e(q['quote'])}” <a href='t:{q['start_s']}'>(turn {q['turn']}, {clock(q['start_s'])})</a>"
                                 for q in d["evidence"]) or "<i>no evidence</i>"
            capped = f"<br><span style='color:#a40'>capped by trap: {e(d['capped_by'])}</span>" if d.get("capped_by") else ""
            ev = QLabel(f"{e(d['anchor'])}{capped}<br>{quotes}")
            ev.setObjectName(f"evidence-{did}")
            ev.setWordWrap(True)
            ev.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.LinksAccessibleByMouse)
            ev.linkActivated.connect(self._link)
            grid.addWidget(name, row, 0, Qt.AlignTop)
            grid.addWidget(bar, row, 1, Qt.AlignTop)
            grid.addWidget(ev, row, 2)
        grid.setColumnStretch(2, 1)
        v.addLayout(grid)
        traps = card["traps"]
        t = "<h3>Traps flagged</h3>" + ("".join(
            f"<p><b>{e(x['name'])}</b><br>" + "<br>".join(f"“{e(q['quote'])}” ({clock(q['start_s'])})" for q in x["evidence"]) + "</p>"
            for x in traps) if traps else "<p>None.</p>")
        weakest = work_on_next(list(card["dimensions"].values()))
        t += "<h3>What to work on next</h3><ul>" + "".join(
            f"<li><b>{e(d['name'])}</b> (tier {d['tier']}): aim for “{e(d.get('next_anchor') or d['anchor'])}”</li>" for d in weakest) + "</ul>"
        rubrics = card.get("rubrics", {})
        for rb in list(rubrics.values())[1:]:
            t += f"<h3>{e(rb['title'])}: {rb['total']:.1f} / 100</h3><ul>" + "".join(
                f"<li>{e(d['name'])} ({d['weight']:.0f}%): tier {d['tier']}/4 — {e(d['anchor'])}</li>" for d in rb["dimensions"].values()) + "</ul>"
        a = card.get("analytics", {})
        if a:
            fillers = ", ".join(f"{k} ×{n}" for k, n in a.get("fillers", {}).items()) or "none transcribed"
            phases = ", ".join(f"{k} {clock(s)}" for k, s in a.get("phase_seconds", {}).items())
            pace = "pace not measured: " + e(a["timing"]) if a.get("timing") else f"{a['wpm']:.0f} words per minute · you talked {a['talk_share']:.0%} of the time"
            t += (f"<h3>Delivery</h3><p>{pace} · "
                  f"fillers: {fillers} <i>(Whisper under-reports “um” and “uh”)</i><br>Time by phase: {phases}<br>"
                  f"Numbers: {a['numbers']} stated, {a['numbers_with_baseline']} with a baseline</p>")
        rest = QLabel(t)
        rest.setWordWrap(True)
        rest.setTextInteractionFlags(Qt.TextSelectableByMouse)
        v.addWidget(rest)
        v.addStretch()
        self.scroll.setWidget(body)
