// Resource route: POST {definition} → live preview (the editor calls it debounced as conditions change).
import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { parseDefinition } from "~/domain/segments/schema";
import { describeDefinition } from "~/domain/segments/summary";
import { adminLanguage } from "~/i18n/i18n.server";
import { previewSegment } from "~/services/segments/preview.server";
import { segmentIntegrationChoices } from "~/services/integrations/segment-choices.server";
import { summaryNames } from "~/domain/integrations/segment-choices";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return json({ issues: [{ path: "", message: 'Send JSON: {"definition": {...}}' }], preview: null }, { status: 400 });
  }
  const parsed = parseDefinition((body as { definition?: unknown } | null)?.definition);
  if (!parsed.ok) return json({ issues: parsed.issues, preview: null }, { status: 422 });
  const [p, { language }, choices] = await Promise.all([
    previewSegment(shop.id, parsed.definition, { sampleSize: 10 }),
    adminLanguage(request, shop),
    segmentIntegrationChoices(shop.id),
  ]);
  return json({
    issues: [],
    preview: {
      summary: describeDefinition(parsed.definition, language, summaryNames(choices)),
      count: p.count,
      excluded: p.excluded,
      sample: p.sample.map((s) => ({
        friendId: s.friendId,
        lineUserId: s.lineUserId,
        displayName: s.displayName,
        pictureUrl: s.pictureUrl,
        linked: s.linked,
      })),
    },
  });
};
