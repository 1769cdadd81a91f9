// The only reader of process.env. One zod schema; a bad value fails at boot with every problem listed.
import { z } from "zod";

const bool = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    PORT: z.coerce.number().int().positive().default(3000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    // The CLI logs to stderr so stdout stays pure JSON.
    LOG_DESTINATION: z.enum(["stdout", "stderr"]).default("stdout"),
    SHOPIFY_API_KEY: z.string().min(1).default("sandbox-api-key"),
    SHOPIFY_API_SECRET: z.string().min(1).default("sandbox-api-secret"),
    SHOPIFY_APP_URL: z.url().default("http://localhost:3000"),
    SCOPES: z.string().default("read_customers,read_orders,read_products,read_locales,write_app_proxy"),
    // Unset → an embedded PostgreSQL / a private redis-server under DATA_DIR (development only).
    DATABASE_URL: z.string().optional(),
    REDIS_URL: z.string().optional(),
    DATA_DIR: z.string().default(".data"),
    QUEUE_PREFIX: z.string().default("bull"),
    WORKER_CONCURRENCY: z.coerce.number().int().positive().default(20),
    // PostgreSQL connections of a process's Prisma pool (its plain pools get half, at least 5). Unset →
    // 10 in a web process, WORKER_CONCURRENCY in the worker (app/db.server.ts).
    DATABASE_POOL_SIZE: z.coerce.number().int().positive().max(200).optional(),
    // Web processes on this machine (node:cluster, one port); they share nothing but PostgreSQL/Redis.
    // The worker lowers its own CPU priority (nice), and that of its PostgreSQL backends when the
    // server runs on this machine, so background work never starves the web process's webhook acks
    // on a shared machine. 0 = unchanged.
    WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
    WEB_CONCURRENCY: z.coerce.number().int().positive().default(1),
    // Reverse proxies in front of the web process whose X-Forwarded-For entries are trusted (Express
    // "trust proxy" hop count). 0 = the socket's peer is the client.
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
    // 32 bytes, base64 or hex. Encrypts LINE channel secrets/tokens and Shopify session tokens at rest.
    ENCRYPTION_KEY: z.string().optional(),
    // The key before a rotation: still decrypts until `secrets:reencrypt` has moved everything.
    ENCRYPTION_KEY_PREVIOUS: z.string().optional(),
    LINE_API_BASE_URL: z.url().default("https://api.line.me"),
    LINE_API_DATA_BASE_URL: z.url().default("https://api-data.line.me"),
    LINE_LOGIN_BASE_URL: z.url().default("https://access.line.me"),
    // CRM / email-tool APIs (docs/integrations.md); the sandbox and tests point them at local stand-ins.
    HUBSPOT_API_BASE_URL: z.url().default("https://api.hubapi.com"),
    KLAVIYO_API_BASE_URL: z.url().default("https://a.klaviyo.com"),
    // Shopify protected customer data level the app is approved for (docs/decisions/007): 2 = name,
    // email, phone, address. At 2 the install backfill selects customers' and orders' email / phone
    // (hashed for HubSpot / Klaviyo matching, never stored); at 1 it must not ask (Shopify refuses).
    SHOPIFY_PROTECTED_CUSTOMER_DATA_LEVEL: z.enum(["1", "2"]).default("1").transform(Number),
    // LINE events (message texts included) are deleted this many days after they were received.
    LINE_EVENT_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
    // Bearer token that makes GET /healthz answer its full report (checks, latencies, errors). Unset →
    // only the bare public status is ever served.
    HEALTH_TOKEN: z.union([z.literal(""), z.string().min(16)]).optional(),
    // Sandbox-only admin login without Shopify admin; always refused when NODE_ENV=production.
    SANDBOX_AUTH: bool,
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    for (const key of ["DATABASE_URL", "REDIS_URL", "ENCRYPTION_KEY"] as const) {
      if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required in production" });
    }
    if (env.SHOPIFY_API_SECRET === "sandbox-api-secret")
      ctx.addIssue({ code: "custom", path: ["SHOPIFY_API_SECRET"], message: "is required in production" });
    if (env.SANDBOX_AUTH) ctx.addIssue({ code: "custom", path: ["SANDBOX_AUTH"], message: "must not be set in production" });
  });

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests and entry points that change process.env before the app reads it. */
export function resetEnv(): void {
  cached = undefined;
}

export function isSandboxAuthAllowed(e: Env = env()): boolean {
  return e.SANDBOX_AUTH && e.NODE_ENV !== "production";
}
