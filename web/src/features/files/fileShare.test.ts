import { describe, expect, it } from "vitest";
import type { PeerLink } from "../../core/meeting/peer";
import type { MessageRules } from "../hosts/permissions";
import { FileShare } from "./fileShare";

/** A connection whose files channel is open and records what is sent on it. */
function link(uid: string) {
  const sent: unknown[] = [];
  const channel = { readyState: "open", bufferedAmount: 0, send: (data: unknown) => sent.push(data), addEventListener() {}, removeEventListener() {} };
  return { uid, sent, channel: () => channel } as unknown as PeerLink & { sent: unknown[] };
}

const header = (fid: string, scope: "all" | "private") => JSON.stringify({ t: "file", fid, name: "notes.txt", size: 2, mime: "text/plain", scope });

/** Files turned off by a host for `held`: taken from them only privately (as to a host). */
function rules(held: ReadonlySet<string>, me: { held: boolean }): MessageRules {
  return { accepts: (uid, scope) => !held.has(uid) || scope === "private", mayWrite: (toUid) => !me.held || toUid !== null };
}

describe("FileShare, files turned off by a host", () => {
  it("receives nothing sent to everyone by someone for whom it is off, and nothing of its chunks", () => {
    const bob = link("bob");
    const carol = link("carol");
    const files = new FileShare({ links: new Map([["bob", bob], ["carol", carol]]) }, rules(new Set(["bob"]), { held: false }));
    files.message(bob, header("f1", "all"));
    files.message(bob, new Uint8Array([104, 105]).buffer);
    files.message(bob, JSON.stringify({ t: "file-end", fid: "f1" }));
    expect(files.transfers.value).toHaveLength(0);
    files.message(bob, header("f2", "private"));
    files.message(carol, header("f3", "all"));
    expect(files.transfers.value.map((t) => [t.peek().id, t.peek().peerUid])).toEqual([["f2", "bob"], ["f3", "carol"]]);
  });

  it("sends nothing to everyone while it is off for us, and privately all the same", () => {
    const bob = link("bob");
    const files = new FileShare({ links: new Map([["bob", bob]]) }, rules(new Set(), { held: true }));
    const file = new File(["hi"], "notes.txt", { type: "text/plain" });
    expect(files.mayWrite(null)).toBe(false);
    expect(files.send(file, null)).toEqual([]);
    expect(files.send(file, "bob").map((t) => t.private)).toEqual([true]);
  });
});
