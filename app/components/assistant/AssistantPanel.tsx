// The segment assistant's chat panel (Segments page; "Create with assistant" from Home and
// Broadcasts). Talks to the app.assistant resource route; the conversation lives on the server
// per shop, so reopening the page resumes it. The proposal shows the editor's own preview panel
// (count, exclusions, 10 newest members). Approve saves the segment and opens the broadcast
// composer with it; Cancel closes the conversation so the merchant can say it again.
import { useFetcher } from "@remix-run/react";
import { useLocalized } from "~/components/I18nProvider";
import { Banner, BlockStack, Box, Button, Card, InlineStack, List, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { isAssistantLocale, type AssistantLocale } from "~/domain/assistant/messages";
import type { SegmentTemplate } from "~/domain/assistant/templates";
import type { ProposalWithEstimate } from "~/domain/assistant/conversation";
import { PreviewPanel } from "~/components/segments/PreviewPanel";
import { useFormErrors } from "~/components/form-errors";
import type { FormErrors } from "~/domain/forms/parse";

/** The loader and action answer the service's proposal as JSON (it has no dates). */
type ProposalView = ProposalWithEstimate;
interface Message {
  role: "merchant" | "assistant";
  text: string;
}
interface LoaderData {
  conversation: { id: number; mode: "auto" | "consult"; messages: Message[]; proposal: ProposalView | null } | null;
  templates: SegmentTemplate[];
}
interface ActionData {
  result:
    | { conversationId: number; status: "question"; question: string; options: number[] }
    | { conversationId: number; status: "proposal"; proposal: ProposalView }
    | null;
  /** Refusals (FormErrors): `text` / `name` on their fields, `form` (the assistant's own) as a notice. */
  errors: FormErrors;
  /** Parameters of an error's message, per field (e.g. the taken segment name). */
  errorParams?: Record<string, Record<string, string | number>>;
  cancelled: boolean;
}

export function AssistantPanel() {
  const { t, i18n } = useTranslation();
  const locale: AssistantLocale = isAssistantLocale(i18n.language) ? i18n.language : "en";
  const localized = useLocalized();
  const load = useFetcher<LoaderData>();
  const act = useFetcher<ActionData>();
  const [conversationId, setConversationId] = useState<number | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [proposal, setProposal] = useState<ProposalView | null>(null);
  const [mode, setMode] = useState<"auto" | "consult">("auto");
  const [text, setText] = useState("");
  const [name, setName] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  // Each answer is applied once, whatever else re-runs the effect (`t` changes identity).
  const handled = useRef<ActionData | null>(null);

  useEffect(() => {
    if (load.state === "idle" && !load.data) load.load(localized("/app/assistant"));
  }, [load, localized]);

  // The stored conversation is resumed once, on opening. Remix revalidates this fetcher after every
  // action; applying it again would repeat the answers the action effect below already added.
  const resumed = useRef(false);
  useEffect(() => {
    if (!load.data || resumed.current) return;
    resumed.current = true;
    const c = load.data.conversation;
    if (!c) return;
    setConversationId(c.id);
    setMessages(c.messages);
    setMode(c.mode);
    setProposal(c.proposal);
    setName(c.proposal?.name ?? "");
  }, [load.data]);

  useEffect(() => {
    const d = act.data;
    if (!d || act.state !== "idle" || handled.current === d) return;
    handled.current = d;
    if (d.cancelled) {
      setConversationId(null);
      setMessages([]);
      setProposal(null);
      setNotice(t("assistant.cancelled"));
      return;
    }
    const refused = Object.entries(d.errors ?? {}).filter(([field]) => field !== "name");
    if (refused.length) {
      setNotice(refused.map(([field, key]) => String(t(key as never, (d.errorParams?.[field] ?? {}) as never))).join(" "));
      return;
    }
    const r = d.result;
    if (!r) return;
    setConversationId(r.conversationId);
    if (r.status === "question") setMessages((m) => [...m, { role: "assistant", text: r.question }]);
    else {
      setProposal(r.proposal);
      setName(r.proposal.name);
      setMessages((m) => [...m, { role: "assistant", text: [r.proposal.fallbackNote, r.proposal.summary].filter(Boolean).join("\n") }]);
    }
  }, [act.data, act.state, t]);

  const send = (goal: string) => {
    // Once the merchant has spoken, a stored conversation that loads late must not be applied on top
    // of this one (its answers would show twice).
    resumed.current = true;
    const said = goal.trim();
    if (!said) return;
    setNotice(null);
    setMessages((m) => [...m, { role: "merchant", text: said }]);
    setText("");
    act.submit(
      { intent: "propose", text: said, mode, locale, ...(conversationId ? { conversationId: String(conversationId) } : {}) },
      { method: "post", action: localized("/app/assistant") },
    );
  };
  const busy = act.state !== "idle";
  const nameError = useFormErrors(act.data?.errors?.name ? { name: act.data.errors.name } : undefined);

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("assistant.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("assistant.intro")}
        </Text>
        {notice && (
          <Banner tone="info" onDismiss={() => setNotice(null)}>
            {notice}
          </Banner>
        )}
        <InlineStack gap="200" wrap>
          <Text as="span" variant="bodySm" tone="subdued">
            {t("assistant.templates")}
          </Text>
          {(load.data?.templates ?? []).map((tpl) => (
            <Button key={tpl.id} size="slim" onClick={() => send(tpl.goal[locale])} disabled={busy}>
              {tpl.name[locale]}
            </Button>
          ))}
        </InlineStack>
        {messages.length > 0 && (
          <BlockStack gap="200">
            {messages.map((m, i) => (
              <div key={i} data-role={m.role}>
                <Box padding="200" borderRadius="200" background={m.role === "merchant" ? "bg-surface-secondary" : "bg-surface-info"}>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {m.role === "merchant" ? t("assistant.you") : t("assistant.bot")}
                  </Text>
                  <Text as="p">{m.text}</Text>
                </Box>
              </div>
            ))}
          </BlockStack>
        )}
        <InlineStack gap="200" blockAlign="end" wrap={false}>
          <div style={{ flex: 1 }}>
            <TextField
              label={t("assistant.goalLabel")}
              value={text}
              onChange={setText}
              placeholder={proposal ? t("assistant.refineHint") : t("assistant.goalPlaceholder")}
              autoComplete="off"
              multiline={2}
            />
          </div>
          <div style={{ minWidth: 220 }}>
            <Select
              label={t("assistant.modeLabel")}
              options={[
                { label: t("assistant.modeAuto"), value: "auto" },
                { label: t("assistant.modeConsult"), value: "consult" },
              ]}
              value={mode}
              onChange={(v) => setMode(v === "consult" ? "consult" : "auto")}
            />
          </div>
          <Button variant="primary" onClick={() => send(text)} loading={busy} disabled={!text.trim()}>
            {t("assistant.send")}
          </Button>
        </InlineStack>
        {proposal && (
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              {t("assistant.proposal")}
            </Text>
            {proposal.engine === "llm" && (
              <Text as="p" tone="subdued">
                {t("assistant.engineLlm")}
              </Text>
            )}
            {proposal.warnings.map((w) => (
              <Banner key={w} tone="warning">
                {w}
              </Banner>
            ))}
            <TextField
              label={t("assistant.nameLabel")}
              value={name}
              onChange={setName}
              autoComplete="off"
              error={act.state === "idle" ? nameError.name : undefined}
            />
            <PreviewPanel
              preview={{
                summary: proposal.summary,
                count: proposal.estimate.count,
                excluded: proposal.estimate.excluded,
                sample: proposal.sample,
              }}
              loading={false}
              issues={[]}
            />
            {proposal.parts.length > 0 && (
              <BlockStack gap="100">
                <Text as="p" fontWeight="semibold">
                  {t("assistant.became")}
                </Text>
                <List>
                  {proposal.parts.map((p, i) => (
                    <List.Item key={i}>{`“${p.phrase}” → ${p.conditions.join(", ")}`}</List.Item>
                  ))}
                </List>
              </BlockStack>
            )}
            {proposal.assumptions.length > 0 && (
              <BlockStack gap="100">
                <Text as="p" fontWeight="semibold">
                  {t("assistant.assumptions")}
                </Text>
                <List>
                  {proposal.assumptions.map((a) => (
                    <List.Item key={a}>{a}</List.Item>
                  ))}
                </List>
              </BlockStack>
            )}
            <InlineStack gap="200">
              <act.Form method="post" action={localized("/app/assistant")}>
                <input type="hidden" name="intent" value="approve" />
                <input type="hidden" name="conversationId" value={conversationId ?? ""} />
                <input type="hidden" name="name" value={name} />
                <Button submit variant="primary" loading={busy}>
                  {t("assistant.approve")}
                </Button>
              </act.Form>
              <Button
                onClick={() =>
                  act.submit(
                    { intent: "cancel", conversationId: String(conversationId ?? "") },
                    { method: "post", action: localized("/app/assistant") },
                  )
                }
                disabled={busy}
              >
                {t("assistant.cancel")}
              </Button>
            </InlineStack>
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
