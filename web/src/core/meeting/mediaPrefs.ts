/**
 * What LocalMedia asks the browser for: the saved choices (devices, on or off, mirror, original
 * sound, the background) and the constraints of the microphone and the camera. Pure but for localStorage.
 */
import { isBackgroundChoice, type BackgroundChoice } from "./background/geometry";

export interface MediaPrefs {
  audioDeviceId?: string;
  videoDeviceId?: string;
  micOn: boolean;
  camOn: boolean;
  /** Our own picture shown as in a mirror (the others always see it the right way round). */
  mirror: boolean;
  /** The microphone as it is: no noise suppression, echo cancellation or level control (music). */
  originalSound: boolean;
  /** What is done to our background before the picture leaves this browser (background/). */
  background: BackgroundChoice;
}

const PREFS_KEY = "avmeets:media-prefs";

export function loadPrefs(): MediaPrefs {
  try {
    const raw = JSON.parse(localStorage.getItem(PREFS_KEY) || "{}") as Partial<MediaPrefs>;
    return {
      micOn: raw.micOn !== false,
      camOn: raw.camOn !== false,
      mirror: raw.mirror !== false,
      originalSound: raw.originalSound === true,
      background: isBackgroundChoice(raw.background) ? raw.background : "none",
      audioDeviceId: typeof raw.audioDeviceId === "string" ? raw.audioDeviceId : undefined,
      videoDeviceId: typeof raw.videoDeviceId === "string" ? raw.videoDeviceId : undefined,
    };
  } catch {
    return { micOn: true, camOn: true, mirror: true, originalSound: false, background: "none" };
  }
}

export function savePrefs(prefs: MediaPrefs): void {
  try {
    localStorage.setItem(PREFS_KEY, JSON.stringify(prefs));
  } catch {
    /* storage may be disabled */
  }
}

export const VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 24, max: 30 },
};

/** The browser's voice processing, on for speech; all off for "original sound". */
export function audioConstraints(originalSound: boolean): MediaTrackConstraints {
  const voice = !originalSound;
  return { echoCancellation: voice, noiseSuppression: voice, autoGainControl: voice };
}

export function withDevice(base: MediaTrackConstraints, deviceId?: string): MediaTrackConstraints {
  return deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
}
