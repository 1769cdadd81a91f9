// The import graph of app/ as TypeScript resolves it (tsconfig paths, so `~/…` too), and the
// circles in it. Type-only imports count too: they vanish at compile time, but a feature that needs
// another's types depends on it all the same, and a circle of types is a circle of design (the
// contract belongs below both). `tsx scripts/import-graph.ts` prints the circles and exits 1 when
// there is one; scripts/import-graph.test.ts runs the same check.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

export const ROOT = path.resolve(import.meta.dirname, "..");

function compilerOptions(): ts.CompilerOptions {
  const file = path.join(ROOT, "tsconfig.json");
  const { config } = ts.readConfigFile(file, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config, ts.sys, ROOT).options;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Module specifiers a file imports: static imports (type-only too), re-exports and dynamic import(). */
export function importsOf(file: string, text = fs.readFileSync(file, "utf8")): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push(n.moduleSpecifier.text);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = n.arguments;
      if (arg && ts.isStringLiteral(arg)) out.push(arg.text);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      out.push(n.argument.literal.text); // `import("./x").T` in a type position
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** file (relative to the repo) → files it imports, within app/. */
export function importGraph(dir = path.join(ROOT, "app")): Map<string, string[]> {
  const options = compilerOptions();
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(dir)) {
    const deps = new Set<string>();
    for (const spec of importsOf(file)) {
      const r = ts.resolveModuleName(spec, file, options, ts.sys).resolvedModule;
      if (!r || r.isExternalLibraryImport || !r.resolvedFileName.startsWith(dir)) continue;
      deps.add(path.relative(ROOT, r.resolvedFileName));
    }
    graph.set(path.relative(ROOT, file), [...deps].sort());
  }
  return graph;
}

/** Strongly connected components with more than one node (or a self-import): the circles. */
export function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) connect(v);
  return out;
}

const LAYERS = ["services", "domain", "adapters", "components"];

/**
 * The feature a file belongs to: a folder of a layer (app/services/<area>, app/domain/<area>,
 * app/adapters/<area>), or a file directly in a layer or in app/ (app/services/shops.server.ts,
 * app/reactions.server.ts), or another top folder (app/routes, app/db, app/jobs, app/config).
 * app/shopify.server.ts belongs to app/adapters/shopify.
 */
export function featureOf(file: string): string {
  // The Shopify adapter's app config, kept where Shopify's docs expect it.
  if (file === "app/shopify.server.ts") return "app/adapters/shopify";
  const parts = file.split("/");
  if (LAYERS.includes(parts[1]!)) return parts.length > 3 ? parts.slice(0, 3).join("/") : file;
  return parts.length > 2 ? parts.slice(0, 2).join("/") : file;
}

/** The same graph between features (edges inside one feature dropped). */
export function featureGraph(graph: Map<string, string[]>): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const [file, deps] of graph) {
    const from = featureOf(file);
    const set = out.get(from) ?? new Set<string>();
    out.set(from, set);
    for (const d of deps) if (featureOf(d) !== from) set.add(featureOf(d));
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

/**
 * `file → module` for every import of an app/ module for its side effects alone (`import "./x"`):
 * how handlers and subscribers used to be registered, so that what a process did depended on what
 * it had imported. Maps are declared instead (app/reactions.server.ts, TOPIC_HANDLERS).
 */
export function sideEffectImports(dir = path.join(ROOT, "app")): string[] {
  const options = compilerOptions();
  const out: string[] = [];
  for (const file of sourceFiles(dir)) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) || st.importClause || !ts.isStringLiteral(st.moduleSpecifier)) continue;
      const r = ts.resolveModuleName(st.moduleSpecifier.text, file, options, ts.sys).resolvedModule;
      if (r && !r.isExternalLibraryImport && r.resolvedFileName.startsWith(dir))
        out.push(`${path.relative(ROOT, file)} → ${path.relative(ROOT, r.resolvedFileName)}`);
    }
  }
  return out.sort();
}

/**
 * Route modules (app/routes/*) that import the Prisma client module app/db.server.ts themselves.
 * Routes authenticate, parse, call a service and respond (docs/architecture.md "Layers"); queries
 * live in app/db/* and app/services/*.
 */
export function routesUsingDb(graph: Map<string, string[]>): string[] {
  return [...graph]
    .filter(([file, deps]) => file.startsWith("app/routes/") && deps.includes("app/db.server.ts"))
    .map(([file]) => file)
    .sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const graph = importGraph();
  const files = circles(graph);
  const features = circles(featureGraph(graph));
  const routes = routesUsingDb(graph);
  const sideEffects = sideEffectImports();
  for (const c of files) console.log(`file circle: ${c.join(" ↔ ")}`);
  for (const c of features) console.log(`feature circle: ${c.join(" ↔ ")}`);
  for (const r of routes) console.log(`route imports app/db.server.ts: ${r}`);
  for (const i of sideEffects) console.log(`imported for its side effects: ${i}`);
  console.log(
    `${graph.size} modules, ${files.length} file circles, ${features.length} feature circles, ${routes.length} routes using db(), ${sideEffects.length} side-effect imports`,
  );
  process.exit(files.length || features.length || routes.length || sideEffects.length ? 1 : 0);
}
