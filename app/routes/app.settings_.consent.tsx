// Settings → Consent (/app/settings/consent): the one place to edit the words friends send on LINE
// to stop or restart marketing messages, the replies they get (in the shop's language until edited),
// and whether a Shopify email unsubscribe also opts the linked friend out.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Card, Checkbox, FormLayout, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { MAX_KEYWORD_LENGTH, MAX_KEYWORDS, validateConsentSettings, type ConsentSettingsInput } from "~/domain/consent/settings";
import { LINE_TEXT_LIMITS } from "~/domain/line/text-limits";
import { readConsentSettings, saveConsentSettings } from "~/db/settings/consent.server";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { ConsentForm } from "./app.settings_.consent.schema";

import { ContextualSaveBar, useDirtyForm } from "~/components/save-bar";

function formOf(s: { optOutKeywords: string[]; optInKeywords: string[]; optOutReply: string; optInReply: string; mirrorShopify: boolean }) {
  return {
    optOutKeywords: s.optOutKeywords.join("\n"),
    optInKeywords: s.optInKeywords.join("\n"),
    optOutReply: s.optOutReply,
    optInReply: s.optInReply,
    mirrorShopify: s.mirrorShopify,
  };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  return json({ values: formOf(readConsentSettings(shop)) });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const parsed = parseForm(ConsentForm, await request.formData());
  if (!parsed.ok) return json({ saved: false as const, errors: parsed.errors }, { status: 422 });
  return json({ saved: true as const, values: formOf(await saveConsentSettings(shop.id, parsed.data)) });
};

export default function ConsentSettingsPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const submit = useSubmit();
  const saving = useNavigation().state === "submitting";
  const { values, setValues, dirty, reset, markSaved } = useDirtyForm(loaded.values);
  // What the server stored (keywords cleaned up) becomes the form and its saved state.
  useEffect(() => {
    if (result?.saved) markSaved(result.values);
  }, [result, markSaved]);
  const errors: FormErrors = result && !result.saved ? result.errors : {};
  // The keyword a message names is found again by the same pure check the action ran.
  const [submitted, setSubmitted] = useState<ConsentSettingsInput | null>(null);
  const offending = submitted ? validateConsentSettings(submitted) : null;
  const error = (field: keyof ConsentSettingsInput) => {
    const key = errors[field];
    return key
      ? (t(key as never, {
          keyword: (offending && !offending.ok && offending.errors[field]?.keyword) || "",
          maxKeywords: MAX_KEYWORDS,
          maxLength: MAX_KEYWORD_LENGTH,
          maxText: LINE_TEXT_LIMITS.messageText.max,
        }) as string)
      : undefined;
  };
  const set = (k: keyof typeof values) => (v: string | boolean) => setValues((s) => ({ ...s, [k]: v }));
  const save = () => {
    setSubmitted(values);
    submit({ ...values, mirrorShopify: String(values.mirrorShopify) }, { method: "post" });
  };
  return (
    <Page
      title={t("consentSettings.title")}
      backAction={{ content: t("settings.title"), url: "/app/settings" }}
      primaryAction={{ content: t("consentSettings.save"), onAction: save, loading: saving }}
    >
      <ContextualSaveBar id="consent-settings-save-bar" dirty={dirty} saving={saving} onSave={save} onDiscard={reset} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {result?.saved && <Banner tone="success">{t("consentSettings.saved")}</Banner>}
            {result && !result.saved && <Banner tone="critical">{t("consentSettings.fixErrors")}</Banner>}
          </BlockStack>
        </Layout.Section>
        <Layout.AnnotatedSection title={t("consentSettings.optOut.title")} description={t("consentSettings.optOut.description")}>
          <Card>
            <FormLayout>
              <TextField
                label={t("consentSettings.keywords")}
                helpText={t("consentSettings.keywordsHelp")}
                value={values.optOutKeywords}
                onChange={set("optOutKeywords")}
                multiline={3}
                autoComplete="off"
                error={error("optOutKeywords")}
              />
              <TextField
                label={t("consentSettings.reply")}
                value={values.optOutReply}
                onChange={set("optOutReply")}
                multiline={3}
                maxLength={LINE_TEXT_LIMITS.messageText.max}
                autoComplete="off"
                error={error("optOutReply")}
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("consentSettings.optIn.title")} description={t("consentSettings.optIn.description")}>
          <Card>
            <FormLayout>
              <TextField
                label={t("consentSettings.keywords")}
                helpText={t("consentSettings.keywordsHelp")}
                value={values.optInKeywords}
                onChange={set("optInKeywords")}
                multiline={3}
                autoComplete="off"
                error={error("optInKeywords")}
              />
              <TextField
                label={t("consentSettings.reply")}
                value={values.optInReply}
                onChange={set("optInReply")}
                multiline={3}
                maxLength={LINE_TEXT_LIMITS.messageText.max}
                autoComplete="off"
                error={error("optInReply")}
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("consentSettings.mirror.title")} description={t("consentSettings.mirror.description")}>
          <Card>
            <BlockStack gap="200">
              <Checkbox label={t("consentSettings.mirror.label")} checked={values.mirrorShopify} onChange={set("mirrorShopify")} />
              <Text as="p" tone="subdued">
                {t("consentSettings.mirror.help")}
              </Text>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
