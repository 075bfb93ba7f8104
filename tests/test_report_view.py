"""The scorecard's presentation model (voiceround.report.view) and the reports built on it: one
headline score, quotes for and against (a trap's quote never shown as a strength), misheard
marks, "what to work on next" aimed at the next tier with the candidate's own sentence, and a PDF
whose text can be searched and whose summary fits on page 1 with no heading left at a page foot."""
import glob
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CASES
from voiceround.core.types import Transcript, Turn
from voiceround.report import scorecard_text, view
from voiceround.rounds import RoundFileError, load_round
from voiceround.scoring import score
from voiceround.session.cases import load_case, text_transcript

ROOT = Path(__file__).resolve().parents[1]
LOCAL_CASES = sorted(glob.glob(str(ROOT / "tests" / "data" / "cases" / "*.toml")))
CO_CASES = sorted(glob.glob(str(ROOT / "tests" / "data" / "cases_customer_obsession" / "*" / "*.toml")))[:6]


def scored(path: str, rnd):
    tr = text_transcript(load_case(path, rnd))
    return score(tr, rnd), tr


@pytest.fixture(scope="module")
def co_rnd():
    return load_round("customer_obsession")


def case(name: str) -> str:
    return str(ROOT / "tests" / "data" / "cases" / f"{name}.toml")


def keys(quotes):
    return {(q["turn"], q["quote"]) for q in quotes}


# -- headline and second rubric --------------------------------------------------------------

@pytest.mark.fast
def test_headline_is_the_primary_rubric_and_the_second_is_explained(rnd, co_rnd):
    card, _ = scored(case("weak-fintech-kyc-threshold"), rnd)
    head = view.headline(card, rnd)
    assert head["title"] == "Interview framework" and head["total"] == card["total"] == card["rubrics"]["framework"]["total"]
    assert "your score" in head["summary"].lower()
    (second,) = view.secondary(card, rnd)
    assert second["id"] == "scorecard" and second["title"] == "What we evaluate"  # the round page's heading
    assert second["total"] == card["rubrics"]["scorecard"]["total"]
    assert "not added to it" in second["summary"] and "higher or lower" in second["summary"]
    assert [d["name"] for d in second["dimensions"]] == [d.name for d in rnd.rubrics["scorecard"].dimensions]
    # a stored card with the old title still shows the round's title; one rubric: no second reading
    old = dict(card, rubrics={k: dict(v, title="Final scorecard") for k, v in card["rubrics"].items()})
    assert view.secondary(old, rnd)[0]["title"] == "What we evaluate"
    co_card, _ = scored(CO_CASES[0], co_rnd)
    assert view.headline(co_card, co_rnd)["title"] == "Customer Obsession" and view.secondary(co_card, co_rnd) == []
    assert view.headline(card, None)["total"] == card["total"]  # no round file: the card's own data


@pytest.mark.fast
def test_text_report_has_one_headline_score_before_the_dimensions(rnd):
    card, tr = scored(case("weak-fintech-kyc-threshold"), rnd)
    for text in (scorecard_text(card, "Session x", rnd, tr), scorecard_text(card)):  # without rnd: the bundled round
        lines = text.splitlines()
        first_dim = next(i for i, line in enumerate(lines) if "Conflict Articulation" in line)
        hundred = [line for line in lines[:first_dim] if "/ 100" in line]
        assert len(hundred) == 1 and hundred[0].startswith(f"Total: {card['total']:.1f} / 100") and "Interview framework" in hundred[0]
        assert sum("/ 100" in line for line in lines) == 1  # the second reading is not a second total
        assert f"What we evaluate (a second reading, not part of your score): {card['rubrics']['scorecard']['total']:.1f} of 100" in text
        assert "Final scorecard" not in text


@pytest.mark.fast
def test_header_facts_say_each_fact_once(rnd, co_rnd):
    for r in (rnd, co_rnd):
        facts = view.header_facts(r)
        assert "Role: Generic Practice" in facts and not any("General Practice" in f for f in facts)  # the seed's role and field say the same
        assert "Amazon" not in facts  # already in the headline
        assert "20-minute round" in facts and "Medium difficulty" in facts


# -- quotes for and against ------------------------------------------------------------------

@pytest.mark.fast
@pytest.mark.parametrize("path", LOCAL_CASES, ids=lambda p: Path(p).stem)
def test_a_traps_quotes_count_against_the_dimension_it_caps_never_for_it(rnd, path):
    card, tr = scored(path, rnd)
    rows = {r["id"]: r for r in view.dimension_rows(card, rnd, tr)}
    assert list(rows) == [d.id for d in rnd.rubrics["framework"].dimensions]  # the rubric's order
    every_trap_quote = set()  # quotes of traps flagged by their wording: never a strength anywhere
    cue_features = set(rnd.scoring.get("cue_features", {}))
    cue_features |= {f"{n}_read" for n in cue_features}  # a cue read by meaning as well is still the cue's wording
    for t in card["traps"]:
        if all(n in cue_features for e in rnd.traps[t["id"]].evidence for n in e.split("|")):
            every_trap_quote |= keys(t["evidence"])
        for dim, cap in rnd.traps[t["id"]].caps.items():
            if dim in rows:
                against = {(q["turn"], q["quote"]): q for q in rows[dim]["against"]}
                for q in t["evidence"]:
                    assert (q["turn"], q["quote"]) in against
                    why = against[(q["turn"], q["quote"])]["why"]
                    if rows[dim]["tier"] >= cap:  # the cap holds the tier: it is named
                        assert f"trap: {t['name']} (caps this at tier {cap})" in why
                    else:  # the answer is below the cap on its own: no "caps this at tier 2" at tier 1
                        assert f"trap: {t['name']}" in why and "caps this" not in why
                assert not keys(t["evidence"]) & keys(rows[dim]["for"])
    for r in rows.values():
        assert not keys(r["for"]) & keys(r["against"])  # one list per quote
        assert not keys(r["for"]) & every_trap_quote  # a wording trap's quote is never a strength (a structural
        # trap's never under the dimensions it caps, checked above)
        assert all(q["why"] for q in r["against"])
        d = card["dimensions"][r["id"]]
        if d["tier"] <= 1 and (not d.get("criteria_met") or d.get("capped_by")):
            assert r["for"] == []  # nothing raised the tier (or a trap holds it at 1): no quote is shown as a strength
        else:
            assert keys(r["for"]) | keys(r["against"]) >= keys(d["evidence"])  # nothing dropped


