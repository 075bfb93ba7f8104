"""Fit check: a story that doesn't fit Disagree and Commit (no story yet, a story the candidate
won, a hypothetical, no disagreement) is redirected once, early, and the scorecard says so; a
fitting story never is (issue "A Bar Raiser who listens", fit check)."""
import glob
from pathlib import Path

import pytest

from tests.conftest import CASES
from voiceround.core.types import Transcript, Turn
from voiceround.interviewer import next_action, opening
from voiceround.interviewer.fit import redirect
from voiceround.interviewer.wording import check_turn, praise_found
from voiceround.report import round_use
from voiceround.rounds import load_round
from voiceround.scoring import score
from voiceround.session.cases import load_case

FITS = ("Last spring I was the lead engineer on checkout. My director, Priya, wanted to launch to everyone on sale day; "
        "I wanted a staged rollout. She heard my data and decided to launch to everyone anyway.")


@pytest.fixture(scope="module")
def rnd():
    return load_round("disagree_and_commit")


def play(rnd, *answers):
    """The interviewer's actions after each answer, in a text round."""
    tr, t, act, acts = Transcript([]), 0.0, opening(rnd), []
    for a in answers:
        tr.add(Turn("interviewer", act.text, t, t + 5, intent=act.intent, meta=act.meta()))
        tr.add(Turn("candidate", a, t + 5, t + 25))
        t += 25
        act = next_action(tr, t, rnd)
        acts.append(act)
    return tr, acts


@pytest.mark.parametrize("answer, intent", [
    ("Yes.", "ask_story_again"),
    ("Sure, I have one.", "ask_story_again"),
    ("In 2022 I argued with my director Priya that we should delay the pricing change. After he saw the numbers he "
     "changed his mind, so my recommendation won and we delayed by a quarter.", "redirect_won"),
    ("I would first gather the data. Then I'd set up a meeting with the stakeholders and I would present both options.",
     "redirect_hypothetical"),
    ("Honestly we all agreed on most things at my last job. I can't think of a time I lost an argument.",
     "redirect_no_disagreement"),
    ("Honestly I've never really disagreed with a manager. I usually just go along with what they decide.", "redirect_no_disagreement"),
    ("Last autumn my manager Karen asked me to lead the Kubernetes migration. We were all aligned and I agreed with the plan "
     "from day one. Karen picked November and everyone agreed.", "redirect_no_disagreement"),
])
def test_a_story_that_does_not_fit_is_redirected_once_in_plain_words(rnd, answer, intent):
    _, acts = play(rnd, answer)
    a = acts[0]
    assert a.intent == intent, a
    assert check_turn(a.text, []) is None and not praise_found(a.text, rnd.interviewer["forbidden"]) and len(a.text.split()) <= 25
    assert a.asks_for_story  # its answer may start with a thinking pause, like the opening's


@pytest.mark.parametrize("won", [
    "We won that one, and the launch went out staged.",
    "In the end I got my way and we shipped it in stages.",
    "After two meetings my director backed down and we did the staged rollout.",
    "Leadership sided with me, so we ended up going with my plan.",
    "The VP approved my proposal the next week.",
    "After she saw the test results, Priya came round to my view.",
    "In the end we shipped an optional sign up instead, which was my proposal.",
])
def test_the_ways_people_say_they_won_are_redirected(rnd, won):
    """A new user's "we won that one" was taken as a story that fits; each way of saying the
    candidate's side won gets the redirect, once the story has a disagreement in it."""
    _, acts = play(rnd, "Last spring my director Priya wanted to launch the new checkout to everyone and I disagreed: "
                        "the beta showed 1.8% payment errors against 0.6%. " + won)
    assert acts[0].intent == "redirect_won", acts[0]


