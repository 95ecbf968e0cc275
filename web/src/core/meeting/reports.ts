/**
 * report_connection for the CDR (docs/protocol.md): each side reports each connection's state
 * changes, with stats when it connects and ends. Reports of one connection go one after the
 * other, so that the server sees their order; each is repeated by its retry policy. Leaving
 * waits for them (`flush`): the server takes no report from a participant who has left.
 */
import type { ConnectionPath, ConnectionStats, ConnectionStatus, ReportConnectionRequest } from "../../protocol.gen";
import { call } from "../api/client";
import { errorCode } from "../api/errors";
import { sleep } from "../api/retry";
import type { PeerLink } from "./peer";

export class ConnectionReports {
  private chains = new WeakMap<PeerLink, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly meetingId: string) {}

  report(link: PeerLink, status: ConnectionStatus, stats?: ConnectionStats, path?: ConnectionPath): void {
    const data: ReportConnectionRequest = {
      meetingId: this.meetingId,
      peer: link.uid,
      peerSession: link.remoteSession,
      role: link.role,
      status,
    };
    if (stats) data.stats = stats;
    if (path) data.path = path;
    const send = () =>
      call("report_connection", data).then(
        () => undefined,
        (error: unknown) => console.debug("report_connection failed", errorCode(error), error),
      );
    const chain = (this.chains.get(link) ?? Promise.resolve()).then(send);
    this.chains.set(link, chain);
    this.pending.add(chain);
    void chain.finally(() => this.pending.delete(chain));
  }

  /** Resolves once every report made so far is answered, or after `timeoutMs` at the latest. */
  async flush(timeoutMs: number): Promise<void> {
    await Promise.race([Promise.all([...this.pending]), sleep(timeoutMs)]);
  }
}
