// The web process: Remix (classic compiler build) on Express, with graceful shutdown.
// `npm start` (after `npm run build`). Provides local PostgreSQL/Redis when their URLs are unset.
// In front of Remix (app/adapters/http/ingress.server.ts): every body is capped before any route code
// runs, and the hot routes (Shopify webhooks, the LINE webhook, /r/) are served from their own route
// modules before Express and without Remix's request machinery.
import cluster from "node:cluster";
import express from "express";
import { createRequestHandler } from "@remix-run/node";
import path from "node:path";
import http, { type Server } from "node:http";
import { bootstrap, ROOT } from "../app/adapters/infra/bootstrap.server";
import { env } from "../app/config/env.server";
import { logger } from "../app/adapters/logger.server";
import { closeQueues } from "../app/adapters/queue/queues.server";
import { disconnectDb } from "../app/db.server";
import { hotRoutesOf, ingressListener, remixHandler } from "../app/adapters/http/ingress.server";

export async function startWeb(
  opts: { port?: number; host?: string } = {},
): Promise<{ server: Server; url: string; stop: () => Promise<void> }> {
  const buildPath = path.join(ROOT, "build/index.js");
  const build = await import(buildPath);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env().TRUST_PROXY_HOPS);
  app.use("/build", express.static(path.join(ROOT, "public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(ROOT, "public"), { maxAge: "1h" }));
  app.all("*", remixHandler(createRequestHandler(build, env().NODE_ENV)));
  const port = opts.port ?? env().PORT;
  const host = opts.host ?? "0.0.0.0";
  const server = await new Promise<Server>((resolve) => {
    // The hot routes are answered before Express sees the request (ingressListener).
    const s = http.createServer(ingressListener(app, hotRoutesOf(build))).listen(port, host, () => resolve(s));
  });
  const addr = server.address();
  const actualPort = typeof addr === "object" && addr ? addr.port : port;
  return {
    server,
    url: `http://localhost:${actualPort}`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await closeQueues();
      await disconnectDb();
    },
  };
}

/**
 * WEB_CONCURRENCY web processes on one port (node:cluster): the primary provides PostgreSQL/Redis
 * (bootstrap) and forks; each process is stateless (sessions, deliveries and clicks live in
 * PostgreSQL/Redis), so more machines behind a load balancer scale the same way.
 */
async function main() {
  if (cluster.isWorker) return serve(async () => undefined);
  const services = await bootstrap({ log: (m) => logger().info(m) });
  const n = env().WEB_CONCURRENCY;
  if (n === 1) return serve(() => services.stop());
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < n; i++) fork();
  cluster.on("exit", (w, code, signal) => {
    if (stopping) return;
    logger().error({ pid: w.process.pid, code, signal }, "web process died; starting another");
    fork();
  });
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger().info({ signal, processes: n }, "web stopping: draining every process");
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(workers.map((w) => new Promise((resolve) => (w.once("exit", resolve), w.process.kill("SIGTERM")))));
    await services.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

async function serve(stopServices: () => Promise<void>) {
  const web = await startWeb();
  logger().info({ url: web.url, pid: process.pid }, "web listening");
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger().info({ signal }, "web stopping: draining connections");
    await web.stop();
    await stopServices();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    logger().fatal({ err }, "web failed to start");
    process.exit(1);
  });
}
