// Menu rules: ordered list (first match wins), default menu, per-rule winner counts,
// "Which menu would this friend see?" and "Apply now" with progress.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { db } from "~/db.server";
import { listMenus, listRules, defaultMenu, ruleIntent } from "~/db/rich-menus.server";
import {
  findMenuFriends,
  MENU_FRIEND_MATCH_LIMIT,
  ruleWinCounts,
  saveRules,
  whichMenuFor,
  type RuleInput,
} from "~/services/rich-menus/rules.server";
import { WhichMenuCard, type WhichMenuAnswer } from "~/components/rich-menus/WhichMenuCard";
import { setDefaultMenu } from "~/services/rich-menus/publish.server";
import { applyRunStatus, startApplyRun } from "~/services/rich-menus/apply.server";
import { MenuError } from "~/services/rich-menus/channel.server";
import type { MenuIntent } from "~/domain/rich-menus/intents";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const [menus, rules, def, segments, counts, run] = await Promise.all([
    listMenus(shop.id),
    listRules(shop.id),
    defaultMenu(shop.id),
    db().segment.findMany({ where: { shopId: shop.id }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    ruleWinCounts(shop.id),
    applyRunStatus(shop.id),
  ]);
  return json({
    menus: menus.map((m) => ({ id: m.id, name: m.name, published: m.status === "published" })),
    rules: rules.map((r) => ({
      kind: r.kind,
      segmentId: r.segmentId,
      intent: ruleIntent(r),
      richMenuId: r.richMenuId,
      dwellHours: r.dwellHours,
      urgent: r.urgent,
      enabled: r.enabled,
      id: r.id,
    })),
    defaultMenuId: def?.id ?? null,
    segments,
    counts,
    run: run && (run.status === "running" || run.status === "pending") ? { id: run.id } : null,
  });
};

type ActionData = { ok: boolean; message?: string; runId?: number };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const form = await request.formData();
  const intent = String(form.get("intent"));
  try {
    if (intent === "save") {
      const rules = JSON.parse(String(form.get("rules") ?? "[]")) as RuleInput[];
      await saveRules(shop.id, rules);
      const def = Number(form.get("defaultMenuId"));
      if (def) await setDefaultMenu(shop.id, def);
      return json<ActionData>({ ok: true, message: "Rules saved. Apply them to move existing friends now." });
    }
    if (intent === "which") {
      // A chosen friend (by id), or a search: one match answers at once, several are listed to choose from.
      const chosen = Number(form.get("friendId"));
      const matches = chosen ? [] : await findMenuFriends(shop.id, String(form.get("query") ?? ""));
      const friendId = chosen || (matches.length === 1 ? matches[0]!.id : 0);
      const which = friendId ? await whichMenuFor(shop.id, friendId) : null;
      if (which) return json<WhichMenuAnswer>({ which });
      return json<WhichMenuAnswer>({ matches: matches.slice(0, MENU_FRIEND_MATCH_LIMIT), more: matches.length > MENU_FRIEND_MATCH_LIMIT });
    }
    if (intent === "apply") {
      const run = await startApplyRun(shop.id);
      return json<ActionData>({ ok: true, runId: run.id });
    }
  } catch (err) {
    if (err instanceof MenuError || (err instanceof Error && err.name === "ZodError"))
      return json<ActionData>({ ok: false, message: err.message }, { status: 422 });
    throw err;
  }
  return json<ActionData>({ ok: false, message: "Unknown action" }, { status: 400 });
};

type EditableRule = {
  kind: string;
  segmentId: number | null;
  intent: MenuIntent | null;
  richMenuId: number;
  dwellHours: number;
  urgent: boolean;
  enabled: boolean;
};

const INTENTS: Array<{ label: string; value: MenuIntent["type"] }> = [
  { label: "Cart abandoned ≥ N hours", value: "abandonedCart" },
  { label: "Order delivered (last D days)", value: "orderDelivered" },
  { label: "Reorder due", value: "reorderDue" },
  { label: "Birthday month", value: "birthdayMonth" },
  { label: "Tier (customer tag)", value: "tier" },
];

