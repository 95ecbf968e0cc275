/** A Firestore Timestamp as read from a document (fields unchecked), in epoch ms; 0 when the
 * value is not one (absent, null, anything else). */
export function millisOf(value: unknown): number {
  const ms = (value as { toMillis?: () => unknown } | null | undefined)?.toMillis?.();
  return typeof ms === "number" && Number.isFinite(ms) ? ms : 0;
}
