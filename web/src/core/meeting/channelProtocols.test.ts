import { describe, expect, it } from "vitest";
import { ChannelProtocols } from "./channelProtocols";
import type { ChannelProtocol } from "./link";
import type { PeerLink } from "./peer";

describe("ChannelProtocols", () => {
  it("holds what a channel brings until the protocols have started, in order", async () => {
    const seen: string[] = [];
    let started!: () => void;
    const files: ChannelProtocol = {
      label: "files",
      start: () => new Promise<void>((resolve) => (started = resolve)).then(() => void seen.push("start")),
      open: () => seen.push("open"),
      message: (_link, data) => seen.push(`message ${String(data)}`),
      closed: () => seen.push("closed"),
    };
    const protocols = new ChannelProtocols();
    protocols.use(files);
    const link = {} as PeerLink;
    const start = protocols.start("s1");
    protocols.open(link, "files", {} as RTCDataChannel);
    protocols.message(link, "files", "1");
    protocols.message(link, "files", "2");
    protocols.closed(link, "board");
    protocols.closed(link);
    await Promise.resolve();
    expect(seen).toEqual([]);
    started();
    await start;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(["start", "open", "message 1", "message 2", "closed"]);
  });

  it("goes on when a protocol fails to start", async () => {
    const seen: string[] = [];
    const protocols = new ChannelProtocols();
    protocols.use({ label: "files", start: () => Promise.reject(new Error("no folder")), message: () => seen.push("files") });
    await protocols.start("s1");
    protocols.message({} as PeerLink, "files", "x");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(["files"]);
  });
});
