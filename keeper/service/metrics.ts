/**
 * The keeper's metrics (prom-client, one registry per service so several can run in a process) and its HTTP
 * endpoints: `/metrics` (Prometheus text) and `/health` (200 while the loop ticks, 503 when it stalls).
 */
import { createServer, type Server } from "node:http";

import { Counter, Gauge, Registry } from "prom-client";

export class KeeperMetrics {
  readonly registry = new Registry();
  readonly lastSettledEpoch = new Gauge({
    name: "keeper_last_settled_epoch",
    help: "Last finalised epoch per subnet",
    labelNames: ["netuid"],
    registers: [this.registry],
  });
  readonly lagBlocks = new Gauge({
    name: "keeper_lag_blocks",
    help: "Blocks since the subnet's oldest unsettled epoch was due (0 when up to date)",
    labelNames: ["netuid"],
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: "keeper_rpc_retries_total",
    help: "RPC calls retried after a transient failure",
    registers: [this.registry],
  });
  readonly feeBumps = new Counter({
    name: "keeper_fee_bumps_total",
    help: "Transactions re-sent with higher fees",
    registers: [this.registry],
  });
  readonly transactions = new Counter({
    name: "keeper_transactions_total",
    help: "Transactions sent, by action and result",
    labelNames: ["action", "result"],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "keeper_errors_total",
    help: "Failed subnet steps",
    labelNames: ["netuid"],
    registers: [this.registry],
  });
  readonly balanceWei = new Gauge({
    name: "keeper_balance_wei",
    help: "Native balance of each keeper account",
    labelNames: ["keeper"],
    registers: [this.registry],
  });
  readonly block = new Gauge({ name: "keeper_block", help: "Latest block seen", registers: [this.registry] });
  lastTickAt = 0;
  lastBlock = 0;
}

/** Serves `/health` and `/metrics` for the given metrics on 127.0.0.1:`port` (0: any free port). */
export async function serveMetrics(
  metrics: readonly KeeperMetrics[],
  port: number,
  staleAfterMs: number,
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.url === "/metrics") {
        const texts = await Promise.all(metrics.map((m) => m.registry.metrics()));
        res.writeHead(200, { "content-type": Registry.PROMETHEUS_CONTENT_TYPE });
        res.end(texts.join("\n"));
      } else if (req.url === "/health") {
        const now = Date.now();
        const keepers = metrics.map((m) => ({ lastTickAt: m.lastTickAt, block: m.lastBlock }));
        const ok = keepers.every((k) => k.lastTickAt > 0 && now - k.lastTickAt <= staleAfterMs);
        res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok, keepers }));
      } else {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("not found: try /health or /metrics\n");
      }
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  return {
    server,
    port: typeof address === "object" && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
