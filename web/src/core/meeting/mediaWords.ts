/** What the person is told about their microphone and camera. Pure. */

export function describeMediaError(error: unknown, what: string): string {
  const name = (error as DOMException)?.name;
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return `Access to the ${what} was refused. Allow it in the browser's site settings.`;
    case "NotFoundError":
    case "OverconstrainedError":
      return `No ${what} was found.`;
    case "NotReadableError":
    case "AbortError":
      return `The ${what} is in use by another program.`;
    default:
      return `The ${what} could not be opened${name ? ` (${name})` : ""}.`;
  }
}

/** What to tell the person when a device in use went away; `now`: the device used instead, null if none. Pure. */
export function deviceLostNotice(what: "microphone" | "camera", lost: string, now: string | null): string {
  const gone = lost ? `The ${what} ${lost} was disconnected` : `The ${what} was disconnected`;
  if (now === null) return `${gone}. No other ${what} was found.`;
  if (lost && now === lost) return `${gone} and is back.`;
  return `${gone}: now using ${now || `another ${what}`}.`;
}
