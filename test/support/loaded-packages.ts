// Child-process probe for test/integration/process-footprint.test.ts: imports the module given on the
// command line (as a process would at start) and prints which of the given npm packages got loaded.
import { createRequire } from "node:module";
import path from "node:path";

async function main() {
  const [entry, ...packages] = process.argv.slice(2);
  await import(path.resolve(entry!));
  const cache = Object.keys(createRequire(import.meta.url).cache);
  const loaded = packages.filter((p) => cache.some((file) => file.includes(`/node_modules/${p}/`)));
  console.log(JSON.stringify({ loaded }));
  process.exit(0);
}
void main();
