// scripts/apt-wait.sh against the real apt-get: while another process holds apt's lists lock (as
// unattended-upgrades does), `apt_get_waiting update` waits for it, bounded, with a clear message.
// apt runs on a private state directory (no root, no network: no sources), and the lock is held
// with fcntl, as apt and dpkg take it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const script = path.join(__dirname, "apt-wait.sh");
const hasApt = spawnSync("sh", ["-c", "command -v apt-get && command -v perl"]).status === 0;
const holders: ChildProcess[] = [];
afterEach(() => {
  for (const h of holders.splice(0)) h.kill();
});

function aptDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apt-wait-"));
  for (const d of ["lists/partial", "cache/archives/partial", "parts"]) fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.writeFileSync(path.join(dir, "sources.list"), "");
  const opts = [
    `Dir::State::Lists=${dir}/lists`,
    `Dir::Cache=${dir}/cache`,
    `Dir::Etc::sourcelist=${dir}/sources.list`,
    `Dir::Etc::sourceparts=${dir}/parts`,
  ].flatMap((o) => ["-o", o]);
  return { dir, opts };
}

/** Holds an fcntl write lock on `file` for `seconds` (struct flock as on 64-bit Linux); resolves once held. */
function holdLock(file: string, seconds: number): Promise<ChildProcess> {
  const perl = `use Fcntl; open(my $f, ">>", $ARGV[0]) or die; my $l = pack("s s x4 q q i x4", F_WRLCK, 0, 0, 0, 0); fcntl($f, F_SETLKW, $l) or die "lock: $!"; $| = 1; print "held\\n"; sleep $ARGV[1];`;
  const p = spawn("perl", ["-e", perl, file, String(seconds)], { stdio: ["ignore", "pipe", "inherit"] });
  holders.push(p);
  return new Promise((resolve, reject) => {
    p.stdout!.on("data", (d: Buffer) => d.toString().includes("held") && resolve(p));
    p.on("exit", (code) => reject(new Error(`lock holder exited ${code}`)));
  });
}

function aptGetWaiting(args: string[], waitSeconds: number) {
  const started = Date.now();
  const r = spawnSync("sh", ["-c", `. "${script}"; apt_get_waiting "$@"`, "sh", ...args], {
    env: { ...process.env, APT_LOCK_WAIT: String(waitSeconds) },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr, ms: Date.now() - started };
}

describe.skipIf(!hasApt)("apt_get_waiting", () => {
  it("waits while another process holds the lock, then runs", async () => {
    const { dir, opts } = aptDir();
    await holdLock(`${dir}/lists/lock`, 3);
    // Without waiting apt-get fails at once: the fault this helper exists for.
    expect(spawnSync("apt-get", [...opts, "update"]).status).toBe(100);
    const r = aptGetWaiting([...opts, "update"], 30);
    expect(r.stderr).toMatch(/another apt\/dpkg \(process \d+\) holds the package lock; waiting for it \(up to 30s\)/);
    expect(r.status).toBe(0);
    expect(r.ms).toBeGreaterThan(1000);
  }, 60_000);

  it("gives up after APT_LOCK_WAIT seconds with a clear message and apt's error", async () => {
    const { dir, opts } = aptDir();
    await holdLock(`${dir}/lists/lock`, 30);
    const r = aptGetWaiting([...opts, "update"], 3);
    expect(r.status).toBe(100);
    expect(r.stderr).toMatch(/still holds the package lock after 3s; let it finish \(or stop it\) and run the command again/);
    expect(r.stderr).toMatch(/Could not get lock/);
    expect(r.ms).toBeGreaterThanOrEqual(3000);
    expect(r.ms).toBeLessThan(15_000);
  }, 60_000);

  it("passes other apt errors through at once", () => {
    const { opts } = aptDir();
    const r = aptGetWaiting([...opts, "install", "-y", "--no-download", "no-such-package-xyz"], 30);
    expect(r.status).toBe(100);
    expect(r.stderr).not.toMatch(/waiting/);
    expect(r.ms).toBeLessThan(10_000);
  });
});
