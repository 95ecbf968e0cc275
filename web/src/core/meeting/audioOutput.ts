/**
 * The speakers or headphones the meeting plays to: one choice for the page, kept in this browser
 * (localStorage), applied to every element that sounds (setSinkId). "" is the system's default.
 * A chosen device that goes away (unplugged) falls back to the default, and the person is told.
 */
import { signal } from "@preact/signals-core";
import { announce } from "../announce";

const KEY = "avmeets:audio-output";

/** The person's choice ("" for the system's default), kept while its device is away. */
let preferred = load();

/** The output in use: the choice while its device is there, else the default (""). */
export const audioOutput = signal(preferred);

function load(): string {
  try {
    return localStorage.getItem(KEY) ?? "";
  } catch {
    return "";
  }
}

/** Whether this browser lets a page choose where it plays (Chromium does; Firefox and Safari partly). */
export function canChooseOutput(): boolean {
  return typeof HTMLMediaElement !== "undefined" && typeof (HTMLMediaElement.prototype as { setSinkId?: unknown }).setSinkId === "function";
}

export function chooseOutput(deviceId: string): void {
  preferred = deviceId;
  audioOutput.value = deviceId;
  try {
    if (deviceId) localStorage.setItem(KEY, deviceId);
    else localStorage.removeItem(KEY);
  } catch {
    /* storage may be disabled: the choice holds for this page */
  }
}

/** Play `el` to `deviceId` where the browser can; a device that refuses leaves the default. */
export async function routeTo(el: HTMLMediaElement, deviceId: string): Promise<void> {
  const media = el as HTMLMediaElement & { sinkId?: string; setSinkId?: (id: string) => Promise<void> };
  if (!media.setSinkId || media.sinkId === deviceId) return;
  try {
    await media.setSinkId(deviceId);
  } catch (error) {
    console.debug("the audio output could not be set", error);
  }
}

/** The output to use with these devices: the chosen one while it is there, else the default. Pure. */
export function outputAfterChange(chosen: string, devices: readonly { kind: string; deviceId: string }[]): string {
  if (!chosen) return "";
  return devices.some((d) => d.kind === "audiooutput" && d.deviceId === chosen) ? chosen : "";
}

/** With the devices as they are now: the choice gone gives way to the default, back takes over again; said. */
export function checkOutput(devices: readonly MediaDeviceInfo[]): void {
  const now = outputAfterChange(preferred, devices);
  if (now === audioOutput.peek()) return;
  audioOutput.value = now;
  const label = devices.find((d) => d.kind === "audiooutput" && d.deviceId === now)?.label || "the speakers you chose";
  announce(now ? `Playing on ${label} again` : "The speakers you chose are not connected: playing on the system's default");
}
