/**
 * What organisations store in this meeting, for everyone to see: in the lobby from meeting_info
 * (counts only), in the room from the roster's storedBy (names; it changes as people come and go,
 * and a change is announced once through core/announce). Hidden when nothing is stored.
 */
import "./orgStorage.css";
import { effect } from "@preact/signals-core";
import { useEffect } from "preact/hooks";
import { announce } from "../../core/announce";
import type { StorageKind, StorageNotice } from "../../protocol.gen";
import type { OrgStorage } from "./orgStorage";
import { lobbyLines, storageChangeNotice } from "./storageText";

function Notice(props: { id: string; title: string; lines: readonly string[] }) {
  return (
    <section class="storage-banner" aria-labelledby={props.id} data-storage-lines={String(props.lines.length)}>
      <h2 id={props.id} class="storage-banner-title">
        {props.title}
      </h2>
      {props.lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </section>
  );
}

export function LobbyStorageNotice(props: {
  storage: readonly StorageNotice[];
  storedOfYou: readonly StorageKind[];
  storedOfYouBy: string | null;
}) {
  const lines = lobbyLines(props.storage ?? [], props.storedOfYou ?? [], props.storedOfYouBy ?? null);
  return lines.length ? <Notice id="lobby-storage-title" title="Stored in this meeting" lines={lines} /> : null;
}

export function StorageBanner({ org }: { org: OrgStorage }) {
  useEffect(() => {
    let before: readonly string[] | null = null;
    return effect(() => {
      const after = org.lines.value;
      const text = storageChangeNotice(before, after);
      if (text) announce(text);
      before = after;
    });
  }, [org]);
  const lines = org.lines.value;
  return lines.length ? <Notice id="room-storage-title" title="Stored in this meeting" lines={lines} /> : null;
}
