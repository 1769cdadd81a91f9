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
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { designerPage } from "~/services/rich-menus/admin.server";
import { generateImageFor, updateMenu, uploadImageFor } from "~/services/rich-menus/menus.server";
import { publishMenu, setDefaultMenu } from "~/services/rich-menus/publish.server";
import { MenuError, type MenuErrorCode } from "~/services/rich-menus/channel.server";
import { MENU_TEMPLATES, findTemplate } from "~/domain/rich-menus/templates";
import { validateMenu, type MenuIssue } from "~/domain/rich-menus/validate-menu";
import type { MenuArea, MenuStyle } from "~/domain/rich-menus/types";
import { MenuPreview } from "~/components/rich-menus/MenuPreview";
import { AreaEditor } from "~/components/rich-menus/AreaEditor";
import { useMenuText, type IssueText } from "~/components/rich-menus/text";
import { showToast } from "~/components/toast";
import { graphemeLength, LINE_TEXT_LIMITS } from "~/domain/line/text-limits";
import { formFile, parseForm, type FormErrors } from "~/domain/forms/parse";
import { useFormErrors } from "~/components/form-errors";
import { ContextualSaveBar, useDirtyForm } from "~/components/save-bar";
import { MenuDesignerForm } from "./app.rich-menus.$id.schema";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await designerPage(shop, Number(params.id)));
};

/**
 * `done`: what succeeded (toast `richMenus.designer.done.<done>`); `errors`: field → i18n key for what
 * the form itself got wrong (a field the page never sends malformed, a missing file, a LINE or budget
 * problem as "form"); `issues`: field → LINE's rule the menu breaks, with its limits (validateMenu,
 * the same check the page runs as you type); `imageProblems`: why an upload was refused. All shown in
 * the merchant's language, never as the server's English.
 */
type ActionData = {
  ok: boolean;
  done?: "saved" | "generated" | "published" | "uploaded" | "madeDefault";
  moved?: number;
  errors?: FormErrors;
  issues?: Record<string, IssueText>;
  imageProblems?: string[];
  error?: { code: MenuErrorCode; params: Record<string, string | number> };
};

const issueMap = (issues: MenuIssue[]) => Object.fromEntries(issues.map((e) => [e.field, { code: e.code, params: e.params }]));

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const { shopId } = await designerPage(domain, Number(params.id));
  const menuId = Number(params.id);
  const form = await request.formData();
  const parsed = parseForm(MenuDesignerForm, form);
  if (!parsed.ok) return json<ActionData>({ ok: false, errors: parsed.errors }, { status: 422 });
  const f = parsed.data;
  try {
    if (f.intent === "save" || f.intent === "generate" || f.intent === "publish") {
      const v = await updateMenu(shopId, menuId, {
        name: f.name,
        chatBarText: f.chatBarText,
        template: f.template || null,
        areas: f.areas,
        style: f.style,
      });
      if (!v.ok) return json<ActionData>({ ok: false, issues: issueMap(v.errors) }, { status: 422 });
      if (f.intent === "generate") {
        await generateImageFor(shopId, menuId);
        return json<ActionData>({ ok: true, done: "generated" });
      }
      if (f.intent === "publish") {
        const r = await publishMenu(shopId, menuId);
        return json<ActionData>({ ok: true, done: "published", moved: r.replaced ? r.movedFriends : undefined });
      }
      return json<ActionData>({ ok: true, done: "saved" });
    }
    if (f.intent === "upload") {
      const file = formFile(form, "image");
      if (!file) return json<ActionData>({ ok: false, imageProblems: ["noFile"] }, { status: 422 });
      const check = await uploadImageFor(shopId, menuId, Buffer.from(await file.arrayBuffer()), { fix: f.fix });
      if (!check.ok)
        return json<ActionData>({ ok: false, imageProblems: [...new Set(check.problems.map((p) => p.code))] }, { status: 422 });
      return json<ActionData>({ ok: true, done: "uploaded" });
    }
    await setDefaultMenu(shopId, menuId);
    return json<ActionData>({ ok: true, done: "madeDefault" });
  } catch (err) {
    if (err instanceof MenuError) return json<ActionData>({ ok: false, error: { code: err.code, params: err.params } }, { status: 422 });
    throw err;
  }
};

