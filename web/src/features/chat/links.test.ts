import { describe, expect, it } from "vitest";
import { chatParts } from "./links";

describe("chatParts", () => {
  it("leaves text without an address as it is", () => {
    expect(chatParts("Hi both, Carol here")).toEqual([{ text: "Hi both, Carol here" }]);
    expect(chatParts("")).toEqual([]);
  });

  it("makes http and https addresses links, keeping the sentence's punctuation as text", () => {
    expect(chatParts("Slides: https://example.com/deck?id=4#p2. See you")).toEqual([
      { text: "Slides: " },
      { text: "https://example.com/deck?id=4#p2", href: "https://example.com/deck?id=4#p2" },
      { text: ". See you" },
    ]);
    expect(chatParts("(http://a.example/x)")).toEqual([
      { text: "(" },
      { text: "http://a.example/x", href: "http://a.example/x" },
      { text: ")" },
    ]);
    expect(chatParts("https://en.wikipedia.org/wiki/Foo_(bar)")).toEqual([
      { text: "https://en.wikipedia.org/wiki/Foo_(bar)", href: "https://en.wikipedia.org/wiki/Foo_(bar)" },
    ]);
  });

  it("never links another scheme or a broken address", () => {
    for (const text of ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.com", "see example.com", "http://"]) {
      expect(chatParts(text).every((part) => !("href" in part))).toBe(true);
    }
  });

  it("finds several", () => {
    const parts = chatParts("https://a.example and https://b.example");
    expect(parts.filter((part) => "href" in part).map((part) => part.text)).toEqual(["https://a.example", "https://b.example"]);
  });
});
