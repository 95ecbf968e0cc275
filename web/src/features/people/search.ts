/** Searching the people list by name, as people type names: case, accents and extra spaces
 * aside ("zoe" finds "Zoë", "van der" finds "Anna van der Berg"). Pure. */

/** A name folded for comparison: letters without their marks, lower case, single spaces. */
export function foldName(name: string): string {
  return name.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase().replace(/\s+/g, " ").trim();
}

/** Whether `name` is one the person is looking for with `query` (blank: everyone). */
export function matchesName(name: string, query: string): boolean {
  const wanted = foldName(query);
  return !wanted || foldName(name).includes(wanted);
}

/** What the waiting list says of a search: "1 of 3 waiting", that nobody waiting is called
 * that, or nothing (no search, or everyone matches). */
export function waitingSummary(found: number, total: number, query: string): string {
  if (!query.trim() || found === total) return "";
  return found ? `${found} of ${total} waiting` : `No one waiting is called “${query.trim()}”.`;
}

/** What the list says of a search: "2 of 5 people", or that nobody is called that. */
export function searchSummary(found: number, total: number, query: string): string {
  if (!found) return `No one here is called “${query.trim()}”.`;
  return `${found} of ${total} ${total === 1 ? "person" : "people"}`;
}
