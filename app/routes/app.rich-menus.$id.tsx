// Menu designer: template, areas and their actions, colours, image (generate or upload), preview
// with tap areas, the "reach a person" warning, Publish and "Make default".
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DropZone,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { designerPage } from "~/services/rich-menus/admin.server";
import { generateImageFor, updateMenu, uploadImageFor } from "~/services/rich-menus/menus.server";
import { publishMenu, setDefaultMenu } from "~/services/rich-menus/publish.server";
import { MenuError } from "~/services/rich-menus/channel.server";
import { MENU_TEMPLATES, findTemplate } from "~/domain/rich-menus/templates";
import { validateMenu } from "~/domain/rich-menus/validate-menu";
import type { MenuArea, MenuStyle } from "~/domain/rich-menus/types";
import { MenuPreview } from "~/components/rich-menus/MenuPreview";
import { AreaEditor } from "~/components/rich-menus/AreaEditor";
import { graphemeLength, LINE_TEXT_LIMITS } from "~/domain/line/text-limits";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await designerPage(shop, Number(params.id)));
};

type ActionData = { ok: boolean; message?: string; errors?: Record<string, string>; warnings?: string[] };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const { shopId } = await designerPage(domain, Number(params.id));
  const menuId = Number(params.id);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "save");
  try {
    if (intent === "save" || intent === "generate" || intent === "publish") {
      const areas = JSON.parse(String(form.get("areas") ?? "[]")) as MenuArea[];
      const style = JSON.parse(String(form.get("style") ?? "{}")) as MenuStyle;
      const v = await updateMenu(shopId, menuId, {
        name: String(form.get("name") ?? ""),
        chatBarText: String(form.get("chatBarText") ?? ""),
        template: String(form.get("template") || "") || null,
        areas,
        style,
      });
      if (!v.ok)
        return json<ActionData>({ ok: false, errors: Object.fromEntries(v.errors.map((e) => [e.field, e.message])) }, { status: 422 });
      if (intent === "generate") {
        await generateImageFor(shopId, menuId);
        return json<ActionData>({ ok: true, message: "Image generated" });
      }
      if (intent === "publish") {
        const r = await publishMenu(shopId, menuId);
        return json<ActionData>({
          ok: true,
          message: r.replaced ? `Published; ${r.movedFriends} friends moved to the new version` : "Published to LINE",
          warnings: r.warnings,
        });
      }
      return json<ActionData>({ ok: true, message: "Saved" });
    }
    if (intent === "upload") {
      const file = form.get("image");
      if (!(file instanceof Blob)) return json<ActionData>({ ok: false, errors: { image: "Choose a file" } }, { status: 422 });
      const check = await uploadImageFor(shopId, menuId, Buffer.from(await file.arrayBuffer()), { fix: form.get("fix") === "on" });
      if (!check.ok)
        return json<ActionData>(
          { ok: false, errors: { image: check.problems.map((p) => p.message).join(". ") + ". Tick “Resize and compress” to fix it." } },
          { status: 422 },
        );
      return json<ActionData>({ ok: true, message: "Image uploaded" });
    }
    if (intent === "default") {
      await setDefaultMenu(shopId, menuId);
      return json<ActionData>({ ok: true, message: "This menu is now the channel default" });
    }
    return json<ActionData>({ ok: false, message: `Unknown action ${intent}` }, { status: 400 });
  } catch (err) {
    if (err instanceof MenuError) return json<ActionData>({ ok: false, message: err.message }, { status: 422 });
    throw err;
  }
};

