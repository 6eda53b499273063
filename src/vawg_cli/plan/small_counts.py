"""Spot a small count of people in a public note ("2 women in Ward X") before a paper prints it.

Public papers withhold counts from 1 up to below the plan's `suppress_below` (5 unless the plan
says otherwise), because in a ward or a service a count of two survivors can point to a person.
A note quoting such a count would undo that, so `vawg check` warns about it in an update that is
not restricted and in a measure figure's note (which papers print).

`find_small_count` is a warning aid, not a guarantee (it looks at a note's first `MAX_NUMBERS`
numbers): a number (digits, or a word from one to
twenty) followed within a few words by a word for people or cases (women, victims, families,
referrals, …). Notes are full of numbers that are not counts of people, so each is left alone
when it is part of a date or a period (2 March, Q2, 2025/26, Year 2), money (£2), a percentage
(2%), a ratio (1 in 4 women), an ordinal (2nd), a compound (one-stop, 3-year), a range or an id
(Action 3, Ward 2), or when the words after it count something else first (2 meetings with
women, 3 schools, 2 partners, 4 women's groups). Pure: it reads records, never files or YAML.
"""

from __future__ import annotations

import itertools
import re

from vawg_cli.model.measures import Measure
from vawg_cli.model.periods import period_text
from vawg_cli.model.records import Action
from vawg_cli.plan.checks import Loc, update_texts
from vawg_cli.text import excerpt

MAX_NUMBERS = 1_000
"""The numbers of one note looked at: a note is a few sentences, and one of a hundred thousand
numbers (a pasted table, or a hostile file) must not hold `vawg check` for seconds."""
MAX_GAP = 3
"""The most words between the number and the word for people: "3 high-risk domestic abuse victims"."""


def words(text: str) -> frozenset[str]:
    """A set of words written as one string, as the lists below are easier to read that way."""
    return frozenset(text.split())


_NUMBER_NAMES = (
    "one two three four five six seven eight nine ten "
    "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
)
NUMBER_WORDS = {word: value for value, word in enumerate(_NUMBER_NAMES.split(), 1)}

# Words for people (and their cases) whose small counts are withheld; singular and plural.
_PEOPLE = words(
    """
    woman women girl girls man men boy boys victim victims survivor survivors person persons people
    child children kid kids resident residents client clients family families household households
    case cases referral referrals individual individuals perpetrator perpetrators offender offenders
    suspect suspects adult adults teenager teenagers teens youth youths pupil pupils student students
    mother mothers mum mums father fathers parent parents daughter daughters son sons baby babies
    infants patient patients complainant complainants caller callers user users tenant tenants
    disclosure disclosures allegation allegations wife wives husband husbands widow widows
    """
)

# Things counted that are not people (or are people whose numbers are not withheld: staff,
# partners), units of time and money, and months: a count of these ends the search.
_OTHER_THINGS = words(
    """
    meeting meetings session sessions partner partners school schools business businesses event events
    workshop workshops course courses group groups organisation organisations organization organizations
    agency agencies service services venue venues site sites premises staff officer officers professional
    professionals practitioner practitioners trainer trainers volunteer volunteers member members
    colleague colleagues manager managers champion champions ambassador ambassadors gp gps post posts
    role roles team teams board boards panel panels forum forums report reports paper papers action
    actions priority priorities objective objectives item items page pages leaflet leaflets poster
    posters campaign campaigns round rounds cohort cohorts ward wards borough boroughs area areas
    location locations hotspot hotspots street streets shop shops pub pubs bar bars club clubs hotel
    hotels refuge refuges bed beds space spaces place places room rooms hub hubs clinic clinics surgery
    surgeries hospital hospitals college colleges university universities charity charities provider
    providers contract contracts grant grants bid bids policy policies protocol protocols pathway
    pathways training trainings module modules video videos app apps tool tools resource resources
    step steps stage stages phase phases version versions issue issues theme themes recommendation
    recommendations point points question questions way ways reason reasons thing things example
    examples time times second seconds minute minutes hour hours day days night nights week weeks
    weekend weekends fortnight fortnights month months quarter quarters term terms year years decade
    decades percent pound pounds pence million millions thousand thousands hundred hundreds billion k m
    bn dozen january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    """
)
# Words after which a number is a label, a date or an age, not a count: "Action 3", "Ward 2", "April 2".
_LABELS = words(
    """
    action actions priority year years phase ward wards stage step level tier page section appendix item
    number no version round cohort wave quarter q week day month line para paragraph point objective
    outcome theme recommendation ks top aged age ages figure table chapter annex option route bus room
    floor flat unit plan cycle sprint january february march april may june july august september
    october november december jan feb mar apr jun jul aug sep sept oct nov dec
    """
)
# Words that end the phrase a count belongs to: prepositions, conjunctions, common verbs.
_BREAKS = words(
    """
    to for with in at on by from who whom which that where when while per across between about than and
    or but nor so as is are was were be been being has have had will would can could should may might
    must do does did into onto through via within without under over after before since until a an
    said says told
    """
)
# Between a number's "of" and its people: "2 of the women", "three of our clients".
_DETERMINERS = words("the these those our their its his her them this that")
# The only words allowed between "one" and its people, as "one" is also a pronoun ("one said women…").
_ONE_MODIFIERS = words(
    "young younger older old more further other new single local vulnerable adult female male teenage "
    "additional known repeat high-risk"
)
# A word for people followed by one of these is a modifier: "case studies", "family hubs", "victim support".
_COMPOUND_HEADS = _OTHER_THINGS | words(
    """
    study studies review reviews conference conferences file files management work worker workers load
    loads note notes support protection safeguarding exploitation abuse record records plan plans journey
    journeys feedback voice voices story stories engagement survey surveys data figure figures rate rates
    centre centres center centers court courts law friendly led facing focused
    """
)

