"""Tests for `find_personal_data`: what `vawg check` warns about in a progress note that is not restricted."""

from __future__ import annotations

import pytest

from vawg_cli.plan.personal_data import find_personal_data

EMAIL = "an email address"
PHONE = "a UK phone number"
POSTCODE = "a UK postcode"
NI_NUMBER = "a National Insurance number"
DATE_OF_BIRTH = "a date of birth"


@pytest.mark.parametrize(
    "text",
    [
        "jane.doe@example.org",
        "j+x@council.gov.uk",
        "Contact J.Smith@bexley.gov.uk for details",
        "email: survivor_2025@mail.example.co.uk.",
    ],
)
def test_email_addresses(text: str) -> None:
    assert find_personal_data(text) == [EMAIL]


@pytest.mark.parametrize(
    "text",
    [
        # mobiles
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+447700900123",
        "(07700) 900 123",
        "07700 900 123",
        "0044 7700 900123",
        # landlines
        "020 7946 0958",
        "0161 496 0000",
        "01632 960123",
        "+44 20 7946 0958",
        "+44 (0)20 7946 0958",
        "0161-496-0000",
        "Call her on 07700 900123.",
    ],
)
def test_uk_phone_numbers(text: str) -> None:
    assert find_personal_data(text) == [PHONE]


@pytest.mark.parametrize(
    "text",
    [
        "SW1A 1AA",
        "M1 1AE",
        "B33 8TH",
        "CR2 6XH",
        "DN55 1PT",
        "EC1A 1BB",
        "W1A 0AX",
        "SW1A1AA",
        "sw1a 1aa",
        "m1 1ae",
        "Moved to DA6 7AT last month",
    ],
)
def test_uk_postcodes(text: str) -> None:
    assert find_personal_data(text) == [POSTCODE]


@pytest.mark.parametrize(
    "text",
    [
        "QQ 12 34 56 C",
        "QQ123456C",
        "AB 12 34 56 C",
        "JG103759A",
        "NI number: ab123456d",
    ],
)
def test_national_insurance_numbers(text: str) -> None:
    assert find_personal_data(text) == [NI_NUMBER]


@pytest.mark.parametrize(
    "text",
    [
        "DOB 12/03/1990",
        "DOB: 12/03/1990",
        "D.O.B. 12-03-1990",
        "d.o.b 12.03.90",
        "date of birth 12 March 1990",
        "Date of birth: 12th Mar 1990",
        "born on 12 March 1990",
        "born 1990-03-12",
        "Born: March 12, 1990",
        "her date of birth is 12/03/1990",
        "Client (DOB 1/3/1990) referred to IDVA",
    ],
)
def test_dates_of_birth(text: str) -> None:
    assert find_personal_data(text) == [DATE_OF_BIRTH]


@pytest.mark.parametrize(
    "text",
    [
        # phone look-alikes
        "2025",
        "2025-04-30",
        "30/04/2025",
        "01/04/2025",
        "£12,000",
        "£1,250,000",
        "120 professionals",
        "12345678",
        "012345678",
        "Case ref 123456789",
        "2024-2028",
        "07700 9001",
        # organisations' numbers, not a person's
        "National Domestic Abuse Helpline 0808 2000 247",
        "Childline 0800 1111",
        "Council switchboard 0300 123 4567",
        # postcode look-alikes
        "Q3 2025",
        "A4",
        "MOPAC",
        "BCSP",
        "VAWG",
        "2025/26",
        "LBB",
        "Sessions for KS3 2nd year pupils",
        "Road safety on the M25 3rd lane",
        # NI look-alikes
        "AB123456",
        "Grant GB123456A",
        "Ward AB 12 34 56 a partner",
        # a date alone, or a birth without a date, is not a date of birth
        "12/03/1990",
        "12 March 1990",
        "1990-03-12",
        "The service was born in 2019",
        "Newborn 12/03/2025 clinic visits",
        # an @ that is not an address
        "Follow @MOPACLondon",
        "Meeting @ 10am",
        "",
    ],
)
def test_look_alikes_are_not_personal_data(text: str) -> None:
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Q3 report to the board on 2025-12-10",
        "120 professionals trained across 14 sessions",
        "Funding of £45,000 agreed for CCTV",
        "Campaign ran with 12 partners on 25 November",
        "Referral pathway agreed; see report BCSP/2025/031",
        "Plan 2024-2028 refreshed",
        "Q4 2025/26 data: 1,204 incidents, 37% repeat victims (was 41% in 2024/25)",
        "White Ribbon accreditation renewed 01/04/2025; next review 31/03/2028",
        "MARAC heard 86 cases in Q2; 23 referred by LBB, 14 by Met Police BCU",
        "Training for 250 staff across A4 leaflets and 3 webinars, 10:00-12:00 on 2025-11-25",
        "Spend to date £12,500 of £60,000 (20.8%); invoice INV-2025-0042 paid",
        "Safe Spaces live in 32 pharmacies; follow @BexleyCouncil for updates",
    ],
)
def test_realistic_progress_notes_are_clean(text: str) -> None:
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Survivor (DOB 12/03/1990) at SW1A 1AA, tel 07700 900123, jane.doe@example.org",
            [EMAIL, PHONE, POSTCODE, DATE_OF_BIRTH],
        ),
        (
            "NI QQ 12 34 56 C; born on 12 March 1990; call 020 7946 0958",
            [PHONE, NI_NUMBER, DATE_OF_BIRTH],
        ),
        (
            "Perpetrator lives at B33 8TH, NI number AB123456C",
            [POSTCODE, NI_NUMBER],
        ),
        (
            "Ring 07700 900123 or 07700 900124, or email a@example.org or b@example.org",
            [EMAIL, PHONE],
        ),
        (
            "Moved from M1 1AE to CR2 6XH on 2025-04-30",
            [POSTCODE],
        ),
    ],
)
def test_several_kinds_come_in_a_fixed_order_once_each(text: str, expected: list[str]) -> None:
    assert find_personal_data(text) == expected


def test_an_email_address_is_not_also_read_as_a_postcode() -> None:
    assert find_personal_data("m1 1ae@example.org") == [EMAIL]


def test_personal_data_in_an_actions_notes_is_a_warning() -> None:
    """An import puts a table's unread columns into notes, which exports print whole."""
    from vawg_cli.model.records import Action
    from vawg_cli.plan.parsing import parse_plan_file

    raw = b'id: 5\ntitle: T\nleads: [LBB]\ntarget: Apr-25\nnotes: "Victim Jane Smith, tel 07700 900123"\n'
    _, problems = parse_plan_file(raw, Action)
    assert problems == (
        (
            5,
            8,
            "warning",
            "notes may hold personal data (a UK phone number), and papers and exports show it: remove it, "
            "or move it into a restricted update",
        ),
    )
