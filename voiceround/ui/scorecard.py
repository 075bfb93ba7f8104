"""The round card (HTML) and the scorecard view: one headline score (the round's framework), the
framework dimensions as tier bars with ✓/✗ evidence, traps, what to work on next (the next tier's
target and one of the user's sentences made stronger), the second rubric as detail, delivery, and
correcting a misheard answer (then re-scored). What it says comes from
:mod:`voiceround.report.view`, like the text and PDF reports."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from voiceround.report import clock, round_use
from voiceround.rounds import Round
from voiceround.ui import theme


def card_html(rnd: Round) -> str:
    """The round card as HTML: header facts, what it is about, strong/weak answers, checklist,
    interviewer behaviour, traps, how you are scored (the headline rubric and the second one, each
    with its one-line summary) and FAQ (the seed page's sections, from the round file)."""
    c = rnd.card
    e = html.escape
    muted = theme.color("muted")

    def items(key: str) -> str:
        return "".join(f"<li><b>{e(i['title'])}.</b> {e(i['text'])}</li>" for i in c.get(key, []))

    traps = "".join(f"<li><b>{e(t.name)}.</b> {e(t.description)}</li>" for t in rnd.traps.values())
    faq = "".join(f"<p><b>{e(q['q'])}</b><br>{e(q['a'])}</p>" for q in c.get("faq", []))
    from voiceround.report.view import header_facts
    facts = " · ".join(e(x) for x in header_facts(rnd))  # each fact once (the seed's field and role say the same)
    scoring = ""
    for n, rb in enumerate(sorted(rnd.rubrics.values(), key=lambda r: r.id != rnd.primary_rubric)):
        dims = "".join(f"<li>{e(d.name)} — {d.weight:.0f}%<br><span style='color:{muted}'>{e(d.definition)}</span></li>"
                       for d in rb.dimensions)
        label = "Your headline score" if n == 0 else "Shown as detail, not added to the headline"
        summary = getattr(rb, "summary", "") or ""
        scoring += (f"<p><b>{e(rb.title)}</b> ({label}). {e(summary)}</p>"
                    + (f"<ul>{dims}</ul>" if n == 0 else f"<ul style='color:{muted}'>{dims}</ul>"))
    return (f"<h2>{e(c.get('headline', rnd.title))}</h2><p style='font-size:14px'>{facts}</p>"
            f"<h3>What this round is about</h3><ul>{items('about')}</ul>"
            f"<h3>What strong answers look like</h3><ul>{items('strong')}</ul>"
            f"<h3>What weak answers look like</h3><ul>{items('weak')}</ul>"
            f"<h3>How the interviewer behaves</h3><ul>{items('interviewer_behaviour')}</ul>"
            f"<h3>Common traps</h3><ul>{traps}</ul>"
            f"<h3>How you are scored</h3>{scoring}<h3>Common questions</h3>{faq}")


def title_label(text: str) -> QLabel:
    lab = QLabel(text)
    f = lab.font()
    f.setPointSize(f.pointSize() + 6)
    f.setBold(True)
    lab.setFont(f)
    return lab


class CorrectionDialog(QDialog):
    """Correct what the STT misheard in one of your answers: pick the answer, edit its text; the
    session is re-scored on save (the STT's text is kept, the change is recorded)."""

    def __init__(self, parent, answers: list[tuple[int, float, str]]):
        """``answers``: ``(turn index, start seconds, text)`` of each candidate turn."""
        super().__init__(parent)
        self.setWindowTitle("Correct a misheard answer")
        v = QVBoxLayout(self)
        v.addWidget(QLabel("Pick the answer, fix the words the transcript got wrong, then re-score. "
                           "The original transcript is kept."))
        self.pick = QComboBox()
        self.pick.setAccessibleName("answer to correct")
        self.texts = {}
        for idx, start, text in answers:
            self.pick.addItem(f"Turn {idx} ({clock(start)}): {text[:70]}{'…' if len(text) > 70 else ''}", idx)
            self.texts[idx] = text
        self.edit = QPlainTextEdit()
        self.edit.setAccessibleName("corrected text")
        self.pick.currentIndexChanged.connect(lambda _i: self.edit.setPlainText(self.texts.get(self.pick.currentData(), "")))
        v.addWidget(self.pick)
        v.addWidget(self.edit, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("Save and re-score")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        v.addWidget(buttons)
        self.resize(720, 360)
        if answers:
            self.edit.setPlainText(answers[0][2])

    def choice(self) -> tuple[int, str]:
        """``(turn index, corrected text)``."""
        return int(self.pick.currentData()), self.edit.toPlainText()


class ScorecardView(QWidget):
    """One headline score, the framework dimensions (tier bar with its text beside it, ✓ evidence
    for the tier and ✗ evidence against it, quotes the STT was unsure of marked), traps, what to
    work on next with "Practise this again", the second rubric as detail, delivery analytics.

    Signals: :attr:`seek_requested` ``(session_id, seconds)`` when an evidence quote is activated
    (mouse or keyboard: Tab reaches every quote link, Enter opens it); :attr:`correct_requested`
    ``(session_id)`` for "Correct a misheard answer…"; :attr:`practise_requested` ``(dimension_id)``."""

    seek_requested = Signal(str, float)
    correct_requested = Signal(str)
    practise_requested = Signal(str)

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

    def _label(self, text: str, name: str = "", links: bool = False) -> QLabel:
        lab = QLabel(text)
        lab.setWordWrap(True)
        lab.setTextFormat(Qt.RichText)
        if name:
            lab.setObjectName(name)
        if links:  # quote links reachable with Tab and opened with Enter, not only by mouse
            lab.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.LinksAccessibleByMouse | Qt.LinksAccessibleByKeyboard)
            lab.setFocusPolicy(Qt.StrongFocus)
            lab.linkActivated.connect(self._link)
        else:
            lab.setTextInteractionFlags(Qt.TextSelectableByMouse)
        return lab

    @staticmethod
    def _quote(q: dict, mark: str, role: str) -> str:
        e = html.escape
        unsure = f" <i style='color:{theme.color('warn')}'>(may be misheard)</i>" if q.get("unsure") else ""
        why = f" <span style='color:{theme.color('muted')}'>— {e(q['why'])}</span>" if q.get("why") else ""
        return (f"<span style='color:{theme.color(role)}'><b>{mark}</b></span> “{e(q['quote'])}”{unsure} "
                f"<a href='t:{q['start_s']}'>(turn {q['turn']}, {clock(q['start_s'])})</a>{why}")

    def show_card(self, card: dict | None, header: str = "", rnd: Round | None = None, session_id: str = "",
                  transcript=None) -> None:
        """Show ``card`` (a scorecard dict, :func:`voiceround.scoring.score`) of ``session_id`` on
        ``rnd``; ``transcript`` (optional) marks quotes the STT was unsure of and finds the user's own
        sentences for "what to work on next". ``None``: the empty state."""
        self.session_id = session_id
        body = QWidget()
        v = QVBoxLayout(body)
        if card is None:
            v.addWidget(self._label("<h2>No scorecard yet</h2><p>Finish a round to see how you did, or open a past "
                                    "session in History (Ctrl+7).</p>"))
            self.empty_btn = QPushButton(theme.icon("mdi6.microphone", "on_accent"), "Prepare a round  (Ctrl+N)")
            self.empty_btn.setObjectName("primary")
            self.empty_btn.clicked.connect(lambda: self.practise_requested.emit(""))
            v.addWidget(self.empty_btn, 0, Qt.AlignLeft)
            v.addStretch()
            self.scroll.setWidget(body)
            return
        from voiceround.report import view
        e = html.escape
        muted = theme.color("muted")
        if rnd is None:
            raise ValueError("show_card needs the round of the scorecard")
        head = view.headline(card, rnd)
        if header:
            v.addWidget(self._label(f"<span style='color:{muted}'>{e(header)}</span>"))
        total = title_label(f"{head['total']:.1f} / 100")  # one decimal, as History, Compare and the PDF show it
        f = total.font()
        f.setPointSize(f.pointSize() + 10)
        total.setFont(f)
        total.setObjectName("total")
        total.setAccessibleName(f"{head['title']} score {head['total']:.1f} out of 100")
        top = QHBoxLayout()
        top.addWidget(total)
        top.addWidget(self._label(f"<b>{e(head['title'])}</b><br><span style='color:{muted}'>{e(head['summary'])}</span>"), 1)
        fix = QPushButton(theme.icon("mdi6.pencil-outline"), "Correct a misheard answer…")
        fix.setToolTip("Fix words the transcript got wrong, then re-score (the original is kept)")
        fix.setEnabled(bool(session_id))
        fix.clicked.connect(lambda: self.correct_requested.emit(self.session_id))
        self.correct_btn = fix
        top.addWidget(fix, 0, Qt.AlignTop)
        v.addLayout(top)
        used = round_use(card.get("analytics", {}))
        if used:
            v.addWidget(self._label(e(used) + ".", "round_use"))
        grid = QGridLayout()
        grid.setVerticalSpacing(14)
        for row, d in enumerate(view.dimension_rows(card, rnd, transcript)):
            name = self._label(f"<b>{e(d['name'])}</b><br><span style='color:{muted}'>weight {d['weight']:.0f}%</span>")
            bar = QProgressBar()
            bar.setRange(0, 4)
            bar.setValue(d["tier"])
            bar.setTextVisible(False)  # the text is beside the bar, not drawn across it
            bar.setMaximumWidth(160)
            bar.setAccessibleName(f"{d['name']}: tier {d['tier']} of 4")
            tier = QLabel(f"tier {d['tier']} of 4")
            tier_box = QHBoxLayout()
            tier_box.setSpacing(8)
            tier_box.addWidget(bar)
            tier_box.addWidget(tier)
            tier_box.addSpacing(8)
            # a trap or a round file's story-fit cap ("hypothetical story" is no trap): worded as the text and PDF word it
            capped = (f"<br><span style='color:{theme.color('bad')}'>held down by: {e(d['capped_by'])}</span>"
                      if d.get("capped_by") else "")
            capped += f"<br><span style='color:{muted}'>{e(d['reading'])}.</span>" if d.get("reading") else ""
            quotes = [self._quote(q, "✓", "good") for q in d["for"]] + [self._quote(q, "✗", "bad") for q in d["against"]]
            ev = self._label(f"{e(d['anchor'])}{capped}<br>" + ("<br>".join(quotes) or f"<i style='color:{muted}'>no evidence</i>"),
                             f"evidence-{d['id']}", links=True)
            ev.setAccessibleName(f"evidence for {d['name']}")
            grid.addWidget(name, row, 0, Qt.AlignTop)
            grid.addLayout(tier_box, row, 1, Qt.AlignTop)
            grid.addWidget(ev, row, 2)
        grid.setColumnStretch(2, 1)
        v.addLayout(grid)
        traps = card["traps"]
        t = "<h3>Traps flagged</h3>" + ("".join(
            f"<p><b style='color:{theme.color('bad')}'>✗ {e(x['name'])}</b><br>" + "<br>".join(
                f"“{e(q['quote'])}” <a href='t:{q['start_s']}'>({clock(q['start_s'])})</a>" for q in x["evidence"]) + "</p>"
            for x in traps) if traps else "<p>None.</p>")
        ignored = view.not_counted(card)
        if ignored:
            t += f"<p><b>{e(view.NOT_COUNTED_NOTE)}</b><br>" + "<br>".join(
                f"∅ “{e(q['quote'])}” <a href='t:{q['start_s']}'>({clock(q['start_s'])})</a>"
                + (f" ×{q['count']}" if q.get("count", 1) > 1 else "") for q in ignored) + "</p>"
        v.addWidget(self._label(t, "traps", links=True))
        v.addWidget(self._label("<h3>What to work on next</h3>"))
        steps = view.next_steps(card, rnd, transcript)
        if not steps:
            v.addWidget(self._label(e(view.no_steps_note(card))))
        for step in steps:
            box = QHBoxLayout()
            ex = step.get("example") or {}
            text = f"<b>{e(step['name'])}</b> (tier {step['tier']} of 4). {e(step['target'])}"
            if step.get("cap_note"):
                text += f"<br><span style='color:{theme.color('bad')}'>{e(step['cap_note'])}</span>"
            if ex.get("sentence"):
                said, better = ("Instead of", "Say") if ex.get("replaces") else ("You said", "Stronger")
                text += (f"<br><span style='color:{muted}'>{said}:</span> “{e(ex['sentence'])}”"
                         f"{' <i>(may be misheard)</i>' if ex.get('unsure') else ''}"
                         f"<br><span style='color:{theme.color('good')}'>{better}:</span> “{e(ex['rewrite'])}”")
            box.addWidget(self._label(text, f"next-{step['id']}"), 1)
            drill = QPushButton(theme.icon("mdi6.replay"), "Practise this again")
            drill.setToolTip(f"A 5-minute drill on {step['name']}")
            drill.setAccessibleName(f"Practise {step['name']} again")
            drill.clicked.connect(lambda _=False, did=step["id"]: self.practise_requested.emit(did))
            box.addWidget(drill, 0, Qt.AlignTop)
            v.addLayout(box)
        rest = ""
        for rb in view.secondary(card, rnd):
            rest += (f"<h3 style='color:{muted}'>{e(rb['title'])}: {rb['total']:.1f} of 100 (detail, not your score)</h3>"
                     f"<p style='color:{muted}'>{e(rb['summary'])}</p><ul style='color:{muted}'>" + "".join(
                         f"<li>{e(d['name'])} ({d['weight']:.0f}%): tier {d['tier']} of 4 — {e(d['anchor'])}</li>"
                         for d in rb["dimensions"]) + "</ul>")
        a = card.get("analytics", {})
        if a:
            fillers = ", ".join(f"{k} ×{n}" for k, n in a.get("fillers", {}).items()) or "none transcribed"
            phases = ", ".join(f"{k} {clock(s)}" for k, s in a.get("phase_seconds", {}).items())
            pace = "pace not measured: " + e(a["timing"]) if a.get("timing") else f"{a['wpm']:.0f} words per minute · you talked {a['talk_share']:.0%} of the time"
            rest += (f"<h3>Delivery</h3><p>{pace} · "
                     f"fillers: {fillers} <i>(Whisper under-reports “um” and “uh”)</i><br>Time by phase: {phases}<br>"
                     f"Numbers: {a['numbers']} stated, {a['numbers_with_baseline']} with a baseline</p>")
        v.addWidget(self._label(rest, "detail"))
        v.addStretch()
        self.scroll.setWidget(body)
        from voiceround.ui.a11y import name_controls
        name_controls(body)