_APOSTROPHES = "'\u2019"  # typed, and as a word processor curls it
_TOKEN = re.compile(
    rf"(?P<number>\d+(?:[.,:/]\d+)*)|(?P<word>[A-Za-z]+(?:[-{_APOSTROPHES}][A-Za-z]+)*[{_APOSTROPHES}]?)|(?P<mark>\S)"
)
_LETTERS = re.compile(r"[a-z]+")
# A number as `_TOKEN` reads one, alone or with a number word (one that is a whole token).
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_NUMBER_OR_WORD = re.compile(
    rf"\d+(?:[.,:/]\d+)*|(?<![-A-Za-z{_APOSTROPHES}])(?:{'|'.join(NUMBER_WORDS)})(?![-A-Za-z{_APOSTROPHES}])",
    re.IGNORECASE,
)
_LOOK_BACK = 80
"""Characters before a number split into tokens, for the words before it ("Ward 2", "1 in 4")."""
_NO_DIGITS = str.maketrans("", "", "0123456789")
_BEFORE_NUMBER = frozenset("£$€#+-/.:")
_AFTER_NUMBER = frozenset("%-/" + _APOSTROPHES)


def find_small_count(text: str, below: int) -> str | None:
    """The first phrase in `text` that gives a count from 1 to `below` - 1 of people or cases, or None.

    The phrase runs from the number to the word for people ("2 women", "three of our clients").
    """
    if below <= 1:
        return None
    # Quick tests before the token-by-token look, as a cold check reads a hundred thousand notes:
    # most name no people, or give no number. (A set of the words is cheaper than one regular
    # expression of a hundred alternatives.)
    words_in_it = _LETTERS.findall(text.lower())
    if _PEOPLE.isdisjoint(words_in_it):
        return None
    spelled = not NUMBER_WORDS.keys().isdisjoint(words_in_it)
    if not spelled and len(text.translate(_NO_DIGITS)) == len(text):
        return None
    # Only the words around each number are split into tokens: most numbers are years or large.
    candidates = (_NUMBER_OR_WORD if spelled else _NUMBER).finditer(text)
    for candidate in itertools.islice(candidates, MAX_NUMBERS):
        token, start, end = candidate.group(), candidate.start(), candidate.end()
        kind = "number" if token[0].isdigit() else "word"
        count = _count(kind, token, text, start, end)
        if count is None or not 1 <= count < below:
            continue
        before = [_token(m) for m in _TOKEN.finditer(text, max(0, start - _LOOK_BACK), start)][-3:]
        after = [_token(m) for m in itertools.islice(_TOKEN.finditer(text, end), MAX_GAP + 3)]
        tokens, index = [*before, (kind, token, start, end), *after], len(before)
        previous = tokens[index - 1] if index else None
        if previous is not None and previous[0] == "word" and previous[1].lower() in _LABELS:
            continue
        if token.lower() == "one" and previous is not None and previous[1].lower() in {"no", "every", "any", "each"}:
            continue
        if _is_ratio(tokens, index):
            continue
        found = _people_after(tokens, index, strict=token.lower() == "one")
        if found is not None:
            return " ".join(text[start:found].split())
    return None


