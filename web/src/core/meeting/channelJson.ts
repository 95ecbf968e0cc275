/**
 * What a peer sends on a data channel is untrusted: a message that is not a JSON object (bad
 * JSON, `null`, a number, an array) is no message of any channel protocol. Pure.
 */

/** `text` as a JSON object, or null when it is not one. */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}
