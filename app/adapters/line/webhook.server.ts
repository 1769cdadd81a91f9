// LINE webhook requests: signature over the raw body (x-line-signature = base64 HMAC-SHA256 with the
// channel secret), then the fields we read, checked with zod (webhook.yml CallbackRequest / Event).
// https://developers.line.biz/en/docs/messaging-api/receiving-messages/
import { LINE_SIGNATURE_HTTP_HEADER_NAME, validateSignature } from "@line/bot-sdk";
import { z } from "zod";

/** The header LINE signs webhook requests with (x-line-signature). */
export const LINE_SIGNATURE_HEADER = LINE_SIGNATURE_HTTP_HEADER_NAME;

export function verifyLineSignature(rawBody: string | Buffer, channelSecret: string, signature: string | null): boolean {
  if (!signature) return false;
  try {
    return validateSignature(rawBody, channelSecret, signature);
  } catch {
    return false;
  }
}

const Source = z.object({ type: z.string(), userId: z.string().optional() }).loose();

export const LineWebhookEvent = z
  .object({
    type: z.string(),
    timestamp: z.number(),
    mode: z.string().optional(),
    webhookEventId: z.string().min(1),
    deliveryContext: z.object({ isRedelivery: z.boolean() }).loose().optional(),
    source: Source.optional(),
    replyToken: z.string().optional(),
  })
  .loose();
export type LineWebhookEvent = z.infer<typeof LineWebhookEvent>;

export const LineCallbackBody = z.object({ destination: z.string().optional(), events: z.array(LineWebhookEvent) }).loose();

/** Per-type fields, read by the event processor from the stored payload. */
export const FollowFields = z.object({ follow: z.object({ isUnblocked: z.boolean() }).optional() }).loose();
export const MessageFields = z.object({ message: z.object({ type: z.string(), text: z.string().optional() }).loose() }).loose();
export const PostbackFields = z
  .object({ postback: z.object({ data: z.string(), params: z.record(z.string(), z.string()).optional() }).loose() })
  .loose();
export const AccountLinkFields = z.object({ link: z.object({ result: z.enum(["ok", "failed"]), nonce: z.string() }) }).loose();
