// Stops servers a previous sandbox left running (e.g. after a SIGKILL) before its data is wiped.
import fs from "node:fs";
import path from "node:path";
import { reachableDataDir } from "../../app/adapters/infra/postgres-reach.server";

/** Where a local server's data may be: DATA_DIR/<name>, or (PostgreSQL as root, 0700 clone) moved. */
const dataDirsOf = (dataDir: string, name: string) =>
  name === "postgres" ? [path.join(dataDir, name), reachableDataDir(path.join(dataDir, name))] : [path.join(dataDir, name)];

export async function stopStaleServices(dataDir: string) {
  for (const name of ["postgres", "redis"]) {
    const stateFile = path.join(dataDir, `${name}.json`);
    const pids: number[] = [];
    try {
      const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as { pid?: number };
      if (name === "redis" && state.pid) pids.push(state.pid);
    } catch {
      /* none */
    }
    for (const dir of dataDirsOf(dataDir, name)) {
      try {
        pids.push(Number(fs.readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[0]));
      } catch {
        /* none */
      }
    }
    for (const pid of pids) {
      try {
        process.kill(pid, name === "postgres" ? "SIGINT" : "SIGTERM");
        for (let i = 0; i < 50; i++) {
          process.kill(pid, 0);
          await new Promise((r) => setTimeout(r, 100));
        }
      } catch {
        /* gone */
      }
    }
  }
}

/** Removes the local servers' data (not the rest of DATA_DIR, e.g. the dev encryption key). */
export function wipeServiceData(dataDir: string) {
  for (const name of ["postgres", "redis"]) {
    for (const dir of dataDirsOf(dataDir, name)) fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(dataDir, `${name}.json`), { force: true });
  }
  fs.rmSync(path.join(dataDir, "sandbox.env"), { force: true });
}
