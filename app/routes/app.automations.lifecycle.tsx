// Lifecycle automations: replenishment, post-delivery review, win-back, welcome — each on/off with its
// own message, timing, segment filter and report. Quiet hours and the frequency cap are shared
// (messaging policy).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, Checkbox, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { LIFECYCLE_KINDS, type LifecycleKind } from "~/domain/broadcasts/lifecycle";
import { lifecycleSettings, saveLifecycleSettings } from "~/services/automations/lifecycle-settings.server";
import { lifecycleReport } from "~/services/automations/lifecycle.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  return json({ settings: lifecycleSettings(s), report: await lifecycleReport(s.id) });
};

const NUMBER_FIELD: Record<LifecycleKind, { key: string; label: string } | null> = {
  replenishment: { key: "daysBefore", label: "Days before predicted run-out" },
  review: { key: "afterDays", label: "Days after delivery" },
  winback: { key: "dormantDays", label: "Days without purchase" },
  welcome: null,
};
const TITLES: Record<LifecycleKind, string> = {
  replenishment: "Replenishment reminder",
  review: "Post-delivery review request",
  winback: "Win-back",
  welcome: "Welcome",
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  const form = await request.formData();
  const kind = String(form.get("kind")) as LifecycleKind;
  if (!LIFECYCLE_KINDS.includes(kind)) return json({ error: "unknown automation" }, { status: 400 });
  const patch: Record<string, unknown> = { enabled: form.get("enabled") === "on", text: String(form.get("text") ?? "") };
  const nf = NUMBER_FIELD[kind];
  if (nf) patch[nf.key] = Number(form.get(nf.key));
  patch.segmentIds = String(form.get("segmentIds") ?? "")
    .split(",")
    .map((x) => Number(x.trim()))
    .filter((n) => n > 0);
  await saveLifecycleSettings(s.id, { [kind]: patch });
  return json({ ok: true });
};

function AutomationCard({
  kind,
  settings,
  report,
}: {
  kind: LifecycleKind;
  settings: Record<string, unknown>;
  report: { scheduled: number; sent: number; skipped: Record<string, number>; clicks: number; orders: number; revenue: number };
}) {
  const [enabled, setEnabled] = useState(Boolean(settings.enabled));
  const [text, setText] = useState(String(settings.text ?? ""));
  const nf = NUMBER_FIELD[kind];
  const [num, setNum] = useState(nf ? String(settings[nf.key] ?? "") : "");
  const [segs, setSegs] = useState(((settings.segmentIds as number[]) ?? []).join(","));
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="kind" value={kind} />
        <BlockStack gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {TITLES[kind]}
            </Text>
            <Badge tone={enabled ? "success" : undefined}>{enabled ? "On" : "Off"}</Badge>
          </InlineStack>
          <Checkbox label={`Enable ${TITLES[kind]}`} name="enabled" checked={enabled} onChange={setEnabled} />
          <TextField label={`${TITLES[kind]} message`} name="text" value={text} onChange={setText} multiline={3} autoComplete="off" />
          {nf && <TextField label={nf.label} name={nf.key} type="number" value={num} onChange={setNum} autoComplete="off" />}
          <TextField
            label="Only friends in segments (ids, comma separated)"
            name="segmentIds"
            value={segs}
            onChange={setSegs}
            autoComplete="off"
          />
          <Text as="p" tone="subdued">
            {`Scheduled ${report.scheduled} · Sent ${report.sent} · Skipped ${
              Object.entries(report.skipped)
                .map(([k, v]) => `${k}: ${v}`)
                .join(", ") || 0
            } · Clicks ${report.clicks} · Orders ${report.orders} · Revenue ${report.revenue}`}
          </Text>
          <InlineStack>
            <Button submit variant="primary">
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

export default function Lifecycle() {
  const { settings, report } = useLoaderData<typeof loader>();
  return (
    <Page title="Lifecycle automations" backAction={{ url: "/app/automations" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" tone="subdued">
              Placeholders: {"{{displayName|fallback}}"}, {"{{product}}"} and {"{{reorderUrl}}"} (replenishment), {"{{orderName}}"} and{" "}
              {"{{reviewUrl}}"} (review), {"{{shopUrl}}"} (win-back), {"{{linkUrl}}"} (welcome). Quiet hours and the weekly frequency cap
              are shared with broadcasts.
            </Text>
            {LIFECYCLE_KINDS.map((k) => (
              <AutomationCard key={k} kind={k} settings={settings[k] as unknown as Record<string, unknown>} report={report[k]} />
            ))}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
