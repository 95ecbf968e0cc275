import { chatParts } from "./links";

/** A message's text, its web addresses as links: opened in a new tab, with no referrer (the
 * meeting's address stays in the meeting) and no access back to this page. */
export function ChatText({ text }: { text: string }) {
  return (
    <p class="chat-text">
      {chatParts(text).map((part, i) =>
        "href" in part ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </p>
  );
}
