/** "To": everyone, or one participant privately (chat and files). */
import type { Signal } from "@preact/signals";
import type { RoomSession } from "./session";

export function TargetSelect(props: { id: string; label: string; session: RoomSession; value: Signal<string> }) {
  const { value } = props;
  const targets = props.session.targets.value;
  // An addressee who has gone falls back to everyone.
  const current = targets.some((t) => t.uid === value.value) ? value.value : "";
  return (
    <select id={props.id} aria-label={props.label} value={current} onChange={(event) => (value.value = event.currentTarget.value)}>
      <option value="">Everyone</option>
      {targets.map((t) => (
        <option key={t.uid} value={t.uid}>{`${t.name} (privately)`}</option>
      ))}
    </select>
  );
}
