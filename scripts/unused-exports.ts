// Exports of app/ that no other module imports (app/, scripts/, test/, emulator/): dead code, or a
// name that should not be exported. Read syntactically with TypeScript's module resolution, like
// scripts/import-graph.ts; a namespace import, `export *` or import() of a module counts as using
// all of its exports. Remix's route and entry conventions (loader, action, default, meta, …) are
// used by the framework. `tsx scripts/unused-exports.ts` prints them and exits 1 when there is one;
// scripts/unused-exports.test.ts runs the same check.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { ROOT } from "./import-graph";

const SCANNED = ["app", "scripts", "test", "emulator"];
/** Names the Remix compiler and server read from route modules, root.tsx and entry.server.tsx. */
const REMIX_EXPORTS = new Set([
  "default",
  "loader",
  "action",
  "meta",
  "links",
  "headers",
  "handle",
  "ErrorBoundary",
  "HydrateFallback",
  "shouldRevalidate",
  "clientLoader",
  "clientAction",
  "Layout",
  "config",
  "streamTimeout",
  "handleError",
  "handleDataRequest",
  // Read by the ingress (app/adapters/http/ingress.server.ts) from route modules.
  "hotPath",
  "hotGet",
  "hotPost",
  // A webhook route's one accepted topic, beside its action (most are imported by tests too).
  "topic",
]);

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules") out.push(...sourceFiles(p));
    } else if (/\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

function compilerOptions(): ts.CompilerOptions {
  const { config } = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config, ts.sys, ROOT).options;
}

const ALL = "*";

function modifiers(n: ts.Node): readonly ts.Modifier[] {
  return (ts.canHaveModifiers(n) && ts.getModifiers(n)) || [];
}

function isExported(n: ts.Node): boolean {
  return modifiers(n).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** The names a module exports itself (declarations and `export { … }` without a source). */
function ownExports(sf: ts.SourceFile): Array<{ name: string; line: number; type?: boolean }> {
  const out: Array<{ name: string; line: number; type?: boolean }> = [];
  const at = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  for (const st of sf.statements) {
    if (ts.isExportAssignment(st)) out.push({ name: "default", line: at(st) });
    else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause))
      for (const e of st.exportClause.elements) out.push({ name: e.name.text, line: at(e), type: st.isTypeOnly || e.isTypeOnly });
    else if (isExported(st)) {
      const isDefault = modifiers(st).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (isDefault) out.push({ name: "default", line: at(st) });
      else if (ts.isVariableStatement(st))
        for (const d of st.declarationList.declarations) {
          if (ts.isIdentifier(d.name)) out.push({ name: d.name.text, line: at(d) });
        }
      else if ("name" in st && st.name && ts.isIdentifier(st.name as ts.Node))
        out.push({
          name: (st.name as ts.Identifier).text,
          line: at(st),
          type: ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st),
        });
    }
  }
  return out;
}

/** file → exported names other modules import ("*" = all of them). */
function usedExports(files: string[], options: ts.CompilerOptions): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  const mark = (from: string, spec: string, name: string) => {
    const r = ts.resolveModuleName(spec, from, options, ts.sys).resolvedModule;
    if (!r || r.isExternalLibraryImport) return;
    const file = path.resolve(r.resolvedFileName);
    const set = used.get(file) ?? new Set<string>();
    used.set(file, set);
    set.add(name);
  };
  for (const file of files) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node) => {
      if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
        const spec = n.moduleSpecifier.text;
        const c = n.importClause;
        if (!c)
          mark(file, spec, ALL); // side-effect import
        else {
          if (c.name) mark(file, spec, "default");
          const b = c.namedBindings;
          if (b && ts.isNamespaceImport(b)) mark(file, spec, ALL);
          else if (b) for (const e of b.elements) mark(file, spec, (e.propertyName ?? e.name).text);
        }
      } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
        const spec = n.moduleSpecifier.text;
        if (!n.exportClause || ts.isNamespaceExport(n.exportClause)) mark(file, spec, ALL);
        else for (const e of n.exportClause.elements) mark(file, spec, (e.propertyName ?? e.name).text);
      } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [arg] = n.arguments;
        if (arg && ts.isStringLiteral(arg)) mark(file, arg.text, ALL);
      } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
        const q = n.qualifier;
        mark(file, n.argument.literal.text, q && ts.isIdentifier(q) ? q.text : q ? (q as ts.QualifiedName).left.getText(sf) : ALL);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return used;
}

/** Files a process loads by path (not by import): CLI commands, the worker and entry modules. */
function loadedByPath(file: string): boolean {
  const rel = path.relative(ROOT, file);
  return (
    rel.startsWith("scripts/cli/commands/") ||
    rel.startsWith("app/routes/") ||
    rel === "app/root.tsx" ||
    rel === "app/entry.server.tsx" ||
    /\.test\.tsx?$/.test(rel)
  );
}

/**
 * `app/x.ts:12 name` for every value export of app/ (function, const, class) no other module
 * imports; with `types`, interfaces and type aliases too (a result type exported beside its
 * function documents it, so those are listed, not failed).
 */
export function unusedExports({ types = false } = {}): string[] {
  const options = compilerOptions();
  const files = SCANNED.flatMap((d) => sourceFiles(path.join(ROOT, d)));
  const used = usedExports(files, options);
  const out: string[] = [];
  for (const file of files) {
    const rel = path.relative(ROOT, file);
    if (!rel.startsWith("app/") || /\.test\.tsx?$/.test(rel)) continue;
    const names = used.get(file) ?? new Set<string>();
    if (names.has(ALL)) continue;
    const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    for (const e of ownExports(sf)) {
      if (names.has(e.name) || (e.type && !types)) continue;
      if (loadedByPath(file) && REMIX_EXPORTS.has(e.name)) continue;
      out.push(`${rel}:${e.line} ${e.name}`);
    }
  }
  return out.sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const list = unusedExports({ types: process.argv.includes("--types") });
  for (const l of list) console.log(l);
  console.log(`${list.length} unused exports`);
  process.exit(list.length ? 1 : 0);
}
