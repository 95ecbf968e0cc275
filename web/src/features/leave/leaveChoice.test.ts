import { describe, expect, it } from "vitest";
import { leaveChoice, leaveConsequence, leaveSentence, type Present } from "./leaveChoice";

const host: Present = { uid: "h", displayName: "Ada", role: "host" };
const cohost: Present = { uid: "c", displayName: "Cy", role: "cohost" };
const cohost2: Present = { uid: "d", displayName: "Di", role: "cohost" };
const guest: Present = { uid: "g", displayName: "Gus", role: "participant" };

describe("leaveChoice", () => {
  it("just leaves for a participant, and for a host alone", () => {
    expect(leaveChoice("g", [host, guest])).toBeNull();
    expect(leaveChoice("h", [host])).toBeNull();
    expect(leaveChoice("c", [cohost])).toBeNull();
  });

  it("just leaves when we are not in the roster", () => {
    expect(leaveChoice("x", [host, guest])).toBeNull();
  });

  it("asks a host with nobody else to run the meeting, and offers naming a co-host", () => {
    expect(leaveChoice("h", [host, guest])).toEqual({ others: 1, runners: [], waiting: 0, canNameCohost: true });
  });

  it("asks a co-host too, who cannot name one", () => {
    expect(leaveChoice("c", [cohost, guest])).toEqual({ others: 1, runners: [], waiting: 0, canNameCohost: false });
    expect(leaveChoice("c", [host, cohost, guest])).toEqual({ others: 2, runners: [host], waiting: 0, canNameCohost: false });
  });

  it("asks a host alone while someone waits to be let in, without offering a co-host", () => {
    expect(leaveChoice("h", [host], 2)).toEqual({ others: 0, runners: [], waiting: 2, canNameCohost: false });
    expect(leaveChoice("g", [host, guest], 2)).toBeNull();
  });

  it("names who runs the meeting after us", () => {
    const choice = leaveChoice("h", [host, cohost, guest, cohost2]);
    expect(choice).toEqual({ others: 3, runners: [cohost, cohost2], waiting: 0, canNameCohost: false });
  });
});

describe("leaveConsequence", () => {
  it("warns when nobody is left to let people in", () => {
    expect(leaveConsequence({ others: 2, runners: [], waiting: 0, canNameCohost: true })).toBe(
      "Nobody else here can let people in or run the meeting while you are away.",
    );
  });

  it("says who will go on waiting in the lobby", () => {
    expect(leaveConsequence({ others: 0, runners: [], waiting: 1, canNameCohost: false })).toBe(
      "Nobody will be here to let people in: 1 person waiting to join goes on waiting.",
    );
    expect(leaveConsequence({ others: 1, runners: [], waiting: 2, canNameCohost: true })).toBe(
      "Nobody else here can let people in or run the meeting while you are away. 2 people waiting to join go on waiting.",
    );
    // With someone to let them in, the lobby is theirs to answer.
    expect(leaveConsequence({ others: 1, runners: [cohost], waiting: 2, canNameCohost: false })).toBe("The meeting goes on: Cy (co-host) runs it while you are away.");
  });

  it("names the one who goes on, with their role", () => {
    expect(leaveConsequence({ others: 2, runners: [cohost], waiting: 0, canNameCohost: false })).toBe("The meeting goes on: Cy (co-host) runs it while you are away.");
    expect(leaveConsequence({ others: 1, runners: [host], waiting: 0, canNameCohost: false })).toBe("The meeting goes on: Ada (host) runs it while you are away.");
  });

  it("counts the rest when several go on", () => {
    expect(leaveConsequence({ others: 3, runners: [cohost, cohost2], waiting: 0, canNameCohost: false })).toBe(
      "The meeting goes on: Cy and 1 more run it while you are away.",
    );
  });
});

describe("leaveSentence", () => {
  it("stays true when the others went, or our role did, while the question was open", () => {
    expect(leaveSentence(null, true)).toBe("Everyone else has left.");
    expect(leaveSentence(null, false)).toBe("You no longer run this meeting: it goes on without you.");
    expect(leaveSentence({ others: 1, runners: [], waiting: 0, canNameCohost: false }, true)).toBe(
      "Nobody else here can let people in or run the meeting while you are away.",
    );
  });
});
