"""Collection names (firestore.rules and docs/data-inventory.md use the same)."""

from typing import Final

MEETINGS: Final = "meetings"
PARTICIPANTS: Final = "participants"  # under meetings/{meetingId}
SIGNALS: Final = "signals"  # under meetings/{meetingId}
LOBBY: Final = "lobby"  # under meetings/{meetingId}: knocks
PRESENCE: Final = "presence"  # under meetings/{meetingId}: liveness of the joined
# Server-only collections: firestore.rules lets no client read or write them.
MEETING_SECRETS: Final = "meeting_secrets"
JOIN_ATTEMPTS: Final = "join_attempts"
MEETING_ATTEMPTS: Final = "meeting_attempts"
QUOTAS: Final = "quotas"
IDENTITIES: Final = "identities"
JOINS: Final = "joins"
CDRS: Final = "cdrs"
ORGS: Final = "orgs"
ARCHIVES: Final = "archives"
#: Changes of an organisation's policy (who, when, what), read by its admins.
ORG_AUDITS: Final = "org_audits"
# Kept beyond the CDR's week (docs/data-inventory.md): the operator's export audit and the
# anonymous daily usage aggregates the purge rolls the CDR into.
EXPORT_AUDITS: Final = "export_audits"
USAGE_DAILY: Final = "usage_daily"
