import { describe, expect, it } from "vitest";
import type { VNode } from "preact";
import {
  CAPTION_SHOW_MS,
  Captions,
  MAX_CAPTION_CHARS,
  MAX_CAPTION_LINES,
  applyCaption,
  captionMessage,
  captionRows,
  expireCaptions,
  parseCaption,
} from "./captions";
import { CaptionLines } from "./CaptionsView";

/** The text a rendered tree shows (and reads: the visually hidden punctuation included). */
function textOf(node: unknown): string {
  if (node === null || node === undefined || typeof node === "boolean") return "";
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join("");
  const vnode = node as VNode<{ children?: unknown }>;
  if (typeof vnode.type === "function") return textOf((vnode.type as (p: unknown) => unknown)(vnode.props));
  return textOf(vnode.props.children);
}

describe("caption messages", () => {
  it("round-trip: what captionMessage sends, parseCaption reads", () => {
    expect(parseCaption(captionMessage(3, "  hello   there ", false))).toEqual({ t: "caption", id: 3, text: "hello there", final: false });
    expect(parseCaption(captionMessage(4, "done", true))).toEqual({ t: "caption", id: 4, text: "done", final: true });
    expect(parseCaption('{"t":"caption-off"}')).toEqual({ t: "caption-off" });
  });

  it("refuse what the protocol does not know, and cut long text", () => {
    for (const bad of ["", "nope", "null", "[]", '{"t":"caption","id":-1,"text":"x","final":true}', '{"t":"caption","id":1.5,"text":"x","final":true}',
      '{"t":"caption","id":1,"text":5,"final":true}', '{"t":"caption","id":1,"text":"x"}', '{"t":"hand","up":true}']) {
      expect(parseCaption(bad)).toBeNull();
    }
    const long = parseCaption(JSON.stringify({ t: "caption", id: 1, text: "a".repeat(2000), final: true }));
    expect(long && long.t === "caption" && long.text.length).toBe(MAX_CAPTION_CHARS);
  });
});

describe("caption lines", () => {
  const said = (id: number, text: string, final = false) => ({ t: "caption" as const, id, text, final });

  it("replace an utterance as it is recognised, add the next, keep the newest few", () => {
    let lines = applyCaption([], "bob", said(0, "hel"), 1000);
    lines = applyCaption(lines, "bob", said(0, "hello Alice", true), 1100);
    expect(lines).toEqual([{ uid: "bob", id: 0, text: "hello Alice", final: true, at: 1100 }]);
    lines = applyCaption(lines, "carol", said(0, "hi"), 1200);
    for (let id = 1; id <= MAX_CAPTION_LINES + 1; id++) lines = applyCaption(lines, "bob", said(id, `line ${id}`, true), 1200 + id);
    expect(lines.length).toBe(MAX_CAPTION_LINES);
    expect(lines.at(-1)?.text).toBe(`line ${MAX_CAPTION_LINES + 1}`);
  });

  it("drop a person's lines when they turn captions off, and lines once they are old", () => {
    const lines = applyCaption(applyCaption([], "bob", said(0, "a"), 0), "carol", said(0, "b"), 10);
    expect(applyCaption(lines, "bob", { t: "caption-off" }, 20).map((l) => l.uid)).toEqual(["carol"]);
    expect(expireCaptions(lines, CAPTION_SHOW_MS + 5).map((l) => l.uid)).toEqual(["carol"]);
  });

  it("render received captions with who said them, read as 'Bob: hello Alice'", () => {
    const lines = applyCaption(applyCaption([], "bob", said(0, "hello Alice", true), 0), "me", said(0, "hi Bob"), 1);
    const names = (uid: string) => ({ bob: "Bob" })[uid] ?? "Guest";
    expect(captionRows(lines, "me", names).map((r) => `${r.who}: ${r.text}`)).toEqual(["Bob: hello Alice", "You: hi Bob"]);
    const tree = CaptionLines({ lines, myUid: "me", name: names });
    const text = textOf(tree);
    expect(text).toContain("Live captions");
    expect(text).toContain("Bob: hello Alice");
    expect(text).toContain("You: hi Bob");
    expect(CaptionLines({ lines: [], myUid: "me", name: names })).toBeNull();
  });
});

describe("the captions channel", () => {
  function meeting() {
    const sent: [string, string, string][] = [];
    const link = (uid: string) => ({ send: (label: string, data: string) => (sent.push([uid, label, data]), true) });
    return { sent, value: { myUid: "me", links: new Map([["bob", link("bob")], ["carol", link("carol")]]) } };
  }

  it("sends nothing until the person shares captions; then each result to everyone", () => {
    const m = meeting();
    const captions = new Captions(m.value);
    captions.said("not shared", true);
    expect(m.sent).toEqual([]);
    captions.setSharing(true);
    captions.said("hello", false);
    captions.said("hello all", true);
    captions.said("next", false);
    const toBob = m.sent.filter(([uid]) => uid === "bob").map(([, label, data]) => [label, parseCaption(data)]);
    expect(toBob).toEqual([
      ["captions", { t: "caption", id: 0, text: "hello", final: false }],
      ["captions", { t: "caption", id: 0, text: "hello all", final: true }],
      ["captions", { t: "caption", id: 1, text: "next", final: false }],
    ]);
    expect(captions.lines.value.map((l) => l.text)).toEqual(["hello all", "next"]);
    captions.setSharing(false);
    expect(m.sent.at(-1)?.[2]).toBe('{"t":"caption-off"}');
    expect(captions.lines.value).toEqual([]);
    void captions.stop();
  });

  it("shows what a peer sends on the channel, and forgets it when the channel closes", () => {
    const captions = new Captions(meeting().value);
    captions.message({ uid: "bob" }, captionMessage(0, "from Bob", true));
    captions.message({ uid: "bob" }, "garbage");
    expect(captions.lines.value.map((l) => [l.uid, l.text])).toEqual([["bob", "from Bob"]]);
    captions.closed({ uid: "bob" });
    expect(captions.lines.value).toEqual([]);
    void captions.stop();
  });

  it("shows nothing of someone whose microphone a host turned off", () => {
    const captions = new Captions(meeting().value, (uid) => uid !== "bob");
    captions.message({ uid: "bob" }, captionMessage(0, "from Bob", true));
    captions.message({ uid: "carol" }, captionMessage(0, "from Carol", true));
    expect(captions.lines.value.map((l) => l.uid)).toEqual(["carol"]);
    void captions.stop();
  });
});
