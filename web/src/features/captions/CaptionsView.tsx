/**
 * The live captions over the stage (marked as captions, each line with who said it) and the
 * recogniser that runs while the person shares their captions (captions.ts, recognizer.ts).
 */
import { signal } from "@preact/signals-core";
import { useEffect } from "preact/hooks";
import type { LocalMedia } from "../../core/meeting/media";
import { announce } from "../../core/announce";
import type { RoomSession } from "../room/session";
import { captionRows, type CaptionLine } from "./captions";
import { captionLanguage, onDeviceRecognition, recognise } from "./recognizer";

/** This browser recognises speech on the device (checked once per page): only then is the control shown. */
export const captionsOffered = signal(false);
let checked = false;

export function checkCaptionsOffered(): void {
  if (checked) return;
  checked = true;
  void onDeviceRecognition(captionLanguage()).then((offered) => (captionsOffered.value = offered));
}

/** The caption lines as shown: pure, so the rendering of received captions is unit-tested. */
export function CaptionLines(props: { lines: readonly CaptionLine[]; myUid: string; name: (uid: string) => string }) {
  const rows = captionRows(props.lines, props.myUid, props.name);
  if (!rows.length) return null;
  return (
    <section class="captions" aria-label="Live captions">
      <p class="captions-mark" title="Recognised on each speaker's own device; not stored">
        CC <span class="visually-hidden">Live captions</span>
      </p>
      <ul class="captions-lines">
        {rows.map((row) => (
          <li key={row.key} class={row.final ? "caption-line" : "caption-line interim"}>
            <span class="caption-who">{row.who}</span>
            <span class="visually-hidden">: </span>
            <span class="caption-text">{row.text}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CaptionsView({ session }: { session: RoomSession }) {
  const { meeting, captions } = session;
  return <CaptionLines lines={captions.lines.value} myUid={meeting.myUid} name={(uid) => session.name(uid)} />;
}

/** While the person shares captions: recognise their microphone on the device. */
export function useCaptionRecognition(session: RoomSession, local: LocalMedia): void {
  const sharing = session.captions.sharing.value;
  useEffect(() => {
    if (!sharing) return;
    return recognise(
      captionLanguage(),
      local.audioTrack,
      (text, final) => session.captions.said(text, final),
      (why) => {
        session.captions.setSharing(false);
        announce(why, { urgency: "assertive" });
      },
    );
  }, [sharing, session, local]);
}
