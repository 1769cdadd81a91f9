// Segment filter editor: OR-ed groups of AND-ed conditions, each field with its own input.
// Labels are translated (segments.editor.*); in English browser tests rely on "Field", "Operator",
// "Value", "From"/"To", "Add condition", "Add group", "Remove condition", "Remove group".
import {
  Autocomplete,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  InlineError,
  InlineStack,
  Select,
  Tag,
  Text,
  TextField,
} from "@shopify/polaris";
import { useMemo, useState } from "react";
import {
  FIELD_SCHEMAS,
  FIELDS,
  providerOfField,
  type Condition,
  type DefinitionIssue,
  type Field,
  type PropertyCondition,
  type PropertyOp,
  type SegmentDefinition,
} from "~/domain/segments/schema";
import type { IntegrationChoices, ProviderChoices } from "~/domain/integrations/segment-choices";
import { useTranslation } from "react-i18next";
import { defaultCondition, newCondition, PROPERTY_OPS, withOp, withPropertyOp } from "./condition-defaults";
import { useIssueText } from "./issues";
import { ProductPicker, type ProductSource } from "~/components/pickers/ProductPicker";

type AnyCond = Condition & Record<string, unknown>;

function numberOrRaw(s: string): number {
  return s.trim() === "" ? (s as unknown as number) : Number(s);
}

/** A number as digits, never exponent notation (String(1e23) is "1e+23"). */
function numberText(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v !== "number" || !Number.isFinite(v)) return String(v);
  return v.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 });
}