@pytest.mark.fast
def test_a_dimension_a_trap_holds_at_tier_1_shows_no_strength_and_coaches_from_the_trap(rnd):
    """A new user's weak answer: Execution Commitment held at tier 1 by passive-aggressive compliance
    showed ✓ "We improved things a lot, results were really good." and the rewrite started from it;
    the sentence that held the tier down was "I did what I was told"."""
    turns = ["We had a disagreement once about a project direction. I felt like we should do things differently, but the team went another way.",
             "They thought their way was better. I think it was more of a gut feeling on both sides.",
             "I just felt strongly that it was wrong. In general I always try to go with my instincts on these things.",
             "Eventually my manager decided to go with their approach, so I said fine.",
             "I did what I was told, I guess. We got it done. I kept my opinion to myself and let them find out.",
             "We improved things a lot, results were really good. We increased revenue by 50%.",
             "Honestly nothing. I was right. Typically these things work out in the end."]
    t = Transcript([Turn("candidate", x, 10.0 * i, 10.0 * i + 8) for i, x in enumerate(turns)])
    card = score(t, rnd)
    ec = next(r for r in view.dimension_rows(card, rnd, t) if r["id"] == "execution_commitment")
    assert ec["tier"] == 1 and ec["capped_by"] == "Passive-aggressive compliance", ec
    assert ec["for"] == [] and any(q["quote"].startswith("I did what I was told") for q in ec["against"]), ec
    step = next(st for st in view.next_steps(card, rnd, t) if st["id"] == "execution_commitment")
    assert step["example"]["sentence"].startswith("I did what I was told"), step


@pytest.mark.fast
def test_i_gave_up_too_fast_is_against_even_where_the_trap_quote_was_cut(rnd):
    """The user's report: "I gave up too fast." raised Execution Commitment while the answer
    tripped "Yielding too quickly". The card keeps three quotes a trap, so the trap's lexicon is read."""
    t = Transcript([Turn("candidate", "I was the product manager for our budgeting app, and my head of product Dana wanted to remove "
                         "the free tier. I disagreed. She said the decision was pretty much made. So I said okay, I understand, and I "
                         "didn't push it any further. I didn't want to create friction. Once it was decided, I wrote the migration "
                         "plan myself. I gave up too fast.", 0.0, 60.0)])
    card = score(t, rnd)
    assert "yielding_too_quickly" in {x["id"] for x in card["traps"]}
    assert "I gave up too fast." not in {q["quote"] for x in card["traps"] for q in x["evidence"]}  # cut at three
    rows = {r["id"]: r for r in view.dimension_rows(card, rnd, t)}
    everywhere_for = {q["quote"] for r in rows.values() for q in r["for"]}
    assert "I gave up too fast." not in everywhere_for
    # it carries the trap, which the report lists it under; a trap that caps no dimension of the score
    # (Yielding caps the second reading's Pushback) quotes it under none of them, for or against
    assert "I gave up too fast." in {q["quote"] for x in card["traps"] for q in x["carried_by"]}
    against = [q for r in rows.values() for q in r["against"] if q["quote"] == "I gave up too fast."]
    assert all("Yielding too quickly" in q["why"] for q in against)


