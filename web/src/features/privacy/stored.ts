/**
 * The privacy page's plain words: one entry per kind of record the server keeps, keyed like
 * docs/data-inventory.md (a test fails when the inventory has a record this list does not
 * explain, or the other way round). The fields themselves come from inventory.gen.ts.
 */

export interface PlainRecord {
  title: string;
  /** What it is, in plain words. */
  what: string;
  /** How long it is kept. */
  kept: string;
}

export const PLAIN: Record<string, PlainRecord> = {
  "meetings/{meetingId}": {
    title: "Meetings",
    what: "A meeting's code, its title if you gave one, who created it, whether it has a password, and whether it is still open.",
    kept: "Until the meeting ends or nobody has joined it for a while; a week at most.",
  },
  "meetings/{meetingId}/participants/{uid}": {
    title: "Who is in a meeting",
    what: "Your name as the others see it, and when you joined and left.",
    kept: "Deleted with the meeting.",
  },
  "meetings/{meetingId}/presence/{uid}": {
    title: "Still there?",
    what: "While you are in a meeting: when your browser last said it was still there (every few minutes), so that the record says when someone whose device went silent was no longer there.",
    kept: "Deleted when you leave, or when the server closes you out after your browser went silent.",
  },
  "meetings/{meetingId}/lobby/{uid}": {
    title: "Asking to join",
    what: "When a meeting has a waiting room: the name you asked to join with, whether your account is from the host's organisation, when you asked, and the host's answer.",
    kept: "Deleted with the meeting, or sooner when a host removes you.",
  },
  "meetings/{meetingId}/signals/{signalId}": {
    title: "Connection set-up messages",
    what: "The messages two browsers exchange to connect directly (they contain network addresses).",
    kept: "Seconds: the browser they are for deletes each one as soon as it has used it.",
  },
  "identities/{uid}": {
    title: "Your sign-in identity",
    what: "Your name, email and phone number from Google, and the network address and browser you signed in from.",
    kept: "A week after your last sign-in.",
  },
  "joins/{meetingId}_{uid}_{session}": {
    title: "When you joined a meeting",
    what: "Which meeting, when you joined and left, your network address with its country and provider, and your browser.",
    kept: "A week at most.",
  },
  "cdrs/{legId}": {
    title: "Call records (who connected with whom)",
    what: "For each connection between two people: both identities, both network addresses with their country and provider (the ones you joined from, and the public ones the connection itself used, as each browser reports them; a private address only as 'private'), each side's connection status and statistics (round-trip time, bytes, relayed or direct), and when it started and ended.",
    kept: "A week at most; sooner if your organisation asks for it or the server is under load. This is the record a lawful request may ask for.",
  },
  "meeting_secrets/{meetingId}": {
    title: "Meeting passwords",
    what: "A salted scrypt hash of a meeting's password, never the password itself.",
    kept: "Deleted with the meeting.",
  },
  "join_attempts/{meetingId}_{uid}": {
    title: "Wrong passwords",
    what: "How many wrong passwords you typed for a meeting, so that nobody can guess one.",
    kept: "30 minutes.",
  },
  "meeting_attempts/{meetingId}": {
    title: "Wrong passwords for a meeting",
    what: "How many wrong passwords anyone typed for a meeting, and when the next try is allowed, so that many accounts together cannot guess it. Nothing in it says who typed them.",
    kept: "Until a quarter of an hour after the last wrong password or wait.",
  },
  "quotas/{kind}~{subject}~{window}": {
    title: "Usage limits",
    what: "Counters of how many meetings, joins and connections an account or a meeting made in the current minute, hour or day, so that nobody can flood the service.",
    kept: "Until the minute, hour or day ends; the count of connections an account made each day a week.",
  },
  "orgs/{orgId}": {
    title: "Organisations",
    what: "An organisation's settings: its email domains, how it allows sign-in, how long its records are kept and what it chose to store.",
    kept: "As long as the organisation uses AVMeets.",
  },
  "archives/{archiveId}": {
    title: "Organisation archives",
    what: "Only if your organisation chose to store them, and only of its own members: the chat they wrote, their attendance with time on screen, and the whiteboard snapshots, shared files and recordings they saved to it, visibly to everyone in that meeting.",
    kept: "Under your organisation's policy; a week at most.",
  },
  "org_audits/{auditId}": {
    title: "Changes to an organisation's settings",
    what: "Each time an organisation's admin changes what it stores of its members or how long: who changed what, and when. Nothing in it is about the people in its meetings.",
    kept: "A year, so that what an organisation chose to store can be checked afterwards.",
  },
  "orgs/{orgId}/meetings/{meetingId}/{kind}/{objectId}": {
    title: "Your organisation's stored files",
    what: "Only if your organisation chose to store them: files, recordings and whiteboard pictures you uploaded yourself in a meeting (a recording or a whiteboard only when everyone who was in that meeting is a member whose organisation stores it), visibly to everyone in it.",
    kept: "Under your organisation's policy; a week at most.",
  },
  "export_audits/{exportId}-{part}": {
    title: "Audit of lawful requests",
    what: "Each time records are handed over for a lawful request: which request, who handed them over, when, and which call records (by number only, nothing about you).",
    kept: "Two years, so that a hand-over can be checked after the records themselves are gone.",
  },
  "usage_daily/{day}": {
    title: "Anonymous daily statistics",
    what: "Counts per day: meetings, people, how connections went, by country and network, only for groups of at least ten people. Nothing in them is about you.",
    kept: "400 days.",
  },
  "auth/{uid}": {
    title: "Your account",
    what: "The sign-in account Firebase keeps for you: your Google name, email, photo and sign-in times.",
    kept: "Deleted after a week without a sign-in.",
  },
};
