// Job name → payload schema + processor. Processors are as thin as routes: parse, call a service.
import { z } from "zod";
import type { Job } from "bull";
import type { JobName, JobPayloads } from "~/adapters/queue/queues.server";
import { processDelivery } from "~/services/shopify-webhook-processing.server";
import { sweepUnprocessedDeliveries } from "~/services/webhook-deliveries.server";

type Processor<N extends JobName> = {
  schema: z.ZodType<JobPayloads[N]>;
  run: (data: JobPayloads[N], job: Job) => Promise<unknown>;
};

const id = z.number().int().positive();

export const processors: { [N in JobName]: Processor<N> } = {
  "shopify.webhook": {
    schema: z.object({ deliveryId: id }),
    run: ({ deliveryId }) => processDelivery(deliveryId),
  },
  "line.event": {
    schema: z.object({ eventId: id }),
    run: async () => {
      throw new Error("line.event processor is not available yet");
    },
  },
  "webhooks.sweep": {
    schema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
    run: () => sweepUnprocessedDeliveries(new Date()),
  },
};

export async function dispatch(job: Job): Promise<unknown> {
  const processor = processors[job.name as JobName] as Processor<JobName> | undefined;
  if (!processor) throw new Error(`No processor for job ${job.name}`);
  const parsed = processor.schema.safeParse(job.data);
  if (!parsed.success) {
    // A malformed job can never succeed: fail it without retries.
    await job.discard();
    throw new Error(`Invalid payload for ${job.name}: ${parsed.error.message}`);
  }
  return processor.run(parsed.data, job);
}
