// Stops servers a previous sandbox left running (e.g. after a SIGKILL) before its data is wiped.
import fs from "node:fs";
import path from "node:path";

export async function stopStaleServices(dataDir: string) {
  for (const name of ["postgres", "redis"]) {
    const stateFile = path.join(dataDir, `${name}.json`);
    const pidFile = path.join(dataDir, name, "postmaster.pid");
    const pids: number[] = [];
    try {
      const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as { pid?: number };
      if (name === "redis" && state.pid) pids.push(state.pid);
    } catch {
      /* none */
    }
    try {
      pids.push(Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]));
    } catch {
      /* none */
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
    fs.rmSync(path.join(dataDir, name), { recursive: true, force: true });
    fs.rmSync(path.join(dataDir, `${name}.json`), { force: true });
  }
  fs.rmSync(path.join(dataDir, "sandbox.env"), { force: true });
}
