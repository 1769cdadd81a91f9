/**
 * OpenAPI-driven routing + request validation over LINE's official specs.
 *
 * - openapi-backend matches the request to an operation and validates params/body (counts, lengths, formats).
 * - openapi-backend ignores `discriminator`, so we additionally walk the request body alongside the raw schema and,
 *   wherever a schema has a discriminator (Message, Action, FlexComponent, Recipient, ...), validate the object with
 *   Ajv against the mapped sub-schema (e.g. TextMessage requires `text`). Unknown discriminator values are errors.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { OpenAPIBackend } from "openapi-backend";
import AjvModule from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { addLineLengthKeywords, withLineLengths } from "./text-count.js";

// CJS/ESM interop for ajv + ajv-formats
type AjvCtor = typeof import("ajv").default;
const Ajv: AjvCtor = ((AjvModule as unknown as { default?: AjvCtor }).default ?? AjvModule) as AjvCtor;
type AddFormats = (ajv: InstanceType<AjvCtor>) => unknown;
const addFormats: AddFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;

export interface ErrorDetail {
  message: string;
  property: string;
}

export interface MatchedOperation {
  operationId: string;
  spec: string;
  method: string;
  path: string; // template path
  params: Record<string, string>;
}

export interface ValidationInput {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | string[]>;
  body: unknown;
}

type AnyObj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SPEC_FILES = ["messaging-api.yml", "manage-audience.yml"];

/**
 * LINE_OPENAPI_DIR, else the vendored copies (emulator/line-openapi, byte-identical to
 * ../shared/line-openapi when they were taken: `npm run specs:drift` compares). Never a directory
 * outside the repo by default, so the emulator and its tests behave the same in every clone.
 */
export function defaultSpecDir(): string {
  if (process.env.LINE_OPENAPI_DIR) return path.resolve(process.env.LINE_OPENAPI_DIR);
  return path.join(path.dirname(fileURLToPath(import.meta.url)), "line-openapi");
}

interface LoadedSpec {
  name: string;
  raw: AnyObj;
  /** absent for schema-only specs (webhook.yml) */
  api?: OpenAPIBackend;
}

export class SpecValidator {
  private ajv: InstanceType<AjvCtor>;
  private subValidators = new Map<string, ValidateFunction>();

