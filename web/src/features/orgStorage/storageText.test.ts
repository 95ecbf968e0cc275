import { describe, expect, it } from "vitest";
import { kindWords, listWords, lobbyLines, roomLines, storageChangeNotice, storageGroups, type StoredPerson } from "./storageText";

const acme = { orgId: "acme", orgName: "Acme", kinds: ["attendance", "chat"] as const };

describe("storage words", () => {
  it("lists kinds in a fixed order, in plain words", () => {
    expect(listWords([])).toBe("");
    expect(listWords(["a"])).toBe("a");
    expect(listWords(["a", "b", "c"])).toBe("a, b and c");
    expect(kindWords(["recordings", "chat", "engagement"])).toBe("chat, time on screen and recordings");
  });

  it("says in the lobby who stores what, and what of you", () => {
    expect(lobbyLines([], [])).toEqual([]);
    expect(lobbyLines([{ orgName: "Acme", kinds: ["chat", "attendance"], members: 2 }], [])).toEqual([
      "Acme stores chat and attendance of its 2 members here.",
      "Nothing of you is stored beyond the call record.",
    ]);
    expect(lobbyLines([{ orgName: "Acme", kinds: ["chat"], members: 1 }], ["chat", "files"])).toEqual([
      "Acme stores chat of its member here.",
      "Your organisation will store your chat and shared files in this meeting if you join.",
    ]);
    expect(lobbyLines([], ["attendance"])).toEqual(["Your organisation will store your attendance in this meeting if you join."]);
    expect(lobbyLines([], ["chat"], "Acme")).toEqual(["Your organisation Acme will store your chat in this meeting if you join."]);
  });

  it("groups the room per organisation and kinds, names us 'you', hides when nothing is stored", () => {
    const people: StoredPerson[] = [
      { uid: "me", name: "Me", storedBy: { ...acme, kinds: [...acme.kinds] } },
      { uid: "bob", name: "Bob", storedBy: { ...acme, kinds: ["chat", "attendance"] } },
      { uid: "guest", name: "Guest" },
      { uid: "zed", name: "Zed", storedBy: { orgId: "zeta", orgName: "Zeta", kinds: ["recordings"] } },
    ];
    const groups = storageGroups(people, "me");
    expect(roomLines(groups)).toEqual(["Acme stores chat and attendance of you and Bob.", "Zeta stores recordings of Zed."]);
    expect(roomLines(storageGroups(people.slice(1), "me"))).toEqual([
      "Acme stores chat and attendance of Bob.",
      "Zeta stores recordings of Zed.",
      "Nothing of you is stored beyond the call record.",
    ]);
    expect(roomLines(storageGroups([{ uid: "guest", name: "Guest" }], "me"))).toEqual([]);
  });

  it("announces a change once, never the first look", () => {
    expect(storageChangeNotice(null, ["x"])).toBeNull();
    expect(storageChangeNotice(["x"], ["x"])).toBeNull();
    expect(storageChangeNotice([], ["Acme stores chat of Bob."])).toBe("What is stored changed: Acme stores chat of Bob.");
    expect(storageChangeNotice(["Acme stores chat of Bob."], [])).toBe("Nothing is stored in this meeting beyond the call record any more.");
  });
});
