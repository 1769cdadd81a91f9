import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { shopOverview } from "~/services/overview.server";
import { connectLineChannel, setLinePlan } from "~/services/shops.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await shopOverview(shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const field = (k: string) => String(form.get(k) ?? "").trim();
  const errors: Record<string, string> = {};
  if (field("intent") === "plan") {
    try {
      await setLinePlan(shop, { region: field("region"), planId: field("planId") });
    } catch (err) {
      return json(
        { errors: { planId: err instanceof Error ? err.message : "Invalid plan" } as Record<string, string>, result: null },
        { status: 422 },
      );
    }
    return json({ errors: {} as Record<string, string>, result: null });
  }
  if (!/^\d+$/.test(field("channelId"))) errors.channelId = "Channel ID is the number shown in LINE Developers Console → Basic settings";
  if (!field("channelSecret")) errors.channelSecret = "Required";
  if (!field("channelAccessToken")) errors.channelAccessToken = "Required (long-lived channel access token)";
  if (Boolean(field("loginChannelId")) !== Boolean(field("loginChannelSecret")))
    errors.loginChannelSecret = "LINE Login channel ID and secret go together";
  if (Object.keys(errors).length) return json({ errors, result: null }, { status: 422 });
  const result = await connectLineChannel({
    domain: shop,
    channelId: field("channelId"),
    channelSecret: field("channelSecret"),
    channelAccessToken: field("channelAccessToken"),
    loginChannelId: field("loginChannelId") || undefined,
    loginChannelSecret: field("loginChannelSecret") || undefined,
  });
  return json({ errors: {} as Record<string, string>, result });
};

function LinePlanSection() {
  const { linePlan, shop } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [region, setRegion] = useState(linePlan.region);
  const plans = linePlan.regions.find((r) => r.region === region)?.plans ?? [];
  const [planId, setPlanId] = useState(linePlan.planId);
  const validPlan = plans.some((p) => p.id === planId) ? planId : (plans[0]?.id ?? "");
  return (
    <Layout.AnnotatedSection
      title="LINE plan"
      description="The plan of your LINE Official Account prices broadcasts. Its region is the LINE account's, not the store's."
    >
      <Card>
        <BlockStack gap="300">
          <Text as="p" tone="subdued">
            {`Store settings from Shopify: time zone ${shop.timezone}, currency ${shop.currency}, country ${shop.country}` +
              (shop.primaryLocale ? `, language ${shop.primaryLocale}` : "") +
              (shop.settingsSyncedAt ? "" : " (not read from Shopify yet)")}
          </Text>
          {!linePlan.regionChosen && <Text as="p">{`Region assumed from the store's country: ${linePlan.defaultRegion}.`}</Text>}
          {!linePlan.priced && <Banner tone="info">LINE prices for this region are not known to the app: costs show as 0.</Banner>}
          <Form method="post">
            <input type="hidden" name="intent" value="plan" />
            <FormLayout>
              <Select
                label="LINE plan region"
                name="region"
                options={linePlan.regions.map((r) => ({ label: `${r.region} (${r.currency})`, value: r.region }))}
                value={region}
                onChange={setRegion}
              />
              <Select
                label="Plan"
                name="planId"
                options={plans.map((p) => ({ label: p.name, value: p.id }))}
                value={validPlan}
                onChange={setPlanId}
                error={data?.errors?.planId}
              />
              <Button submit>Save plan</Button>
            </FormLayout>
          </Form>
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}

export default function Settings() {
  const { line } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const nav = useNavigation();
  const [values, setValues] = useState({
    channelId: line.channelId ?? "",
    channelSecret: "",
    channelAccessToken: "",
    loginChannelId: "",
    loginChannelSecret: "",
  });
  const set = (k: keyof typeof values) => (v: string) => setValues((s) => ({ ...s, [k]: v }));
  const errors = data?.errors ?? {};
  return (
    <Page title="Settings">
      <Layout>
        <Layout.AnnotatedSection
          title="LINE channel"
          description="Messaging API channel of your LINE Official Account. Secrets are stored encrypted."
        >
          <Card>
            <BlockStack gap="300">
              {data?.result && (
                <Banner
                  tone={data.result.verified ? "success" : "warning"}
                  title={data.result.verified ? "Channel connected" : "Saved, but LINE did not accept the token"}
                >
                  {data.result.verificationError}
                </Banner>
              )}
              <Text as="p">
                Webhook URL (paste into LINE Developers Console): <code>{line.webhookUrl}</code>
              </Text>
              <Form method="post">
                <FormLayout>
                  <TextField
                    label="Channel ID"
                    name="channelId"
                    value={values.channelId}
                    onChange={set("channelId")}
                    error={errors.channelId}
                    autoComplete="off"
                  />
                  <TextField
                    label="Channel secret"
                    name="channelSecret"
                    type="password"
                    value={values.channelSecret}
                    onChange={set("channelSecret")}
                    error={errors.channelSecret}
                    autoComplete="off"
                  />
                  <TextField
                    label="Channel access token"
                    name="channelAccessToken"
                    type="password"
                    value={values.channelAccessToken}
                    onChange={set("channelAccessToken")}
                    error={errors.channelAccessToken}
                    autoComplete="off"
                  />
                  <TextField
                    label="LINE Login channel ID (optional)"
                    name="loginChannelId"
                    value={values.loginChannelId}
                    onChange={set("loginChannelId")}
                    autoComplete="off"
                  />
                  <TextField
                    label="LINE Login channel secret"
                    name="loginChannelSecret"
                    type="password"
                    value={values.loginChannelSecret}
                    onChange={set("loginChannelSecret")}
                    error={errors.loginChannelSecret}
                    autoComplete="off"
                  />
                  <Button submit variant="primary" loading={nav.state === "submitting"}>
                    Save
                  </Button>
                </FormLayout>
              </Form>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <LinePlanSection />
      </Layout>
    </Page>
  );
}
