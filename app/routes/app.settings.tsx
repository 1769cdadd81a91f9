import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { shopOverview } from "~/services/overview.server";
import { connectLineChannel } from "~/services/shops.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await shopOverview(shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const field = (k: string) => String(form.get(k) ?? "").trim();
  const errors: Record<string, string> = {};
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
      </Layout>
    </Page>
  );
}
