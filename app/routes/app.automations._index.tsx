// Automations list: one card row per automation with its on/off switch and a short result line.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import type { AutomationEntry } from "~/services/automations/abandoned-cart-admin.server";
import { Badge, BlockStack, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { automationsOverview, setAutomationEnabled } from "~/services/automations/abandoned-cart-admin.server";
import { showToast } from "~/components/toast";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { AutomationToggleForm } from "./app.automations._index.schema";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await automationsOverview(shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const parsed = parseForm(AutomationToggleForm, await request.formData());
  if (!parsed.ok) return json({ ok: false as const, errors: parsed.errors, enabled: null }, { status: 422 });
  await setAutomationEnabled(shop, parsed.data.kind, parsed.data.enabled);
  return json({ ok: true as const, errors: {} as FormErrors, enabled: parsed.data.enabled });
};

function EntryCard({ e }: { e: AutomationEntry }) {
  const { t } = useTranslation();
  const toggle = useFetcher<typeof action>();
  useEffect(() => {
    if (toggle.data?.ok) showToast(t(toggle.data.enabled ? "automations.turnedOn" : "automations.turnedOff"));
  }, [toggle.data, t]);
  const summary =
    e.kind === "abandoned_cart"
      ? t("automations.entries.abandoned_cart.summary", { sent: e.counts.sent, recovered: e.counts.recovered ?? 0 })
      : t("automations.entries.lifecycle.summary", { sent: e.counts.sent, on: e.counts.on ?? 0 });
  return (
    <Card>
      <InlineStack align="space-between" blockAlign="center">
        <BlockStack gap="100">
          <InlineStack gap="200" blockAlign="center">
            <Link to={e.url}>
              <Text as="h2" variant="headingMd">
                {t(`automations.entries.${e.kind}.title`)}
              </Text>
            </Link>
            <Badge tone={e.enabled ? "success" : undefined}>{e.enabled ? t("automations.on") : t("automations.off")}</Badge>
          </InlineStack>
          <Text as="p" tone="subdued">
            {t(`automations.entries.${e.kind}.description`)}
          </Text>
          <Text as="p">{summary}</Text>
        </BlockStack>
        {e.toggle ? (
          <toggle.Form method="post">
            <input type="hidden" name="kind" value={e.kind} />
            <input type="hidden" name="enabled" value={e.enabled ? "false" : "true"} />
            <Button submit loading={toggle.state !== "idle"}>
              {e.enabled ? t("automations.turnOff") : t("automations.turnOn")}
            </Button>
          </toggle.Form>
        ) : (
          <Button url={e.url}>{t("automations.manage")}</Button>
        )}
      </InlineStack>
    </Card>
  );
}

export default function Automations() {
  const { entries, policy } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const timezone = useFormat().timeZone();
  return (
    <Page title={t("automations.title")} subtitle={t("automations.subtitle")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {entries.map((e) => (
              <EntryCard key={e.kind} e={e} />
            ))}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("automations.rules.title")}
              </Text>
              <Text as="p">
                {policy.quietHours
                  ? t("automations.rules.quiet", { from: policy.quietHours.start, until: policy.quietHours.end, timezone })
                  : t("automations.rules.quietNone")}
              </Text>
              <Text as="p">
                {policy.frequencyCap
                  ? t("automations.rules.cap", { max: policy.frequencyCap.max, days: policy.frequencyCap.windowDays })
                  : t("automations.rules.capNone")}
              </Text>
              <Text as="p" tone="subdued">
                {t("automations.rules.appliesTo")}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
