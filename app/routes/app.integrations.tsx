// Integrations (docs/integrations.md): connect HubSpot (and the other registered providers), test
// the connection, disconnect, sync now, follow the sync, see match counts, choose the property that
// holds the LINE user id. Thin: each intent calls one service.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { PROVIDERS, type Provider } from "~/domain/integrations/types";
import {
  connectIntegration,
  disconnectIntegration,
  requestIntegrationSync,
  setLineUserIdProperty,
  testIntegrationConnection,
  type ConnectionCheck,
} from "~/services/integrations/connections.server";
import { integrationsOverview } from "~/services/integrations/overview.server";
import { useFormat } from "~/components/format";
import { useFormErrors } from "~/components/form-errors";
import { showToast } from "~/components/toast";
import { ContextualSaveBar, useDirtyForm } from "~/components/save-bar";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { IntegrationForm, IntegrationProviderForm, propertyField } from "./app.integrations.schema";

const PROVIDER_NAMES: Record<Provider, string> = { hubspot: "HubSpot", klaviyo: "Klaviyo" };
/** How long after a sync finished the page keeps refreshing its match counts. */
const SETTLE_MS = 5 * 60_000;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json({ providers: await integrationsOverview((await requireShop(shop)).id) });
};

type ActionResult = {
  provider?: Provider;
  check?: ConnectionCheck;
  done?: "disconnected" | "syncRequested" | "propertySaved";
  /** Refused fields, each an i18n key shown on its field (integrations.schema.ts). */
  errors?: FormErrors;
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const shopId = (await requireShop(shop)).id;
  const form = await request.formData();
  const parsed = parseForm(IntegrationForm, form);
  if (!parsed.ok) {
    const about = parseForm(IntegrationProviderForm, form);
    return json<ActionResult>(
      { ...(about.ok ? { provider: about.data.provider } : {}), errors: parsed.errors },
      { status: parsed.errors.provider || parsed.errors.intent ? 400 : 422 },
    );
  }
  const f = parsed.data;
  if (f.intent === "lineUserIdProperty") {
    const errors: FormErrors = {};
    for (const { provider, property } of f.properties) {
      const saved = await setLineUserIdProperty(shopId, provider, property);
      if (saved !== "saved")
        errors[propertyField(provider)] =
          saved === "unknown_property" ? "integrations.errors.property" : "integrations.errors.notConnected";
    }
    if (Object.keys(errors).length) return json<ActionResult>({ errors }, { status: 422 });
    return json<ActionResult>({ done: "propertySaved" });
  }
  const p = f.provider;
  switch (f.intent) {
    case "connect": {
      const check = await connectIntegration({
        shopId,
        provider: p,
        credential: f.credential,
        lineUserIdProperty: f.lineUserIdProperty || null,
      });
      return json<ActionResult>({ provider: p, check }, { status: check.ok ? 200 : 422 });
    }
    case "test":
      return json<ActionResult>({ provider: p, check: await testIntegrationConnection(shopId, p) });
    case "disconnect":
      await disconnectIntegration(shopId, p);
      return json<ActionResult>({ provider: p, done: "disconnected" });
    case "sync":
      await requestIntegrationSync(shopId, p, "incremental");
      return json<ActionResult>({ provider: p, done: "syncRequested" });
  }
};

type ProviderView = ReturnType<typeof useLoaderData<typeof loader>>["providers"][number];

