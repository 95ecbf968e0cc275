/**
 * A host's request to mute or to turn the camera off, as the person sees it: a request, with a
 * button that does it and one that dismisses it (nobody can switch off someone else's sender).
 */
import type { LocalMedia } from "../../core/meeting/media";
import { askAction, askText } from "./asks";
import type { Hosting } from "./hosting";

export function AskPrompt(props: { hosting: Hosting; local: LocalMedia }) {
  const { hosting, local } = props;
  const asks = hosting.asks.value;
  if (!asks.length) return null;
  return (
    <div class="ask-prompts">
      {asks.map((ask) => (
        <div key={ask.id} class="ask-prompt" role="alertdialog" aria-labelledby={`ask-${ask.id}`}>
          <p id={`ask-${ask.id}`}>{askText(ask.what, ask.fromName, ask.fromRole)}</p>
          <button
            class="btn btn-primary btn-small"
            type="button"
            ref={(b) => b?.focus()}
            onClick={() => {
              void (ask.what === "mute" ? local.setMic(false) : local.setCam(false));
              hosting.dismissAsk(ask.id);
            }}
          >
            {askAction(ask.what)}
          </button>
          <button class="btn btn-ghost btn-small" type="button" onClick={() => hosting.dismissAsk(ask.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
