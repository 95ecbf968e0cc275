import { describe, expect, it } from "vitest";
import { announce, onAnnounce, type Announcement } from "./announce";

describe("announce", () => {
  it("reaches every listener until it unsubscribes", () => {
    const heard: Announcement[] = [];
    const off = onAnnounce((a) => heard.push(a));
    const offBroken = onAnnounce(() => {
      throw new Error("a broken listener does not stop the others");
    });
    announce("Bob joined");
    announce("Connection lost", { urgency: "assertive" });
    announce("Bob reacted 👍", { quiet: true });
    off();
    offBroken();
    announce("not heard");
    expect(heard).toEqual([
      { text: "Bob joined", urgency: "polite", quiet: false },
      { text: "Connection lost", urgency: "assertive", quiet: false },
      { text: "Bob reacted 👍", urgency: "polite", quiet: true },
    ]);
  });
});
