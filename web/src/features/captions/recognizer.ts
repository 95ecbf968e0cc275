/**
 * On-device speech recognition (the Web Speech API with `processLocally`, Chrome 139+): found by
 * feature detection, used only where the browser says recognition of the language runs on this
 * device ("available"). Elsewhere — no API, a cloud-only recogniser, or a language pack still to
 * download ("downloadable") — captions are not offered at all: speech never goes to a server.
 */

interface RecognitionResult {
  readonly isFinal: boolean;
  readonly 0: { readonly transcript: string };
}

interface RecognitionEvent {
  readonly resultIndex: number;
  readonly results: { readonly length: number; readonly [index: number]: RecognitionResult };
}

interface Recognition {
  lang: string;
  continuous: boolean;
  interimResults: boolean;
  processLocally: boolean;
  onresult: ((event: RecognitionEvent) => void) | null;
  onend: (() => void) | null;
  onerror: ((event: { error: string }) => void) | null;
  start(track?: MediaStreamTrack): void;
  stop(): void;
}

interface RecognitionClass {
  new (): Recognition;
  available?(options: { langs: string[]; processLocally: boolean }): Promise<string>;
}

function recognitionClass(): RecognitionClass | null {
  const scope = globalThis as unknown as Record<string, RecognitionClass | undefined>;
  return scope.SpeechRecognition ?? scope.webkitSpeechRecognition ?? null;
}

/** The language recognised: the page's, else the browser's. */
export function captionLanguage(): string {
  return (typeof document !== "undefined" && document.documentElement.lang) || (typeof navigator !== "undefined" && navigator.language) || "en-US";
}

/** Whether this browser recognises `lang` on this device, now (never throws). */
export async function onDeviceRecognition(lang: string): Promise<boolean> {
  const Class = recognitionClass();
  if (!Class || typeof Class.available !== "function" || !("processLocally" in Class.prototype)) return false;
  try {
    return (await Class.available({ langs: [lang], processLocally: true })) === "available";
  } catch {
    return false;
  }
}

/**
 * Recognise the microphone on this device until stopped, handing each result to `heard`
 * (interim texts as they change, then the final one). Restarts when the recogniser ends by itself
 * (silence); `failed` is told when it cannot go on.
 */
export function recognise(lang: string, track: MediaStreamTrack | null, heard: (text: string, final: boolean) => void, failed: (why: string) => void): () => void {
  const Class = recognitionClass();
  if (!Class) {
    failed("Speech recognition is not available in this browser.");
    return () => undefined;
  }
  let stopped = false;
  const recognition = new Class();
  recognition.lang = lang;
  recognition.continuous = true;
  recognition.interimResults = true;
  recognition.processLocally = true; // never the cloud service
  recognition.onresult = (event) => {
    for (let i = event.resultIndex; i < event.results.length; i++) {
      const result = event.results[i];
      heard(result[0].transcript, result.isFinal);
    }
  };
  recognition.onerror = (event) => {
    if (event.error === "no-speech" || event.error === "aborted") return;
    stopped = true;
    failed(`Captions stopped: ${event.error}.`);
  };
  recognition.onend = () => {
    if (!stopped) begin();
  };
  const begin = () => {
    try {
      if (track && track.readyState === "live") recognition.start(track);
      else recognition.start();
    } catch (error) {
      stopped = true;
      failed(`Captions could not start: ${(error as Error).message}`);
    }
  };
  begin();
  return () => {
    stopped = true;
    recognition.stop();
  };
}