  constructor(private specs: LoadedSpec[]) {
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      logger: false,
      validateFormats: true,
    });
    addFormats(this.ajv);
    addLineLengthKeywords(this.ajv);
    for (const s of specs) {
      this.ajv.addSchema({ components: s.raw.components ?? {} }, s.name);
    }
  }

  match(input: Pick<ValidationInput, "method" | "path">): MatchedOperation | undefined {
    for (const s of this.specs) {
      if (!s.api) continue;
      const op = s.api.matchOperation({
        method: input.method.toLowerCase(),
        path: input.path,
        headers: {},
      });
      if (op && op.operationId) {
        const params = (s.api.router.parseRequest({ method: input.method.toLowerCase(), path: input.path, headers: {} }, op).params ??
          {}) as Record<string, string>;
        return {
          operationId: op.operationId,
          spec: s.name,
          method: op.method,
          path: op.path,
          params,
        };
      }
    }
    return undefined;
  }

  /** Path exists in some spec, but not with this method. */
  pathKnown(p: string): boolean {
    for (const s of this.specs) {
      if (!s.api) continue;
      for (const method of ["get", "post", "put", "delete", "patch"]) {
        if (s.api.matchOperation({ method, path: p, headers: {} })) return true;
      }
    }
    return false;
  }

  validate(input: ValidationInput, matched: MatchedOperation): ErrorDetail[] {
    const spec = this.specs.find((s) => s.name === matched.spec)!;
    if (!spec.api) return [];
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(input.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
    const res = spec.api.validateRequest(
      {
        method: input.method.toLowerCase(),
        path: input.path,
        headers,
        query: input.query,
        body: input.body,
      },
      matched.operationId,
    );
    const details: ErrorDetail[] = [];
    if (!res.valid && res.errors) details.push(...res.errors.map((e) => ajvErrorToDetail(e)).filter((d): d is ErrorDetail => !!d));
    // discriminator walk over JSON bodies
    const opDef = spec.raw.paths?.[matched.path]?.[matched.method];
    const bodySchema = opDef?.requestBody?.content?.["application/json"]?.schema;
    if (bodySchema && input.body && typeof input.body === "object" && !Buffer.isBuffer(input.body)) {
      this.walk(spec, bodySchema, input.body, "", details, 0);
    }
    return dedupe(details);
  }

  /** Validates `data` against components.schemas[schemaName] of a loaded spec, including discriminated sub-objects. */
  validateSchema(specName: string, schemaName: string, data: unknown): ErrorDetail[] {
    const spec = this.specs.find((s) => s.name === specName);
    if (!spec) return [];
    const out: ErrorDetail[] = [];
    const v = this.validatorFor(spec, schemaName);
    if (!v(data)) out.push(...(v.errors ?? []).map((e) => ajvErrorToDetail(e, "")).filter((d): d is ErrorDetail => !!d));
    this.walk(spec, { $ref: `#/components/schemas/${schemaName}` }, data, "", out, 0);
    return dedupe(out);
  }

  /** Validates a response body against the operation's documented response schema. */
  validateResponse(matched: MatchedOperation, status: number, body: unknown): ErrorDetail[] {
    const spec = this.specs.find((s) => s.name === matched.spec);
    if (!spec?.api || status >= 300) return [];
    const r = spec.api.validateResponse(body, matched.operationId, status);
    return r.valid ? [] : (r.errors ?? []).map((e) => ajvErrorToDetail(e, "response")).filter((d): d is ErrorDetail => !!d);
  }

  private resolve(spec: LoadedSpec, schema: AnyObj): { schema: AnyObj; name?: string } {
    let name: string | undefined;
    let s = schema;
    let guard = 0;
    while (s && typeof s.$ref === "string" && guard++ < 20) {
      const ref: string = s.$ref;
      const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
      if (!m) break;
      name = m[1];
      s = spec.raw.components?.schemas?.[name];
    }
    return { schema: s, name };
  }

  private validatorFor(spec: LoadedSpec, schemaName: string): ValidateFunction {
    const key = spec.name + "#" + schemaName;
    let v = this.subValidators.get(key);
    if (!v) {
      v = this.ajv.compile({
        $ref: `${spec.name}#/components/schemas/${schemaName}`,
      });
      this.subValidators.set(key, v);
    }
    return v;
  }

  private walk(spec: LoadedSpec, schemaIn: AnyObj, data: unknown, prop: string, out: ErrorDetail[], depth: number): void {
    if (depth > 40 || !schemaIn || data === null || data === undefined) return;
    const { schema } = this.resolve(spec, schemaIn);
    if (!schema) return;
    if (Array.isArray(data)) {
      if (schema.items) data.forEach((item, i) => this.walk(spec, schema.items, item, `${prop}[${i}]`, out, depth + 1));
      return;
    }
    if (typeof data !== "object") return;
    const obj = data as AnyObj;
    if (schema.discriminator?.mapping) {
      const pn: string = schema.discriminator.propertyName;
      const value = obj[pn];
      const target: string | undefined = typeof value === "string" ? schema.discriminator.mapping[value] : undefined;
      if (!target) {
        out.push({
          message: `invalid ${pn}: ${JSON.stringify(value)} (allowed: ${Object.keys(schema.discriminator.mapping).join(", ")})`,
          property: join(prop, pn),
        });
        return;
      }
      const subName = /^#\/components\/schemas\/(.+)$/.exec(target)?.[1];
      if (!subName) return;
      const v = this.validatorFor(spec, subName);
      if (!v(obj)) out.push(...(v.errors ?? []).map((e) => ajvErrorToDetail(e, prop)).filter((d): d is ErrorDetail => !!d));
      const sub = spec.raw.components?.schemas?.[subName];
      if (sub) this.walkProperties(spec, sub, obj, prop, out, depth, true);
      return;
    }
    this.walkProperties(spec, schema, obj, prop, out, depth, false);
  }

  /** Recurse into properties of a schema (following allOf), skipping the discriminator base itself. */
  private walkProperties(
    spec: LoadedSpec,
    schemaIn: AnyObj,
    obj: AnyObj,
    prop: string,
    out: ErrorDetail[],
    depth: number,
    skipDiscriminatorBase: boolean,
  ): void {
    const { schema } = this.resolve(spec, schemaIn);
    if (!schema) return;
    for (const part of schema.allOf ?? []) {
      const r = this.resolve(spec, part);
      if (skipDiscriminatorBase && r.schema?.discriminator) continue; // base already handled
      this.walkProperties(spec, part, obj, prop, out, depth, skipDiscriminatorBase);
    }
    const props: AnyObj = schema.properties ?? {};
    for (const [k, sub] of Object.entries(props)) {
      if (obj[k] !== undefined) this.walk(spec, sub as AnyObj, obj[k], join(prop, k), out, depth + 1);
    }
  }
}