def test_a_sentence_carrying_a_trap_past_its_three_quotes_is_no_strength_and_no_base_for_coaching():
    """`voiceround score --text` as a user runs it. The told-you-so sentence of a passive-aggressive
    answer ("I figured if it broke, that would prove my point, and I kept the email…") is the trap's
    fourth sentence, so not among its three quotes; it was quoted ✓ for Execution Commitment (an
    action after the decision), and the advice built its "Stronger:" on it. It is against the tier
    now, and the advice replaces a trap's sentence instead of adding to it."""
    r = subprocess.run([sys.executable, "-m", "voiceround", "score", "--text", str(CASES / "weak-passive-aggressive.toml")],
                       capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    section = out.split("Execution Commitment", 1)[1].split("Impact Quantification", 1)[0]
    assert "held down by: Passive-aggressive compliance" in section
    assert not [ln for ln in section.splitlines() if "✓" in ln]  # nothing shown as a strength of a compliance-only commitment
    told_so = [ln for ln in out.splitlines() if "prove my point" in ln and ("✓" in ln or "✗" in ln)]
    assert told_so and all("✗" in ln and "Passive-aggressive compliance" in ln for ln in told_so)
    advice = out.split("What to work on next:", 1)[1].split("2. ", 1)[0]
    assert "Execution Commitment" in advice and "Instead of:" in advice and "Stronger:" not in advice


@pytest.mark.fast
def test_quotes_are_marked_unsure_from_the_stt_confidence(rnd):
    text_a = "I was the engineering lead and my director Priya wanted to ship in May. I pulled the crash data myself."
    text_b = "The crash rate went from 1.8 to 0.7 percent. I disagreed with the date."
    t = Transcript([
        Turn("interviewer", "Tell me about one time you disagreed.", 0.0, 3.0),
        Turn("candidate", text_a, 3.0, 13.0, meta={"stt_min_avg_logprob": -0.93}),  # below -0.8: all of it unsure
        Turn("interviewer", "What happened?", 13.0, 15.0),
        Turn("candidate", text_b, 15.0, 25.0, meta={"stt_min_avg_logprob": -0.5, "unsure": ["went from 1.8 to 0.7 percent."]}),
    ])
    card = {"round": rnd.id, "primary_rubric": "framework", "total": 10.0, "traps": [], "rubrics": {}, "dimensions": {
        "conflict_articulation": {"name": "Conflict Articulation", "tier": 2, "weight": 15, "anchor": "a", "capped_by": None, "evidence": [
            {"turn": 2, "quote": "I pulled the crash data myself.", "start_s": 8.6},
            {"turn": 4, "quote": "The crash rate went from 1.8 to 0.7 percent.", "start_s": 15.0},
            {"turn": 4, "quote": "I disagreed with the date.", "start_s": 21.25}]}}}
    (row,) = view.dimension_rows(card, rnd, t)
    assert [q["unsure"] for q in row["for"]] == [True, True, False]  # low confidence turn; the listed span; a clear sentence
    assert not any(q["unsure"] for q in view.dimension_rows(card, rnd)[0]["for"])  # no transcript: nothing marked
    confident = Transcript([Turn(**{**x.__dict__, "meta": {"stt_min_avg_logprob": -0.79}}) for x in t.turns])
    assert not any(q["unsure"] for q in view.dimension_rows(card, rnd, confident)[0]["for"])
    assert "(may be misheard)" in scorecard_text(card, "", rnd, t)


# -- what to work on next --------------------------------------------------------------------

@pytest.mark.fast
@pytest.mark.parametrize("path", LOCAL_CASES + CO_CASES, ids=lambda p: Path(p).stem)
def test_next_steps_aim_at_the_next_tier_with_the_users_own_sentence(rnd, co_rnd, path):
    r = co_rnd if "customer_obsession" in path else rnd
    card, tr = scored(path, r)
    rows = view.dimension_rows(card, r, tr)
    steps = view.next_steps(card, r, tr)
    defs = {d.id: d for d in r.rubrics[r.primary_rubric].dimensions}
    below = sorted((x for x in rows if x["tier"] < 4), key=lambda x: (x["tier"], -x["weight"]))
    assert [s["tier"] for s in steps] == [x["tier"] for x in below[:2]]  # the weakest, heavier first
    for s in steps:
        d = defs[s["id"]]
        assert s["tier"] < 4 and s["next_tier"] == s["tier"] + 1
        assert s["target"].startswith(f"To reach tier {s['tier'] + 1}: ")
        aim = s["target"].split(": ", 1)[1].lower()
        assert aim == d.coach_target[s["tier"] + 1].lower()  # the next tier's instruction ...
        assert all(aim != d.coach_target.get(t, "").lower() for t in range(1, s["tier"] + 1))  # ... never this one or lower
        ex = s["example"]
        if ex is None:
            continue
        digits_ok = set(re.findall(r"\d", ex["sentence"]))
        assert set(re.findall(r"\d", ex["rewrite"])) <= digits_ok  # no number the candidate didn't say
        assert re.search(r"\[[^\]]+\]", ex["rewrite"])  # placeholders for what the next tier needs
        if not ex["replaces"]:  # the candidate's sentence, then what to add
            assert ex["rewrite"].startswith(ex["sentence"]) and "[" in ex["rewrite"][len(ex["sentence"]):]
        else:  # a sentence that tripped a trap is replaced, not built on
            assert ex["sentence"] not in ex["rewrite"]


@pytest.mark.fast
def test_next_steps_rewrite_keeps_the_sentence_and_adds_placeholders(rnd):
    said = "Overall, latency went from 240 to 180 milliseconds."  # a headline number with nothing isolating it
    t = Transcript([Turn("candidate", f"I was the lead and my manager Sam disagreed with me about the rollout. "
                         f"Sam made the call to ship everything at once. {said}", 0.0, 30.0)])
    card = score(t, rnd)
    steps = {s["id"]: s for s in view.next_steps(card, rnd, t, n=6)}
    # a before and after: the anchor's 3 by its conditions ("Headline metric without slice" holds it below
    # 4); the tier model may read so bare an answer one lower
    impact = steps["impact_quantification"]
    assert card["dimensions"]["impact_quantification"]["conditions_tier"] == 3 and impact["tier"] in (2, 3)
    assert any(t["id"] == "headline_metric_without_slice" for t in card["traps"])
    ex = impact["example"]
    assert ex["sentence"] == said and not ex["replaces"]  # the candidate's numbers are kept and built on
    if impact["tier"] == 3:  # toward the anchor's 4: several metrics, isolated
        assert ex["rewrite"].startswith(f"{said} [Metric] went from [baseline] to [result]") and "isolated by [how I compared]" in ex["rewrite"]
    else:  # toward the anchor's 3: the part the candidate's work touched
        assert ex["rewrite"].startswith(f"{said} In [the part my work touched], [metric] went from [baseline] to [result]"), ex["rewrite"]
    for s in steps.values():
        if s["example"]:
            rewrite, sentence = s["example"]["rewrite"], s["example"]["sentence"]
            assert set(re.findall(r"\d+", rewrite)) <= set(re.findall(r"\d+", sentence)) and "[" in rewrite
    commit = steps["execution_commitment"]["example"]  # no commitment told: the decision, with the commitment added
    assert commit["sentence"] == "Sam made the call to ship everything at once." and commit["rewrite"].startswith(commit["sentence"] + " ")
    assert "[" in commit["rewrite"][len(commit["sentence"]):]
    assert not commit["replaces"]
    # a tier held down by a trap says so, naming the trap
    t3 = Transcript([Turn("candidate", "My manager Sam disagreed with my rollout plan and made the call to ship everything at once. "
                          "After the decision I wrote the runbook, I ran the load test and I trained the support team. "
                          "I did exactly what he asked, but I kept my notes to prove my point.", 0.0, 30.0)])
    held = {s["id"]: s for s in view.next_steps(score(t3, rnd), rnd, t3, n=6)}["execution_commitment"]
    assert held["capped_by"] == "Passive-aggressive compliance" and "Held at tier 1" in held["cap_note"]
    # a story the candidate won is held down by the round's cap, which says what to change (a new
    # user saw only "won the argument", and advice to tell actions their answer already told)
    t4 = Transcript([Turn("candidate", "My manager Sam wanted to ship everything at once; I argued for a staged rollout. "
                          "In the end Sam agreed with me and went with my plan. "
                          "After the decision I wrote the runbook, I ran the load test and I trained the support team.", 0.0, 30.0)])
    won = {s["id"]: s for s in view.next_steps(score(t4, rnd), rnd, t4, n=6)}["execution_commitment"]
    assert won["capped_by"] == "won the argument" and "tell one you lost" in won["cap_note"], won
    # a sentence whose very words are the trap is replaced, not built on
    t2 = Transcript([Turn("candidate", "My manager Sam disagreed with my rollout plan. I didn't want to create friction. "
                          "I said okay, I understand, and I let it go.", 0.0, 20.0)])
    card2 = score(t2, rnd)
    replaced = [s["example"] for s in view.next_steps(card2, rnd, t2, n=6) if s["example"] and s["example"]["replaces"]]
    for ex in replaced:
        assert ex["sentence"] not in ex["rewrite"] and "[" in ex["rewrite"]


@pytest.mark.fast
def test_no_next_steps_at_the_top_tier_and_the_reports_say_so(rnd):
    card, tr = scored(case("strong-nurse-shift-length"), rnd)
    assert all(d["tier"] == 4 for d in card["dimensions"].values())
    assert view.next_steps(card, rnd, tr) == []
    assert view.ALL_TOP_NOTE in scorecard_text(card, "", rnd, tr)
    from voiceround.report.html import next_steps_html
    assert "top tier" in next_steps_html([])
    # the same answer far longer than the round (a new user's 75-minute answer was told to "keep it
    # there under time pressure"): told to fit it in the time
    long = dict(card, analytics=dict(card["analytics"], speaking_s=3 * card["analytics"]["round_length_s"]))
    text = scorecard_text(long, "", rnd, tr)
    assert view.TOO_LONG_NOTE in text and view.ALL_TOP_NOTE not in text and "far longer than the 20:00 round" in text
    assert view.TOO_LONG_NOTE in next_steps_html([], long)


@pytest.mark.fast
def test_coach_rewrites_with_digits_or_without_the_sentence_are_refused(tmp_path):
    src = (ROOT / "voiceround" / "rounds" / "disagree_and_commit.toml").read_text()
    for old, new in (('3 = "{sentence} [Name and role] wanted', '3 = "[Name and role] wanted'),
                     ('2 = "{sentence} The decision was', '2 = "{sentence} The decision, 3 times over, was')):
        assert old in src
        p = tmp_path / "r.toml"
        p.write_text(src.replace(old, new, 1))
        with pytest.raises(RoundFileError, match="rewrite"):
            load_round(p)
    rnd = load_round()
    assert all(d.coach_target and d.coach_rewrite for d in rnd.rubrics["framework"].dimensions)
    assert all(rb.summary for rb in rnd.rubrics.values())


@pytest.mark.fast
def test_marks_have_enough_contrast_on_white():
    from voiceround.report.html import BAD_COLOR, GOOD_COLOR, MUTED

    def lum(h):
        c = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    for colour in (GOOD_COLOR, BAD_COLOR, MUTED):
        assert 1.05 / (lum(colour) + 0.05) >= 4.5, colour


# -- the PDF ---------------------------------------------------------------------------------

def pdf_pages(path: Path) -> list[str]:
    """Text per page, by poppler's pdftotext when installed (what a PDF viewer's search reads), else pypdf."""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
        return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")
    from pypdf import PdfReader
    return [p.extract_text() for p in PdfReader(str(path)).pages]


@pytest.mark.parametrize("name,size", [("weak-fintech-kyc-threshold", "A4"), ("mixed-data-platform-streaming--passive", "Letter")])
def test_pdf_is_searchable_has_a_one_page_summary_and_no_orphan_headings(rnd, tmp_path, name, size):
    from voiceround.report.html import scorecard_document
    from voiceround.ui.pdf import write_pdf
    card, tr = scored(case(name), rnd)
    # a long "round used" note too, so the summary page is as full as it gets
    card["analytics"].update(fit_redirects=["won", "hypothetical"], no_example_noted=True, second_example_asked=True)
    doc = scorecard_document(card, {"id": "20260512-103000-abcdef", "started_at": "2026-05-12T10:30:00", "duration_s": 300.0,
                                    "status": "finished"}, rnd, tr)
    pdf = write_pdf(doc, tmp_path / "card.pdf", size)
    pages = pdf_pages(pdf)
    text = " ".join(" ".join(p.split()) for p in pages)
    assert "ﬂ" not in text and "ﬁ" not in text  # no ligature glyphs: a search for "conflict" finds it
    for d in rnd.rubrics["framework"].dimensions:
        assert d.name in text
    assert "Conflict Articulation" in text and "Impact Quantification" in text
    first = " ".join(pages[0].split())
    assert f"{card['total']:.1f} / 100" in first and "Interview framework" in first
    assert "Traps flagged" in first and "What to work on next" in first and "To reach tier" in first
    assert "Evidence per dimension" not in first and "Evidence per dimension" in " ".join(pages[1].split())  # page 1 is the summary
    assert "General Practice" not in text  # the header says each fact once
    assert first.count("/ 100") == 1
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", doc)]
    for page in pages:
        lines = [" ".join(x.split()) for x in page.splitlines() if x.strip()]
        assert lines and lines[-1] not in {" ".join(h.replace("&amp;", "&").split()) for h in headings}, lines[-1]


def test_paginate_keeps_a_heading_with_the_text_after_it():
    from PySide6.QtCore import QSizeF
    from PySide6.QtWidgets import QApplication

    from voiceround.ui.pdf import _line_pages, paginate
    _app = QApplication.instance() or QApplication([])  # noqa: F841
    para = "<p>" + "words of a paragraph " * 30 + "</p>"
    moved = 0
    for n in range(0, 120):  # some of these lead lengths leave the heading at the foot of page 1 (Qt alone does), whatever the font size
        doc = paginate("<p>" + "lead " * (6 * n) + "</p>" + para * 4 + "<h2>Heading</h2>" + para * 4, QSizeF(500, 700))
        block = doc.begin()
        while block.isValid() and block.text() != "Heading":
            block = block.next()
        assert _line_pages(doc, block)[1] == _line_pages(doc, block.next())[0], n
        moved += bool(block.blockFormat().pageBreakPolicy().value)
    assert moved  # the case happened at least once


def test_paginate_keeps_a_short_paragraph_on_one_page():
    """A new user's PDF ended with a page holding one line ("scorecard is next.") of the last
    transcript turn: a paragraph of up to eight lines that would be split is moved whole."""
    from PySide6.QtCore import QSizeF
    from PySide6.QtWidgets import QApplication

    from voiceround.ui.pdf import KEEP_LINES, _line_pages, paginate
    _app = QApplication.instance() or QApplication([])  # noqa: F841
    turn = "<p>" + "the interviewer says the round is over and the scorecard is next " * 4 + "</p>"
    split_seen = 0
    for n in range(0, 60):
        doc = paginate("<p>" + "lead " * (8 * n) + "</p>" + turn * 12, QSizeF(500, 700))
        block = doc.begin()
        while block.isValid():
            lines = block.layout().lineCount()
            if block.text().strip() and 1 < lines <= KEEP_LINES:
                first, last = _line_pages(doc, block)
                assert first == last, (n, block.text()[:40])
                split_seen += bool(block.blockFormat().pageBreakPolicy().value)
            block = block.next()
    assert split_seen  # a paragraph was moved at least once


@pytest.mark.fast
def test_a_typed_round_ended_early_says_how_much_of_the_round_was_used_and_a_killed_one_is_unfinished(rnd):
    """A new user's typed round, ended at 0:39, showed no "Round used" line (typed answers have no
    measured pace, but the round's clock is real); a killed round's PDF header said "running"."""
    from voiceround.report import round_use
    from voiceround.report.html import scorecard_document
    t = Transcript([Turn("candidate", "My director Priya overruled me on the launch; I had the beta's error rates.", 0.0, 39.0,
                         meta={"typed": True})])
    card = score(t, rnd)
    assert card["analytics"]["timing"] == "typed answers"
    assert round_use(card["analytics"]).startswith("Round used 0:39 of 20:00 (3%), ended early")
    doc = scorecard_document(card, {"id": "x", "started_at": "2026-12-01T10:00:00", "duration_s": 39.0, "status": "running",
                                    "unfinished": True, "unscored": False}, rnd, t)
    assert "· unfinished" in doc and "running" not in doc


@pytest.mark.fast
def test_the_interviewers_early_close_a_long_typed_answer_and_repeats_are_said_plainly(rnd):
    """A second new user's test: a round the interviewer closed early ("We've covered your story")
    read "finished" and "ended early: the scorecard reads only what was said"; a typed 5,160-word
    answer (stored as 98 s) got no "far longer than the round" note; a sentence said 119 times in
    one turn was listed as "turns 2, 2, 2, …"."""
    from voiceround.report import round_use
    from voiceround.report.text import scorecard_text
    story = "My director Priya overruled me on the launch; I had the beta's error rates. "
    t = Transcript([Turn("candidate", story, 0.0, 60.0),
                    Turn("interviewer", rnd.interviewer["closing_early"], 61.0, 66.0, intent="wrap_up")])
    use = round_use(score(t, rnd)["analytics"])
    assert "the interviewer closed early" in use and "ended early" not in use, use
    typed = Transcript([Turn("candidate", story + " ".join(f"Then on day {i} I checked the queue again." for i in range(600)),
                             0.0, 98.0, meta={"typed": True})])
    card = score(typed, rnd)
    assert "far longer than the 20:00 round" in round_use(card["analytics"])
    repeated = Transcript([Turn("candidate", story + "We shipped it on the Monday morning. " * 5, 0.0, 60.0)])
    text = scorecard_text(score(repeated, rnd))
    assert "turn 1 ×4" in text and "turns 1, 1" not in text, text


@pytest.mark.fast
def test_following_the_ownership_rewrite_reaches_the_tier_it_names(rnd):
    """A second new user filled in Ownership's tier-2 rewrite ("My own part in that was [what I
    did].") and stayed at tier 1: the target asks for two actions in "I", the rewrite gave one. Its
    rewrite now holds two, and filled in, it reaches tier 2."""
    story = ["We were redoing search and there was a disagreement about a new ranking model. I felt we should test it first.",
             "In the end management decided to launch it, so we did what we were told.",
             "We all worked hard on the launch and we made it happen as a team."]
    t = Transcript([Turn("candidate", a, i * 10.0, i * 10.0 + 8) for i, a in enumerate(story)])
    step = {s["id"]: s for s in view.next_steps(score(t, rnd), rnd, t, n=6)}["ownership_distinctions"]
    assert step["tier"] == 1 and step["example"], step
    filled = step["example"]["rewrite"].replace("[what I did myself]", "wrote the launch runbook").replace(
        "[the next thing I did]", "ran the launch-night checks")
    assert "[" not in filled, filled
    t2 = Transcript([*t.turns[:2], Turn("candidate", filled, 20.0, 28.0)]) if step["example"]["turn"] == 3 else \
        Transcript([*t.turns, Turn("candidate", filled, 30.0, 38.0)])
    assert score(t2, rnd)["dimensions"]["ownership_distinctions"]["tier"] >= 2


@pytest.mark.fast
def test_the_data_rewrite_builds_on_the_argument_and_following_it_raises_the_tier(rnd):
    """A second new user was told to add data to "It went really well and customers were happy"
    (the outcome, which shares "customer" with the definition); done, the tier stayed 1. The rewrite
    builds on a sentence of the argument (``coach.phase``), and filled in there, it raises the tier."""
    story = ["We were redoing search at my old company and there was a disagreement about a new ranking model. "
             "I felt we should test it first, the new model just seemed risky to me.",
             "In the end management decided to launch it, so we did what we were told.",
             "It went really well and customers were happy with the new search."]
    t = Transcript([Turn("candidate", a, i * 10.0, i * 10.0 + 8) for i, a in enumerate(story)])
    step = {s["id"]: s for s in view.next_steps(score(t, rnd), rnd, t, n=6)}["data_driven_advocacy"]
    ex = step["example"]
    assert step["tier"] == 1 and ex["turn"] == 1 and "customers were happy" not in ex["sentence"], ex
    filled = ex["rewrite"].replace("[data source]", "the search logs").replace(
        "[what it showed]", "zero-result searches had doubled in the beta, from two percent to four percent")
    turn1 = story[0].replace(ex["sentence"], filled) if not ex["replaces"] else filled + " " + story[0]
    t2 = Transcript([Turn("candidate", a, i * 10.0, i * 10.0 + 8) for i, a in enumerate([turn1, *story[1:]])])
    assert score(t2, rnd)["dimensions"]["data_driven_advocacy"]["tier"] >= 2


def story_rows(rnd, story: list[str], trap: str) -> tuple[dict, dict]:
    """Score a story told one sentence group per turn (10 s apart); check ``trap`` is flagged;
    return ``(card, {dimension id: row})``."""
    tr = Transcript([Turn("candidate", t, i * 10.0, i * 10.0 + 8) for i, t in enumerate(story)])
    card = score(tr, rnd)
    assert trap in {t["id"] for t in card["traps"]}
    return card, {r["id"]: r for r in view.dimension_rows(card, rnd, tr)}


@pytest.mark.fast
def test_a_missing_phase_is_shown_where_it_is_missing_not_against_other_dimensions(rnd):
    """'Missing the commitment phase' is about something absent: it quotes where the commitment
    should have been (the decision), under Execution Commitment only, and never marks that sentence
    as tripping it under Ownership or Conflict Articulation (a new user saw the conflict sentence
    marked ✗ under three dimensions)."""
    story = [
        "I was the data lead, and my director, Ana Ruiz, wanted to switch the whole churn model to a vendor tool.",
        "I disagreed because our model caught 41% of churners against the vendor's 28% on last year's data, and I showed her that table.",
        "Ana decided to go with the vendor anyway.",
        "Customers who churned cost us about $120,000 a month.",
    ]
    card, rows = story_rows(rnd, story, "missing_commitment_phase")
    trap = next(t for t in card["traps"] if t["id"] == "missing_commitment_phase")
    assert [q["quote"] for q in trap["evidence"]] == ["Ana decided to go with the vendor anyway."]
    for did, row in rows.items():
        marked = [q for q in row["against"] if "Missing the commitment phase" in q["why"]]
        if did == "execution_commitment":
            assert [q["quote"] for q in marked] == ["Ana decided to go with the vendor anyway."]
        else:
            assert marked == [], (did, marked)


@pytest.mark.fast
def test_a_we_sentence_holds_ownership_down_but_still_shows_customer_focus(rnd):
    """A new user saw Customer Focus at tier 4 with its customer sentences all marked ✗ "trap: The
    royal 'we'". The royal 'we' is about who did it: it holds Ownership down; the same sentences
    still show the customer for Customer Focus."""
    story = [
        "Last year our team disagreed with the product director, Sam Ortiz, about removing the free trial.",
        "We looked at the funnel and we saw that 62 percent of paying customers had started on the trial.",
        "Sam decided to remove the trial in June. We committed to it and we rebuilt the onboarding flow.",
        "Paid conversion went from 4 percent to 9 percent, and customers who signed up dropped from 5000 a month to 4000.",
    ]
    _card, rows = story_rows(rnd, story, "royal_we")
    funnel = "We looked at the funnel and we saw that 62 percent of paying customers had started on the trial."
    assert funnel in [q["quote"] for q in rows["customer_focus"]["for"]]
    assert not any("royal" in q["why"] for q in rows["customer_focus"]["against"])
    assert any("royal" in q["why"] for q in rows["ownership_distinctions"]["against"])


def test_a_headline_number_is_built_on_before_a_sentence_that_only_shares_a_word(rnd):
    """A new user's Impact rewrite built on an argument sentence ("…our offline metric only improved
    by 0.4 points. In [the part my work touched]…") when the only outcome number was a headline held
    down by its trap: the headline sentence is the one to add the slice to."""
    headline = "Revenue from recommendations went up 22% that quarter."
    t = Transcript([
        Turn("candidate", "I was a data scientist on the recommendations team. Our engineering manager, Dev, wanted to replace "
                          "the old ranking model everywhere at once, and I wanted a 10% holdout.", 0, 12),
        Turn("candidate", "My argument was that our offline metric, click-through rate on the test set, only improved by 0.4 "
                          "points.", 13, 20),
        Turn("candidate", "Dev decided to roll it out to everyone. I built a before and after analysis, and I helped with the "
                          "feature pipeline.", 21, 30),
        Turn("candidate", f"{headline} It was one of the best results the team had. So my rollout worked.", 31, 40),
    ])
    card = score(t, rnd)
    assert any(x["id"] == "headline_metric_without_slice" for x in card["traps"])
    impact = {s["id"]: s for s in view.next_steps(card, rnd, t, n=6)}["impact_quantification"]
    assert impact["example"]["sentence"] == headline and impact["example"]["rewrite"].startswith(headline + " ")


@pytest.mark.fast
def test_a_tier_moved_from_its_anchors_conditions_says_so(rnd):
    """A new user's test: the tier model moved Impact Quantification to 2 on a before-and-after, and
    the scorecard showed tier 2's anchor ("An outcome number without a baseline") with nothing to
    say why. Every dimension whose tier differs from its conditions' tier (and is not capped) now
    carries the reading note, shown in the text report beside the anchor; the others carry none."""
    moved = 0
    for path in LOCAL_CASES + sorted(glob.glob(str(ROOT / "tests" / "data" / "corpus" / "dev" / "w1-*.toml")))[:12]:
        card, tr = scored(path, rnd)
        text = scorecard_text(card, "x", rnd, tr)
        for r in view.dimension_rows(card, rnd, tr):
            d = card["dimensions"][r["id"]]
            differs = d.get("conditions_tier") not in (None, d["tier"]) and not d.get("capped_by")
            assert bool(r["reading"]) == differs, (path, r["id"], d.get("conditions_tier"), d["tier"])
            if differs:
                moved += 1
                assert f"tier {d['conditions_tier']}'s conditions" in r["reading"] and f"({r['reading']}.)" in text
    assert moved >= 1  # the cases hold at least one such dimension, so the check is not vacuous


@pytest.mark.fast
def test_a_sentence_left_out_again_and_again_is_listed_once_with_its_turns(rnd):
    """A new user's test: a rehearsal's fallback answer ("I'd have to look that up.") said six times
    was six lines under "Not counted". It is one line naming every turn (text), or "×6" (app, PDF)."""
    said = "I'd have to look that up, we tracked it in the weekly report."
    turns = [Turn("candidate", "I was the support lead. My manager Lena wanted to ship the retry screen to everyone at once.", 0, 5)]
    for k in range(3):
        turns += [Turn("interviewer", "What was the baseline?", 6 + 10 * k, 7 + 10 * k),
                  Turn("candidate", said, 8 + 10 * k, 12 + 10 * k)]
    t = Transcript(turns)
    card = score(t, rnd)
    rows = view.not_counted(card)
    assert len(rows) == 1 and rows[0]["count"] == 2 and rows[0]["turns"] == [5, 7], rows  # the first time counts
    text = scorecard_text(card, "x", rnd, t)
    assert text.count(f"∅ “{said}”") == 1 and "(turns 5 and 7: said before: counted once)" in text


@pytest.mark.fast
def test_a_rambling_sentence_is_not_repeated_whole_in_the_stronger_version(rnd):
    """A new user's test: "Stronger:" repeated an 80-word sentence and added a template to it, the
    opposite of advice for rambling. Over LONG_SENTENCE_WORDS words, it asks for the point short."""
    ramble = ("So what I did was I looked at the, the late delivery rate, which was about four point five per cent on the old "
              "system, and on the trial in one depot it was like seven per cent, so that's, what, two and a half points worse, "
              "and that depot handled about twelve thousand parcels a week, so it adds up, it's a lot.")
    t = Transcript([Turn("candidate", "I ran routing for a parcel firm. My director Sam wanted the new routing tool in every "
                         "depot at once; I wanted one more trial.", 0, 8), Turn("candidate", ramble, 9, 40)])
    card = score(t, rnd)
    examples = [s_["example"] for s_ in view.next_steps(card, rnd, t, n=6) if s_["example"]]
    long_ones = [x for x in examples if len(x["sentence"].split()) > view.LONG_SENTENCE_WORDS]
    assert long_ones, examples
    for x in long_ones:
        assert x["rewrite"].startswith(view.SHORTER) and x["sentence"] not in x["rewrite"]


def test_turns_in_another_language_are_named_on_the_scorecard(tmp_path):
    """A new user's answer told half in Spanish got no word of it on the scorecard: the whole answer
    still read as English, and the Spanish turns were silently not read. The turns that don't
    read as English are named (`voiceround score --text`, as a user runs it)."""
    english = ("My manager Dana wanted to cut the free tier of our budgeting app, and I disagreed because about forty "
               "percent of our paying users had started on the free tier in the last year, and I showed her the cohort numbers.")
    spanish = ("Después de la decisión, yo preparé el plan de migración con el equipo de soporte y hablamos con los clientes "
               "más grandes durante dos semanas para explicarles el cambio y resolver sus dudas sobre los precios nuevos.")
    case = tmp_path / "mixed.toml"
    case.write_text('id = "mixed"\n' + "".join(f'[[turns]]\ntopic = "{t}"\ntext = "{x}"\n' for t, x in
                                             [("scenario", english), ("own_data", english.replace("Dana", "Ravi")),
                                              ("commitment", spanish), ("outcome", spanish.replace("dos", "tres")),
                                              # 20 words: a second user's German turn under 30 words went unnamed
                                              ("reflection", "Ich habe die Entscheidung voll unterstützt und danach jeden Freitag "
                                                             "die Zahlen mit dem ganzen Team gründlich besprochen, bis alles lief.")]))
    r = subprocess.run([sys.executable, "-m", "voiceround", "score", "--text", str(case)], capture_output=True, text=True,
                       timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "Turns 3, 4 and 5 do not read as English" in r.stdout
    head = r.stdout.split("\n\n", 2)[1]  # the header block: total, then what the round used, as sentences
    assert all(line.endswith(".") for line in head.splitlines()[2:] if line.strip())


def test_a_trap_read_from_the_words_is_quoted_only_under_what_it_caps(rnd):
    """A new user's gut-feeling answer: Ownership Distinctions listed ✗ "I told him I really didn't
    think it was a good idea and that I felt strongly about it." [Opinion-based conflict] and ✗ "So I
    went along with it." [Yielding too quickly]: traps that have nothing to do with ownership. A
    sentence carrying a trap read from its words is no evidence of any tier; it is shown against the
    dimensions the trap caps."""
    t = Transcript([Turn("candidate", "At my last job my manager wanted to move our team to a new project management tool. "
                         "I disagreed because I just had a bad feeling about it. I didn't really have numbers, it was more my gut. "
                         "I told him I really didn't think it was a good idea and that I felt strongly about it. He said we were "
                         "doing it anyway. So I went along with it.", 0.0, 50.0)])
    card = score(t, rnd)
    assert {"opinion_based_conflict", "yielding_too_quickly"} <= {x["id"] for x in card["traps"]}
    rows = {r["id"]: r for r in view.dimension_rows(card, rnd, t)}
    caps = {tid: set(rnd.traps[tid].caps) for tid in ("opinion_based_conflict", "yielding_too_quickly")}
    for did, row in rows.items():
        for q in row["for"] + row["against"]:
            for tid, name in (("opinion_based_conflict", "Opinion-based conflict"), ("yielding_too_quickly", "Yielding too quickly")):
                assert name not in q["why"] or did in caps[tid], (did, q)
    assert "I felt strongly" in " ".join(q["quote"] for q in rows["data_driven_advocacy"]["against"])
    assert not any("went along" in q["quote"] or "felt strongly" in q["quote"] for q in rows["ownership_distinctions"]["for"] + rows["ownership_distinctions"]["against"])


def test_advice_says_what_to_say_instead_of_the_sentence_that_holds_the_tier_down(rnd):
    """A new user's gut-feeling answer: Data-driven Advocacy's advice rewrote the scenario's first
    sentence ("At my last job my manager wanted to move our team…") rather than the opinion that
    holds the tier down. The advice now says what to say instead of that sentence."""
    t = Transcript([Turn("candidate", "At my last job my manager wanted to move our team to a new project management tool. "
                         "I disagreed because I just had a bad feeling about it. I didn't really have numbers, it was more my gut. "
                         "He said we were doing it anyway. So I went along with it.", 0.0, 40.0)])
    card = score(t, rnd)
    steps = {s["id"]: s for s in view.next_steps(card, rnd, t, n=6)}
    ex = steps["data_driven_advocacy"]["example"]
    assert ex["replaces"] and ("bad feeling" in ex["sentence"] or "my gut" in ex["sentence"]), ex
    assert "At my last job" not in ex["rewrite"], ex


def test_the_report_and_the_scorer_agree_on_which_traps_are_read_from_the_words(rnd):
    """One test, in the scorer (:func:`voiceround.scoring.worded_trap`), decides which traps are read
    from their sentences' words: the scorer bars those sentences under every dimension and the
    report may say what to say instead of them. The report had its own copy, which left out "conceded
    at once", so the two disagreed on Yielding too quickly."""
    from voiceround.scoring import worded_trap
    cues = set(rnd.scoring["cue_features"])
    worded = {tid for tid, trap in rnd.traps.items() if worded_trap(trap, cues)}
    assert worded == {"opinion_based_conflict", "yielding_too_quickly", "passive_aggressive_compliance", "abstraction_drift"}
    t = Transcript([Turn("candidate", "At my last job my manager wanted to move our team to a new project management tool. "
                         "I disagreed because I just had a bad feeling about it. I didn't really have numbers, it was more my gut. "
                         "He said we were doing it anyway. So I went along with it.", 0.0, 40.0)])
    card = score(t, rnd)
    traps = view._Traps(card, rnd)
    assert "yielding_too_quickly" in {x["id"] for x in card["traps"]}
    assert {x["id"] for x in card["traps"] if traps.wording(x)} == {x["id"] for x in card["traps"]} & worded
