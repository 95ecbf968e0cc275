/** The tab's title in the room: what waits for the person first, so a tab in the background says it. Pure. */

export function roomTitle(meetingTitle: string | null, waiting: number, unread: number): string {
  const news = [waiting ? `${waiting} waiting` : "", unread ? `${unread} new` : ""].filter(Boolean).join(", ");
  const title = `${meetingTitle || "Meeting"} · AVMeets`;
  return news ? `(${news}) ${title}` : title;
}
