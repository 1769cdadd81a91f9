// Compose a broadcast: messages (text / image / product card / carousel / coupon, ≤ 5), personalisation,
// phone-like preview, audience (segments minus exclusions), live estimate + quota + cost, test send,
// send now (with a confirmation step) or schedule in the shop's time zone.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, Checkbox, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { composeOptions, preselectedAudience, scheduleFromForm } from "~/services/broadcasts/admin.server";
import { BroadcastError, createBroadcast, discardDraft, estimateBroadcast, sendBroadcast } from "~/services/broadcasts/broadcasts.server";
import { sendTestMessages } from "~/services/broadcasts/test-send.server";
import { MAX_PERSONALIZED_RECIPIENTS, messagesArePersonalized } from "~/domain/broadcasts/personalize";
import { isFutureScheduleTime } from "~/domain/broadcasts/schedule";
import type { MessageProblem } from "~/domain/broadcasts/validate";
import { blockToMessage, previewLines, validateBlocks, type ComposeBlock, type ComposeProblem } from "~/domain/broadcasts/compose";
import { renderMessages } from "~/domain/broadcasts/personalize";
import { describeComposeProblem, describeError, type ErrorCode } from "~/components/broadcasts/text";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { formObject, parseForm, type FormErrors } from "~/domain/forms/parse";
import { ComposeBlocksField, ComposeForm } from "./app.broadcasts.new.schema";
import { EstimateSummary } from "~/components/broadcasts/EstimateSummary";
import { TestFriendsCard } from "~/components/broadcasts/TestFriendsCard";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const preselected = await preselectedAudience(shop, new URL(request.url).searchParams.get("segmentId"));
  return json({ ...(await composeOptions(shop)), preselected });
};

/** ComposeForm's refusals (broadcasts.errors.<code> keys) as the composer's field errors. */
function errorCodes(errors: FormErrors): Record<string, ErrorCode> {
  return Object.fromEntries(
    Object.entries(errors).map(([field, key]) => [
      field === "segmentIds" || field === "excludeSegmentIds" || /^(excludeS|s)egmentIds\./.test(field)
        ? "audience"
        : field === "intent"
          ? "send"
          : field,
      { code: key.replace(/^broadcasts\.errors\./, "") },
    ]),
  );
}

type Step = "compose" | "confirm";
type ActionData = {
  errors: Record<string, ErrorCode>;
  problems: ComposeProblem[];
  estimate: Awaited<ReturnType<typeof estimateBroadcast>> | null;
  step: Step;
  test: Awaited<ReturnType<typeof sendTestMessages>> | null;
};

