"""The interviewer's voice gets numbers, amounts and symbols as words (engines/spoken.py); the text
shown and stored keeps them as written."""
import pytest

from voiceround.engines.spoken import for_speech, number_words

pytestmark = pytest.mark.fast


@pytest.mark.parametrize("written,spoken", [
    # the three misreadings a new user heard (issue 16, item 3)
    ("You said '$2M'.", "You said 'two million dollars'."),
    ("1.5x faster", "one point five times faster"),
    ("$4 million", "four million dollars"),
    # currency, ranges, percentages, quarters, years
    ("$4.99 a seat", "four dollars and ninety nine cents a seat"),
    ("$50-80M", "fifty to eighty million dollars"),
    ("from $2M to $3.5M", "from two million dollars to three point five million dollars"),
    ("€1.2bn", "one point two billion euros"),
    ("churn went from 14% to 9%", "churn went from fourteen percent to nine percent"),
    ("about 10-15% of users", "about ten to fifteen percent of users"),
    ("up 0.5 pp, or 25 bps", "up zero point five percentage points, or twenty five basis points"),
    ("In Q3 2024 we launched", "In Q three twenty twenty four we launched"),
    ("since 2019, unlike the 1990s or the 90s", "since twenty nineteen, unlike the nineteen nineties or the nineties"),
    ("2000 users", "two thousand users"),
    ("1,200 users and 40k sessions", "one thousand two hundred users and forty thousand sessions"),
    ("the 3rd rollout", "the third rollout"),
    ("p95 fell 300 ms in 90 s", "p ninety five fell three hundred milliseconds in ninety seconds"),
    ("at 9:05, not 10:00", "at nine oh five, not ten o'clock"),
    ("a 40/60 split, 24/7", "a forty sixty split, twenty four seven"),
    ("an A/B test vs. the control, e.g. 2 sites", "an A B test versus the control, for example two sites"),
])
def test_numbers_are_said_as_words(written, spoken):
    assert for_speech(written) == spoken


def test_text_without_numbers_is_unchanged_and_nothing_raises():
    plain = "Tell me about one specific time your recommendation was overruled. What did you do next?"
    assert for_speech(plain) is plain
    for odd in ("$", "%", "1e999999", "99999999999999999999999999999999999999x", "Q5 2024", "1.2.3", "$.5M", "12:75", ""):
        assert isinstance(for_speech(odd), str)


def test_number_words():
    assert number_words("1,200") == "one thousand two hundred" and number_words("3.5") == "three point five"
    with pytest.raises(ValueError):
        number_words("twelve")
