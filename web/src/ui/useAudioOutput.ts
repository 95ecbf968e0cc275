/** Play a media element to the chosen speakers, and again to each new choice (core/meeting/audioOutput). */
import type { RefObject } from "preact";
import { useEffect } from "preact/hooks";
import { audioOutput, routeTo } from "../core/meeting/audioOutput";

export function useAudioOutput(element: RefObject<HTMLMediaElement>): void {
  const output = audioOutput.value; // read in render: the component repaints on a new choice
  useEffect(() => {
    if (element.current) void routeTo(element.current, output);
  }, [output]);
}
