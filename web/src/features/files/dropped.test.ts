import { describe, expect, it } from "vitest";
import { foldersNotice, splitDrop } from "./dropped";

const file = (name: string) => new File(["x"], name);

describe("a drop", () => {
  it("sends the files and sets the folders aside, by name", () => {
    const a = file("a.txt");
    const { files, folders } = splitDrop([
      { file: a, folder: false },
      { file: file("Photos"), folder: true },
      { file: null, folder: false },
      { file: null, folder: true },
    ]);
    expect(files).toEqual([a]);
    expect(folders).toEqual(["Photos", "a folder"]);
  });

  it("says what was not sent", () => {
    expect(foldersNotice([])).toBeNull();
    expect(foldersNotice(["Photos"])).toBe("The folder Photos was not sent: folders cannot be sent. Drop the files in it, or a .zip of it.");
    expect(foldersNotice(["A", "B"])).toMatch(/^2 folders were not sent/);
  });
});