@pytest.mark.parametrize("won, says", [
    ("He said, 'Okay, yeah, you're right, the thirty day number is the thirty day number.'", "concedes"),
    ("Stefan came to me and said, 'Okay, we take your order.'", "takes your order"),
    ("She went through both slides and backed my option.", "backed my option"),
    ("For the first phase we built the congested sites first, like I proposed.", "like I proposed"),
])
def test_a_win_told_as_the_other_side_giving_way_is_redirected(rnd, won, says):
    _, acts = play(rnd, "This is my go-to disagree and commit example. Last spring my director Priya wanted to launch the "
                        "new checkout to everyone and I disagreed: the beta showed 1.8% payment errors against 0.6%. " + won)
    assert acts[0].intent == "redirect_won", (says, acts[0])


def test_a_win_told_only_by_what_was_chosen_is_redirected_when_it_becomes_clear(rnd):
    """The decision names the candidate's own proposal ("approved the changeover program") with no
    won cue; it may come before the candidate says what they proposed, and is redirected then.
    A decision that takes the other side's plan is a loss, though both plans share words."""
    gordon = ("Our plant manager Gordon wanted to buy a new high speed thermoforming line for 1.2 million dollars. "
              "I thought the machine wasn't the problem.")
    decided = "The committee put the machine on hold and approved the changeover program, the hundred and fifty thousand."
    proposed = "I proposed a quick changeover program instead, with tooling carts and pre-staged molds, for about 150 thousand."
    _, acts = play(rnd, gordon, decided, proposed)
    assert acts[-1].intent == "redirect_won", acts
    _, acts = play(rnd, gordon, proposed, "The committee approved the new thermoforming line, 1.2 million dollars, in March.")
    assert not any(a.intent.startswith("redirect") for a in acts), acts


def test_the_redirect_is_not_repeated_and_a_fitting_story_then_goes_on(rnd):
    won = "My manager came around to my plan after I showed the numbers, so we went with my proposal."
    _, acts = play(rnd, won, won)
    assert acts[0].intent == "redirect_won" and acts[1].intent != "redirect_won"
    _, acts = play(rnd, "Yes.", FITS)
    assert acts[0].intent == "ask_story_again" and acts[1].intent not in ("ask_story_again", "redirect_won")


def test_lost_stories_with_a_would_or_an_agreed_with_me_are_not_redirected(rnd):
    _, acts = play(rnd, FITS, "I'd still push for a staged rollout next time, and I would frame it as protecting her goal.")
    assert not any(a.intent.startswith("redirect") or a.intent == "ask_story_again" for a in acts), acts
    _, acts = play(rnd, "Priya agreed with me that the risk was real, but she decided to launch to everyone on sale day. "
                        "I had argued for a staged rollout with the beta's error rates.")
    assert not acts[0].intent.startswith("redirect"), acts[0]
    # the team coming round to the decision that went against the candidate is the commitment, not a win
    _, acts = play(rnd, FITS + " She decided to launch to everyone. My team came round to the plan after a week, and I led the launch.")
    assert not acts[0].intent.startswith("redirect"), acts[0]


def test_no_shared_or_dev_case_is_redirected(rnd):
    """On the shared and dev cases (stories the candidate lost, told well or badly), nothing is
    redirected but the dev variants told as won stories (``--won``). Each case's turns are played as
    answers in order (the opening, then story questions that are not redirects)."""
    redirected = {}
    for path in sorted(glob.glob(str(CASES / "*.toml")) + glob.glob(str(Path(__file__).parent / "data" / "cases" / "*.toml"))):
        case = load_case(path)
        if case.round_ref != rnd.id:
            continue
        tr, asked, found = Transcript([]), [], []
        for k, ct in enumerate(t for t in case.turns if t.topic != "unknown"):
            intent = "ask_scenario" if k == 0 else "ask_opposing_view"
            tr.add(Turn("interviewer", "…", 30.0 * k, 30.0 * k + 5, intent=intent))
            tr.add(Turn("candidate", ct.text, 30.0 * k + 5, 30.0 * k + 30))
            r = redirect(tr, rnd, asked)
            if r:
                asked.append(r[0])
                found.append(r[1])
        redirected[case.id] = found
    wrong = {cid: r for cid, r in redirected.items() if r != (["won"] if cid.endswith("--won") else [])}
    assert not wrong, wrong
    assert len(redirected) >= 40