function ProviderSection({
  view,
  lineProperty,
  onLinePropertyChange,
}: {
  view: ProviderView;
  /** The unsaved choice of the LINE user id property (a connected provider's, saved through the page's save bar). */
  lineProperty: string;
  onLinePropertyChange: (v: string) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const nav = useNavigation();
  const data = useActionData<typeof action>() as ActionResult | undefined;
  const mine = data?.provider === view.provider ? data : undefined;
  const busy = (intent: string) =>
    nav.state === "submitting" && nav.formData?.get("provider") === view.provider && nav.formData?.get("intent") === intent;
  const [credential, setCredential] = useState("");
  const [connectProp, setConnectProp] = useState("");
  const errors = useFormErrors(data?.errors);
  const fieldError = (field: string) => (data?.provider === undefined || data.provider === view.provider ? errors[field] : undefined);
  const name = PROVIDER_NAMES[view.provider];
  const { connection, run, counts } = view;
  const hidden = (intent: string) => (
    <>
      <input type="hidden" name="provider" value={view.provider} />
      <input type="hidden" name="intent" value={intent} />
    </>
  );
  return (
    <Layout.AnnotatedSection title={name} description={t(`integrations.${view.provider}.description`)}>
      <Card>
        <BlockStack gap="300">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              {t("integrations.status")}
            </Text>
            {!connection ? (
              <Badge tone="attention">{t("integrations.notConnected")}</Badge>
            ) : connection.status === "error" ? (
              <Badge tone="critical">{t("integrations.error")}</Badge>
            ) : (
              <Badge tone="success">{t("integrations.connected")}</Badge>
            )}
            {connection?.accountName && <Text as="span">{connection.accountName}</Text>}
          </InlineStack>
          {mine?.check && (
            <Banner tone={mine.check.ok ? "success" : "critical"}>
              {mine.check.ok
                ? t("integrations.testOk", { name: mine.check.accountName })
                : t(`integrations.testFailed.${mine.check.reason}`, { name })}
            </Banner>
          )}
          {mine?.done && <Banner tone="success">{t(`integrations.done.${mine.done}`)}</Banner>}
          {connection?.status === "error" && !mine?.check && (
            <Banner tone="critical">{t("integrations.testFailed.rejected", { name })}</Banner>
          )}
          {!connection ? (
            <Form method="post">
              {hidden("connect")}
              <FormLayout>
                <TextField
                  label={t(`integrations.${view.provider}.credential`)}
                  helpText={t(`integrations.${view.provider}.credentialHelp`)}
                  name="credential"
                  type="password"
                  autoComplete="off"
                  value={credential}
                  onChange={setCredential}
                  error={fieldError("credential")}
                />
                <TextField
                  label={t("integrations.lineUserIdProperty")}
                  helpText={t("integrations.lineUserIdPropertyHelp")}
                  name="lineUserIdProperty"
                  autoComplete="off"
                  value={connectProp}
                  onChange={setConnectProp}
                  error={fieldError("lineUserIdProperty")}
                />
                <Button submit variant="primary" loading={busy("connect")}>
                  {t("integrations.connect")}
                </Button>
              </FormLayout>
            </Form>
          ) : (
            <>
              <InlineStack gap="200">
                <Form method="post">
                  {hidden("test")}
                  <Button submit loading={busy("test")}>
                    {t("integrations.test")}
                  </Button>
                </Form>
                <Form method="post">
                  {hidden("sync")}
                  <Button submit loading={busy("sync")} disabled={run?.status === "running"}>
                    {t("integrations.syncNow")}
                  </Button>
                </Form>
                <Form method="post">
                  {hidden("disconnect")}
                  <Button submit tone="critical" loading={busy("disconnect")}>
                    {t("integrations.disconnect")}
                  </Button>
                </Form>
              </InlineStack>
              <Text as="p">
                {run
                  ? t(`integrations.run.${run.status === "running" ? "running" : run.status === "failed" ? "failed" : "completed"}`, {
                      kind: t(`integrations.run.kind.${run.kind as "full" | "incremental"}`),
                      phase: t(`integrations.run.phase.${run.phase as "properties" | "lists" | "contacts" | "memberships" | "done"}`),
                      count: run.processed,
                      processed: format.number(run.processed),
                      at: format.dateTime(run.finishedAt ?? run.startedAt),
                    })
                  : t("integrations.run.none")}
                {run && run.rateLimited > 0 ? ` ${t("integrations.run.rateLimited", { times: run.rateLimited })}` : ""}
              </Text>
              <Text as="p" tone="subdued">
                {t("integrations.counts", {
                  contacts: counts.contacts,
                  customers: counts.matchedCustomers,
                  friends: counts.matchedFriends,
                  lists: counts.lists,
                })}
              </Text>
              <Select
                label={t("integrations.lineUserIdProperty")}
                helpText={t("integrations.lineUserIdPropertyHelp")}
                options={[
                  { label: t("integrations.lineUserIdPropertyNone"), value: "" },
                  ...view.textProperties.map((p) => ({ label: `${p.label} (${p.name})`, value: p.name })),
                  // A property typed when connecting that the sync has not (yet) seen.
                  ...(lineProperty && !view.textProperties.some((p) => p.name === lineProperty)
                    ? [{ label: lineProperty, value: lineProperty }]
                    : []),
                ]}
                value={lineProperty}
                onChange={onLinePropertyChange}
                error={errors[propertyField(view.provider)]}
              />
            </>
          )}
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}

export default function Integrations() {
  const { providers } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionResult | undefined;
  const { t } = useTranslation();
  const { revalidate, state } = useRevalidator();
  const submit = useSubmit();
  const nav = useNavigation();
  const running = providers.some((p) => p.run?.status === "running");
  const lastFinished = Math.max(0, ...providers.map((p) => (p.run?.finishedAt ? Date.parse(p.run.finishedAt) : 0)));
  // Follow a running sync's progress, and the match counts for a while after it ends: contacts are
  // matched by jobs that run after each page, the last ones after the run has finished.
  useEffect(() => {
    if (!running && Date.now() - lastFinished > SETTLE_MS) return;
    const timer = setInterval(() => state === "idle" && revalidate(), 2000);
    return () => clearInterval(timer);
  }, [running, lastFinished, revalidate, state]);
  // The LINE user id property of each connected provider is a setting: edited in place, kept by the
  // contextual save bar (Save / Discard), stored values from the loader.
  const stored = Object.fromEntries(
    providers.flatMap((p) => (p.connection ? [[p.provider, p.connection.lineUserIdProperty ?? ""]] : [])),
  ) as Partial<Record<Provider, string>>;
  const storedKey = JSON.stringify(stored);
  const { values, setValues, dirty, reset, markSaved } = useDirtyForm(stored);
  useEffect(() => {
    markSaved(JSON.parse(storedKey) as Partial<Record<Provider, string>>);
  }, [storedKey, markSaved]);
  useEffect(() => {
    if (data?.done === "propertySaved") showToast(t("integrations.done.propertySaved"));
  }, [data, t]);
  const saving = nav.state !== "idle" && nav.formData?.get("intent") === "lineUserIdProperty";
  const save = () => {
    const changed = PROVIDERS.filter((p) => values[p] !== undefined && values[p] !== stored[p]);
    submit(
      { intent: "lineUserIdProperty", ...Object.fromEntries(changed.map((p) => [propertyField(p), values[p] ?? ""])) },
      { method: "post" },
    );
  };
  return (
    <Page title={t("integrations.title")}>
      <ContextualSaveBar id="integrations-save-bar" dirty={dirty} saving={saving} onSave={save} onDiscard={reset} />
      <Layout>
        {providers.map((view) => (
          <ProviderSection
            key={view.provider}
            view={view}
            lineProperty={values[view.provider] ?? ""}
            onLinePropertyChange={(v) => setValues((s) => ({ ...s, [view.provider]: v }))}
          />
        ))}
      </Layout>
    </Page>
  );
}
