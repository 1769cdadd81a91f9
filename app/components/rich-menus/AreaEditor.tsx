// One tap area: its label, icon and action (with the fields that action needs).
import { BlockStack, Card, InlineGrid, Select, Text, TextField } from "@shopify/polaris";
import { ACTION_TYPES, TARGET_KINDS, type IconName, type MenuAction, type MenuArea, type ShopTarget } from "~/domain/rich-menus/types";
import { useMenuText } from "./text";

const ICONS: IconName[] = ["none", "cart", "bag", "star", "chat", "truck", "gift", "home", "user", "repeat", "tag"];

function defaultAction(type: MenuAction["type"]): MenuAction {
  switch (type) {
    case "link":
      return { type: "link", target: { kind: "url", url: "https://" } };
    case "message":
      return { type: "message", text: "" };
    case "postback":
      return { type: "postback", data: "" };
    case "switch":
      return { type: "switch", menuId: 0 };
    case "handoff":
      return { type: "handoff" };
  }
}

function defaultTarget(kind: ShopTarget["kind"]): ShopTarget {
  if (kind === "url") return { kind, url: "https://" };
  if (kind === "product" || kind === "collection") return { kind, handle: "" };
  return { kind };
}

export function AreaEditor({
  index,
  area,
  onChange,
  otherMenus,
  errors,
  editBounds,
}: {
  index: number;
  area: MenuArea;
  onChange: (a: MenuArea) => void;
  otherMenus: Array<{ id: number; name: string }>;
  errors: Record<string, string>;
  /** Custom layouts: the area's rectangle in image pixels. */
  editBounds?: boolean;
}) {
  const a = area.action;
  const { t, actionLabel, target } = useMenuText();
  const set = (action: MenuAction) => onChange({ ...area, action });
  const err = (k: string) => errors[`areas.${index}.${k}`];
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {t("richMenus.area.title", { n: index + 1 })}
        </Text>
        <InlineGrid columns={2} gap="200">
          <TextField
            label={t("richMenus.area.label")}
            value={area.label}
            onChange={(label) => onChange({ ...area, label })}
            autoComplete="off"
            error={err("label")}
          />
          <Select
            label={t("richMenus.area.icon")}
            options={ICONS.map((i) => ({ label: t(`richMenus.icons.${i}`), value: i }))}
            value={area.icon ?? "none"}
            onChange={(icon) => onChange({ ...area, icon: icon as IconName })}
          />
        </InlineGrid>
        {editBounds && (
          <InlineGrid columns={4} gap="100">
            {(["x", "y", "width", "height"] as const).map((k) => (
              <TextField
                key={k}
                label={t(`richMenus.area.bounds.${k}`)}
                type="number"
                value={String(area.bounds[k])}
                onChange={(v) => onChange({ ...area, bounds: { ...area.bounds, [k]: Number(v) } })}
                autoComplete="off"
                error={k === "x" ? err("bounds") : undefined}
              />
            ))}
          </InlineGrid>
        )}
        <Select
          label={t("richMenus.area.action")}
          options={ACTION_TYPES.map((value) => ({ value, label: actionLabel(value) }))}
          value={a.type}
          onChange={(t) => set(defaultAction(t as MenuAction["type"]))}
        />
        {a.type === "link" && (
          <InlineGrid columns={2} gap="200">
            <Select
              label={t("richMenus.area.linkTo")}
              options={TARGET_KINDS.map((value) => ({ value, label: target(value) }))}
              value={a.target.kind}
              onChange={(k) => set({ type: "link", target: defaultTarget(k as ShopTarget["kind"]) })}
            />
            {a.target.kind === "url" && (
              <TextField
                label={t("richMenus.area.url")}
                value={a.target.url}
                onChange={(url) => set({ type: "link", target: { kind: "url", url } })}
                autoComplete="off"
                error={err("action.url")}
              />
            )}
            {(a.target.kind === "product" || a.target.kind === "collection") && (
              <TextField
                label={a.target.kind === "product" ? t("richMenus.area.productHandle") : t("richMenus.area.collectionHandle")}
                value={a.target.handle}
                onChange={(handle) =>
                  set({ type: "link", target: { kind: (a.target as { kind: "product" | "collection" }).kind, handle } })
                }
                autoComplete="off"
                error={err("action.handle")}
              />
            )}
          </InlineGrid>
        )}
        {a.type === "message" && (
          <TextField
            label={t("richMenus.area.messageText")}
            value={a.text}
            onChange={(text) => set({ type: "message", text })}
            autoComplete="off"
            error={err("action.text")}
          />
        )}
        {a.type === "postback" && (
          <TextField
            label={t("richMenus.area.postbackData")}
            value={a.data}
            onChange={(data) => set({ type: "postback", data })}
            autoComplete="off"
            error={err("action.data")}
          />
        )}
        {a.type === "switch" && (
          <Select
            label={t("richMenus.area.switchTo")}
            options={[
              { label: t("richMenus.area.choose"), value: "0" },
              ...otherMenus.map((m) => ({ label: m.name, value: String(m.id) })),
            ]}
            value={String(a.menuId)}
            onChange={(v) => set({ type: "switch", menuId: Number(v) })}
            error={err("action.menuId")}
          />
        )}
        {a.type === "handoff" && (
          <TextField
            label={t("richMenus.area.handoffText")}
            value={a.text ?? ""}
            onChange={(text) => set({ type: "handoff", text })}
            autoComplete="off"
            placeholder={area.label}
          />
        )}
      </BlockStack>
    </Card>
  );
}
