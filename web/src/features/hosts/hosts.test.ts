import { describe, expect, it } from "vitest";
import { parseChatChannel } from "../../core/meeting/chatChannel";
import { askAccepted, askAction, askText, encodeAsk } from "./asks";
import { actionLabel, newKnocks, personActions, roleLabel, roleNotice } from "./controls";

const host = { uid: "h", role: "host" as const };
const cohost = { uid: "c", role: "cohost" as const };
const guest = { uid: "g", role: "participant" as const };
const other = { uid: "o", role: "participant" as const };

describe("personActions", () => {
  it("offers nothing to a participant, nor about oneself", () => {
    expect(personActions(guest, other)).toEqual([]);
    expect(personActions(host, host)).toEqual([]);
  });

  it("lets the host ask, name co-hosts and remove", () => {
    expect(personActions(host, guest)).toEqual(["ask-mute", "ask-video-off", "make-cohost", "remove"]);
    expect(personActions(host, cohost)).toEqual(["ask-mute", "ask-video-off", "revoke-cohost", "remove"]);
  });

  it("lets a co-host ask and remove, but neither name co-hosts nor touch the host", () => {
    expect(personActions(cohost, guest)).toEqual(["ask-mute", "ask-video-off", "remove"]);
    expect(personActions(cohost, host)).toEqual(["ask-mute", "ask-video-off"]);
  });

  it("asks to turn off what is on, and on what is off unless a host turned it off for them", () => {
    expect(personActions(host, guest, { audio: false, video: true })).toEqual(["ask-unmute", "ask-video-off", "make-cohost", "remove"]);
    expect(personActions(cohost, host, { audio: false, video: false })).toEqual(["ask-unmute", "ask-video-on"]);
    expect(personActions(cohost, guest, { audio: false, video: false }, ["mic"])).toEqual(["ask-video-on", "remove"]);
    expect(personActions(cohost, guest, { audio: true, video: false }, ["mic", "camera"])).toEqual(["ask-mute", "remove"]);
  });

  it("offers to lower a raised hand first", () => {
    expect(personActions(cohost, guest, { audio: true, video: true }, [], true)).toEqual(["lower-hand", "ask-mute", "ask-video-off", "remove"]);
    expect(personActions(guest, other, { audio: true, video: true }, [], true)).toEqual([]);
    expect(actionLabel("lower-hand", "Bob")).toBe("Lower Bob's hand");
  });

  it("labels say what they do and that a request is one", () => {
    expect(actionLabel("ask-mute", "Bob")).toBe("Ask Bob to mute");
    expect(actionLabel("ask-video-on", "Bob")).toBe("Ask Bob to turn on their camera");
    expect(actionLabel("remove", "Bob")).toBe("Remove Bob from the meeting");
    expect(roleLabel("cohost")).toBe("Co-host");
    expect(roleLabel("participant")).toBeNull();
  });
});

describe("asks", () => {
  it("travel as chat-channel messages", () => {
    expect(JSON.parse(encodeAsk("mute"))).toEqual({ t: "ask", what: "mute" });
    expect(parseChatChannel(encodeAsk("video-off"))).toEqual({ t: "ask", what: "video-off" });
  });

  it("are shown only from hosts, as requests", () => {
    expect(askAccepted("host")).toBe(true);
    expect(askAccepted("cohost")).toBe(true);
    expect(askAccepted("participant")).toBe(false);
    expect(askAccepted(undefined)).toBe(false);
    expect(askText("mute", "Ada", "host")).toBe("Ada (host) asks you to turn your microphone off.");
    expect(askText("video-off", "Cy", "cohost")).toBe("Cy (co-host) asks you to turn your camera off.");
    expect(askText("unmute", "Ada", "host")).toBe("Ada (host) asks you to turn your microphone on.");
    expect(askAction("video-on")).toBe("Turn camera on");
    expect(askAction("mute")).toBe("Turn microphone off");
  });
});

describe("notices", () => {
  it("tell a person when a host changes their role", () => {
    expect(roleNotice("participant", "cohost")).toMatch(/^You are now a co-host/);
    expect(roleNotice("cohost", "participant")).toBe("You are no longer a co-host");
    expect(roleNotice("participant", "participant")).toBeNull();
    expect(roleNotice("participant", "host")).toBeNull();
  });

  it("name only the knocks that are new", () => {
    const a = { uid: "a" }, b = { uid: "b" };
    expect(newKnocks([], [a, b])).toEqual([a, b]);
    expect(newKnocks([a], [a, b])).toEqual([b]);
    expect(newKnocks([a, b], [b])).toEqual([]);
  });
});
