/**
 * Finds Debian's Chromium for the browser tests. When it is missing and we run as root, installs it with apt-get
 * (`apt-get install -y chromium`); otherwise fails with one line that says what to install.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
  (p): p is string => Boolean(p),
);

export function findChromium(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

export function ensureChromium(log: (line: string) => void = console.log): string {
  const found = findChromium();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error("Chromium is missing: install it with `sudo apt-get install -y chromium` (or set CHROMIUM_PATH)");
  }
  log("chromium: not found, installing Debian's chromium with apt-get (once)");
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "chromium"],
  ]) {
    const result = spawnSync("apt-get", args, {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      encoding: "utf8",
    });
    if (result.status !== 0) {
      throw new Error(
        `apt-get ${args.join(" ")} failed (exit ${result.status}): ${result.stderr.trim().split("\n").pop()}`,
      );
    }
  }
  const installed = findChromium();
  if (!installed) throw new Error("apt-get installed chromium but /usr/bin/chromium is still missing");
  return installed;
}

/** Chromium's flags for this machine's closed network (no background connections, no sandbox as root). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
