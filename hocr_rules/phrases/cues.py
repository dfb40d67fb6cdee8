"""The cue lexicon: the words around a phrase that say it did not happen, may happen, happened long ago, happened
to someone else, or was only asked about.

The approach is NegEx (Chapman et al., "A simple algorithm for identifying negated findings and diseases in
discharge summaries", J Biomed Inform 34, 2001) with the hypothetical, historical and experiencer ("other
person") cues of its successor ConText (Harkema et al., J Biomed Inform 42, 2009): a cue acts on a phrase within
a short window of words, in the same sentence, unless a termination cue ("but", "however") or a clause break
comes between; pseudo-cues ("no doubt", "not only") look like cues but are not. The lists are adapted to police
incident logs rather than clinical notes.

Choices made for an audit tool, where a cue that wrongly silences a phrase hides a possible crime while a missed
cue only costs an auditor a look:
- a comma ends a scope ("no injuries, punched to the face" keeps "punched"), which NegEx does not do;
- "advised" is not a hypothetical cue: in police logs "IP advised he punched her" means she said so;
- "would not stop hitting her" is not a negation (pseudo-cues "not stop", "wouldnt stop");
- other-person cues are narrow on purpose: "her brother punched her" is an offence against her, so a bare
  relative is not a cue; only forms that make someone else the one it happened to ("her friend was", "someone
  else") are.
"""

from __future__ import annotations

PRE_WINDOW = 5   # words between a cue before a phrase and the phrase (NegEx's window)
POST_WINDOW = 3  # words between the end of a phrase and a cue after it

PRE_NEGATION = (
    "no", "not", "nil", "none", "nobody", "noone", "no one", "never", "neither", "nor", "without", "denies", "denied", "deny", "denying",
    "didnt", "doesnt", "dont", "did not", "does not", "do not", "wasnt", "isnt", "hasnt", "hadnt", "havent", "werent",
    "cannot", "cant", "couldnt", "wont", "no sign of", "no signs of", "no evidence of", "no mention of",
    "no allegation of", "no allegations of", "no report of", "no reports of", "no complaint of", "free from",
    "refutes", "refuted", "negative for")
POST_NEGATION = ("denied", "denies", "none", "nil", "not seen", "negative", "ruled out", "unfounded", "not confirmed",
                 "not substantiated")
PSEUDO = ("no doubt", "not only", "not just", "no further", "no one else", "no question", "not sure why",
          "without doubt", "cannot deny", "cant deny", "does not deny", "doesnt deny", "did not deny", "didnt deny",
          "not stop", "wouldnt stop", "didnt stop", "not let", "wouldnt let", "didnt let")
TERMINATION = ("but", "however", "although", "though", "except", "apart from", "aside from", "yet", "whereas",
               "nevertheless", "nonetheless", "then", "later")
HYPOTHETICAL = (
    "if", "unless", "should", "whether", "in case", "in the event", "in future", "in the future", "advice",
    "what to do", "wants to know", "wanted to know", "worried that",
    "fears that", "in fear that", "concerned that", "hypothetically")
HISTORICAL_PRE = ("previous", "previously", "history", "historic", "historical", "historically", "past", "prior",
                  "formerly", "used to", "as a child", "childhood")
HISTORICAL_POST = ("ago", "last year", "in the past", "previously", "historically", "years before")
OTHER_PERSON = (
    "someone else", "another person", "other people", "another male", "another female", "a third party",
    "friend was", "friend has been", "friend had been", "sister was", "brother was", "mother was", "father was",
    "son was", "daughter was", "neighbour was", "colleague was", "cousin was", "happened to her friend",
    "happened to his friend")
#: answers to a risk-script question that affirm it; any other answer (no, not known, declined) does not.
YES = frozenset({"yes", "y", "yeah", "yep", "affirmative", "true"})


def explained() -> dict[str, str]:
    """What sets each flag a phrase match can carry, with its cues, in the words `hocr rules show` prints for an
    indicator (a trainer asking why "no injuries" raised nothing). Kept beside the lists so it cannot drift."""
    before, after = f"up to {PRE_WINDOW} words before", f"up to {POST_WINDOW} words after"
    scope = f"in the same sentence, unless a comma or one of {', '.join(TERMINATION)} comes between"
    return {
        "negated": f"{before}: {', '.join(PRE_NEGATION)}; {after}: {', '.join(POST_NEGATION)}; {scope}; "
                   f"not a cue: {', '.join(PSEUDO)}",
        "hypothetical": f"{before}: {', '.join(HYPOTHETICAL)}",
        "historical": f"{before}: {', '.join(HISTORICAL_PRE)}; {after}: {', '.join(HISTORICAL_POST)}",
        "other_person": f"{before}: {', '.join(OTHER_PERSON)}",
        "question": f"the sentence ends in a question mark (a risk-assessment script such as DASH); answered "
                    f"other than {', '.join(sorted(YES))}, the match is negated too",
    }
