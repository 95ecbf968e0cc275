import { describe, expect, it } from "vitest";
import { csv, csvCell, exportFiles } from "./exportFiles";

describe("export files", () => {
  it("quotes and defuses CSV cells", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(null)).toBe("");
    expect(csv(["a", "b"], [[1, null]])).toBe("a,b\r\n1,\r\n");
  });

  it("writes JSON and one CSV each for chat, attendance with engagement, and objects", () => {
    const files = exportFiles(
      "acme",
      {
        chat: [{ meetingId: "m", at: "2026-01-01T00:00:00Z", fromUid: "u1", fromName: "Ann", to: null, text: "hi, all" }],
        attendance: [
          { meetingId: "m", uid: "u1", displayName: "Ann", joinedAt: "t1", leftAt: "t2", engagement: { visibleMs: 1, focusedMs: 2, cameraOnMs: 3, micOnMs: 4 } },
          { meetingId: "m", uid: "u2", displayName: "Bob", joinedAt: "t1", leftAt: null },
        ],
        objects: [{ meetingId: "m", objectId: "o1", kind: "file", name: "a.pdf", contentType: "application/pdf", size: 10, uploadedBy: "u1", at: "t3" }],
      },
      "2026-01-02",
    );
    expect(files.map((f) => f.name)).toEqual([
      "avmeets-acme-2026-01-02.json",
      "avmeets-acme-2026-01-02-chat.csv",
      "avmeets-acme-2026-01-02-attendance.csv",
      "avmeets-acme-2026-01-02-objects.csv",
    ]);
    expect(JSON.parse(files[0].text).chat[0].text).toBe("hi, all");
    expect(files[1].text).toBe('meetingId,at,fromUid,fromName,to,text\r\nm,2026-01-01T00:00:00Z,u1,Ann,,"hi, all"\r\n');
    expect(files[2].text.split("\r\n")[1]).toBe("m,u1,Ann,t1,t2,1,2,3,4");
    expect(files[2].text.split("\r\n")[2]).toBe("m,u2,Bob,t1,,,,,");
    expect(files[3].text.split("\r\n")[1]).toBe("m,o1,file,a.pdf,application/pdf,10,u1,t3");
  });
});
