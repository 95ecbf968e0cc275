/**
 * A host's request to turn the microphone or camera off or on, as the person sees it: a request,
 * with a button that does it and one that dismisses it (nobody can switch someone else's sender).
 */
import type { LocalMedia } from "../../core/meeting/media";
import { useFocusWhen } from "../../ui/focusWhen";
import { askAction, askText, asked } from "./asks";
import type { Hosting, IncomingAsk } from "./hosting";

export function AskPrompt(props: { hosting: Hosting; local: LocalMedia }) {
  const asks = props.hosting.asks.value;
  if (!asks.length) return null;
  return (
    <div class="ask-prompts">
      {asks.map((ask) => (
        <AskCard key={ask.id} ask={ask} {...props} />
      ))}
    </div>
  );
}

/** One request; its action takes focus as it appears, and only then. */
function AskCard({ ask, hosting, local }: { ask: IncomingAsk; hosting: Hosting; local: LocalMedia }) {
  const action = useFocusWhen<HTMLButtonElement>(true);
  return (
    <div class="ask-prompt" role="alertdialog" aria-labelledby={`ask-${ask.id}`}>
      <p id={`ask-${ask.id}`}>{askText(ask.what, ask.fromName, ask.fromRole)}</p>
      <button
        class="btn btn-primary btn-small"
        type="button"
        ref={action}
        onClick={() => {
          const { device, on } = asked(ask.what);
          void (device === "microphone" ? local.setMic(on) : local.setCam(on));
          hosting.dismissAsk(ask.id);
        }}
      >
        {askAction(ask.what)}
      </button>
      <button class="btn btn-ghost btn-small" type="button" onClick={() => hosting.dismissAsk(ask.id)}>
        Dismiss
      </button>
    </div>
  );
}