function join(prop: string, key: string): string {
  return prop ? `${prop}.${key}` : key;
}

function pointerToProperty(ptr: string): string {
  // "/requestBody/messages/0/text" -> "messages[0].text"
  const parts = ptr.split("/").filter(Boolean);
  let out = "";
  for (const p of parts) {
    if (/^\d+$/.test(p)) out += `[${p}]`;
    else out += out ? `.${p}` : p;
  }
  return out;
}

function ajvErrorToDetail(e: ErrorObject, base = ""): ErrorDetail | undefined {
  let ptr = e.instancePath;
  let prefix = base;
  if (!base) {
    // openapi-backend wraps: /requestBody/..., /query/..., /path/..., /header/...
    const m = /^\/(requestBody|query|path|params|header|headers)(\/.*)?$/.exec(ptr);
    if (m) {
      ptr = m[2] ?? "";
      if (m[1] === "header" || m[1] === "headers") prefix = "header";
    }
  }
  if (e.keyword === "discriminator") return undefined;
  let property = pointerToProperty(ptr);
  if (e.keyword === "required") property = property ? `${property}.${e.params.missingProperty}` : String(e.params.missingProperty);
  if (e.keyword === "additionalProperties")
    property = property ? `${property}.${e.params.additionalProperty}` : String(e.params.additionalProperty);
  if (prefix) property = property ? (property.startsWith("[") ? prefix + property : `${prefix}.${property}`) : prefix;
  let message = e.message ?? "invalid";
  if (e.keyword === "required") message = "must be specified";
  return { message, property };
}

function dedupe(details: ErrorDetail[]): ErrorDetail[] {
  const seen = new Set<string>();
  return details.filter((d) => {
    const k = d.property + "|" + d.message;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const cache = new Map<string, Promise<SpecValidator>>();

/** Loads (and caches per directory) the validators for messaging-api.yml + manage-audience.yml. */
export function loadSpecValidator(specDir: string = defaultSpecDir()): Promise<SpecValidator> {
  const dir = path.resolve(specDir);
  let p = cache.get(dir);
  if (!p) {
    p = (async () => {
      const specs: LoadedSpec[] = [];
      for (const file of SPEC_FILES) {
        const full = path.join(dir, file);
        if (!fs.existsSync(full)) throw new Error(`LINE OpenAPI spec not found: ${full} (set specDir or LINE_OPENAPI_DIR)`);
        const raw = withLineLengths(parseYaml(fs.readFileSync(full, "utf8")) as AnyObj);
        const api = new OpenAPIBackend({
          definition: structuredClone(raw) as never,
          quick: false,
          validate: true,
          strict: false,
          coerceTypes: true,
          ajvOpts: { strict: false, allErrors: true, logger: false },
          customizeAjv: (ajv) => {
            addFormats(ajv as never);
            return addLineLengthKeywords(ajv);
          },
        });
        await api.init();
        specs.push({ name: file.replace(/\.yml$/, ""), raw, api });
      }
      const webhookFile = path.join(dir, "webhook.yml");
      if (fs.existsSync(webhookFile))
        specs.push({
          name: "webhook",
          raw: withLineLengths(parseYaml(fs.readFileSync(webhookFile, "utf8")) as AnyObj),
        });
      return new SpecValidator(specs);
    })();
    p.catch(() => cache.delete(dir));
    cache.set(dir, p);
  }
  return p;
}
