/**
 * Builds the dApp for a local chain and serves it on 127.0.0.1, for `npm start` and the end-to-end tests.
 *
 *   buildDapp({ rpcUrl, deploymentsDir, blockSeconds })  →  frontend/dist (codegen with those deployments, vite build)
 *   serveDapp({ host, port })                           →  a static server of frontend/dist on the first free port
 *                                                          from `port` upward; resolves with its URL and a close()
 *
 * The server is plain node:http: the built app is static files, and nothing is fetched from outside.
 */
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import http from "node:http";
import path from "node:path";

export const FRONTEND_ROOT = path.resolve(import.meta.dirname, "..");
export const DIST_DIR = path.join(FRONTEND_ROOT, "dist");

export interface BuildOptions {
  rpcUrl: string;
  /** Folder with `<chainId>.json`; defaults to the project's deployments/. */
  deploymentsDir?: string;
  blockSeconds?: number;
  /** Receives the build's output lines. */
  log?: (line: string) => void;
}

export async function buildDapp(options: BuildOptions): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VITE_LOCAL_RPC_URL: options.rpcUrl,
    ...(options.deploymentsDir ? { DEPLOYMENTS_DIR: options.deploymentsDir } : {}),
    ...(options.blockSeconds ? { VITE_LOCAL_BLOCK_SECONDS: String(options.blockSeconds) } : {}),
  };
  // Through npm so that the project's Node and node_modules/.bin are used, as `npm run build` would.
  const child = spawn("npm", ["run", "--silent", "build"], {
    cwd: FRONTEND_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  for (const stream of [child.stdout, child.stderr]) {
    stream.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split("\n")) if (line.trim()) options.log?.(line);
    });
  }
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`the dApp build failed (exit ${code}):\n${output.split("\n").slice(-20).join("\n")}`);
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".ico": "image/x-icon",
};

export interface ServedDapp {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `dir` on host:port, or on the next free port (up to 20 tries) when it is taken. */
export async function serveDapp(options: { host?: string; port?: number; dir?: string } = {}): Promise<ServedDapp> {
  const host = options.host ?? "127.0.0.1";
  const dir = options.dir ?? DIST_DIR;
  const server = http.createServer((request, response) => {
    void (async () => {
      const urlPath = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
      let file = path.join(dir, path.normalize(urlPath));
      if (!file.startsWith(dir)) {
        response.writeHead(403).end();
        return;
      }
      const info = await stat(file).catch(() => undefined);
      if (!info || info.isDirectory()) file = path.join(dir, "index.html");
      response.writeHead(200, {
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "cache-control": file.includes(`${path.sep}assets${path.sep}`)
          ? "public, max-age=31536000, immutable"
          : "no-cache",
      });
      createReadStream(file).pipe(response);
    })().catch(() => response.writeHead(500).end());
  });
  const first = options.port ?? 5173;
  if (first === 0) {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host, port: 0 }, () => resolve());
    });
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    return { url: `http://${host}:${port}/`, port, close: () => new Promise<void>((r) => server.close(() => r())) };
  }
  for (let port = first; port < first + 20; port++) {
    const listening = await new Promise<boolean>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        error.code === "EADDRINUSE" ? resolve(false) : reject(error),
      );
      server.listen({ host, port, exclusive: true }, () => resolve(true));
    });
    if (listening) {
      return {
        url: `http://${host}:${port}/`,
        port,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    }
  }
  throw new Error(`no free port for the dApp on ${host} from ${first} to ${first + 19} (set DAPP_PORT)`);
}
