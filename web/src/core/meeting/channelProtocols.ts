/**
 * The data-channel protocols plugged into a meeting (files, whiteboard, gestures: link.ts's
 * ChannelProtocol), started once per session. A connection can open while they start (its
 * offer went with the join: docs/protocol.md 4.1), so what its channels bring waits for that,
 * in the order it came.
 */
import type { ChannelLabel, ChannelProtocol } from "./link";
import type { PeerLink } from "./peer";

type Label = ChannelProtocol["label"];

export class ChannelProtocols {
  private readonly all = new Map<ChannelLabel, ChannelProtocol>();
  private started: Promise<void> = Promise.resolve();

  use(protocol: ChannelProtocol): void {
    this.all.set(protocol.label, protocol);
  }

  /** Start each for this session, one after the other; resolves when all have. */
  start(session: string): Promise<void> {
    this.started = (async () => {
      for (const protocol of this.all.values()) {
        try {
          await protocol.start?.(session);
        } catch (error) {
          console.warn(`the ${protocol.label} protocol did not start`, error);
        }
      }
    })();
    return this.started;
  }

  open(link: PeerLink, label: Label, channel: RTCDataChannel): void {
    this.after(() => this.all.get(label)?.open?.(link, channel));
  }

  message(link: PeerLink, label: Label, data: string | ArrayBuffer): void {
    this.after(() => this.all.get(label)?.message(link, data));
  }

  /** A channel of the link closed (`label`), or the link was dropped (every protocol). */
  closed(link: PeerLink, label?: Label): void {
    this.after(() => {
      for (const protocol of this.all.values()) if (!label || protocol.label === label) protocol.closed?.(link);
    });
  }

  stop(): void {
    for (const protocol of this.all.values()) void protocol.stop?.();
  }

  private after(work: () => void): void {
    void this.started.then(work);
  }
}
