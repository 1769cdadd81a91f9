// The broadcast composer's form (app.broadcasts.new.tsx). Its refusals are broadcasts.errors.<code>
// keys on the composer's fields (name, audience, ab, schedule), which the page words with their
// values (the shop's time zone, limits) through describeError.
import { z } from "zod";
import { formFlag, formIdList, formText } from "~/domain/forms/parse";
import { ComposeBlocksSchema, type ComposeBlock } from "~/domain/broadcasts/compose";

const COMPOSE_INTENTS = ["test", "estimate", "review", "send", "schedule"] as const;
/** Longest A/B decision wait the composer offers, in hours (30 days). */
const MAX_AB_HOURS = 720;

/** The messages as composed (a JSON list of blocks); unreadable JSON is null — "add a message" on the page. */
export const ComposeBlocksField = formText.transform((raw): ComposeBlock[] | null => {
  try {
    const r = ComposeBlocksSchema.safeParse(JSON.parse(raw || "[]"));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
});

/** Segment ids of the audience; whether they are this shop's is the audience query's check (shopId in every join). */
const segmentIds = formIdList("broadcasts.errors.audience").pipe(z.array(z.number()).max(50, "broadcasts.errors.audience"));
const number = (key: string) =>
  formText.pipe(
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, key)
      .transform(Number),
  );

export const ComposeForm = z
  .object({
    intent: formText.pipe(z.enum(COMPOSE_INTENTS, "broadcasts.errors.unknownAction")),
    name: formText.pipe(z.string().max(200, "broadcasts.errors.nameTooLong")),
    blocks: ComposeBlocksField,
    segmentIds,
    excludeSegmentIds: segmentIds,
    allFriends: formFlag,
    trimToFit: formFlag,
    date: formText,
    time: formText,
    abEnabled: formFlag,
    abVariantBText: formText,
    abTestShare: formText,
    abMetric: formText.pipe(z.enum(["click", "order"]).catch("click")),
    abHours: formText,
    abSendWinner: formFlag,
  })
  .transform((f, ctx) => {
    // A test send goes to the test friends with the messages alone: no name, audience or A/B needed.
    const checked = f.intent !== "test";
    if (checked && !f.name) ctx.addIssue({ code: "custom", path: ["name"], message: "broadcasts.errors.name" });
    if (checked && !f.allFriends && !f.segmentIds.length)
      ctx.addIssue({ code: "custom", path: ["audience"], message: "broadcasts.errors.audience" });
    let ab: {
      variantBText: string;
      testShare: number;
      metric: "click" | "order";
      decideAfterHours: number;
      sendWinnerToRest: boolean;
    } | null = null;
    if (checked && f.abEnabled) {
      const share = number("x").safeParse(f.abTestShare || "20");
      const hours = number("x").safeParse(f.abHours || "4");
      const problem = !f.abVariantBText
        ? "ab_variantB"
        : !share.success || !(share.data > 0 && share.data <= 100)
          ? "ab_share"
          : !hours.success || hours.data > MAX_AB_HOURS
            ? "ab_hours"
            : null;
      if (problem) ctx.addIssue({ code: "custom", path: ["ab"], message: `broadcasts.errors.${problem}` });
      else
        ab = {
          variantBText: f.abVariantBText,
          testShare: share.data! / 100,
          metric: f.abMetric,
          decideAfterHours: hours.data!,
          sendWinnerToRest: f.abSendWinner,
        };
    }
    // The schedule's date and time are read in the shop's time zone by the route (scheduleFromForm).
    return {
      intent: f.intent,
      name: f.name,
      blocks: f.blocks,
      audience: { segmentIds: f.segmentIds, excludeSegmentIds: f.excludeSegmentIds, allFriends: f.allFriends },
      trimToFit: f.trimToFit,
      date: f.date,
      time: f.time,
      ab,
    };
  });
export type ComposeForm = z.output<typeof ComposeForm>;
