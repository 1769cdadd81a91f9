// Server-render smoke test: every field's inputs render with the labels browser tests rely on.
import { describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { SegmentEditor } from "./SegmentEditor";
import { PreviewPanel } from "./PreviewPanel";
import { FIELDS } from "~/domain/segments/schema";
import { defaultCondition, newCondition } from "./condition-defaults";
import { parseDefinition, type SegmentDefinition } from "~/domain/segments/schema";
import { I18nProvider } from "~/components/I18nProvider";
import type { Language } from "~/i18n/config";
import type { IntegrationChoices } from "~/domain/integrations/segment-choices";

const today = "2026-03-10";

describe("SegmentEditor", () => {
  it("renders two groups with every field, and the preview panel", () => {
    const definition = {
      groups: [{ conditions: FIELDS.map((f) => defaultCondition(f, today)) }, { conditions: [defaultCondition("purchaseCount", today)] }],
    };
    const html = renderToString(
      <I18nProvider language="en">
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
        </AppProvider>
      </I18nProvider>,
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
      expect(
        r.ok || ["tag", "shopifyTag", "productPurchased", "hubspotList", "klaviyoList", "hubspotProperty", "klaviyoProperty"].includes(f),
      ).toBe(true);
    }
  });

  it("'Add condition' adds a condition that is valid as it stands", () => {
    expect(parseDefinition({ groups: [{ conditions: [newCondition(today)] }] }).ok).toBe(true);
  });
});

function renderEditor(
  definition: SegmentDefinition,
  issues: Array<{ path: string; message: string }>,
  language: Language = "en",
  integrations?: IntegrationChoices,
) {
  return renderToString(
    <I18nProvider language={language}>
      <AppProvider i18n={en}>
        <SegmentEditor definition={definition} onChange={() => {}} tags={[]} today={today} issues={issues} integrations={integrations} />
      </AppProvider>
    </I18nProvider>,
  );
}

describe("SegmentEditor misfires", () => {
  it("shows a condition's error once, not twice", () => {
    const html = renderEditor({ groups: [{ conditions: [{ field: "tag", op: "has", value: "" }] }] }, [
      { path: "groups[0].conditions[0].value", message: "Pick a tag" },
    ]);
    expect(html.split("Pick a tag").length - 1).toBe(1);
  });

  it("shows a huge number as digits, never 1e+23, and the schema refuses it", () => {
    const definition = { groups: [{ conditions: [{ field: "purchaseCount", op: "gte", value: 1e23 }] }] } as SegmentDefinition;
    const html = renderEditor(definition, []);
    expect(html).not.toContain("e+23");
    expect(html).toContain('value="100000000000000000000000"');
    const parsed = parseDefinition(definition);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]!.path).toBe("groups[0].conditions[0].value");
  });

  it("speaks the merchant's language", () => {
    const html = renderEditor({ groups: [{ conditions: [newCondition(today)] }] }, [], "ja");
    for (const label of ["項目", "条件", "購入回数", "以上", "条件を追加", "グループを追加"]) expect(html).toContain(label);
  });
});

describe("HubSpot / Klaviyo pickers", () => {
  const hubspot: IntegrationChoices = {
    hubspot: {
      lists: [{ externalId: "42", name: "Newsletter subscribers" }],
      properties: [
        {
          name: "lifecyclestage",
          label: "Lifecycle stage",
          type: "enumeration",
          options: [
            { value: "customer", label: "Customer" },
            { value: "lead", label: "Lead" },
          ],
        },
        { name: "email", label: "Email", type: "string" },
      ],
    },
  };
  const fieldOptions = (html: string) => [...html.matchAll(/<option value="([a-zA-Z]+)"/g)].map((m) => m[1]);

  it("offers a provider's conditions only when it is connected", () => {
    const none = renderEditor({ groups: [{ conditions: [newCondition(today)] }] }, []);
    expect(fieldOptions(none)).not.toContain("hubspotProperty");
    const connected = renderEditor({ groups: [{ conditions: [newCondition(today)] }] }, [], "en", hubspot);
    expect(fieldOptions(connected)).toEqual(expect.arrayContaining(["hubspotLinked", "hubspotList", "hubspotProperty"]));
    expect(fieldOptions(connected)).not.toContain("klaviyoProperty");
  });

  it("shows a property by label with the operators of its type and option labels", () => {
    const html = renderEditor(
      { groups: [{ conditions: [{ field: "hubspotProperty", property: "lifecyclestage", op: "hasAny", value: ["customer"] }] }] },
      [],
      "en",
      hubspot,
    );
    expect(html).toContain("Lifecycle stage");
    expect(html).toContain("has any of");
    expect(html).not.toContain("contains");
    expect(html).toContain("Customer");
  });

  it("shows list names, and a stored condition of a disconnected provider still shows its field", () => {
    const html = renderEditor({ groups: [{ conditions: [{ field: "hubspotList", op: "hasAny", value: ["42"] }] }] }, [], "ja", hubspot);
    expect(html).toContain("Newsletter subscribers");
    expect(html).toContain("HubSpotリスト");
    const orphan = renderEditor({ groups: [{ conditions: [{ field: "klaviyoLinked", op: "is", value: true }] }] }, []);
    expect(fieldOptions(orphan)).toContain("klaviyoLinked");
    expect(fieldOptions(orphan)).not.toContain("klaviyoList");
  });
});
