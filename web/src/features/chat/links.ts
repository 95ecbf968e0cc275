/**
 * The web addresses in a chat message, to show them as links. Only http(s) addresses become
 * links (never javascript:, data: or a bare word); punctuation that ends a sentence stays text.
 * Pure.
 */

export type ChatPart = { text: string } | { text: string; href: string };

const ADDRESS = /\bhttps?:\/\/[^\s<>"]+/gi;
/** Trailing characters that usually close the sentence, not the address. */
const TRAILING = /[.,;:!?'")\]}]+$/;

export function chatParts(text: string): ChatPart[] {
  const parts: ChatPart[] = [];
  let from = 0;
  for (const match of text.matchAll(ADDRESS)) {
    const start = match.index ?? 0;
    let address = match[0];
    // A closing bracket that opened inside the address is kept (a Wikipedia page "Foo_(bar)").
    const trailing = TRAILING.exec(address)?.[0] ?? "";
    let cut = trailing.length;
    if (trailing.startsWith(")") && address.slice(0, -cut).split("(").length > address.slice(0, -cut).split(")").length) cut -= 1;
    address = address.slice(0, address.length - cut);
    if (!validHttp(address)) continue;
    if (start > from) parts.push({ text: text.slice(from, start) });
    parts.push({ text: address, href: address });
    from = start + address.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from) });
  return parts;
}

function validHttp(address: string): boolean {
  try {
    const url = new URL(address);
    return (url.protocol === "http:" || url.protocol === "https:") && !!url.hostname;
  } catch {
    return false;
  }
}
