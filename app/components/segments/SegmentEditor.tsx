// Segment filter editor: OR-ed groups of AND-ed conditions, each field with its own input.
// Stable accessible labels (browser tests rely on them): "Field", "Operator", "Value",
// "From"/"To", "Add condition", "Add group", "Remove condition", "Remove group".
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
import { FIELD_SCHEMAS, FIELDS, type Condition, type DefinitionIssue, type Field, type SegmentDefinition } from "~/domain/segments/schema";
import { defaultCondition, FIELD_LABELS, OP_LABELS, withOp } from "./condition-defaults";

type AnyCond = Condition & Record<string, unknown>;

function numberOrRaw(s: string): number {
  return s.trim() === "" ? (s as unknown as number) : Number(s);
}

function TagPicker(props: {
  label: string;
  tags: string[];
  value: string | string[];
  multiple: boolean;
  onChange: (v: string | string[]) => void;
  error?: string;
}) {
  const [input, setInput] = useState("");
  const selected = Array.isArray(props.value) ? props.value : props.value ? [props.value] : [];
  const options = useMemo(
    () =>
      props.tags
        .filter((t) => t.toLowerCase().includes(input.trim().toLowerCase()))
        .slice(0, 50)
        .map((t) => ({ value: t, label: t })),
    [props.tags, input],
  );
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
            placeholder="Search tags"
            autoComplete="off"
            error={props.error}
          />
        }
      />
      {selected.length > 0 && (
        <InlineStack gap="100">
          {selected.map((s) => (
            <Tag key={s} onRemove={() => props.onChange(props.multiple ? selected.filter((x) => x !== s) : "")}>
              {s}
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
  today,
  error,
}: {
  c: AnyCond;
  onChange: (c: Condition) => void;
  tags: string[];
  today: string;
  error?: string;
}) {
  const set = (patch: Record<string, unknown>) => onChange({ ...c, ...patch } as Condition);
  const optional = (k: string) => (s: string) => {
    const next = { ...c } as Record<string, unknown>;
    if (s.trim() === "") delete next[k];
    else next[k] = numberOrRaw(s);
    onChange(next as unknown as Condition);
  };
  const num = (label: string, v: unknown, on: (s: string) => void, suffix?: string) => (
    <TextField
      label={label}
      type="number"
      value={v === undefined ? "" : String(v)}
      onChange={on}
      autoComplete="off"
      suffix={suffix}
      error={error && label === "Value" ? error : undefined}
    />
  );
  const pair = (type: "number" | "date") => {
    const v = (Array.isArray(c.value) ? c.value : [c.value, c.value]) as [unknown, unknown];
    const conv = (s: string) => (type === "number" ? numberOrRaw(s) : s);
    return (
      <InlineStack gap="200" wrap={false}>
        <TextField
          label="From"
          type={type}
          value={String(v[0] ?? "")}
          onChange={(s) => set({ value: [conv(s), v[1]] })}
          autoComplete="off"
        />
        <TextField
          label="To"
          type={type}
          value={String(v[1] ?? "")}
          onChange={(s) => set({ value: [v[0], conv(s)] })}
          autoComplete="off"
          error={error}
        />
      </InlineStack>
    );
  };
  const numeric = () => (c.op === "between" ? pair("number") : num("Value", c.value, (s) => set({ value: numberOrRaw(s) })));
  const within = () => num("Within the last (days)", c.withinDays, optional("withinDays"), "days");
  switch (c.field) {
    case "friendAddedAt":
      if (c.op === "withinLastDays") return num("Value", c.value, (s) => set({ value: numberOrRaw(s) }), "days");
      if (c.op === "between") return pair("date");
      return (
        <TextField
          label="Value"
          type="date"
          value={String(c.value ?? today)}
          onChange={(s) => set({ value: s })}
          autoComplete="off"
          error={error}
        />
      );
    case "tag":
      return (
        <TagPicker
          label="Value"
          tags={tags}
          value={c.value as string | string[]}
          multiple={c.op === "hasAny" || c.op === "hasNone"}
          onChange={(v) => set({ value: v })}
          error={error}
        />
      );
    case "shopifyLinked":
    case "hasPurchased":
    case "marketingConsent":
    case "following":
      return (
        <Select
          label="Value"
          options={[
            { label: "Yes", value: "true" },
            { label: "No", value: "false" },
          ]}
          value={String(c.value)}
          onChange={(s) => set({ value: s === "true" })}
        />
      );
    case "shopifyTag":
    case "productPurchased":
      return (
        <InlineStack gap="200" wrap={false}>
          <TextField
            label="Value"
            helpText={c.field === "shopifyTag" ? "Shopify customer tags, comma-separated" : "Shopify product ids, comma-separated"}
            value={listText(c.value)}
            onChange={(s) => set({ value: parseList(s) })}
            autoComplete="off"
            error={error}
          />
          {c.field === "productPurchased" && within()}
        </InlineStack>
      );
    case "purchaseCount":
    case "amountSpent":
    case "daysSinceLastPurchase":
      return numeric();
    case "abandonedCart":
      return (
        <InlineStack gap="200" wrap={false}>
          <Select
            label="Value"
            options={[
              { label: "Yes", value: "true" },
              { label: "No", value: "false" },
            ]}
            value={String(c.value)}
            onChange={(s) => set({ value: s === "true" })}
          />
          {num("At least (hours ago)", c.minHours, optional("minHours"), "h")}
          {num("At most (hours ago)", c.maxHours, optional("maxHours"), "h")}
        </InlineStack>
      );
    case "linkClicked":
      return (
        <InlineStack gap="200" wrap={false}>
          {numeric()}
          <TextField
            label="Link tag"
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
          <TextField label="Area" value={String(c.area ?? "")} onChange={(s) => set({ area: s || undefined })} autoComplete="off" />
          {within()}
        </InlineStack>
      );
  }
}

export function SegmentEditor(props: {
  definition: SegmentDefinition;
  onChange: (d: SegmentDefinition) => void;
  tags: string[];
  today: string;
  issues: DefinitionIssue[];
}) {
  const { definition, onChange, tags, today, issues } = props;
  const setGroups = (groups: SegmentDefinition["groups"]) => onChange({ ...definition, groups });
  const setCondition = (gi: number, ci: number, c: Condition) =>
    setGroups(definition.groups.map((g, i) => (i === gi ? { conditions: g.conditions.map((x, j) => (j === ci ? c : x)) } : g)));
  const errorAt = (gi: number, ci: number) =>
    issues
      .filter((i) => i.path === `groups[${gi}].conditions[${ci}]` || i.path.startsWith(`groups[${gi}].conditions[${ci}].`))
      .map((i) => i.message)
      .join("; ") || undefined;
  const fieldOptions = FIELDS.map((f) => ({ label: FIELD_LABELS[f], value: f }));

  return (
    <BlockStack gap="300">
      {definition.groups.length === 0 && (
        <Text as="p" tone="subdued">
          No conditions: every friend matches. Add a group to narrow the audience.
        </Text>
      )}
      {definition.groups.map((g, gi) => (
        <BlockStack key={gi} gap="200">
          {gi > 0 && (
            <Text as="p" variant="headingSm" alignment="center">
              OR
            </Text>
          )}
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between">
                <Text as="h3" variant="headingSm">{`Group ${gi + 1}`}</Text>
                <Button
                  variant="plain"
                  tone="critical"
                  accessibilityLabel={`Remove group ${gi + 1}`}
                  onClick={() => setGroups(definition.groups.filter((_, i) => i !== gi))}
                >
                  Remove group
                </Button>
              </InlineStack>
              {g.conditions.map((c, ci) => {
                const err = errorAt(gi, ci);
                return (
                  <BlockStack key={ci} gap="100">
                    {ci > 0 && (
                      <Text as="p" tone="subdued" variant="bodySm">
                        AND
                      </Text>
                    )}
                    <InlineStack gap="200" blockAlign="end" wrap>
                      <Select
                        label="Field"
                        options={fieldOptions}
                        value={c.field}
                        onChange={(f) => setCondition(gi, ci, defaultCondition(f as Field, today))}
                      />
                      <Select
                        label="Operator"
                        options={Object.keys(FIELD_SCHEMAS[c.field]).map((op) => ({ label: OP_LABELS[op] ?? op, value: op }))}
                        value={c.op}
                        onChange={(op) => setCondition(gi, ci, withOp(c, op, today))}
                      />
                      <ValueInputs c={c as AnyCond} onChange={(n) => setCondition(gi, ci, n)} tags={tags} today={today} error={err} />
                      <Button
                        accessibilityLabel="Remove condition"
                        onClick={() => {
                          const conditions = g.conditions.filter((_, j) => j !== ci);
                          setGroups(
                            conditions.length
                              ? definition.groups.map((x, i) => (i === gi ? { conditions } : x))
                              : definition.groups.filter((_, i) => i !== gi),
                          );
                        }}
                      >
                        Remove
                      </Button>
                    </InlineStack>
                    {err && <InlineError message={err} fieldID={`cond-${gi}-${ci}`} />}
                  </BlockStack>
                );
              })}
              <Box>
                <Button
                  onClick={() =>
                    setGroups(
                      definition.groups.map((x, i) => (i === gi ? { conditions: [...x.conditions, defaultCondition("tag", today)] } : x)),
                    )
                  }
                >
                  Add condition
                </Button>
              </Box>
            </BlockStack>
          </Card>
        </BlockStack>
      ))}
      <Divider />
      <Box>
        <Button onClick={() => setGroups([...definition.groups, { conditions: [defaultCondition("friendAddedAt", today)] }])}>
          Add group
        </Button>
      </Box>
    </BlockStack>
  );
}
