"""Display names: chosen ones checked, fallbacks that never use an e-mail address or phone."""

from __future__ import annotations

import pytest

from avmeets import display_names as names
from avmeets.errors import InvalidArgument

EMAIL = "ada.lovelace@example.com"
PHONE = "+15550100002"


def test_a_chosen_name_is_trimmed_and_its_spaces_collapsed() -> None:
    assert names.check_chosen("  Ada \t Lovelace ", email=EMAIL, phone=None) == "Ada Lovelace"
    assert names.check_chosen("Zoë (she/her) 🙂", email=None, phone=None) == "Zoë (she/her) 🙂"
    # Numbers are fine as long as they are not a phone number.
    assert names.check_chosen("Room 101", email=None, phone=None) == "Room 101"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "a" * 65,
        "Ada\u0007",
        "Ada\u202e",  # a bidi override: a format character, refused like control characters
        "ada.lovelace@example.com",
        "Ada <ada@example.org>",
        "ada @ example . org",
        "+1 555 010 0002",
        "(555) 010-0002",
        "call 5550100002",
        "Ada ADA.LOVELACE@EXAMPLE.COM",
        "Ada +15550100002",
    ],
)
def test_a_chosen_name_is_refused_when_it_is_empty_long_or_contact_details(typed: str) -> None:
    with pytest.raises(InvalidArgument) as err:
        names.check_chosen(typed, email=EMAIL, phone=PHONE)
    assert err.value.details == {"field": "displayName"}


def test_the_account_name_is_used_when_usable() -> None:
    assert names.account_name(" Ada  Lovelace ", "u1", email=EMAIL, phone=None) == "Ada Lovelace"
    long = "Ada " * 30
    assert names.account_name(long, "u1", email=None, phone=None) == long.strip()[:64].strip()


@pytest.mark.parametrize(
    ("name", "email", "phone"),
    [
        (None, EMAIL, None),  # no profile name: never the e-mail's local part
        ("", None, PHONE),  # a phone account: never the number
        (EMAIL, EMAIL, None),  # a profile named after its e-mail address
        (PHONE, None, PHONE),
        ("\u0000\u0001", None, None),
    ],
)
def test_without_a_usable_account_name_a_guest_name(
    name: str | None, email: str | None, phone: str | None
) -> None:
    got = names.account_name(name, "uid-123", email=email, phone=phone)
    assert got == names.guest_name("uid-123")
    assert got.startswith("Guest ") and len(got) == 10
    for contact in (email, phone, EMAIL.split("@")[0], PHONE[1:]):
        if contact:
            assert contact.casefold() not in got.casefold()


def test_guest_names_are_stable_per_account_and_differ_between_accounts() -> None:
    assert names.guest_name("a") == names.guest_name("a")
    assert len({names.guest_name(f"user-{n}") for n in range(50)}) > 45


def test_what_looks_like_contact_details() -> None:
    assert names.looks_like_contact("x@y.z")
    assert names.looks_like_contact("tel 555-010-0002")
    assert not names.looks_like_contact("Team 42")
    assert not names.looks_like_contact("@ada")
    assert not names.looks_like_contact("Jo 123456")  # six digits: not a phone number
