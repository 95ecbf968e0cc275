import { describe, expect, it } from "vitest";
import { bytesSent, CHUNK_SIZE, chunkRanges, cleanName, parseFileHeader, parseFileMessage } from "./chunking";

describe("chunkRanges", () => {
  it("covers the file exactly, the last chunk short", () => {
    const size = 8 * 1024 * 1024 + 12345;
    const ranges = [...chunkRanges(size)];
    expect(ranges).toHaveLength(129);
    expect(ranges[0]).toEqual([0, CHUNK_SIZE]);
    expect(ranges.at(-1)).toEqual([128 * CHUNK_SIZE, size]);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBe(ranges[i - 1][1]);
  });

  it("has no chunk for an empty file and one for a tiny one", () => {
    expect([...chunkRanges(0)]).toEqual([]);
    expect([...chunkRanges(3)]).toEqual([[0, 3]]);
  });
});

describe("file names and headers", () => {
  it("cleans names a browser would misread", () => {
    expect(cleanName("../../etc/passwd")).toBe(".._.._etc_passwd");
    expect(cleanName("a\u0000b\nc.txt")).toBe("a_b_c.txt");
    expect(cleanName("   ")).toBe("file");
    expect(cleanName(undefined)).toBe("file");
    expect(cleanName("x".repeat(300))).toHaveLength(200);
  });

  it("reads a header defensively", () => {
    expect(parseFileHeader({ t: "file", fid: "f1", name: "a/b.txt", size: "12", mime: "text/plain", scope: "private" }, () => "gen")).toEqual({
      fid: "f1",
      name: "a_b.txt",
      size: 12,
      mime: "text/plain",
      private: true,
    });
    expect(parseFileHeader({ t: "file", size: -5, mime: 3 }, () => "gen")).toEqual({
      fid: "gen",
      name: "file",
      size: 0,
      mime: "application/octet-stream",
      private: false,
    });
  });

  it("reads the control messages", () => {
    expect(parseFileMessage('{"t":"file-end","fid":"f1"}')).toEqual({ t: "file-end", fid: "f1" });
    expect(parseFileMessage('{"t":"file-cancel","fid":"f1"}')).toEqual({ t: "file-cancel", fid: "f1" });
    expect(parseFileMessage('{"t":"file","fid":"f1"}')?.t).toBe("file");
    expect(parseFileMessage("nope")).toBeNull();
    expect(parseFileMessage('{"t":"other"}')).toBeNull();
    expect(parseFileMessage("null")).toBeNull();
  });

  it("counts as sent only what left the buffer", () => {
    expect(bytesSent(1000, 200)).toBe(800);
    expect(bytesSent(100, 200)).toBe(0);
  });
});