export default function MenuDesigner() {
  const { menu, others } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const nav = useNavigation();
  const submit = useSubmit();
  const [name, setName] = useState(menu.name);
  const [chatBarText, setChatBarText] = useState(menu.chatBarText);
  const [template, setTemplate] = useState(menu.template ?? "");
  const [areas, setAreas] = useState<MenuArea[]>(menu.areas);
  const [style, setStyle] = useState<MenuStyle>(menu.style);
  const [file, setFile] = useState<File | null>(null);
  const [fix, setFix] = useState(false);
  useEffect(() => {
    setAreas(menu.areas);
    setStyle(menu.style);
  }, [menu.version, menu.areas, menu.style]);

  const size = template ? (findTemplate(template)?.size ?? menu.size) : menu.size;
  const validation = useMemo(() => validateMenu({ name, size, chatBarText, areas, style }), [name, size, chatBarText, areas, style]);
  // Publish needs a valid menu and an image: say which is missing instead of a silently disabled button.
  const publishBlocker = !validation.ok
    ? "Fix the errors in the menu to publish it."
    : !menu.hasImage
      ? "Generate or upload an image to publish this menu."
      : null;
  const errors = { ...Object.fromEntries(validation.errors.map((e) => [e.field, e.message])), ...(data?.errors ?? {}) };
  const menuNames = Object.fromEntries(others.map((o) => [o.id, o.name]));
  const busy = (intent: string) => nav.state !== "idle" && nav.formData?.get("intent") === intent;

  const changeTemplate = (id: string) => {
    const t = findTemplate(id);
    if (!t) return;
    setTemplate(id);
    setAreas(
      t.bounds.map((bounds, i) =>
        areas[i] ? { ...areas[i], bounds } : { label: `Area ${i + 1}`, bounds, action: { type: "message", text: `Area ${i + 1}` } },
      ),
    );
  };
  const send = (intent: string) => {
    const fd = new FormData();
    fd.set("intent", intent);
    fd.set("name", name);
    fd.set("chatBarText", chatBarText);
    fd.set("template", template);
    fd.set("areas", JSON.stringify(areas));
    fd.set("style", JSON.stringify(style));
    submit(fd, { method: "post" });
  };
  const upload = () => {
    if (!file) return;
    const fd = new FormData();
    fd.set("intent", "upload");
    fd.set("image", file);
    if (fix) fd.set("fix", "on");
    submit(fd, { method: "post", encType: "multipart/form-data" });
  };
  const colour = (k: "background" | "foreground" | "accent", label: string) => (
    <TextField
      label={label}
      value={style[k] ?? ""}
      // Tiles are drawn in the palette colours when there is one: a new background replaces it, so the
      // whole menu (not only the gaps between tiles) takes the colour.
      onChange={(v) => setStyle((s) => ({ ...s, [k]: v, ...(k === "background" ? { palette: [] } : {}) }))}
      autoComplete="off"
      placeholder="#06c755"
      error={errors[`style.${k}`]}
    />
  );

  return (
    <Page
      title={menu.name}
      backAction={{ content: "Rich menus", url: "/app/rich-menus" }}
      titleMetadata={
        <InlineStack gap="100">
          <Badge tone={menu.status === "published" ? "success" : undefined}>{menu.status}</Badge>
          {menu.isDefault && <Badge tone="info">default</Badge>}
        </InlineStack>
      }
      primaryAction={{
        content: "Publish",
        onAction: () => send("publish"),
        loading: busy("publish"),
        disabled: !validation.ok || !menu.hasImage,
      }}
      secondaryActions={[
        { content: "Make default", onAction: () => send("default"), disabled: menu.status !== "published" || menu.isDefault },
      ]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {data?.message && <Banner tone={data.ok ? "success" : "critical"} title={data.message} />}
            {publishBlocker && <Banner tone="info" title={publishBlocker} />}
            {validation.warnings.map((w) => (
              <Banner key={w.message} tone="warning" title={w.field === "areas" ? "No way to reach a person" : "Emoji in a label"}>
                {w.message}
              </Banner>
            ))}
            {menu.editedSincePublish && (
              <Banner tone="info" title="Unpublished changes">
                Friends see the published version until you publish again.
              </Banner>
            )}
            <Card>
              <BlockStack gap="300">
                <MenuPreview
                  size={size}
                  areas={areas}
                  imageUrl={menu.hasImage ? `/app/rich-menus/${menu.id}/image?v=${menu.version}` : null}
                  menuNames={menuNames}
                />
                <InlineStack gap="200">
                  <Button onClick={() => send("generate")} loading={busy("generate")}>
                    Generate image
                  </Button>
                  <Button onClick={() => send("save")} loading={busy("save")} variant="primary" disabled={!validation.ok}>
                    Save
                  </Button>
                </InlineStack>
                <DropZone
                  label="Upload image"
                  accept="image/png,image/jpeg"
                  type="image"
                  allowMultiple={false}
                  onDrop={(files) => setFile(files[0] ?? null)}
                  error={Boolean(errors.image)}
                >
                  {file ? <Text as="p">{file.name}</Text> : <DropZone.FileUpload actionHint="JPEG or PNG, 800–2500 px wide, ≤1 MB" />}
                </DropZone>
                {errors.image && <Banner tone="critical">{errors.image}</Banner>}
                <InlineStack gap="200">
                  <Checkbox label="Resize and compress to fit LINE's rules" checked={fix} onChange={setFix} />
                  <Button onClick={upload} disabled={!file} loading={busy("upload")}>
                    Upload image
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <FormLayout>
              <TextField label="Menu name" value={name} onChange={setName} autoComplete="off" error={errors.name} />
              <TextField
                label="Chat bar text"
                value={chatBarText}
                onChange={setChatBarText}
                autoComplete="off"
                // LINE counts chatBarText in characters as users see them; the browser's maxLength and
                // Polaris' counter count UTF-16 units and would stop a valid 14-character Thai text.
                helpText={`${graphemeLength(chatBarText)}/${LINE_TEXT_LIMITS.chatBarText.max}`}
                error={errors.chatBarText}
              />
              <Select
                label="Template"
                options={[{ label: "Custom areas", value: "" }, ...MENU_TEMPLATES.map((t) => ({ label: t.label, value: t.id }))]}
                value={template}
                onChange={changeTemplate}
              />
              <InlineGrid columns={3} gap="200">
                {colour("background", "Background colour")}
                {colour("foreground", "Text colour")}
                {colour("accent", "Icon colour")}
              </InlineGrid>
            </FormLayout>
          </Card>
        </Layout.Section>
        <Layout.Section>
          {!template && (
            <Button
              onClick={() =>
                setAreas((all) => [
                  ...all,
                  {
                    label: `Area ${all.length + 1}`,
                    bounds: { x: 0, y: 0, width: 500, height: 500 },
                    action: { type: "message", text: "Hello" },
                  },
                ])
              }
              disabled={areas.length >= 20}
            >
              Add area
            </Button>
          )}
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
            {areas.map((a, i) => (
              <AreaEditor
                key={i}
                index={i}
                area={a}
                editBounds={!template}
                otherMenus={others}
                errors={errors}
                onChange={(next) => setAreas((all) => all.map((x, j) => (j === i ? next : x)))}
              />
            ))}
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
