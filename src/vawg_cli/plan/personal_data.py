"""Spot personal data in a progress note before it is printed in a public board paper.

`find_personal_data` is a warning aid for `vawg check`, not a privacy guarantee: it looks for
the few shapes of personal data that turn up in copied case notes (an email address, a UK phone
number, a postcode, a National Insurance number, a date of birth) and says which kinds it saw.

Progress notes are full of years, dates, quarters, money, counts and report references, so every
pattern is shaped to leave those alone, even at the cost of missing an unusual real number: a
warning that fires on every note would soon be ignored. Pure and stdlib-only, like `schedule`.
"""

from __future__ import annotations

import re
from typing import Final

EMAIL: Final = "an email address"
PHONE: Final = "a UK phone number"
POSTCODE: Final = "a UK postcode"
NI_NUMBER: Final = "a National Insurance number"
DATE_OF_BIRTH: Final = "a date of birth"

# Email: a local part of letters, digits and . _ % + - (jane.doe, j+x), an @, then dot-separated
# domain labels ending in a letters-only top-level domain of two or more (example.org,
# council.gov.uk). Requiring a dot after the @ leaves social media handles ("follow @MOPACLondon")
# and "@" used as "at" ("@ 10am") alone; the look-behind stops a match starting mid-word.
_EMAIL = re.compile(
    r"""
    (?<![\w.%+-])
    [A-Za-z0-9][A-Za-z0-9._%+-]*
    @
    (?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+
    [A-Za-z]{2,}
    \b
    """,
    re.VERBOSE,
)

# UK phone: a trunk 0 (or +44 / 0044, optionally followed by "(0)"), then 1, 2 or 7, then exactly
# nine more digits: the ten-digit national number of every mobile (07700 900123) and of almost
# every landline (020 7946 0958, 0161 496 0000, 01632 960123). Each digit may be preceded by a
# closing bracket and by one space or hyphen, so any grouping is accepted ((07700) 900 123,
# 0161-496-0000) but " - " or "/" never join two numbers. Insisting on the leading 0 or +44 and on
# the exact digit count leaves years (2025), dates (2025-04-30, 30/04/2025, 01/04/2025 has only
# eight digits), money (£12,000), counts, ranges (2024-2028) and shorter references alone, and the
# look-behind/look-ahead stop a match inside a longer run of digits. 03, 08 and 09 numbers are
# left out on purpose: they belong to organisations (the 0808 2000 247 helpline, 0800 1111
# Childline, 0300 council lines), which notes quote freely, never to a person.
_PHONE = re.compile(
    r"""
    (?<![\w+])
    (?:
        (?:\+|00)44[ ]?(?:\(0\)[ ]?)?
      | \(?0
    )
    [127]
    (?:\)?[ -]?\d){9}
    (?!\d)
    """,
    re.VERBOSE,
)

# UK postcode: the Royal Mail shapes of the outward code (A9, A99, AA9, AA99, A9A, AA9A) with the
# letters each position may hold (no Q, V or X first; no I, J or Z second; only some letters
# after the digit), then an optional single space and the inward code: a digit and two letters
# other than C, I, K, M, O and V. Every postcode has a letter-then-digit start and a
# digit-letter-letter end, which no ordinary word, quarter ("Q3 2025": Q never starts a postcode
# and 2025 has no letters), paper size (A4), acronym (MOPAC, VAWG, LBB) or year (2025/26) has.
# Upper case (SW1A 1AA, SW1A1AA) and lower case (sw1a 1aa) are accepted but not a mixture, so
# "KS3 2nd year pupils" (school key stage, then an ordinal) is not read as a postcode.
_POSTCODE_UPPER = r"""
    [A-PR-UWYZ](?:
        [A-HK-Y]\d[ABEHMNPRV-Y]
      | \d[A-HJKPSTUW]
      | [A-HK-Y]?\d{1,2}
    )
    [ ]?\d[ABD-HJLNP-UW-Z]{2}
"""
_POSTCODE = re.compile(
    rf"(?<![\w/])(?:{_POSTCODE_UPPER}|{_POSTCODE_UPPER.lower()})(?![\w/])",
    re.VERBOSE,
)

# National Insurance number: two prefix letters, six digits and a suffix letter A-D, with an
# optional single space between the letters and each pair of digits (QQ 12 34 56 C, QQ123456C).
# The prefix follows HMRC: the first letter is not D, F, I, Q, U or V, the second not D, F, I, O,
# Q, U or V, and BG, GB, KN, NK, NT, TN and ZZ are never issued; QQ is allowed too, as the prefix
# of HMRC's own example. The suffix is required, so a two-letter, six-digit reference
# ("AB123456") is left alone. Upper or lower case, but not a mixture, like postcodes: so
# "AB 12 34 56 a partner" is not taken for a number whose suffix is the word "a".
_NI_NUMBER_UPPER = r"""
    (?!BG|GB|KN|NK|NT|TN|ZZ)
    (?:QQ|[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])
    [ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?
    [A-D]
"""
_NI_NUMBER = re.compile(
    rf"\b(?:{_NI_NUMBER_UPPER}|{_NI_NUMBER_UPPER.lower()})\b",
    re.VERBOSE,
)

# Date of birth: a date on its own is never flagged, because notes are full of meeting dates and
# deadlines. Only a keyword (DOB, D.O.B., date of birth, born on, born) followed within a few
# characters (": ", " - ", " is ", " was ", " on ") by a full date with a year counts:
# 12/03/1990, 12-03-1990, 12.03.90, 12 March 1990, 12th Mar 1990, March 12, 1990 or 1990-03-12.
# "born" must be a whole word, so "newborn" and "stubborn" do not trigger it, and a year alone
# ("the service was born in 2019") is not a date of birth.
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_OF_BIRTH = re.compile(
    rf"""
    \b(?:d\.?o\.?b\b\.?|date[ ]of[ ]birth|born(?:[ ]on)?\b)
    [\s:.,-]{{0,4}}
    (?:(?:is|was|on)\s+)?
    (?:
        \d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})
      | \d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}
      | {_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}
      | \d{{4}}-\d{{2}}-\d{{2}}
    )
    (?!\d)
    """,
    re.VERBOSE | re.IGNORECASE,
)


_NO_DIGITS = str.maketrans("", "", "0123456789")
# A date of birth is only ever flagged after one of these words (see _DATE_OF_BIRTH).
_BIRTH_WORDS = re.compile(r"d\.?o\.?b|birth|born", re.IGNORECASE)


def find_personal_data(text: str) -> list[str]:
    """The kinds of personal data `text` seems to contain, in a fixed order, each at most once.

    The order is: an email address, a UK phone number, a UK postcode, a National Insurance number,
    a date of birth. An empty list means nothing was recognised, not that the text is safe.
    """
    found: list[str] = []
    if "@" in text and _EMAIL.search(text):
        found.append(EMAIL)
        # An address's digits and letters ("m1 1ae@...") must not count a second time.
        text = _EMAIL.sub(" ", text)
    # Each pattern needs some digits, or a keyword: counting them first (in C) skips the regular
    # expressions for most notes, which matters when a cold check reads a hundred thousand notes.
    digits = len(text) - len(text.translate(_NO_DIGITS))
    if digits >= 10 and _PHONE.search(text):
        found.append(PHONE)
    if digits >= 2 and _POSTCODE.search(text):
        found.append(POSTCODE)
    if digits >= 6 and _NI_NUMBER.search(text):
        found.append(NI_NUMBER)
    if digits >= 2 and _BIRTH_WORDS.search(text) and _DATE_OF_BIRTH.search(text):
        found.append(DATE_OF_BIRTH)
    return found
