"""Sign-in policy and the identity record it leaves for the CDR."""

from datetime import UTC, datetime, timedelta

import pytest

from avmeets.errors import AccountBlocked, PermissionDenied
from avmeets.retention import retention_days
from avmeets.sign_in import (
    NO_BLOCKING_FUNCTION,
    SignIn,
    check_policy,
    email_domain,
    identity_record,
    member_domain,
)

USER = SignIn("u1", "Ada", "ada@acme.example", True, "+15550100", "google.com", "1.2.3.4", "UA")
ACME = {"domains": ["acme.example"], "signIn": {"allowedProviders": ["google.com"]}}


def test_domain() -> None:
    assert email_domain("Ada@ACME.example") == "acme.example"
    assert email_domain(None) is None and email_domain("nobody") is None


def test_open_deployment_allows_anyone() -> None:
    check_policy(USER, None, None, None)
    check_policy(USER, ACME, None, "acme")


def test_restricted_deployment_refuses_outsiders_with_reason() -> None:
    with pytest.raises(PermissionDenied, match="limited to accounts of the organisation acme"):
        check_policy(USER, None, "acme", None)
    check_policy(USER, ACME, "acme", "acme")


def test_org_provider_and_verification_rules() -> None:
    with pytest.raises(PermissionDenied, match=r"google\.com"):
        check_policy(SignIn(**{**USER.__dict__, "provider": "password"}), ACME, None, "acme")
    strict = {"domains": ["acme.example"], "signIn": {"requireVerifiedEmail": True}}
    with pytest.raises(PermissionDenied, match="verified"):
        check_policy(SignIn(**{**USER.__dict__, "email_verified": False}), strict, None, "acme")


def test_identity_record_fields_and_retention() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    rec = identity_record(USER, "acme", now, now + timedelta(days=3))
    assert rec["email"] == "ada@acme.example" and rec["phone"] == "+15550100"
    assert rec["signInIp"] == "1.2.3.4" and rec["expiresAt"] == now + timedelta(days=3)
    assert retention_days(7, {"retentionDays": 3}) == 3
    assert retention_days(7, {"retentionDays": 30}) == 7  # an org can only shorten it
    assert retention_days(30, None) == 7  # never beyond a week


def test_membership_only_from_a_verified_address() -> None:
    assert member_domain(USER) == "acme.example"
    unverified = SignIn(**{**USER.__dict__, "email_verified": False})
    assert member_domain(unverified) is None


def test_refusals_carry_the_account_refused_reason() -> None:
    with pytest.raises(PermissionDenied) as outsider:
        check_policy(USER, None, "acme", None)
    assert outsider.value.reason == "account-refused"
    blocked = {"domains": ["acme.example"], "signIn": {"blockedEmails": ["ADA@acme.example"]}}
    with pytest.raises(AccountBlocked) as refused:
        check_policy(USER, blocked, None, "acme")
    assert refused.value.reason == "account-refused" and refused.value.code == "PERMISSION_DENIED"


def test_providers_without_blocking_functions() -> None:
    assert {"anonymous", "custom"} == set(NO_BLOCKING_FUNCTION)