def test_the_scorecard_names_the_redirect(rnd):
    tr, acts = play(rnd, "I would first gather the data. Then I'd set up a meeting and I would present both options.", FITS)
    card = score(tr, rnd)
    assert card["analytics"]["fit_redirects"] == ["hypothetical"]
    # the redirect and the story-fit cap are one finding, told once (it had been told twice, in two wordings)
    note = round_use(card["analytics"])
    assert "This answer says what you would do, not what happened (the interviewer redirected once; it went on the same way)" in note
    assert note.count("would do") == 1, note
    # a redirect the story answered (no cap held) is told as the redirect
    assert "redirected once: the first answer said what the candidate would do" in round_use({"fit_redirects": ["hypothetical"]})
    # two redirects for two problems are told as two (a new user's non-answer, then a hypothetical, read "redirected once")
    two = round_use({"fit_redirects": ["non_answer", "hypothetical"]})
    assert two.startswith("The interviewer redirected twice: the opening question got no story at first; then the first answer said what"), two
    assert "asked again, no other story was told" in round_use({"fit_redirects": ["won", "won"]})


@pytest.mark.fast
def test_an_answer_cut_off_for_abstraction_gets_the_abstraction_probe_not_a_redirect(rnd):
    """Seen in a live round: the abstract answer was cut off, the cut-in was talked over before its
    first word (no interviewer turn), and the candidate's short continuation ("There are many
    times, where I...") was taken as a bare non-answer: "tell me the story" came instead of the
    escalating abstraction probe."""
    tr = Transcript()
    act = opening(rnd)
    tr.add(Turn("interviewer", act.text, 0.0, 8.0, intent=act.intent, meta=act.meta()))
    tr.add(Turn("candidate", "So I think disagreement is actually really healthy in a team. In general, I believe that the best "
                "teams argue openly. Conflict is where good ideas come from.", 9.0, 22.0, meta={"interrupted": "abstraction"}))
    tr.add(Turn("candidate", "There are many times, where I...", 22.5, 24.0))
    assert redirect(tr, rnd, [act.intent]) is None
    assert next_action(tr, 25.0, rnd).intent == "probe_abstraction"


def test_hedges_are_not_hypotheticals_and_a_vague_opening_gets_the_abstraction_probe(rnd):
    """"There was a real tension, I would say, … I had, let's say, a different perspective" is
    vague, not hypothetical: the interviewer asks for one specific time instead of "not what you
    would do" (a blind-written corpus answer drew the hypothetical redirect)."""
    _, acts = play(rnd, "In my role as a supervisor there was a real tension, I would say, around how digital we should become. "
                        "Leadership had one vision, and I had, let's say, a somewhat different perspective on the pace of it.")
    assert acts[0].intent == "probe_abstraction", acts[0]


def test_a_win_told_as_funding_or_shipping_my_option_is_redirected(rnd):
    """Wordings a new user found missed; "I was overruled" and "she overruled me" stay losses."""
    base = "Last year our CFO Helen wanted to drop the free tier and I disagreed: 70% of paying users started on it. "
    for lost in ("The CEO overruled me.", "I was overruled by the CEO.", "My proposal was overruled.", "I lost that one."):
        _, acts = play(rnd, base + lost)
        assert not acts[0].intent.startswith("redirect"), (lost, acts[0])
    for won in ("The board funded my option and we shipped my version in May.", "Helen's plan was shelved and we kept the free tier.",
                "My proposal was adopted.", "Leadership backed me.", "The CEO overruled Helen.", "Helen lost that one."):
        _, acts = play(rnd, "Last year our CFO Helen wanted to drop the free tier and I disagreed: 70% of paying users started on it. " + won)
        assert acts[0].intent == "redirect_won", (won, acts[0])