/** A refused send's field errors, in plain words (LINE's and zod's own texts never reach the page). */
function errorsOf(err: BroadcastError, timezone: string): Pick<ActionData, "errors" | "problems"> {
  if (err.code === "invalid_message")
    return {
      errors: {},
      problems: (err.details as MessageProblem[]).map((p) => ({ block: p.message, field: "messages", code: p.code, limit: p.limit })),
    };
  if (err.code === "line_refused_message") {
    const first = (err.details as Array<{ property?: string }>)[0]?.property ?? "";
    const n = Number(/messages\[(\d+)\]/.exec(first)?.[1] ?? 0) + 1;
    return { errors: { messages: { code: "line_refused_message", params: { n } } }, problems: [] };
  }
  if (err.code === "schedule_in_past") return { errors: { schedule: { code: err.code, params: { timezone } } }, problems: [] };
  const field = err.code === "no_test_friends" ? "test" : "send";
  return { errors: { [field]: { code: err.code, params: { limit: MAX_PERSONALIZED_RECIPIENTS } } }, problems: [] };
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const form = await request.formData();
  const parsed = parseForm(ComposeForm, form);
  const reply = (d: Partial<ActionData>, status = 200) =>
    json<ActionData>({ errors: {}, problems: [], estimate: null, step: "compose", test: null, ...d }, { status });
  const problemsOf = (blocks: ComposeBlock[] | null): ComposeProblem[] =>
    blocks ? validateBlocks(blocks) : [{ block: null, field: "messages", code: "no_messages" }];
  // Every refusal at once: the fields' and the messages' (read by the same schema's field).
  if (!parsed.ok)
    return reply({ errors: errorCodes(parsed.errors), problems: problemsOf(ComposeBlocksField.parse(formObject(form).blocks)) }, 422);
  const f = parsed.data;
  const intent = f.intent;
  const problems = problemsOf(f.blocks);
  if (problems.length) return reply({ problems }, 422);
  const messages = f.blocks!.map(blockToMessage);
  if (intent === "test") {
    try {
      return reply({ test: await sendTestMessages(shop, messages) });
    } catch (err) {
      if (err instanceof BroadcastError) return reply(errorsOf(err, shop.timezone), 422);
      throw err;
    }
  }
  const errors: Record<string, ErrorCode> = {};
  const scheduledAt = intent === "schedule" ? scheduleFromForm(f.date, f.time, shop.timezone) : null;
  if (intent === "schedule" && !scheduledAt) errors.schedule = { code: "schedule_date" };
  else if (scheduledAt && !isFutureScheduleTime(scheduledAt, new Date()))
    errors.schedule = { code: "schedule_in_past", params: { timezone: shop.timezone } };
  if (Object.keys(errors).length) return reply({ errors }, 422);
  const personalized = messagesArePersonalized(messages);
  const estimate = await estimateBroadcast(shop, f.audience, new Date(), { personalized });
  if (intent === "estimate") return reply({ estimate });
  if (intent === "review") return reply({ estimate, step: "confirm" });
  const ab = f.ab
    ? {
        variants: [messages, [{ type: "text", text: f.ab.variantBText }]],
        testShare: f.ab.testShare,
        metric: f.ab.metric,
        decideAfterHours: f.ab.decideAfterHours,
        sendWinnerToRest: f.ab.sendWinnerToRest,
      }
    : undefined;
  let draftId: number | null = null;
  try {
    const b = await createBroadcast({ shopId: shop.id, name: f.name, messages, audience: f.audience, ab });
    draftId = b.id;
    await sendBroadcast(shop, b.id, { trimToFit: f.trimToFit, scheduledAt });
    return redirect(`/app/broadcasts/${b.id}`);
  } catch (err) {
    // A refused send leaves no draft behind: the composer still holds everything the merchant typed.
    if (draftId !== null) await discardDraft(shop.id, draftId);
    if (err instanceof BroadcastError)
      return reply({ ...errorsOf(err, shop.timezone), estimate, step: err.code === "over_quota" ? "confirm" : "compose" }, 422);
    throw err;
  }
};

const CHIPS = ["displayName", "lastProduct"] as const;

