/** "Play a test sound": a short chime on the speakers chosen, to hear where the meeting will play. */
import "./settings.css";
import { useRef, useState } from "preact/hooks";
import { useAudioOutput } from "../../ui/useAudioOutput";
import { chimeUrl } from "../../ui/chime";

export function TestSound() {
  const audio = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState(false);
  useAudioOutput(audio);
  const play = () => {
    const el = audio.current;
    if (!el) return;
    el.currentTime = 0;
    setPlaying(true);
    el.play().catch(() => setPlaying(false));
  };
  return (
    <>
      <button class="btn btn-ghost btn-small test-sound" type="button" aria-label={playing ? "Playing a test sound" : "Play a test sound"} disabled={playing} onClick={play}>
        {playing ? "Playing…" : "Test"}
      </button>
      <audio ref={audio} src={chimeUrl()} preload="auto" onEnded={() => setPlaying(false)} />
    </>
  );
}