/** Search-and-pick from known values (friend tags; HubSpot / Klaviyo lists and enumeration options by value → label). */
function TagPicker(props: {
  label: string;
  tags: string[] | Array<{ value: string; label: string }>;
  value: string | string[];
  multiple: boolean;
  onChange: (v: string | string[]) => void;
  error?: boolean;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  const [input, setInput] = useState("");
  const selected = Array.isArray(props.value) ? props.value : props.value ? [props.value] : [];
  const all = useMemo(() => props.tags.map((x) => (typeof x === "string" ? { value: x, label: x } : x)), [props.tags]);
  const labelOf = (v: string) => all.find((o) => o.value === v)?.label ?? v;
  const options = useMemo(() => all.filter((o) => o.label.toLowerCase().includes(input.trim().toLowerCase())).slice(0, 50), [all, input]);
  return (
    <BlockStack gap="100">
      <Autocomplete
        allowMultiple={props.multiple}
        options={options}
        selected={selected}
        onSelect={(sel) => {
          if (props.multiple) props.onChange(sel);
          else props.onChange(sel.filter((s) => !selected.includes(s))[0] ?? sel[0] ?? "");
          setInput("");
        }}
        textField={
          <Autocomplete.TextField
            label={props.label}
            value={input}
            onChange={setInput}
            placeholder={props.placeholder ?? t("segments.editor.searchTags")}
            autoComplete="off"
            error={props.error}
          />
        }
      />
      {selected.length > 0 && (
        <InlineStack gap="100">
          {selected.map((s) => (
            <Tag key={s} onRemove={() => props.onChange(props.multiple ? selected.filter((x) => x !== s) : "")}>
              {labelOf(s)}
            </Tag>
          ))}
        </InlineStack>
      )}
    </BlockStack>
  );
}

function listText(v: unknown): string {
  return Array.isArray(v) ? v.join(", ") : "";
}
function parseList(s: string): string[] {
  return s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
}

function ValueInputs({
  c,
  onChange,
  tags,
  products,
  today,
  error,
  choices,
}: {
  c: AnyCond;
  onChange: (c: Condition) => void;
  tags: string[];
  products?: ProductSource;
  today: string;
  error?: string;
  choices: ProviderChoices | undefined;
}) {
  const { t } = useTranslation();
  const set = (patch: Record<string, unknown>) => onChange({ ...c, ...patch } as Condition);
  const optional = (k: string) => (s: string) => {
    const next = { ...c } as Record<string, unknown>;
    if (s.trim() === "") delete next[k];
    else next[k] = numberOrRaw(s);
    onChange(next as unknown as Condition);
  };
  const value = t("segments.editor.value");
  const yesNo = [
    { label: t("segments.editor.yes"), value: "true" },
    { label: t("segments.editor.no"), value: "false" },
  ];
  const num = (label: string, v: unknown, on: (s: string) => void, suffix?: string) => (
    <TextField
      label={label}
      type="number"
      value={numberText(v)}
      onChange={on}
      autoComplete="off"
      suffix={suffix}
      error={Boolean(error) && label === value}
    />
  );
  const pair = (type: "number" | "date") => {
    const v = (Array.isArray(c.value) ? c.value : [c.value, c.value]) as [unknown, unknown];
    const conv = (s: string) => (type === "number" ? numberOrRaw(s) : s);
    const text = (x: unknown) => (type === "number" ? numberText(x) : String(x ?? ""));
    return (
      <InlineStack gap="200" wrap={false}>
        <TextField
          label={t("segments.editor.from")}
          type={type}
          value={text(v[0])}
          onChange={(s) => set({ value: [conv(s), v[1]] })}
          autoComplete="off"
        />
        <TextField
          label={t("segments.editor.to")}
          type={type}
          value={text(v[1])}
          onChange={(s) => set({ value: [v[0], conv(s)] })}
          autoComplete="off"
          error={Boolean(error)}
        />
      </InlineStack>
    );
  };
  const numeric = () => (c.op === "between" ? pair("number") : num(value, c.value, (s) => set({ value: numberOrRaw(s) })));
  const within = () => num(t("segments.editor.withinDays"), c.withinDays, optional("withinDays"), t("segments.editor.daysSuffix"));
  switch (c.field) {
    case "friendAddedAt":
      if (c.op === "withinLastDays") return num(value, c.value, (s) => set({ value: numberOrRaw(s) }), t("segments.editor.daysSuffix"));
      if (c.op === "between") return pair("date");
      return (
        <TextField
          label={value}
          type="date"
          value={String(c.value ?? today)}
          onChange={(s) => set({ value: s })}
          autoComplete="off"
          error={Boolean(error)}
        />
      );
    case "tag":
      return (
        <TagPicker
          label={value}
          tags={tags}
          value={c.value as string | string[]}
          multiple={c.op === "hasAny" || c.op === "hasNone"}
          onChange={(v) => set({ value: v })}
          error={Boolean(error)}
        />
      );
    case "shopifyLinked":
    case "hasPurchased":
    case "marketingConsent":
    case "following":
      return <Select label={value} options={yesNo} value={String(c.value)} onChange={(s) => set({ value: s === "true" })} />;
    case "shopifyTag":
      return (
        <TextField
          label={value}
          helpText={t("segments.editor.shopifyTagsHelp")}
          value={listText(c.value)}
          onChange={(s) => set({ value: parseList(s) })}
          autoComplete="off"
          error={Boolean(error)}
        />
      );
    case "productPurchased":
      return (
        <InlineStack gap="200" wrap={false} blockAlign="start">
          <ProductPicker
            label={value}
            value={Array.isArray(c.value) ? c.value.map(String) : []}
            onChange={(ids) => set({ value: ids })}
            error={Boolean(error)}
            source={products}
          />
          {within()}
        </InlineStack>
      );
    case "purchaseCount":
    case "amountSpent":
    case "daysSinceLastPurchase":
      return numeric();
    case "abandonedCart":
      return (
        <InlineStack gap="200" wrap={false}>
          <Select label={value} options={yesNo} value={String(c.value)} onChange={(s) => set({ value: s === "true" })} />
          {num(t("segments.editor.minHours"), c.minHours, optional("minHours"), t("segments.editor.hoursSuffix"))}
          {num(t("segments.editor.maxHours"), c.maxHours, optional("maxHours"), t("segments.editor.hoursSuffix"))}
        </InlineStack>
      );
    case "linkClicked":
      return (
        <InlineStack gap="200" wrap={false}>
          {numeric()}
          <TextField
            label={t("segments.editor.linkTag")}
            value={String(c.linkTag ?? "")}
            onChange={(s) => set({ linkTag: s || undefined })}
            autoComplete="off"
          />
          {within()}
        </InlineStack>
      );
    case "richMenuTapped":
      return (
        <InlineStack gap="200" wrap={false}>
          {numeric()}
          <TextField
            label={t("segments.editor.area")}
            value={String(c.area ?? "")}
            onChange={(s) => set({ area: s || undefined })}
            autoComplete="off"
          />
          {within()}
        </InlineStack>
      );
    case "hubspotLinked":
    case "klaviyoLinked":
      return <Select label={value} options={yesNo} value={String(c.value)} onChange={(s) => set({ value: s === "true" })} />;
    case "hubspotList":
    case "klaviyoList":
      return (
        <TagPicker
          label={t("segments.editor.lists")}
          placeholder={t("segments.editor.searchLists")}
          tags={(choices?.lists ?? []).map((l) => ({ value: l.externalId, label: l.name }))}
          value={c.value as string[]}
          multiple
          onChange={(v) => set({ value: v })}
          error={Boolean(error)}
        />
      );
    case "hubspotProperty":
    case "klaviyoProperty": {
      const meta = choices?.properties.find((p) => p.name === c.property);
      const op = c.op as PropertyOp;
      if (op === "isKnown" || op === "isUnknown") return null;
      if (op === "hasAny" || op === "hasNone")
        return (
          <TagPicker
            label={value}
            placeholder={t("segments.editor.searchOptions")}
            tags={meta?.options ?? []}
            value={c.value as string[]}
            multiple
            onChange={(v) => set({ value: v })}
            error={Boolean(error)}
          />
        );
      if ((op === "is" || op === "isNot") && meta?.type === "bool")
        return <Select label={value} options={yesNo} value={String(c.value)} onChange={(s) => set({ value: s === "true" })} />;
      if (op === "is" || op === "isNot" || op === "contains" || op === "notContains")
        return (
          <TextField
            label={value}
            value={String(c.value ?? "")}
            onChange={(s) => set({ value: s })}
            autoComplete="off"
            error={Boolean(error)}
          />
        );
      if (op === "withinLastDays") return num(value, c.value, (s) => set({ value: numberOrRaw(s) }), t("segments.editor.daysSuffix"));
      if (op === "before" || op === "after")
        return (
          <TextField
            label={value}
            type="date"
            value={String(c.value ?? today)}
            onChange={(s) => set({ value: s })}
            autoComplete="off"
            error={Boolean(error)}
          />
        );
      if (op === "between") return pair(Array.isArray(c.value) && typeof c.value[0] === "string" ? "date" : "number");
      return numeric();
    }
  }
}

/** Property picker + the operators of the property's type (all operators when it is not in the synced metadata). */
function PropertyInputs({
  c,
  choices,
  today,
  onChange,
}: {
  c: PropertyCondition;
  choices: ProviderChoices | undefined;
  today: string;
  onChange: (c: Condition) => void;
}) {
  const { t } = useTranslation();
  const properties = choices?.properties ?? [];
  const meta = properties.find((p) => p.name === c.property);
  const ops = meta ? PROPERTY_OPS[meta.type] : (Object.keys(FIELD_SCHEMAS[c.field]) as PropertyOp[]);
  const options = properties.map((p) => ({ label: p.label, value: p.name }));
  if (c.property && !meta) options.unshift({ label: c.property, value: c.property });
  return (
    <>
      <Select
        label={t("segments.editor.property")}
        options={[{ label: "—", value: "" }, ...options]}
        value={c.property}
        onChange={(name) => {
          const type = properties.find((p) => p.name === name)?.type;
          const first = type ? PROPERTY_OPS[type][0]! : "isKnown";
          onChange(withPropertyOp({ ...c, property: name } as PropertyCondition, first, type, today));
        }}
      />
      <Select
        label={t("segments.editor.operator")}
        options={ops.map((op) => ({ label: t(`segments.op.${op}`), value: op }))}
        value={c.op}
        onChange={(op) => onChange(withPropertyOp(c, op as PropertyOp, meta?.type, today))}
      />
    </>
  );
}

export function SegmentEditor(props: {
  definition: SegmentDefinition;
  onChange: (d: SegmentDefinition) => void;
  tags: string[];
  /** Where "Product purchased" searches products (useProductSource); none: nothing to search. */
  products?: ProductSource;
  today: string;
  issues: DefinitionIssue[];
  /** Connected HubSpot / Klaviyo with their lists and properties; their conditions appear only for these. */
  integrations?: IntegrationChoices;
}) {
  const { definition, onChange, tags, products, today, issues } = props;
  const integrations = props.integrations ?? {};
  const { t } = useTranslation();
  const issueText = useIssueText();
  const setGroups = (groups: SegmentDefinition["groups"]) => onChange({ ...definition, groups });
  const setCondition = (gi: number, ci: number, c: Condition) =>
    setGroups(definition.groups.map((g, i) => (i === gi ? { conditions: g.conditions.map((x, j) => (j === ci ? c : x)) } : g)));
  const errorAt = (gi: number, ci: number) =>
    issues
      .filter((i) => i.path === `groups[${gi}].conditions[${ci}]` || i.path.startsWith(`groups[${gi}].conditions[${ci}].`))
      .map(issueText)
      .join("; ") || undefined;
  const offered = (f: Field) => {
    const provider = providerOfField(f);
    return provider === null || integrations[provider] !== undefined;
  };
  // A stored condition on a provider that is no longer connected still shows (and can be removed).
  const fieldOptions = (current: Field) =>
    FIELDS.filter((f) => f === current || offered(f)).map((f) => ({ label: t(`segments.field.${f}`), value: f }));

  return (
    <BlockStack gap="300">
      {definition.groups.length === 0 && (
        <Text as="p" tone="subdued">
          {t("segments.editor.noConditions")}
        </Text>
      )}
      {definition.groups.map((g, gi) => (
        <BlockStack key={gi} gap="200">
          {gi > 0 && (
            <Text as="p" variant="headingSm" alignment="center">
              {t("segments.editor.or")}
            </Text>
          )}
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between">
                <Text as="h3" variant="headingSm">
                  {t("segments.editor.group", { n: gi + 1 })}
                </Text>
                <Button
                  variant="plain"
                  tone="critical"
                  accessibilityLabel={t("segments.editor.removeGroupN", { n: gi + 1 })}
                  onClick={() => setGroups(definition.groups.filter((_, i) => i !== gi))}
                >
                  {t("segments.editor.removeGroup")}
                </Button>
              </InlineStack>
              {g.conditions.map((c, ci) => {
                const err = errorAt(gi, ci);
                return (
                  <BlockStack key={ci} gap="100">
                    {ci > 0 && (
                      <Text as="p" tone="subdued" variant="bodySm">
                        {t("segments.editor.and")}
                      </Text>
                    )}
                    <InlineStack gap="200" blockAlign="end" wrap>
                      <Select
                        label={t("segments.editor.field")}
                        options={fieldOptions(c.field)}
                        value={c.field}
                        onChange={(f) => setCondition(gi, ci, defaultCondition(f as Field, today))}
                      />
                      {c.field === "hubspotProperty" || c.field === "klaviyoProperty" ? (
                        <PropertyInputs
                          c={c}
                          choices={integrations[providerOfField(c.field)!]}
                          today={today}
                          onChange={(n) => setCondition(gi, ci, n)}
                        />
                      ) : (
                        <Select
                          label={t("segments.editor.operator")}
                          options={Object.keys(FIELD_SCHEMAS[c.field]).map((op) => ({ label: t(`segments.op.${op as "is"}`), value: op }))}
                          value={c.op}
                          onChange={(op) => setCondition(gi, ci, withOp(c, op, today))}
                        />
                      )}
                      <ValueInputs
                        choices={(() => {
                          const provider = providerOfField(c.field);
                          return provider ? integrations[provider] : undefined;
                        })()}
                        c={c as AnyCond}
                        onChange={(n) => setCondition(gi, ci, n)}
                        tags={tags}
                        products={products}
                        today={today}
                        error={err}
                      />
                      <Button
                        accessibilityLabel={t("segments.editor.removeCondition")}
                        onClick={() => {
                          const conditions = g.conditions.filter((_, j) => j !== ci);
                          setGroups(
                            conditions.length
                              ? definition.groups.map((x, i) => (i === gi ? { conditions } : x))
                              : definition.groups.filter((_, i) => i !== gi),
                          );
                        }}
                      >
                        {t("segments.editor.remove")}
                      </Button>
                    </InlineStack>
                    {err && <InlineError message={err} fieldID={`cond-${gi}-${ci}`} />}
                  </BlockStack>
                );
              })}
              <Box>
                <Button
                  onClick={() =>
                    setGroups(definition.groups.map((x, i) => (i === gi ? { conditions: [...x.conditions, newCondition(today)] } : x)))
                  }
                >
                  {t("segments.editor.addCondition")}
                </Button>
              </Box>
            </BlockStack>
          </Card>
        </BlockStack>
      ))}
      <Divider />
      <Box>
        <Button onClick={() => setGroups([...definition.groups, { conditions: [defaultCondition("friendAddedAt", today)] }])}>
          {t("segments.editor.addGroup")}
        </Button>
      </Box>
    </BlockStack>
  );
}
