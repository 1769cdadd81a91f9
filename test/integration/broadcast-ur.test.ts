import { it } from "vitest";
import { startWorker } from "~/jobs/worker";
it("ur", async () => {
  process.on("unhandledRejection", (r, p) => console.log("UR", typeof r, r, String(p)));
  const w = await startWorker({ concurrency: 1, sweeps: false });
  await new Promise((r) => setTimeout(r, 500));
  await w.stop();
  await new Promise((r) => setTimeout(r, 500));
  const w2 = await startWorker({ concurrency: 1, sweeps: false });
  await new Promise((r) => setTimeout(r, 500));
  await w2.stop();
});
