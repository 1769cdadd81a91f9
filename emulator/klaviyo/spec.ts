/**
 * Klaviyo's published OpenAPI slices (profiles, lists, segments; ../shared/klaviyo-openapi, vendored
 * in ./openapi) plus the docs-derived accounts/events document, loaded into openapi-backend for
 * routing and for validating requests (query, headers, JSON:API bodies) and responses.
 *
 * Klaviyo declares its bodies as `application/vnd.api+json` (JSON:API); openapi-backend validates
 * `application/json` bodies only, so a private copy of each spec has that content type renamed.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { OpenAPIBackend } from "openapi-backend";
import addFormatsModule from "ajv-formats";
import type { ErrorObject } from "ajv";
import { KLAVIYO_DOCS_SPEC } from "./docs-spec.js";

type AddFormats = (ajv: unknown) => unknown;
const addFormats: AddFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as AddFormats;

export const KLAVIYO_SPEC_FILES = ["profiles.json", "lists.json", "segments.json"] as const;

export interface KlaviyoOperation {
  operationId: string;
  spec: string;
  params: Record<string, string>;
}

export interface SpecProblem {
  /** "query.page[size]", "header.revision", "body.data.attributes.email", "response.data[0].id" … */
  where: string;
  message: string;
}

/**
 * KLAVIYO_OPENAPI_DIR, else the vendored slices (emulator/klaviyo/openapi, byte-identical to
 * ../shared/klaviyo-openapi when they were taken: `npm run specs:drift` compares). Never a directory
 * outside the repo by default, so the stand-in and its tests behave the same in every clone.
 */
export function defaultKlaviyoSpecDir(): string {
  if (process.env.KLAVIYO_OPENAPI_DIR) return path.resolve(process.env.KLAVIYO_OPENAPI_DIR);
  return path.join(path.dirname(fileURLToPath(import.meta.url)), "openapi");
}

type AnyObj = Record<string, unknown>;

/**
 * Deep copy that openapi-backend and Ajv accept: every `application/vnd.api+json` content key renamed
 * to `application/json`, and `nullable: true` without a `type` (Klaviyo writes it beside `$ref`, which
 * Ajv rejects) rewritten as `anyOf: [schema, null]` — the meaning OpenAPI 3.0 gives it.
 */
function asPlainJson(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(asPlainJson);
  if (!node || typeof node !== "object") return node;
  const out: AnyObj = {};
  for (const [k, v] of Object.entries(node as AnyObj)) out[k === "application/vnd.api+json" ? "application/json" : k] = asPlainJson(v);
  if (out.nullable === true && out.type === undefined) {
    const { nullable: _nullable, description, ...schema } = out;
    return { description, anyOf: [schema, { enum: [null] }] };
  }
  return out;
}

interface Loaded {
  name: string;
  api: OpenAPIBackend;
}

export class KlaviyoSpec {
  constructor(private readonly specs: Loaded[]) {}

  match(method: string, p: string): KlaviyoOperation | undefined {
    for (const s of this.specs) {
      const req = { method: method.toLowerCase(), path: p, headers: {} };
      const op = s.api.matchOperation(req);
      if (op?.operationId) {
        const params = (s.api.router.parseRequest(req, op).params ?? {}) as Record<string, string>;
        return { operationId: op.operationId, spec: s.name, params };
      }
    }
    return undefined;
  }

  /** Query parameters, headers (revision) and the JSON:API body against the operation. */
  validateRequest(
    op: KlaviyoOperation,
    input: { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body: unknown },
  ): SpecProblem[] {
    const api = this.api(op);
    const res = api.validateRequest(
      { method: input.method.toLowerCase(), path: input.path, query: input.query, headers: input.headers, body: input.body as never },
      op.operationId,
    );
    return res.valid ? [] : (res.errors ?? []).map((e) => problem(e, ""));
  }

  /**
   * The answer against the operation's documented response for `status` (exact, then "4XX"/"5XX").
   * A status the operation does not document is itself a problem.
   */
  validateResponse(op: KlaviyoOperation, status: number, body: unknown): SpecProblem[] {
    const api = this.api(op);
    const responses = (api.router.getOperation(op.operationId)?.responses ?? {}) as AnyObj;
    const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => k in responses);
    if (!key) return [{ where: "response", message: `status ${status} is not documented for ${op.operationId}` }];
    const declared = responses[key] as { content?: AnyObj };
    if (!declared.content)
      return body === undefined || body === null || body === "" ? [] : [{ where: "response", message: `${status} has no body` }];
    const res = api.validateResponse(body, op.operationId, status);
    return res.valid ? [] : (res.errors ?? []).map((e) => problem(e, "response"));
  }

  private api(op: KlaviyoOperation): OpenAPIBackend {
    return this.specs.find((s) => s.name === op.spec)!.api;
  }
}

function problem(e: ErrorObject, base: string): SpecProblem {
  let ptr = e.instancePath;
  let where = base;
  const m = /^\/(requestBody|query|path|header|headers)(\/.*)?$/.exec(ptr);
  if (m) {
    where = m[1] === "requestBody" ? "body" : m[1].startsWith("header") ? "header" : m[1];
    ptr = m[2] ?? "";
  }
  const extra =
    e.keyword === "required"
      ? `/${String(e.params.missingProperty)}`
      : e.keyword === "additionalProperties"
        ? `/${String(e.params.additionalProperty)}`
        : "";
  const tail = (ptr + extra).split("/").filter(Boolean).join(".");
  return { where: [where, tail].filter(Boolean).join("."), message: e.message ?? e.keyword };
}

const cache = new Map<string, Promise<KlaviyoSpec>>();

/** Loads (cached per directory) the three slices and the docs-derived accounts/events document. */
export function loadKlaviyoSpec(dir: string = defaultKlaviyoSpecDir()): Promise<KlaviyoSpec> {
  const key = path.resolve(dir);
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const docs: Array<{ name: string; definition: unknown }> = KLAVIYO_SPEC_FILES.map((file) => {
        const full = path.join(key, file);
        if (!fs.existsSync(full)) throw new Error(`Klaviyo OpenAPI slice not found: ${full} (set KLAVIYO_OPENAPI_DIR)`);
        return { name: file.replace(/\.json$/, ""), definition: JSON.parse(fs.readFileSync(full, "utf8")) };
      });
      docs.push({ name: "docs", definition: KLAVIYO_DOCS_SPEC });
      const loaded: Loaded[] = [];
      for (const d of docs) {
        const api = new OpenAPIBackend({
          definition: asPlainJson(d.definition) as never,
          // quick: dereference synchronously and skip the definition check — Klaviyo's documents put
          // `nullable`/`description` beside `$ref`, which OpenAPI 3.0 forbids but Ajv handles.
          quick: true,
          validate: true,
          strict: false,
          coerceTypes: true,
          ajvOpts: { strict: false, allErrors: true, logger: false },
          customizeAjv: (ajv) => {
            addFormats(ajv);
            return ajv;
          },
        });
        await api.init();
        loaded.push({ name: d.name, api });
      }
      return new KlaviyoSpec(loaded);
    })();
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}