export default function MenuDesigner() {
  const { menu, others } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const nav = useNavigation();
  const submit = useSubmit();
  const { t } = useTranslation();
  const text = useMenuText();
  const stored = () => ({
    name: menu.name,
    chatBarText: menu.chatBarText,
    template: menu.template ?? "",
    areas: menu.areas as MenuArea[],
    style: menu.style as MenuStyle,
  });
  const form = useDirtyForm(stored());
  const { name, chatBarText, template, areas, style } = form.values;
  const field =
    <K extends keyof typeof form.values>(k: K) =>
    (v: (typeof form.values)[K] | ((prev: (typeof form.values)[K]) => (typeof form.values)[K])) =>
      form.setValues((all) => ({ ...all, [k]: typeof v === "function" ? (v as (p: (typeof all)[K]) => (typeof all)[K])(all[k]) : v }));
  const setName = field("name");
  const setChatBarText = field("chatBarText");
  const setTemplate = field("template");
  const setAreas = field("areas");
  const setStyle = field("style");
  const [file, setFile] = useState<File | null>(null);
  const [fix, setFix] = useState(false);
  // What the server stored (after a save, generate or publish) becomes the form and its saved state;
  // a change made elsewhere (an upload) does not overwrite unsaved edits.
  const { markSaved } = form;
  useEffect(() => {
    if (!form.dirty || (data?.done && ["saved", "generated", "published"].includes(data.done))) markSaved(stored());
    // eslint-disable-next-line react-hooks/exhaustive-deps -- when the stored menu changes
  }, [menu.version]);

  const size = template ? (findTemplate(template)?.size ?? menu.size) : menu.size;
  const validation = useMemo(() => validateMenu({ name, size, chatBarText, areas, style }), [name, size, chatBarText, areas, style]);
  // Publish needs a valid menu and an image: say which is missing instead of a silently disabled button.
  const publishBlocker = !validation.ok
    ? t("richMenus.designer.blockedInvalid")
    : !menu.hasImage
      ? t("richMenus.designer.blockedNoImage")
      : null;
  const formErrors = useFormErrors(data?.errors);
  const errors: Record<string, string> = Object.fromEntries(
    Object.entries({ ...issueMap(validation.errors), ...(data?.issues ?? {}) }).map(([field, issue]) => [field, text.issue(issue)]),
  );
  if (data?.imageProblems) errors.image = data.imageProblems.map((code) => text.imageProblem(code)).join(" ");
  // The form's own errors (a malformed field, which the page never sends) where no rule already speaks.
  for (const [field, message] of Object.entries(formErrors)) errors[field] ??= message;
  useEffect(() => {
    if (data?.done)
      showToast(
        data.moved !== undefined
          ? t("richMenus.designer.done.republished", { count: data.moved })
          : t(`richMenus.designer.done.${data.done}`),
      );
  }, [data, t]);
  const menuNames = Object.fromEntries(others.map((o) => [o.id, o.name]));
  const busy = (intent: string) => nav.state !== "idle" && nav.formData?.get("intent") === intent;

  const changeTemplate = (id: string) => {
    const t = findTemplate(id);
    if (!t) return;
    setTemplate(id);
    setAreas(
      t.bounds.map((bounds, i) =>
        areas[i]
          ? { ...areas[i], bounds }
          : {
              label: text.t("richMenus.area.title", { n: i + 1 }),
              bounds,
              action: { type: "message", text: text.t("richMenus.area.title", { n: i + 1 }) },
            },
      ),
    );
  };
  const save = () => send("save");
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
      backAction={{ content: t("richMenus.title"), url: "/app/rich-menus" }}
      titleMetadata={
        <InlineStack gap="100">
          <Badge tone={menu.status === "published" ? "success" : undefined}>{text.status(menu.status)}</Badge>
          {menu.isDefault && <Badge tone="info">{t("richMenus.badges.default")}</Badge>}
        </InlineStack>
      }
      primaryAction={{
        content: t("richMenus.designer.publish"),
        onAction: () => send("publish"),
        loading: busy("publish"),
        disabled: !validation.ok || !menu.hasImage,
      }}
      secondaryActions={[
        {
          content: t("richMenus.designer.makeDefault"),
          onAction: () => send("default"),
          disabled: menu.status !== "published" || menu.isDefault,
        },
      ]}
    >
      <ContextualSaveBar id="menu-designer-save-bar" dirty={form.dirty} saving={busy("save")} onSave={save} onDiscard={form.reset} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {data?.error && <Banner tone="critical" title={text.error(data.error)} />}
            {(data?.issues || data?.errors) && (
              <Banner tone="critical" title={t("richMenus.designer.notSaved")}>
                {(formErrors.form ?? formErrors.intent ?? formErrors.areas ?? formErrors.style) && (
                  <p>{formErrors.form ?? formErrors.intent ?? formErrors.areas ?? formErrors.style}</p>
                )}
              </Banner>
            )}
            {publishBlocker && <Banner tone="info" title={publishBlocker} />}
            {validation.warnings.map((w) => (
              <Banner
                key={w.field + w.code}
                tone="warning"
                title={w.code === "noHandoff" ? t("richMenus.designer.noHandoffTitle") : t("richMenus.designer.emojiTitle")}
              >
                {text.issue(w)}
              </Banner>
            ))}
            {menu.editedSincePublish && (
              <Banner tone="info" title={t("richMenus.designer.unpublishedTitle")}>
                {t("richMenus.designer.unpublishedBody")}
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
                    {t("richMenus.designer.generate")}
                  </Button>
                  <Button onClick={() => send("save")} loading={busy("save")} variant="primary" disabled={!validation.ok}>
                    {t("richMenus.designer.save")}
                  </Button>
                </InlineStack>
                <DropZone
                  label={t("richMenus.designer.upload")}
                  accept="image/png,image/jpeg"
                  type="image"
                  allowMultiple={false}
                  onDrop={(files) => setFile(files[0] ?? null)}
                  error={Boolean(errors.image)}
                >
                  {file ? (
                    <Text as="p">{file.name}</Text>
                  ) : (
                    <DropZone.FileUpload actionTitle={t("richMenus.designer.addFile")} actionHint={t("richMenus.designer.uploadHint")} />
                  )}
                </DropZone>
                {errors.image && <Banner tone="critical">{errors.image}</Banner>}
                <InlineStack gap="200">
                  <Checkbox label={t("richMenus.designer.fix")} checked={fix} onChange={setFix} />
                  <Button onClick={upload} disabled={!file} loading={busy("upload")}>
                    {t("richMenus.designer.upload")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <FormLayout>
              <TextField label={t("richMenus.menuName")} value={name} onChange={setName} autoComplete="off" error={errors.name} />
              <TextField
                label={t("richMenus.designer.chatBarText")}
                value={chatBarText}
                onChange={setChatBarText}
                autoComplete="off"
                // LINE counts chatBarText in characters as users see them; the browser's maxLength and
                // Polaris' counter count UTF-16 units and would stop a valid 14-character Thai text.
                helpText={`${t("richMenus.designer.chatBarHelp")} (${graphemeLength(chatBarText)}/${LINE_TEXT_LIMITS.chatBarText.max})`}
                error={errors.chatBarText}
              />
              <Select
                label={t("richMenus.template")}
                options={[
                  { label: t("richMenus.designer.customAreas"), value: "" },
                  ...MENU_TEMPLATES.map((tpl) => ({ label: text.template(tpl), value: tpl.id })),
                ]}
                value={template}
                onChange={changeTemplate}
              />
              <InlineGrid columns={3} gap="200">
                {colour("background", t("richMenus.designer.background"))}
                {colour("foreground", t("richMenus.designer.foreground"))}
                {colour("accent", t("richMenus.designer.accent"))}
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
                    label: t("richMenus.area.title", { n: all.length + 1 }),
                    bounds: { x: 0, y: 0, width: 500, height: 500 },
                    action: { type: "message", text: t("richMenus.area.title", { n: all.length + 1 }) },
                  },
                ])
              }
              disabled={areas.length >= 20}
            >
              {t("richMenus.designer.addArea")}
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
