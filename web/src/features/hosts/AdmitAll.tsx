/**
 * "Admit all": lets in everyone waiting with one host_action (`admit-all`), for the queue in the
 * people panel and the knock alert alike. Shown only while two or more people wait.
 */
import { useState } from "preact/hooks";
import type { Hosting } from "./hosting";

export function AdmitAll({ hosting }: { hosting: Hosting }) {
  const [busy, setBusy] = useState(false);
  if (hosting.knocks.value.length < 2) return null;
  const admitAll = async () => {
    setBusy(true);
    await hosting.act("admit-all");
    setBusy(false);
  };
  return (
    <button class="btn btn-primary btn-small" type="button" disabled={busy} onClick={() => void admitAll()}>
      Admit all
    </button>
  );
}
