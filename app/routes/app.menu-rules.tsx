// Menu rules: ordered list (first match wins), default menu, per-rule winner counts,
// "Which menu would this friend see?" and "Apply now" with progress.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useLocalized } from "~/components/I18nProvider";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  EmptyState,
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
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { segmentNames } from "~/db/segments.server";
import { listMenus, listRules, defaultMenu, ruleIntent } from "~/db/rich-menus.server";
import { findMenuFriends, MENU_FRIEND_MATCH_LIMIT, ruleWinCounts, saveRules, whichMenuFor } from "~/services/rich-menus/rules.server";
import { WhichMenuCard, type WhichMenuAnswer } from "~/components/rich-menus/WhichMenuCard";
import { setDefaultMenu } from "~/services/rich-menus/publish.server";
import { applyRunStatus, startApplyRun } from "~/services/rich-menus/apply.server";
import { MenuError } from "~/services/rich-menus/channel.server";
import type { MenuIntent } from "~/domain/rich-menus/intents";
import { useFormat } from "~/components/format";
import { showToast } from "~/components/toast";
import { useFormErrors } from "~/components/form-errors";
import { ContextualSaveBar, useDirtyForm } from "~/components/save-bar";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { MenuRulesForm } from "./app.menu-rules.schema";
import { MAX_ABANDONED_HOURS, MAX_DELIVERED_DAYS, MAX_DWELL_HOURS } from "~/domain/rich-menus/rule-input";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const [menus, rules, def, segments, counts, run] = await Promise.all([
    listMenus(shop.id),
    listRules(shop.id),
    defaultMenu(shop.id),
    segmentNames(shop.id),
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

/**
 * `saved`: rules saved (toast); `errors`: field → i18n key (`rules.<index>.<field>` for a rule,
 * defaultMenuId, or "form"); `runId`: the apply run started.
 */
type ActionData = { ok: boolean; saved?: boolean; errors?: FormErrors; runId?: number };

/** A MenuError as a FormErrors map: a rule's unknown menu or segment at that rule's field. */
function menuErrors(err: MenuError): FormErrors {
  const rule = Number(err.params.rule) - 1;
  if (err.code === "unknown-menu" && rule >= 0) return { [`rules.${rule}.richMenuId`]: "menuRules.errors.menuGone" };
  if (err.code === "unknown-segment" && rule >= 0) return { [`rules.${rule}.segmentId`]: "menuRules.errors.segmentGone" };
  if (err.code === "not-found") return { defaultMenuId: "menuRules.errors.menuGone" };
  if (err.code === "not-published") return { defaultMenuId: "richMenus.errors.not-published" };
  return { form: `richMenus.errors.${err.code}` };
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const parsed = parseForm(MenuRulesForm, await request.formData());
  if (!parsed.ok) return json<ActionData>({ ok: false, errors: parsed.errors }, { status: 422 });
  const f = parsed.data;
  try {
    if (f.intent === "save") {
      await saveRules(shop.id, f.rules);
      if (f.defaultMenuId) await setDefaultMenu(shop.id, f.defaultMenuId);
      return json<ActionData>({ ok: true, saved: true });
    }
    if (f.intent === "which") {
      // A chosen friend (by id), or a search: one match answers at once, several are listed to choose from.
      const matches = f.friendId ? [] : await findMenuFriends(shop.id, f.query);
      const friendId = f.friendId ?? (matches.length === 1 ? matches[0]!.id : 0);
      const which = friendId ? await whichMenuFor(shop.id, friendId) : null;
      if (which) return json<WhichMenuAnswer>({ which });
      return json<WhichMenuAnswer>({ matches: matches.slice(0, MENU_FRIEND_MATCH_LIMIT), more: matches.length > MENU_FRIEND_MATCH_LIMIT });
    }
    const run = await startApplyRun(shop.id);
    return json<ActionData>({ ok: true, runId: run.id });
  } catch (err) {
    if (err instanceof MenuError) return json<ActionData>({ ok: false, errors: menuErrors(err) }, { status: 422 });
    throw err;
  }
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

/** A loaded rule as the page edits it (the loader's id and the like left out, so Discard compares like with like). */
function editable(r: EditableRule): EditableRule {
  return {
    kind: r.kind,
    segmentId: r.segmentId,
    intent: r.intent,
    richMenuId: r.richMenuId,
    dwellHours: r.dwellHours,
    urgent: r.urgent,
    enabled: r.enabled,
  };
}

const INTENTS: Array<MenuIntent["type"]> = ["abandonedCart", "orderDelivered", "reorderDue", "birthdayMonth", "tier"];

function defaultIntent(t: MenuIntent["type"]): MenuIntent {
  if (t === "abandonedCart") return { type: t, minHours: 3 };
  if (t === "orderDelivered") return { type: t, withinDays: 7 };
  if (t === "tier") return { type: t, tag: "VIP" };
  return { type: t };
}

function ApplyProgress({ runId }: { runId: number }) {
  const fetcher = useFetcher<{ status: string; total: number; done: number; moved: number; error: string | null } | null>();
  const localized = useLocalized();
  useEffect(() => {
    const href = localized(`/app/menu-rules/progress?run=${runId}`);
    fetcher.load(href);
    const t = setInterval(() => fetcher.load(href), 1000);
    return () => clearInterval(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- poll by run id only
  }, [runId]);
  const p = fetcher.data;
  const { t } = useTranslation();
  const format = useFormat();
  const pct = p && p.total ? Math.round((p.done / p.total) * 100) : p?.status === "completed" ? 100 : 0;
  return (
    <BlockStack gap="100">
      <ProgressBar progress={pct} />
      <Text as="p" id="apply-progress">
        {p
          ? t("menuRules.apply.progress", {
              status: t(
                `menuRules.apply.status.${p.status === "completed" || p.status === "failed" || p.status === "running" ? p.status : "pending"}`,
              ),
              done: format.number(p.done),
              total: format.number(p.total),
              moved: format.number(p.moved),
            })
          : t("menuRules.apply.starting")}
        {p?.error ? ` ${t("menuRules.apply.retrying")}` : ""}
      </Text>
    </BlockStack>
  );
}

export default function MenuRules() {
  const loaded = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const nav = useNavigation();
  const submit = useSubmit();
  const form = useDirtyForm({ rules: loaded.rules.map(editable), defaultMenuId: String(loaded.defaultMenuId ?? "") });
  const { rules, defaultMenuId } = form.values;
  const setRules = (next: (all: EditableRule[]) => EditableRule[]) => form.setValues((v) => ({ ...v, rules: next(v.rules) }));
  const setDefaultMenuId = (id: string) => form.setValues((v) => ({ ...v, defaultMenuId: id }));
  // The server's errors name rules by position: they hold while the rules are as they were sent.
  const [submitted, setSubmitted] = useState<typeof form.values | null>(null);
  const allErrors = useFormErrors(data?.errors);
  const errors = submitted && JSON.stringify(submitted) === JSON.stringify(form.values) ? allErrors : {};
  const { markSaved } = form;
  useEffect(() => {
    if (data?.saved && submitted) markSaved(submitted);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per action result
  }, [data, markSaved]);
  const ruleError = (i: number, field: string) => errors[`rules.${i}.${field}`];
  const { t } = useTranslation();
  const format = useFormat();
  const menuOptions = loaded.menus.map((m) => ({
    label: m.published ? m.name : t("menuRules.draftMenu", { name: m.name }),
    value: String(m.id),
  }));
  useEffect(() => {
    if (data?.saved) showToast(t("menuRules.saved"));
  }, [data, t]);
  const runId = data?.runId ?? loaded.run?.id;
  const update = (i: number, patch: Partial<EditableRule>) => setRules((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const move = (i: number, d: number) =>
    setRules((all) => {
      const next = [...all];
      const [r] = next.splice(i, 1);
      next.splice(i + d, 0, r);
      return next;
    });
  const addRule = () =>
    setRules((all) => [
      ...all,
      { kind: "linked", segmentId: null, intent: null, richMenuId: loaded.menus[0]?.id ?? 0, dwellHours: 24, urgent: false, enabled: true },
    ]);
  const save = () => {
    setSubmitted(form.values);
    send("save", { rules: JSON.stringify(rules), defaultMenuId });
  };
  const send = (intent: string, extra: Record<string, string> = {}) => {
    const fd = new FormData();
    fd.set("intent", intent);
    for (const [k, v] of Object.entries(extra)) fd.set(k, v);
    submit(fd, { method: "post" });
  };

  return (
    <Page
      title={t("menuRules.title")}
      subtitle={t("menuRules.subtitle")}
      primaryAction={{
        content: t("menuRules.save"),
        onAction: save,
        loading: nav.formData?.get("intent") === "save",
      }}
      secondaryActions={[{ content: t("menuRules.applyNow"), onAction: () => send("apply") }]}
    >
      <ContextualSaveBar
        id="menu-rules-save-bar"
        dirty={form.dirty}
        saving={nav.formData?.get("intent") === "save"}
        onSave={save}
        onDiscard={form.reset}
      />
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {data?.saved && <Banner tone="success" title={t("menuRules.savedApply")} />}
            {data?.errors && (
              <Banner tone="critical" title={t("menuRules.errors.title")}>
                {(allErrors.form ?? allErrors.intent ?? allErrors.rules) && <p>{allErrors.form ?? allErrors.intent ?? allErrors.rules}</p>}
              </Banner>
            )}
            {rules.length === 0 && (
              <Card>
                <EmptyState
                  heading={t("menuRules.empty.heading")}
                  action={
                    loaded.menus.length
                      ? { content: t("menuRules.addRule"), onAction: addRule }
                      : { content: t("menuRules.empty.createMenu"), url: "/app/rich-menus" }
                  }
                  image=""
                >
                  <p>{loaded.menus.length ? t("menuRules.empty.body") : t("menuRules.empty.noMenus")}</p>
                </EmptyState>
              </Card>
            )}
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
                        {t("menuRules.rule", { n: i + 1 })}
                      </Text>
                      <Text as="span" tone="subdued">
                        {saved && loaded.counts.byRule[saved.id] !== undefined
                          ? t("menuRules.wins", {
                              count: loaded.counts.byRule[saved.id],
                              formatted: format.number(loaded.counts.byRule[saved.id]),
                            })
                          : t("menuRules.notSaved")}
                      </Text>
                    </InlineStack>
                    <InlineGrid columns={{ xs: 1, md: 3 }} gap="200">
                      <Select
                        label={t("menuRules.who")}
                        options={(["segment", "linked", "intent", "everyone"] as const).map((k) => ({
                          label: t(`menuRules.kind.${k}`),
                          value: k,
                        }))}
                        value={r.kind}
                        onChange={(kind) =>
                          update(i, { kind, intent: kind === "intent" ? (r.intent ?? defaultIntent("abandonedCart")) : null })
                        }
                      />
                      {r.kind === "segment" && (
                        <Select
                          label={t("menuRules.kind.segment")}
                          options={[
                            { label: t("richMenus.area.choose"), value: "" },
                            ...loaded.segments.map((s) => ({ label: s.name, value: String(s.id) })),
                          ]}
                          value={String(r.segmentId ?? "")}
                          onChange={(v) => update(i, { segmentId: Number(v) || null })}
                          error={ruleError(i, "segmentId")}
                        />
                      )}
                      {r.kind === "intent" && r.intent && (
                        <Select
                          label={t("menuRules.kind.intent")}
                          options={INTENTS.map((value) => ({ value, label: t(`menuRules.intent.${value}`) }))}
                          value={r.intent.type}
                          error={ruleError(i, "intent") ?? ruleError(i, "intent.type")}
                          onChange={(t) =>
                            update(i, {
                              intent: defaultIntent(t as MenuIntent["type"]),
                              urgent: t === "abandonedCart" || t === "orderDelivered",
                            })
                          }
                        />
                      )}
                      <Select
                        label={t("menuRules.menu")}
                        options={menuOptions}
                        value={String(r.richMenuId)}
                        onChange={(v) => update(i, { richMenuId: Number(v) })}
                        error={ruleError(i, "richMenuId")}
                      />
                    </InlineGrid>
                    {r.intent?.type === "abandonedCart" && (
                      <TextField
                        label={t("menuRules.hoursSinceAbandoned")}
                        type="number"
                        value={String(r.intent.minHours)}
                        onChange={(v) => update(i, { intent: { type: "abandonedCart", minHours: Number(v) } })}
                        autoComplete="off"
                        min={0}
                        max={MAX_ABANDONED_HOURS}
                        error={ruleError(i, "intent.minHours")}
                      />
                    )}
                    {r.intent?.type === "orderDelivered" && (
                      <TextField
                        label={t("menuRules.daysAfterDelivery")}
                        type="number"
                        value={String(r.intent.withinDays)}
                        onChange={(v) => update(i, { intent: { type: "orderDelivered", withinDays: Number(v) } })}
                        autoComplete="off"
                        min={1}
                        max={MAX_DELIVERED_DAYS}
                        error={ruleError(i, "intent.withinDays")}
                      />
                    )}
                    {r.intent?.type === "tier" && (
                      <TextField
                        label={t("menuRules.customerTag")}
                        value={r.intent.tag}
                        onChange={(tag) => update(i, { intent: { type: "tier", tag } })}
                        autoComplete="off"
                        error={ruleError(i, "intent.tag")}
                      />
                    )}
                    <InlineStack gap="300" blockAlign="end">
                      <TextField
                        label={t("menuRules.dwell")}
                        type="number"
                        value={String(r.dwellHours)}
                        onChange={(v) => update(i, { dwellHours: Number(v) })}
                        autoComplete="off"
                        min={0}
                        max={MAX_DWELL_HOURS}
                        error={ruleError(i, "dwellHours")}
                        helpText={t("menuRules.dwellHelp")}
                      />
                      <Checkbox label={t("menuRules.urgent")} checked={r.urgent} onChange={(urgent) => update(i, { urgent })} />
                      <Checkbox label={t("menuRules.enabled")} checked={r.enabled} onChange={(enabled) => update(i, { enabled })} />
                      <Button onClick={() => move(i, -1)} disabled={i === 0}>
                        {t("menuRules.moveUp")}
                      </Button>
                      <Button onClick={() => move(i, 1)} disabled={i === rules.length - 1}>
                        {t("menuRules.moveDown")}
                      </Button>
                      <Button tone="critical" onClick={() => setRules((all) => all.filter((_x, j) => j !== i))}>
                        {t("menuRules.remove")}
                      </Button>
                    </InlineStack>
                  </BlockStack>
                </Card>
              );
            })}
            {rules.length > 0 && (
              <Button disabled={!loaded.menus.length} onClick={addRule}>
                {t("menuRules.addRule")}
              </Button>
            )}
            <Card>
              <BlockStack gap="200">
                <Select
                  label={t("menuRules.defaultMenu")}
                  options={[{ label: t("menuRules.none"), value: "" }, ...menuOptions]}
                  value={defaultMenuId}
                  onChange={setDefaultMenuId}
                  error={errors.defaultMenuId}
                  helpText={t("menuRules.defaultHelp")}
                />
                <Text as="p" tone="subdued">
                  {t("menuRules.fallThrough", {
                    count: loaded.counts.total,
                    toDefault: format.number(loaded.counts.toDefault),
                    total: format.number(loaded.counts.total),
                  })}
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
