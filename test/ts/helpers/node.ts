/**
 * A real `hardhat node` (JSON-RPC over HTTP) in a child process, for tests that must see what an outside client
 * sees: the node's own error shapes, not the in-process provider's.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether a JSON-RPC endpoint answers at `url` (within a second). */
export async function rpcAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(1000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

export interface NodeProcess {
  url: string;
  /** Everything the node printed (its request log). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `hardhat node` on a free port (a block per transaction unless `blockIntervalMs` says otherwise), with
 * Hardhat's chain id unless `chainId` says otherwise.
 */
export async function startHardhatNode(
  options: { blockIntervalMs?: number; timeoutMs?: number; chainId?: number } = {},
) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const cli = path.join(
    path.dirname(createRequire(import.meta.url).resolve("hardhat/package.json")),
    "dist/src/cli.js",
  );
  const chainId = options.chainId === undefined ? [] : ["--chain-id", String(options.chainId)];
  const child = spawn(process.execPath, [cli, "node", "--hostname", "127.0.0.1", "--port", String(port), ...chainId], {
    cwd: ROOT,
    detached: true, // its own process group, so stopping it reaches everything it started
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, BLOCK_INTERVAL_MS: String(options.blockIntervalMs ?? 0) },
  });
  let log = "";
  child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const killed = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone
      }
    }, 5000);
    await exited;
    clearTimeout(killed);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await rpcAnswers(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`hardhat node did not start on ${url}:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, output: () => log, stop } satisfies NodeProcess;
}