def _token(match: re.Match[str]) -> tuple[str, str, int, int]:
    return (match.lastgroup or "mark", match.group(), match.start(), match.end())


def _count(kind: str, token: str, text: str, start: int, end: int) -> int | None:
    """The number a token gives on its own, or None when it is part of something else (Q2, £2, 2%)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if kind == "number":
        if not token.isdigit() or before.isalnum() or before in _BEFORE_NUMBER:
            return None
        if after.isalnum() or after in _AFTER_NUMBER:  # 2nd, 3rd, 2k, 2%, 3-year, 24/7
            return None
        return int(token)
    if kind == "word":
        return NUMBER_WORDS.get(token.lower())  # "one-stop" is one token, and no number word
    return None


def _is_ratio(tokens: list[tuple[str, str, int, int]], index: int) -> bool:
    """ "1 in 4", "one in four", "2 out of 3": a rate, whichever number this is."""

    def is_number(i: int) -> bool:
        return 0 <= i < len(tokens) and (tokens[i][0] == "number" or tokens[i][1].lower() in NUMBER_WORDS)

    def word(i: int) -> str:
        return tokens[i][1].lower() if 0 <= i < len(tokens) else ""

    if word(index + 1) == "in" and (is_number(index + 2) or (word(index + 2) == "every" and is_number(index + 3))):
        return True
    if word(index + 1) == "out" and word(index + 2) == "of":
        return True
    if word(index - 1) == "in" and (is_number(index - 2) or (word(index - 2) == "every" and is_number(index - 3))):
        return True
    return word(index - 1) == "of" and word(index - 2) == "out"


def _people_after(tokens: list[tuple[str, str, int, int]], index: int, *, strict: bool) -> int | None:
    """Where the word for people ends, when one follows the number at `index` within `MAX_GAP` words.

    `strict` (after "one", also a pronoun): only "of the" and a few modifiers may come between.
    """
    for position in range(index + 1, min(len(tokens), index + MAX_GAP + 2)):
        kind, token, _, end = tokens[position]
        if kind != "word":
            return None  # a mark (",", "(", "&") or another number ends the phrase
        lower = token.lower()
        base = lower.rstrip(_APOSTROPHES)
        for apostrophe in _APOSTROPHES:
            base = base.removesuffix(apostrophe + "s")
        if lower == "of" and position == index + 1:
            continue
        if lower in _DETERMINERS and position == index + 2 and tokens[index + 1][1].lower() == "of":
            continue
        if base in _PEOPLE:
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            compound = following is not None and following[0] == "word" and following[1].lower() in _COMPOUND_HEADS
            if base == lower and not compound:
                return end
            continue  # a modifier: "women's groups", "case studies", "child protection plans"
        if base in _OTHER_THINGS or lower in _BREAKS or (strict and lower not in _ONE_MODIFIERS):
            return None
    return None


def _message(below: int) -> str:
    return f'where counts under {below} are withheld; write "fewer than {below}"'


def small_counts_in_notes(action: Action, below: int) -> list[tuple[Loc, str]]:
    """Unrestricted updates whose note quotes a count of people under the plan's `suppress_below`."""
    findings: list[tuple[Loc, str]] = []
    for index, update in enumerate(action.updates):
        for key, text in update_texts(update):
            if update.restricted or (phrase := find_small_count(text, below)) is None:
                continue
            this = "this note gives" if key == "note" else f"its {key} gives"
            findings.append(
                (
                    ("updates", index, key),
                    f'update {index + 1}: {this} a small count ("{excerpt(phrase)}"), and it is not '
                    f"restricted, so it would appear in public papers, {_message(below)}, or add `restricted: true` "
                    "to this update",
                )
            )
    return findings


def small_counts_in_figures(measure: Measure, below: int) -> list[tuple[Loc, str]]:
    """Figures whose note quotes a small count: a figure's note is printed in public papers."""
    threshold = measure.suppress_below or below
    findings: list[tuple[Loc, str]] = []
    for index, value in enumerate(measure.values):
        if value.note is None or (phrase := find_small_count(value.note, threshold)) is None:
            continue
        findings.append(
            (
                ("values", index, "note"),
                f"figure {index + 1} ({period_text(value.period)}): this note gives a small count "
                f'("{excerpt(phrase)}"), and a figure\'s note appears in public papers, {_message(threshold)} instead',
            )
        )
    return findings
