"""Cue lexicons (general English for behavioral interviews): opinion, abstraction, customer, commitment, escalation, fillers."""
from __future__ import annotations

import re

from voiceround.analysis.sentences import FILLER_WORD, Sentence


def cue_rx(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


OPINION = cue_rx(
    r"\b(i|we) (just )?(felt|feel|liked|like|prefer(red)?)\b", r"\bgut feeling\b", r"\b(nicer|cleaner|prettier)\b",
    r"\bmore of a (gut|feeling|preference)\b", r"\bpersonal preference\b", r"\bi thought (that was|it was) (a )?(bad|wrong|better)\b",
    r"\bjust (a )?better\b", r"\bfelt (right|wrong|better)\b",
    r"\bfor me,? (it|tech\w*|the|this)\b", r"\bi really believe\b", r"\bwasn'?t (really )?about (the )?numbers\b", r"\bmy view (is|was) that\b", r"\bi (just )?(think|believe) (it|that|they) (should|shouldn'?t)\b", r"\bgut\b", r"\b(looked|looks|felt|feels) (dated|cheap|off|wrong|better|cleaner|nicer)\b", r"\bi (just )?(didn'?t|don'?t) like\b", r"\btaste\b"
)
ABSTRACTION = cue_rx(
    r"\bin general\b", r"\bgenerally\b", r"\bi always\b", r"\btypically\b", r"\busually\b", r"\bin my experience\b",
    r"\bi believe (that|in|decisions)\b", r"\bas a rule\b", r"\bthat's (just )?how i operate\b", r"\bthere (are|have been) (many|so many)\b",
    r"\byou should always\b", r"\bif you\b", r"\bteams that\b", r"\bpeople (who|that)\b", r"\bi'?m a very\b",
    r"\b(learn|work|do) best when\b", r"\bi'?ve (always )?(read|believed)\b", r"\bin (education|business|engineering|life)\b", r"\bthese (platforms|tools|things)\b", r"\ba lot of (these|people|companies)\b"
)
CUSTOMER = cue_rx(
    r"\bcustomers?\b", r"\busers?\b", r"\bshoppers?\b", r"\bclients?\b", r"\bend users?\b", r"\bbuyers?\b", r"\bpatients?\b",
    r"\bmembers?\b", r"\bsubscribers?\b", r"\bsign ?ups?\b", r"\bsellers?\b", r"\bmerchants?\b", r"\bapplicants?\b",
    r"\b(small )?businesses\b", r"\bdrivers?\b", r"\briders?\b", r"\bguests?\b", r"\bplayers?\b", r"\bvisitors?\b",
    r"\bnurses?\b(?= .{0,30}\b(tired|fatigue|burn))", r"\bresidents?\b", r"\bstudents?\b", r"\bkids\b", r"\bborrowers?\b", r"\bcardholders?\b", r"\bapplicants?\b", r"\bcandidates?\b", r"\bhiring managers?\b", r"\bdiners?\b", r"\bemployees?\b", r"\bstaff\b"
)
# Friction the end user feels by definition (abandonment, churn, complaints, support tickets) ...
USER_FRICTION = cue_rx(
    r"\babandon(ment|ed|s)?\b", r"\bdrop ?-?offs?\b", r"\bsupport tickets?\b", r"\btickets?\b", r"\bcomplain\w*",
    r"\bconfus\w*\b", r"\bchurn\w*\b", r"\bfriction\b", r"\bpain\b", r"\bcut off\b", r"\bwait(ing)? times?\b",
    r"\bfalse positives?\b", r"\bstopped at\b", r"\bpunish\w*\b", r"\bdrop(ped)? out\b", r"\bfailed orders?\b",
    r"\bsign ?ups? dropped\b", r"\bfailed payments?\b", r"\bpayment errors?\b",
    r"\bfalls?\b(?! (to|from|by)\b)", r"\bmedication errors?\b", r"\binjur\w*\b", r"\blate (orders?|deliveries|packages|shipments?)\b", r"\bmissed (the )?(truck|deliver\w*|shipments?|cutoff)\b", r"\bdelays?\b", r"\bwait(ed|ing)?\b", r"\bdropped\b", r"\bbrows\w* drop\b", r"\block(ed)? out\b", r"\bdeclined\b", r"\bdelinquen\w*\b", r"\bcomplaints?\b"
)
# ... and system friction, which counts as the user's only when the sentence names the user.
SYSTEM_FRICTION = cue_rx(
    r"\berrors?\b", r"\bfail(ed|ures?|s|ing)?\b", r"\blatency\b", r"\bslow\w*\b", r"\boutage\b", r"\bcrash\w*\b",
    r"\bblock(ed|s|ing)?\b", r"\bdown ?time\b", r"\bbugs?\b",
)


def customer_friction(text: str) -> bool:
    """Whether a sentence ties a problem to the end user: user-felt friction, or system friction
    in the same sentence as a customer/user word."""
    return bool(USER_FRICTION.search(text) or (SYSTEM_FRICTION.search(text) and CUSTOMER.search(text)))


COMMIT_EXPLICIT = cue_rx(
    r"\bi'?m in\b", r"\bi (fully )?committed\b", r"\bi('ll| will) (own|help|make)\b", r"\bi('d| would) help make it work\b",
    r"\bi (was|got) (fully )?(on board|behind)\b", r"\bcommit(ted)? to (her|his|their|the) (plan|path|decision|call|approach)\b",
    r"\bonce it was decided, i\b", r"\bonce the (call|decision) was made, i\b",
    r"\bi'?m all in\b", r"\bi'?m committed\b", r"\bi disagree,? but i'?m\b", r"\bi'?ll own\b"
)
PASSIVE_AGGRESSIVE = cue_rx(
    r"\bdid (exactly )?what (he|she|they|i was|we were) (asked|told|said)\b", r"\bwasn'?t my (call|problem|job)\b",
    r"\bprove my point\b", r"\bjust in case\b", r"\bi (had )?warned (him|her|them)\b", r"\bi'?d warned\b", r"\bpaper trail\b",
    r"\bi told you so\b", r"\bi didn'?t add anything extra\b", r"\bwasn'?t on me\b", r"\bthe way the ticket said\b",
    r"\bi won the argument\b", r"\bso fine\b", r"\blet it fail\b",
    r"\bnothing more\b", r"\bkept the emails?\b", r"\bin case it (blew up|broke|failed|went wrong)\b", r"\bi'?d told (them|him|her)\b", r"\bdid (exactly )?what was asked\b", r"\bnot my (call|problem|job) anymore\b", r"\bcovered myself\b", r"\bcya\b", r"\bthe bare minimum\b", r"\blogged (my|the) objection\b"
)
YIELD = cue_rx(
    r"\bi didn'?t push( it)?( any)? (further|harder)\b", r"\bi didn'?t want to create friction\b", r"\bi gave up\b",
    r"\bshe probably knew better\b", r"\bhe probably knew better\b", r"\bthey probably knew better\b", r"\bi trust the decision\b",
    r"\bi said okay,? i understand\b", r"\bpretty much made\b", r"\bi dropped it\b", r"\bi let it go\b", r"\bi backed down\b",
    r"\b(i said okay,? (and )?)?let it go\b", r"\bi said okay,? makes sense\b", r"\bi didn'?t want to (argue|be the one|fight|push|rock)\b", r"\bit'?s their call\b", r"\bwasn'?t (really )?my place\b", r"\bi shouldn'?t have argued\b", r"\bi trust that\b", r"\bknew better\b", r"\bi (just )?went along\b", r"\bi backed off\b"
)
WON = cue_rx(
    r"\bi won the argument\b", r"\b(agreed|sided) with me\b", r"\bwent with my (plan|proposal|recommendation|approach|option|design)\b",
    r"\bmy (plan|proposal|recommendation|approach) (won|was chosen|was approved|got approved|went ahead)\b",
    r"\b(came|come) around to my\b", r"\bthey accepted my\b", r"\bpicked my\b", r"\bchose my\b", r"\bbacked my\b",
)
LOST = cue_rx(
    r"\boverruled\b", r"\bi lost\b", r"\blost the argument\b", r"\bwent against (me|my)\b", r"\bdecision went against\b",
    r"\bi'?m in\b", r"\bdisagree and commit\b", r"\b(sided|agreed) with (her|him|them|the other|[A-Z][a-z]+)\b(?<!me)",
    r"\bwent with (her|his|their) (plan|proposal|approach|date|option)\b", r"\bthe call was (hers|his|theirs)\b",
    r"\b(decided|chose) to (ship|launch|roll|go|keep|remove|replace|skip)\b",
)
COUNTERFACTUAL = cue_rx(r"\b(should|would|could) have\b", r"\bnext time\b", r"\blooking back\b", r"\bin hindsight\b")
ESCALATE = cue_rx(
    r"\bescalat\w*\b", r"\bi asked for (\w+ ){0,3}(minutes|meeting|time|review)\b", r"\b(took|brought) it to\b", r"\bi pushed (back|again)\b",
    r"\bone (slide|page)\b", r"\bskip[ -]level\b", r"\bi (went|argued) again\b", r"\basked to bring it to\b",
    r"\b(took|brought|raised) (it|this|the (case|data|numbers|doc|analysis)) (to|with)\b", r"\bpresented (it|this|the \w+) to\b",
    r"\bto the (\w+ )?(council|board|committee|vp|cto|ceo|director|review|leadership)\b", r"\bi made the case\b",
    r"\bi (went|argued|pushed) (again|twice|back|harder)\b", r"\bwith (her|his|their) (boss|manager|director|vp)\b"
)
RECALIBRATE = cue_rx(
    r"\b(was|were) right about\b", r"\bfair (challenge|point)\b", r"\bin hindsight\b", r"\bi'?d still\b", r"\bi still (think|believe|would)\b",
    r"\bi was wrong about\b", r"\bnext time i would\b", r"\bi would (bring|frame|push|have)\b", r"\bshe had a point\b", r"\bhe had a point\b",
)
TRADEOFF = cue_rx(
    r"\bworth more than\b", r"\bcost(s|ing)? (more|less)\b", r"\bupside\b", r"\bdownside\b", r"\btrade-?off\b", r"\bnext to the\b",
    r"\bagainst (her|his|their) goal\b", r"\bwould cost\b", r"\bat the cost of\b", r"\boutweigh\w*\b", r"\brevenue argument\b",
    r"\bworst case\b", r"\brisk\b",
)
STAKEHOLDER = cue_rx(
    r"\b(my|our) (\w+ )?(director|manager|vp|boss|lead|head of \w+|cto|ceo|architect|skip)\b",
    r"\bthe (vp|architect|director|cto|head) of\b",
)
FILLERS = re.compile(rf"\b{FILLER_WORD}\b|\byou know\b", re.IGNORECASE)
REFLECT_GENERIC = cue_rx(
    r"\bcommunication is key\b", r"\bteamwork is (really )?important\b", r"\bgo with the flow\b", r"\bassume good intent\b",
    r"\bkeep a paper trail\b", r"\bbusiness timing matters\b",
)


DONT_KNOW = cue_rx(
    r"\bi don'?t (really )?(know|remember|have (that|the) (exact )?(number|figure|data))", r"\bi'?m not sure\b",
    r"\bi'?d have to look\b", r"\bhard to point to\b", r"\bcan'?t recall\b",
)


def cue_spans(pattern: re.Pattern, sentences: list[Sentence]) -> list[tuple[Sentence, int, int]]:
    """Every match of ``pattern`` in ``sentences`` as ``(sentence, start, end)`` character spans."""
    return [(s, m.start(), m.end()) for s in sentences for m in pattern.finditer(s.text)]
