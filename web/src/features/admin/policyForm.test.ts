import { describe, expect, it } from "vitest";
import type { OrgPolicy } from "../../protocol.gen";
import { adminOrgs, formOf, parseDomains, policyChanges } from "./policyForm";

const policy: OrgPolicy = {
  orgId: "acme",
  name: "Acme",
  domains: ["acme.test"],
  allowedProviders: [],
  retentionDays: 7,
  maxRetentionDays: 7,
  storage: { chat: false, attendance: false, engagement: false, whiteboard: false, files: false, recordings: false },
};

describe("admin policy form", () => {
  it("reads the orgAdmin claim", () => {
    expect(adminOrgs({ orgAdmin: ["acme", "acme", 3, ""] })).toEqual(["acme"]);
    expect(adminOrgs({ orgAdmin: "acme" })).toEqual([]);
    expect(adminOrgs({})).toEqual([]);
  });

  it("parses domains", () => {
    expect(parseDomains("Acme.test, @b.test\n\nacme.test")).toEqual(["acme.test", "b.test"]);
  });

  it("sends only what changed, and refuses a retention beyond the maximum", () => {
    expect(policyChanges(policy, formOf(policy))).toEqual({ changes: null });
    const form = formOf(policy);
    form.name = " Acme Ltd ";
    form.domains = "acme.test\nacme.example";
    form.providers = ["google.com"];
    form.storage = { ...form.storage, chat: true, engagement: true };
    expect(policyChanges(policy, form)).toEqual({
      changes: { name: "Acme Ltd", domains: ["acme.test", "acme.example"], allowedProviders: ["google.com"], storage: { chat: true, engagement: true } },
    });
    expect(policyChanges(policy, { ...formOf(policy), retentionDays: "8" })).toEqual({ error: "Keep records between 1 and 7 days." });
    expect(policyChanges(policy, { ...formOf(policy), retentionDays: "3" })).toEqual({ changes: { retentionDays: 3 } });
    expect(policyChanges(policy, { ...formOf(policy), name: " " })).toHaveProperty("error");
  });
});
