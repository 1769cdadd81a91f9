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
import { composeOptions, scheduleFromForm } from "~/services/broadcasts/admin.server";
import {
  BroadcastError,
  createBroadcast,
  estimateBroadcast,
  sendBroadcast,
  testSendBroadcast,
} from "~/services/broadcasts/broadcasts.server";
import { blockToMessage, previewLines, validateBlocks, type ComposeBlock } from "~/domain/broadcasts/compose";
import { renderMessages } from "~/domain/broadcasts/personalize";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await composeOptions(await requireShop(shop)));
};

function parseForm(form: FormData) {
  const blocks = JSON.parse(String(form.get("blocks") ?? "[]")) as ComposeBlock[];
  const ids = (k: string) =>
    form
      .getAll(k)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0);
  return {
    name: String(form.get("name") ?? "").trim(),
    blocks,
    audience: { segmentIds: ids("segmentIds"), excludeSegmentIds: ids("excludeSegmentIds"), allFriends: form.get("allFriends") === "on" },
    testFriendIds: ids("testFriendIds"),
    confirmOverQuota: form.get("confirmOverQuota") === "on",
    trimToFit: form.get("trimToFit") === "on",
    date: String(form.get("date") ?? ""),
    time: String(form.get("time") ?? ""),
    ab:
      form.get("abEnabled") === "on"
        ? {
            variantBText: String(form.get("abVariantBText") ?? "").trim(),
            testShare: Number(form.get("abTestShare") ?? 20) / 100,
            metric: form.get("abMetric") === "order" ? ("order" as const) : ("click" as const),
            decideAfterHours: Number(form.get("abHours") ?? 4),
            sendWinnerToRest: form.get("abSendWinner") === "on",
          }
        : null,
  };
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const f = parseForm(form);
  const errors: Record<string, string> = {};
  if (!f.name) errors.name = "Name is required";
  const blockError = validateBlocks(f.blocks);
  if (blockError) errors.messages = blockError;
  if (!f.audience.allFriends && !f.audience.segmentIds.length) errors.audience = "Choose at least one segment";
  if (f.ab) {
    if (!f.ab.variantBText) errors.ab = "Enter variant B's message text";
    else if (!(f.ab.testShare > 0 && f.ab.testShare <= 1)) errors.ab = "Test share must be between 1 and 100%";
    else if (!(f.ab.decideAfterHours >= 0 && f.ab.decideAfterHours <= 720)) errors.ab = "Pick the winner within 0–720 hours";
  }
  if (Object.keys(errors).length) return json({ errors, estimate: null, step: "compose" as const, test: null }, { status: 422 });
  const messages = f.blocks.map(blockToMessage);
  const estimate = await estimateBroadcast(shop, f.audience);
  if (intent === "estimate") return json({ errors, estimate, step: "compose" as const, test: null });
  if (intent === "review") return json({ errors, estimate, step: "confirm" as const, test: null });
  const ab = f.ab
    ? {
        variants: [messages, [{ type: "text", text: f.ab.variantBText }]],
        testShare: f.ab.testShare,
        metric: f.ab.metric,
        decideAfterHours: f.ab.decideAfterHours,
        sendWinnerToRest: f.ab.sendWinnerToRest,
      }
    : undefined;
  const b = await createBroadcast({ shopId: shop.id, name: f.name, messages, audience: f.audience, ab });
  if (intent === "test") {
    const test = await testSendBroadcast(shop, b.id, f.testFriendIds);
    return json({ errors, estimate, step: "compose" as const, test });
  }
  try {
    const scheduledAt = intent === "schedule" ? scheduleFromForm(f.date, f.time, shop.timezone) : null;
    if (intent === "schedule" && !scheduledAt)
      return json({ errors: { schedule: "Pick a date" }, estimate, step: "compose" as const, test: null }, { status: 422 });
    await sendBroadcast(shop, b.id, { confirmOverQuota: f.confirmOverQuota, trimToFit: f.trimToFit, scheduledAt });
  } catch (err) {
    if (err instanceof BroadcastError)
      return json(
        {
          errors: { send: err.message },
          estimate,
          step: err.code === "over_quota" ? ("confirm" as const) : ("compose" as const),
          test: null,
        },
        { status: 422 },
      );
    throw err;
  }
  return redirect(`/app/broadcasts/${b.id}`);
};