function defaultIntent(t: MenuIntent["type"]): MenuIntent {
  if (t === "abandonedCart") return { type: t, minHours: 3 };
  if (t === "orderDelivered") return { type: t, withinDays: 7 };
  if (t === "tier") return { type: t, tag: "VIP" };
  return { type: t };
}

function ApplyProgress({ runId }: { runId: number }) {
  const fetcher = useFetcher<{ status: string; total: number; done: number; moved: number; error: string | null } | null>();
  useEffect(() => {
    fetcher.load(`/app/menu-rules/progress?run=${runId}`);
    const t = setInterval(() => fetcher.load(`/app/menu-rules/progress?run=${runId}`), 1000);
    return () => clearInterval(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- poll by run id only
  }, [runId]);
  const p = fetcher.data;
  const pct = p && p.total ? Math.round((p.done / p.total) * 100) : p?.status === "completed" ? 100 : 0;
  return (
    <BlockStack gap="100">
      <ProgressBar progress={pct} />
      <Text as="p" id="apply-progress">
        {p
          ? `${p.status}: ${p.done.toLocaleString()} of ${p.total.toLocaleString()} friends checked, ${p.moved.toLocaleString()} moved`
          : "Starting…"}
        {p?.error ? ` (retrying after: ${p.error})` : ""}
      </Text>
    </BlockStack>
  );
}

export default function MenuRules() {
  const loaded = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const nav = useNavigation();
  const submit = useSubmit();
  const [rules, setRules] = useState<EditableRule[]>(loaded.rules as EditableRule[]);
  const [defaultMenuId, setDefaultMenuId] = useState(String(loaded.defaultMenuId ?? ""));
  const menuOptions = loaded.menus.map((m) => ({ label: m.published ? m.name : `${m.name} (draft)`, value: String(m.id) }));
  const runId = data?.runId ?? loaded.run?.id;
  const update = (i: number, patch: Partial<EditableRule>) => setRules((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const move = (i: number, d: number) =>
    setRules((all) => {
      const next = [...all];
      const [r] = next.splice(i, 1);
      next.splice(i + d, 0, r);
      return next;
    });
  const send = (intent: string, extra: Record<string, string> = {}) => {
    const fd = new FormData();
    fd.set("intent", intent);
    for (const [k, v] of Object.entries(extra)) fd.set(k, v);
    submit(fd, { method: "post" });
  };

  return (
    <Page
      title="Menu rules"
      subtitle="First matching rule wins. Friends no rule reaches see the default menu."
      primaryAction={{
        content: "Save rules",
        onAction: () => send("save", { rules: JSON.stringify(rules), defaultMenuId }),
        loading: nav.formData?.get("intent") === "save",
      }}
      secondaryActions={[{ content: "Apply now", onAction: () => send("apply") }]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {data?.message && <Banner tone={data.ok ? "success" : "critical"} title={data.message} />}
            {runId && (
              <Card>
                <ApplyProgress runId={runId} />
              </Card>
            )}
            {rules.map((r, i) => {
              const saved = loaded.rules[i] as (EditableRule & { id: number }) | undefined;
              return (
                <Card key={i}>
                  <BlockStack gap="200">
                    <InlineStack align="space-between">
                      <Text as="h3" variant="headingSm">
                        Rule {i + 1}
                      </Text>
                      <Text as="span" tone="subdued">
                        {saved && loaded.counts.byRule[saved.id] !== undefined
                          ? `Currently wins ${loaded.counts.byRule[saved.id].toLocaleString()} friends`
                          : "Not saved yet"}
                      </Text>
                    </InlineStack>
                    <InlineGrid columns={{ xs: 1, md: 3 }} gap="200">
                      <Select
                        label="Who"
                        options={[
                          { label: "Segment", value: "segment" },
                          { label: "Linked customers", value: "linked" },
                          { label: "Intent", value: "intent" },
                          { label: "Everyone else", value: "everyone" },
                        ]}
                        value={r.kind}
                        onChange={(kind) =>
                          update(i, { kind, intent: kind === "intent" ? (r.intent ?? defaultIntent("abandonedCart")) : null })
                        }
                      />
                      {r.kind === "segment" && (
                        <Select
                          label="Segment"
                          options={[
                            { label: "Choose…", value: "" },
                            ...loaded.segments.map((s) => ({ label: s.name, value: String(s.id) })),
                          ]}
                          value={String(r.segmentId ?? "")}
                          onChange={(v) => update(i, { segmentId: Number(v) || null })}
                        />
                      )}
                      {r.kind === "intent" && r.intent && (
                        <Select
                          label="Intent"
                          options={INTENTS}
                          value={r.intent.type}
                          onChange={(t) =>
                            update(i, {
                              intent: defaultIntent(t as MenuIntent["type"]),
                              urgent: t === "abandonedCart" || t === "orderDelivered",
                            })
                          }
                        />
                      )}
                      <Select
                        label="Menu"
                        options={menuOptions}
                        value={String(r.richMenuId)}
                        onChange={(v) => update(i, { richMenuId: Number(v) })}
                      />
                    </InlineGrid>
                    {r.intent?.type === "abandonedCart" && (
                      <TextField
                        label="Hours since abandoned"
                        type="number"
                        value={String(r.intent.minHours)}
                        onChange={(v) => update(i, { intent: { type: "abandonedCart", minHours: Number(v) } })}
                        autoComplete="off"
                      />
                    )}
                    {r.intent?.type === "orderDelivered" && (
                      <TextField
                        label="Days after delivery"
                        type="number"
                        value={String(r.intent.withinDays)}
                        onChange={(v) => update(i, { intent: { type: "orderDelivered", withinDays: Number(v) } })}
                        autoComplete="off"
                      />
                    )}
                    {r.intent?.type === "tier" && (
                      <TextField
                        label="Customer tag"
                        value={r.intent.tag}
                        onChange={(tag) => update(i, { intent: { type: "tier", tag } })}
                        autoComplete="off"
                      />
                    )}
                    <InlineStack gap="300" blockAlign="end">
                      <TextField
                        label="Dwell (hours)"
                        type="number"
                        value={String(r.dwellHours)}
                        onChange={(v) => update(i, { dwellHours: Number(v) })}
                        autoComplete="off"
                        helpText="How long a friend keeps this menu before a non-urgent rule may change it"
                      />
                      <Checkbox label="Urgent (bypasses dwell)" checked={r.urgent} onChange={(urgent) => update(i, { urgent })} />
                      <Checkbox label="Enabled" checked={r.enabled} onChange={(enabled) => update(i, { enabled })} />
                      <Button onClick={() => move(i, -1)} disabled={i === 0}>
                        Move up
                      </Button>
                      <Button onClick={() => move(i, 1)} disabled={i === rules.length - 1}>
                        Move down
                      </Button>
                      <Button tone="critical" onClick={() => setRules((all) => all.filter((_x, j) => j !== i))}>
                        Remove
                      </Button>
                    </InlineStack>
                  </BlockStack>
                </Card>
              );
            })}
            <Button
              disabled={!loaded.menus.length}
              onClick={() =>
                setRules((all) => [
                  ...all,
                  {
                    kind: "linked",
                    segmentId: null,
                    intent: null,
                    richMenuId: loaded.menus[0]?.id ?? 0,
                    dwellHours: 24,
                    urgent: false,
                    enabled: true,
                  },
                ])
              }
            >
              Add rule
            </Button>
            <Card>
              <BlockStack gap="200">
                <Select
                  label="Default menu"
                  options={[{ label: "None", value: "" }, ...menuOptions]}
                  value={defaultMenuId}
                  onChange={setDefaultMenuId}
                  helpText="Set as the LINE channel default: shown to anyone the rules do not reach, even while our servers are down."
                />
                <Text as="p" tone="subdued">
                  {loaded.counts.toDefault.toLocaleString()} of {loaded.counts.total.toLocaleString()} friends fall through to the default
                  menu.
                </Text>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <WhichMenuCard />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
