// Server-render smoke test: every field's inputs render with the labels browser tests rely on.
import { describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { SegmentEditor } from "./SegmentEditor";
import { PreviewPanel } from "./PreviewPanel";
import { FIELDS } from "~/domain/segments/schema";
import { defaultCondition } from "./condition-defaults";
import { parseDefinition } from "~/domain/segments/schema";

const today = "2026-03-10";

describe("SegmentEditor", () => {
  it("renders two groups with every field, and the preview panel", () => {
    const definition = {
      groups: [{ conditions: FIELDS.map((f) => defaultCondition(f, today)) }, { conditions: [defaultCondition("purchaseCount", today)] }],
    };
    const html = renderToString(
      <AppProvider i18n={en}>
        <SegmentEditor
          definition={definition}
          onChange={() => {}}
          tags={["VIP"]}
          today={today}
          issues={[{ path: "groups[0].conditions[1].value", message: "Pick a tag" }]}
        />
        <PreviewPanel
          preview={{
            summary: "Friends who …",
            count: 3,
            excluded: { blocked: 1, optedOut: 2 },
            sample: [{ friendId: 1, lineUserId: "U1", displayName: "Aki", pictureUrl: null, linked: true }],
          }}
          loading={false}
          issues={[]}
        />
      </AppProvider>,
    );
    for (const label of [
      "Field",
      "Operator",
      "Value",
      "Add condition",
      "Add group",
      "Remove condition",
      "Preview",
      "3 friends match",
      "1 blocked, 2 opted out",
      "Pick a tag",
      "OR",
    ])
      expect(html).toContain(label);
  });

  it("default conditions are valid except the ones that need a pick", () => {
    for (const f of FIELDS) {
      const r = parseDefinition({ groups: [{ conditions: [defaultCondition(f, today)] }] });
      expect(r.ok || ["tag", "shopifyTag", "productPurchased"].includes(f)).toBe(true);
    }
  });
});
