import { describe, expect, it } from "vitest";
import { describeFailure, errorCode } from "./errors";

describe("errors", () => {
  it("reads a FunctionsError's code without its prefix", () => {
    expect(errorCode({ code: "functions/permission-denied" })).toBe("permission-denied");
    expect(errorCode({ code: "unavailable" })).toBe("unavailable");
    expect(errorCode({ code: "functions/made-up" })).toBe("unknown");
    expect(errorCode(null)).toBe("unknown");
    expect(errorCode(new Error("x"))).toBe("unknown");
  });

  it("keeps only the reasons the protocol knows", () => {
    const known = describeFailure({ code: "functions/permission-denied", message: "m", details: { reason: "wrong-password" } });
    expect(known).toEqual({ code: "permission-denied", reason: "wrong-password", details: { reason: "wrong-password" }, message: "m" });
    expect(describeFailure({ code: "functions/internal", details: { reason: "surprise" } }).reason).toBeUndefined();
    expect(describeFailure({ code: "functions/internal", details: "text" }).details).toEqual({});
  });
});