const CHIPS = [
  { label: "Display name", token: "{{displayName|there}}" },
  { label: "Last product bought", token: "{{lastProduct|our bestsellers}}" },
];

export default function NewBroadcast() {
  const { segments, products, friends, timezone, lineConnected } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"text" | "image" | "product" | "carousel" | "coupon">("text");
  const [text, setText] = useState("");
  const [imageUrl, setImageUrl] = useState("");
  const [productIdx, setProductIdx] = useState("0");
  const [coupon, setCoupon] = useState({ title: "", code: "", url: "" });
  const [blocks, setBlocks] = useState<ComposeBlock[]>([]);
  const [include, setInclude] = useState<number[]>([]);
  const [exclude, setExclude] = useState<number[]>([]);
  const [allFriends, setAllFriends] = useState(false);
  const [testIds, setTestIds] = useState<number[]>([]);
  const [confirmOver, setConfirmOver] = useState(false);
  const [trim, setTrim] = useState(false);
  const [date, setDate] = useState("");
  const [time, setTime] = useState("09:00");
  const [ab, setAb] = useState({ enabled: false, variantBText: "", testShare: "20", metric: "click", hours: "4", sendWinner: true });

  const current = (): ComposeBlock | null => {
    if (kind === "text") return text.trim() ? { kind: "text", text } : null;
    if (kind === "image") return imageUrl ? { kind: "image", imageUrl } : null;
    if (kind === "product") return products[Number(productIdx)] ? { kind: "product", product: products[Number(productIdx)]! } : null;
    if (kind === "carousel") return products.length ? { kind: "carousel", products: products.slice(0, 5) } : null;
    return coupon.code ? { kind: "coupon", ...coupon, url: coupon.url || "https://example.com" } : null;
  };
  // The text being typed counts as a message even before "Add message", so a single-text send is one step.
  const allBlocks = useMemo(() => {
    const c = current();
    return c && blocks.length < 5 ? [...blocks, c] : blocks;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [blocks, kind, text, imageUrl, productIdx, coupon, products]);
  const preview = renderMessages(allBlocks.map(blockToMessage), {
    displayName: friends[0]?.name ?? "Taro",
    lastProduct: products[0]?.title,
  });
  const toggle = (list: number[], set: (v: number[]) => void, id: number) =>
    set(list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);
  const est = data?.estimate;
  const errors = (data?.errors ?? {}) as Record<string, string>;

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
      {testIds.map((id) => (
        <input key={`t${id}`} type="hidden" name="testFriendIds" value={id} />
      ))}
      {confirmOver && <input type="hidden" name="confirmOverQuota" value="on" />}
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
    <Page title="New broadcast" backAction={{ url: "/app/broadcasts" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {!lineConnected && <Banner tone="warning" title="Connect a LINE channel in Settings before sending" />}
            {errors.send && <Banner tone="critical" title={errors.send} />}
            <Card>
              <BlockStack gap="300">
                <TextField label="Broadcast name" value={name} onChange={setName} error={errors.name} autoComplete="off" />
                <Select
                  label="Message type"
                  options={[
                    { label: "Text", value: "text" },
                    { label: "Image", value: "image" },
                    { label: "Product card", value: "product" },
                    { label: "Product carousel", value: "carousel" },
                    { label: "Coupon", value: "coupon" },
                  ]}
                  value={kind}
                  onChange={(v) => setKind(v as typeof kind)}
                />
                {kind === "text" && (
                  <>
                    <TextField
                      label="Message text"
                      value={text}
                      onChange={setText}
                      multiline={4}
                      error={errors.messages}
                      autoComplete="off"
                      maxLength={5000}
                      showCharacterCount
                    />
                    <InlineStack gap="200">
                      {CHIPS.map((c) => (
                        <Button key={c.token} size="slim" onClick={() => setText((t) => `${t}${c.token}`)}>
                          {`Insert ${c.label}`}
                        </Button>
                      ))}
                    </InlineStack>
                  </>
                )}
                {kind === "image" && <TextField label="Image URL (https)" value={imageUrl} onChange={setImageUrl} autoComplete="off" />}
                {kind === "product" && (
                  <Select
                    label="Product"
                    options={products.map((p, i) => ({ label: p.title, value: String(i) }))}
                    value={productIdx}
                    onChange={setProductIdx}
                  />
                )}
                {kind === "carousel" && (
                  <Text as="p">
                    The carousel shows up to 5 of your products:{" "}
                    {products
                      .slice(0, 5)
                      .map((p) => p.title)
                      .join(", ") || "none yet"}
                    .
                  </Text>
                )}
                {kind === "coupon" && (
                  <>
                    <TextField
                      label="Coupon title"
                      value={coupon.title}
                      onChange={(v) => setCoupon({ ...coupon, title: v })}
                      autoComplete="off"
                    />
                    <TextField
                      label="Coupon code"
                      value={coupon.code}
                      onChange={(v) => setCoupon({ ...coupon, code: v })}
                      autoComplete="off"
                    />
                    <TextField
                      label="Coupon link"
                      value={coupon.url}
                      onChange={(v) => setCoupon({ ...coupon, url: v })}
                      autoComplete="off"
                    />
                  </>
                )}
                <InlineStack gap="200">
                  <Button
                    disabled={blocks.length >= 4 || !current()}
                    onClick={() => {
                      const c = current();
                      if (c) setBlocks([...blocks, c]);
                      setText("");
                    }}
                  >
                    Add message
                  </Button>
                  {blocks.length > 0 && <Button onClick={() => setBlocks([])}>Clear messages</Button>}
                  <Text as="span" tone="subdued">{`${allBlocks.length} / 5 messages`}</Text>
                </InlineStack>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Audience
                </Text>
                {errors.audience && <Banner tone="critical" title={errors.audience} />}
                <fieldset aria-label="Audience" style={{ border: 0, padding: 0 }}>
                  <Checkbox label="All friends" checked={allFriends} onChange={setAllFriends} />
                  {segments.map((s) => (
                    <Checkbox
                      key={s.id}
                      label={`Include ${s.name}`}
                      checked={include.includes(s.id)}
                      onChange={() => toggle(include, setInclude, s.id)}
                    />
                  ))}
                </fieldset>
                <fieldset aria-label="Exclusions" style={{ border: 0, padding: 0 }}>
                  {segments.map((s) => (
                    <Checkbox
                      key={s.id}
                      label={`Exclude ${s.name}`}
                      checked={exclude.includes(s.id)}
                      onChange={() => toggle(exclude, setExclude, s.id)}
                    />
                  ))}
                </fieldset>
                <Text as="p" tone="subdued">
                  Blocked and opted-out friends are always excluded.
                </Text>
                <Form method="post">
                  {hidden}
                  <input type="hidden" name="intent" value="estimate" />
                  <Button submit loading={busy}>
                    Estimate recipients
                  </Button>
                </Form>
                {est && (
                  <Box>
                    <Text as="p" id="estimate">
                      {`Recipients: ${est.recipients} · Messages: ${est.messages} · Remaining quota: ${est.remainingQuota ?? "unlimited"} · Extra messages: ${est.extraMessages} · Extra cost: ${est.extraCost} ${est.currency}`}
                    </Text>
                    {est.exceedsQuota && (
                      <Banner tone="warning" title="This send exceeds your remaining message quota">
                        <BlockStack gap="100">
                          <Text as="p">{`${est.messages} messages, ${est.remainingQuota} left this month. LINE will refuse the messages beyond the quota.`}</Text>
                          <Checkbox label="I understand this exceeds my remaining quota" checked={confirmOver} onChange={setConfirmOver} />
                          <Checkbox
                            label={`Trim audience to fit (${est.recipientsThatFit ?? 0} most recently active friends)`}
                            checked={trim}
                            onChange={setTrim}
                          />
                        </BlockStack>
                      </Banner>
                    )}
                  </Box>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  A/B test
                </Text>
                <Checkbox
                  label="A/B test"
                  checked={ab.enabled}
                  onChange={(v) => setAb({ ...ab, enabled: v })}
                  helpText="Variant A is the messages above; variant B is one text message."
                />
                {ab.enabled && (
                  <>
                    {errors.ab && <Banner tone="critical" title={errors.ab} />}
                    <TextField
                      label="Variant B message text"
                      value={ab.variantBText}
                      onChange={(v) => setAb({ ...ab, variantBText: v })}
                      multiline={3}
                      autoComplete="off"
                      maxLength={5000}
                    />
                    <InlineStack gap="200" blockAlign="end">
                      <TextField
                        label="Test share (%)"
                        type="number"
                        min={1}
                        max={100}
                        value={ab.testShare}
                        onChange={(v) => setAb({ ...ab, testShare: v })}
                        autoComplete="off"
                      />
                      <Select
                        label="Winner by"
                        options={[
                          { label: "Click rate", value: "click" },
                          { label: "Order rate", value: "order" },
                        ]}
                        value={ab.metric}
                        onChange={(v) => setAb({ ...ab, metric: v })}
                      />
                      <TextField
                        label="Decide after (hours)"
                        type="number"
                        min={0}
                        value={ab.hours}
                        onChange={(v) => setAb({ ...ab, hours: v })}
                        autoComplete="off"
                      />
                    </InlineStack>
                    <Checkbox
                      label="Send the winner to the rest of the audience"
                      checked={ab.sendWinner}
                      onChange={(v) => setAb({ ...ab, sendWinner: v })}
                    />
                  </>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Test send
                </Text>
                {friends.slice(0, 10).map((f) => (
                  <Checkbox
                    key={f.id}
                    label={`Test to ${f.name}`}
                    checked={testIds.includes(f.id)}
                    onChange={() => toggle(testIds, setTestIds, f.id)}
                  />
                ))}
                <Form method="post">
                  {hidden}
                  <input type="hidden" name="intent" value="test" />
                  <Button submit disabled={!testIds.length} loading={busy}>
                    Send test
                  </Button>
                </Form>
                {data?.test && (
                  <Banner tone={data.test.errors.length ? "warning" : "success"} title={`Test sent to ${data.test.sent} friend(s)`}>
                    {data.test.errors.join("; ")}
                  </Banner>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Send
                </Text>
                <InlineStack gap="200" blockAlign="end">
                  <TextField
                    label={`Schedule date (${timezone})`}
                    type="date"
                    value={date}
                    onChange={setDate}
                    autoComplete="off"
                    error={errors.schedule}
                  />
                  <TextField label="Schedule time" type="time" value={time} onChange={setTime} autoComplete="off" />
                </InlineStack>
                <InlineStack gap="200">
                  <Form method="post">
                    {hidden}
                    <input type="hidden" name="intent" value="review" />
                    <Button submit variant="primary" loading={busy}>
                      Send now
                    </Button>
                  </Form>
                  <Form method="post">
                    {hidden}
                    <input type="hidden" name="intent" value="schedule" />
                    <Button submit disabled={!date} loading={busy}>
                      Schedule
                    </Button>
                  </Form>
                </InlineStack>
                {data?.step === "confirm" && est && (
                  <Banner
                    tone={est.exceedsQuota ? "warning" : "info"}
                    title={`Send to ${est.recipients} friends now? (${est.messages} messages)`}
                  >
                    <Form method="post">
                      {hidden}
                      <input type="hidden" name="intent" value="send" />
                      <Button submit variant="primary" disabled={est.exceedsQuota && !confirmOver && !trim} loading={busy}>
                        Confirm send
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
                Preview
              </Text>
              <div aria-label="Phone preview" style={{ background: "#8cabd9", borderRadius: 24, padding: 16, minHeight: 360 }}>
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
                    {previewLines(m)}
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
