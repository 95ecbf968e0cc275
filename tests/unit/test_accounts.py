"""Which Auth accounts the purge deletes: idle (no sign-in, no token refresh) past retention."""

from datetime import UTC, datetime, timedelta

from avmeets import accounts
from avmeets.accounts import Account

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


def test_last_active_is_the_latest_known_time() -> None:
    created, signed_in, refreshed = (NOW - timedelta(days=d) for d in (30, 9, 2))
    assert accounts.last_active(ms(created), ms(signed_in), ms(refreshed)) == refreshed
    assert accounts.last_active(ms(created), None, None) == created
    assert accounts.last_active(None, None, 0) is None


def test_due_is_idle_longer_than_retention() -> None:
    listed = [
        Account("old", NOW - timedelta(days=8)),
        Account("edge", NOW - timedelta(days=7)),
        Account("fresh", NOW - timedelta(days=7) + timedelta(seconds=1)),
        Account("now", NOW),
    ]
    assert accounts.due(listed, NOW, 7) == ["old", "edge"]
    # An organisation-shortened or a longer retention moves the line.
    assert accounts.due(listed, NOW, 1) == ["old", "edge", "fresh"]
    assert accounts.due(listed, NOW + timedelta(days=30), 7) == ["old", "edge", "fresh", "now"]


def test_report_reads_as_a_log_line() -> None:
    report = accounts.AccountsReport(now=NOW, retention_days=7, dry_run=False, due=3, deleted=3)
    assert str(report) == "accounts idle over 7 days: deleted 3"
    dry = accounts.AccountsReport(now=NOW, retention_days=7, dry_run=True, due=2)
    assert str(dry) == "accounts idle over 7 days: would delete 2"
    assert dry.as_dict()["due"] == 2 and dry.as_dict()["dryRun"] is True