export default function NewBroadcast() {
  const { segments, products, sampleName, testFriends, discountLinkBase, lineConnected, preselected } = useLoaderData<typeof loader>();
  const zoneName = useFormat().timeZone();
  const data = useActionData<typeof action>();
  const { t } = useTranslation();
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"text" | "image" | "product" | "carousel" | "coupon">("text");
  const [text, setText] = useState("");
  const [imageUrl, setImageUrl] = useState("");
  const [productIdx, setProductIdx] = useState("0");
  const [coupon, setCoupon] = useState({ title: "", code: "", url: "" });
  const [blocks, setBlocks] = useState<ComposeBlock[]>([]);
  const [include, setInclude] = useState<number[]>(preselected ? [preselected.segmentId] : []);
  const [exclude, setExclude] = useState<number[]>([]);
  const [allFriends, setAllFriends] = useState(false);
  const [trim, setTrim] = useState(false);
  const [date, setDate] = useState("");
  const [time, setTime] = useState("09:00");
  const [ab, setAb] = useState({ enabled: false, variantBText: "", testShare: "20", metric: "click", hours: "4", sendWinner: true });

  const current = (): ComposeBlock | null => {
    if (kind === "text") return text.trim() ? { kind: "text", text } : null;
    if (kind === "image") return imageUrl ? { kind: "image", imageUrl } : null;
    if (kind === "product") return products[Number(productIdx)] ? { kind: "product", product: products[Number(productIdx)]! } : null;
    if (kind === "carousel") return products.length ? { kind: "carousel", products: products.slice(0, 5) } : null;
    // Empty link: Shopify's shareable discount link, which applies the code at checkout.
    return coupon.code
      ? { kind: "coupon", ...coupon, url: coupon.url.trim() || `${discountLinkBase}${encodeURIComponent(coupon.code.trim())}` }
      : null;
  };
  // The text being typed counts as a message even before "Add message", so a single-text send is one step.
  const allBlocks = useMemo(() => {
    const c = current();
    return c && blocks.length < 5 ? [...blocks, c] : blocks;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [blocks, kind, text, imageUrl, productIdx, coupon, products]);
  const preview = renderMessages(allBlocks.map(blockToMessage), {
    displayName: sampleName ?? t("broadcasts.compose.previewName"),
    lastProduct: products[0]?.title,
  });
  const toggle = (list: number[], set: (v: number[]) => void, id: number) =>
    set(list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);
  // Opened with a segment (the assistant's Approve): its estimate shows while the audience is still
  // just that segment and no newer estimate was asked for.
  const untouched = preselected && !allFriends && !exclude.length && include.length === 1 && include[0] === preselected.segmentId;
  const est = data?.estimate ?? (untouched ? preselected.estimate : undefined);
  const errors: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(data?.errors ?? {}).map(([field, e]) => [field, describeError(t, e, { timezone: zoneName })]),
  );
  // Problems of the block being edited show on its fields as the merchant types; the server's list
  // (after a submit) covers every block.
  const editing = blocks.length;
  const live = allBlocks.length ? validateBlocks(allBlocks).filter((p) => p.block === editing) : [];
  const fieldError = (field: ComposeProblem["field"]) => {
    const p = live.find((x) => x.field === field) ?? data?.problems.find((x) => x.block === editing && x.field === field);
    return p ? describeComposeProblem(t, p) : undefined;
  };
  const otherProblems = (data?.problems ?? []).filter((p) => p.block !== editing || p.field === "messages");

  const hidden = (
    <>
      <input type="hidden" name="name" value={name} />
      <input type="hidden" name="blocks" value={JSON.stringify(allBlocks)} />
      {include.map((id) => (
        <input key={`i${id}`} type="hidden" name="segmentIds" value={id} />
      ))}
      {exclude.map((id) => (
        <input key={`e${id}`} type="hidden" name="excludeSegmentIds" value={id} />
      ))}
      {allFriends && <input type="hidden" name="allFriends" value="on" />}
      {trim && <input type="hidden" name="trimToFit" value="on" />}
      <input type="hidden" name="date" value={date} />
      <input type="hidden" name="time" value={time} />
      {ab.enabled && (
        <>
          <input type="hidden" name="abEnabled" value="on" />
          <input type="hidden" name="abVariantBText" value={ab.variantBText} />
          <input type="hidden" name="abTestShare" value={ab.testShare} />
          <input type="hidden" name="abMetric" value={ab.metric} />
          <input type="hidden" name="abHours" value={ab.hours} />
          {ab.sendWinner && <input type="hidden" name="abSendWinner" value="on" />}
        </>
      )}
    </>
  );

  return (
    <Page title={t("broadcasts.compose.title")} backAction={{ url: "/app/broadcasts" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {!lineConnected && <Banner tone="warning" title={t("broadcasts.compose.lineNotConnected")} />}
            {errors.send && <Banner tone="critical" title={errors.send} />}
            <Card>
              <BlockStack gap="300">
                <TextField label={t("broadcasts.compose.name")} value={name} onChange={setName} error={errors.name} autoComplete="off" />
                <Select
                  label={t("broadcasts.compose.messageType")}
                  options={(["text", "image", "product", "carousel", "coupon"] as const).map((value) => ({
                    label: t(`broadcasts.compose.types.${value}`),
                    value,
                  }))}
                  value={kind}
                  onChange={(v) => setKind(v as typeof kind)}
                />
                {kind === "text" && (
                  <>
                    <TextField
                      label={t("broadcasts.compose.messageText")}
                      value={text}
                      onChange={setText}
                      multiline={4}
                      error={fieldError("text")}
                      autoComplete="off"
                      maxLength={5000}
                      showCharacterCount
                    />
                    <InlineStack gap="200">
                      {CHIPS.map((c) => (
                        <Button
                          key={c}
                          size="slim"
                          onClick={() => setText((x) => `${x}{{${c}|${t(`broadcasts.compose.chips.${c}Fallback`)}}}`)}
                        >
                          {t("broadcasts.compose.insert", { label: t(`broadcasts.compose.chips.${c}`) })}
                        </Button>
                      ))}
                    </InlineStack>
                  </>
                )}
                {kind === "image" && (
                  <TextField
                    label={t("broadcasts.compose.imageUrl")}
                    value={imageUrl}
                    onChange={setImageUrl}
                    autoComplete="off"
                    error={fieldError("imageUrl")}
                  />
                )}
                {kind === "product" && (
                  <Select
                    label={t("broadcasts.compose.product")}
                    options={products.map((p, i) => ({ label: p.title, value: String(i) }))}
                    value={productIdx}
                    onChange={setProductIdx}
                    error={fieldError("product")}
                  />
                )}
                {kind === "carousel" && (
                  <Text as="p">
                    {products.length
                      ? t("broadcasts.compose.carousel", {
                          titles: products
                            .slice(0, 5)
                            .map((p) => p.title)
                            .join(", "),
                        })
                      : t("broadcasts.compose.carouselNone")}
                  </Text>
                )}
                {kind === "coupon" && (
                  <>
                    <TextField
                      label={t("broadcasts.compose.couponTitle")}
                      value={coupon.title}
                      onChange={(v) => setCoupon({ ...coupon, title: v })}
                      autoComplete="off"
                    />
                    <TextField
                      label={t("broadcasts.compose.couponCode")}
                      value={coupon.code}
                      onChange={(v) => setCoupon({ ...coupon, code: v })}
                      autoComplete="off"
                      error={fieldError("couponCode")}
                    />
                    <TextField
                      label={t("broadcasts.compose.couponLink")}
                      value={coupon.url}
                      onChange={(v) => setCoupon({ ...coupon, url: v })}
                      autoComplete="off"
                      type="url"
                      placeholder={`${discountLinkBase}${coupon.code || "CODE"}`}
                      helpText={t("broadcasts.compose.couponLinkHelp")}
                      error={fieldError("couponUrl")}
                    />
                  </>
                )}
                <InlineStack gap="200">
                  <Button
                    disabled={blocks.length >= 4 || !current() || live.length > 0}
                    onClick={() => {
                      const c = current();
                      if (c) setBlocks([...blocks, c]);
                      setText("");
                    }}
                  >
                    {t("broadcasts.compose.addMessage")}
                  </Button>
                  {blocks.length > 0 && <Button onClick={() => setBlocks([])}>{t("broadcasts.compose.clearMessages")}</Button>}
                  <Text as="span" tone="subdued">
                    {t("broadcasts.compose.messageCount", { count: allBlocks.length })}
                  </Text>
                </InlineStack>
                {(otherProblems.length > 0 || errors.messages) && (
                  <Banner tone="critical" title={t("broadcasts.compose.problemsTitle")}>
                    <BlockStack gap="100" id="message-problems">
                      {otherProblems.map((p, i) => (
                        <Text as="p" key={i}>
                          {describeComposeProblem(t, p)}
                        </Text>
                      ))}
                      {errors.messages && <Text as="p">{errors.messages}</Text>}
                    </BlockStack>
                  </Banner>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("broadcasts.compose.audience")}
                </Text>
                {errors.audience && <Banner tone="critical" title={errors.audience} />}
                {preselected && <Banner tone="success" title={t("broadcasts.compose.preselected", { name: preselected.name })} />}
                <fieldset aria-label={t("broadcasts.compose.audience")} style={{ border: 0, padding: 0 }}>
                  <Checkbox label={t("broadcasts.compose.allFriends")} checked={allFriends} onChange={setAllFriends} />
                  {segments.map((s) => (
                    <Checkbox
                      key={s.id}
                      label={t("broadcasts.compose.include", { name: s.name })}
                      checked={include.includes(s.id)}
                      onChange={() => toggle(include, setInclude, s.id)}
                    />
                  ))}
                </fieldset>
                <fieldset aria-label={t("broadcasts.compose.exclusions")} style={{ border: 0, padding: 0 }}>
                  {segments.map((s) => (
                    <Checkbox
                      key={s.id}
                      label={t("broadcasts.compose.exclude", { name: s.name })}
                      checked={exclude.includes(s.id)}
                      onChange={() => toggle(exclude, setExclude, s.id)}
                    />
                  ))}
                </fieldset>
                <Text as="p" tone="subdued">
                  {t("broadcasts.compose.alwaysExcluded")}
                </Text>
                <Form method="post">
                  {hidden}
                  <input type="hidden" name="intent" value="estimate" />
                  <Button submit loading={busy}>
                    {t("broadcasts.compose.estimate")}
                  </Button>
                </Form>
                {est && (
                  <Box>
                    <EstimateSummary estimate={est} trim={trim} onTrim={setTrim} />
                  </Box>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("broadcasts.compose.ab.title")}
                </Text>
                <Checkbox
                  label={t("broadcasts.compose.ab.enable")}
                  checked={ab.enabled}
                  onChange={(v) => setAb({ ...ab, enabled: v })}
                  helpText={t("broadcasts.compose.ab.help")}
                />
                {ab.enabled && (
                  <>
                    {errors.ab && <Banner tone="critical" title={errors.ab} />}
                    <TextField
                      label={t("broadcasts.compose.ab.variantB")}
                      value={ab.variantBText}
                      onChange={(v) => setAb({ ...ab, variantBText: v })}
                      multiline={3}
                      autoComplete="off"
                      maxLength={5000}
                    />
                    <InlineStack gap="200" blockAlign="end">
                      <TextField
                        label={t("broadcasts.compose.ab.testShare")}
                        type="number"
                        min={1}
                        max={100}
                        value={ab.testShare}
                        onChange={(v) => setAb({ ...ab, testShare: v })}
                        autoComplete="off"
                      />
                      <Select
                        label={t("broadcasts.compose.ab.winnerBy")}
                        options={[
                          { label: t("broadcasts.compose.ab.clickRate"), value: "click" },
                          { label: t("broadcasts.compose.ab.orderRate"), value: "order" },
                        ]}
                        value={ab.metric}
                        onChange={(v) => setAb({ ...ab, metric: v })}
                      />
                      <TextField
                        label={t("broadcasts.compose.ab.decideAfter")}
                        type="number"
                        min={0}
                        value={ab.hours}
                        onChange={(v) => setAb({ ...ab, hours: v })}
                        autoComplete="off"
                      />
                    </InlineStack>
                    <Checkbox
                      label={t("broadcasts.compose.ab.sendWinner")}
                      checked={ab.sendWinner}
                      onChange={(v) => setAb({ ...ab, sendWinner: v })}
                    />
                  </>
                )}
              </BlockStack>
            </Card>
            <TestFriendsCard
              testFriends={testFriends}
              result={data?.test ?? null}
              error={errors.test}
              sendButton={
                <Form method="post">
                  {hidden}
                  <input type="hidden" name="intent" value="test" />
                  <Button submit disabled={!testFriends.length} loading={busy}>
                    {t("broadcasts.test.send")}
                  </Button>
                </Form>
              }
            />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("broadcasts.compose.send.title")}
                </Text>
                <InlineStack gap="200" blockAlign="end">
                  <TextField
                    label={t("broadcasts.compose.send.date", { timezone: zoneName })}
                    type="date"
                    value={date}
                    onChange={setDate}
                    autoComplete="off"
                    error={errors.schedule}
                  />
                  <TextField label={t("broadcasts.compose.send.time")} type="time" value={time} onChange={setTime} autoComplete="off" />
                </InlineStack>
                <InlineStack gap="200">
                  <Form method="post">
                    {hidden}
                    <input type="hidden" name="intent" value="review" />
                    <Button submit variant="primary" loading={busy}>
                      {t("broadcasts.compose.send.now")}
                    </Button>
                  </Form>
                  <Form method="post">
                    {hidden}
                    <input type="hidden" name="intent" value="schedule" />
                    <Button submit disabled={!date} loading={busy}>
                      {t("broadcasts.compose.send.schedule")}
                    </Button>
                  </Form>
                </InlineStack>
                {data?.step === "confirm" && est && (
                  <Banner
                    tone={est.exceedsQuota ? "warning" : "info"}
                    title={t("broadcasts.compose.send.confirmTitle", {
                      count: trim && est.recipientsThatFit !== null ? est.recipientsThatFit : est.recipients,
                    })}
                  >
                    <Form method="post">
                      {hidden}
                      <input type="hidden" name="intent" value="send" />
                      <Button submit variant="primary" disabled={est.exceedsQuota && !trim} loading={busy}>
                        {t("broadcasts.compose.send.confirm")}
                      </Button>
                    </Form>
                  </Banner>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("broadcasts.compose.preview")}
              </Text>
              <div
                aria-label={t("broadcasts.compose.phonePreview")}
                style={{ background: "#8cabd9", borderRadius: 24, padding: 16, minHeight: 360 }}
              >
                {preview.map((m, i) => (
                  <div
                    key={i}
                    style={{
                      background: "#fff",
                      borderRadius: 16,
                      padding: "8px 12px",
                      margin: "8px 0",
                      maxWidth: "85%",
                      whiteSpace: "pre-wrap",
                      fontSize: 14,
                    }}
                  >
                    {m.type === "image"
                      ? t("broadcasts.compose.previewImage")
                      : m.type === "flex"
                        ? t("broadcasts.compose.previewCard", { text: String(m.altText) })
                        : previewLines(m)}
                  </div>
                ))}
              </div>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
