/**
 * The keeper service's composition root: clients, keepers, the loop, metrics. `runKeepers` runs N keepers in one
 * process against a node (the main job runs three with quorum 2); the CLI's `run` uses it too.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import pino, { type Logger } from "pino";
import {
  createPublicClient,
  createNonceManager,
  createWalletClient,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { jsonRpc } from "viem/nonce";

import { loadProjectErrorAbi } from "../../client/node.ts";
import { loadKeeperAbis, type KeeperAbis, type KeeperAddresses } from "../chain/contracts.ts";
import { MemoryStateCache, type StateCache } from "../chain/epochs.ts";
import { ChainReader } from "../chain/reads.ts";
import { DEFAULT_RETRY, type RetryPolicy } from "../chain/retry.ts";
import { TxSender, type TxPolicy } from "../chain/tx.ts";
import { stateFromJson, stateToJson, type StateJson } from "../core/index.ts";
import type { EpochState } from "../yuma/index.ts";
import { DirectoryBoard, MemoryBoard, type SignatureBoard } from "./board.ts";
import { Keeper, type ClaimPolicy, type KeeperHooks } from "./keeper.ts";
import { KeeperMetrics, serveMetrics } from "./metrics.ts";

export { Keeper, KeeperCrash, type ClaimPolicy, type KeeperHooks, type StepPoint } from "./keeper.ts";
export { DirectoryBoard, MemoryBoard, type SignatureBoard } from "./board.ts";
export { KeeperMetrics } from "./metrics.ts";

/** A chain definition from its id (viem needs one to sign transactions). */
export function chainOf(chainId: number, rpcUrl = "http://127.0.0.1:8545"): Chain {
  return {
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "TAO", symbol: "TAO", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  };
}

/** States as JSON files in a directory: survives restarts (still checked against the chain before use). */
export class FileStateCache implements StateCache {
  private readonly memory = new MemoryStateCache();
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }
  private file(key: string): string {
    return path.join(this.dir, `${key.replace(/[^0-9a-zA-Z-]/g, "_")}.json`);
  }
  get(key: string): EpochState | undefined {
    return this.memory.get(key);
  }
  set(key: string, state: EpochState): void {
    this.memory.set(key, state);
    const file = this.file(key);
    void mkdir(this.dir, { recursive: true })
      .then(() => writeFile(`${file}.tmp`, JSON.stringify(stateToJson(state))))
      .then(() => rename(`${file}.tmp`, file))
      .catch(() => undefined);
  }
  /** Loads every state file (call once at start). */
  async load(): Promise<void> {
    const { readdir } = await import("node:fs/promises");
    let files: string[] = [];
    try {
      files = await readdir(this.dir);
    } catch {
      return;
    }
    for (const f of files) {
      if (!f.endsWith(".json")) continue;
      try {
        const json = JSON.parse(await readFile(path.join(this.dir, f), "utf8")) as StateJson;
        this.memory.set(f.slice(0, -5), stateFromJson(json));
      } catch {
        // a broken file is only a missed optimisation
      }
    }
  }
}

export interface RunKeepersOptions {
  readonly transport: Transport;
  readonly chainId: number;
  readonly addresses: KeeperAddresses;
  readonly keys: readonly Hex[];
  readonly abis?: KeeperAbis;
  readonly pollIntervalMs?: number;
  readonly claimPolicy?: ClaimPolicy;
  /** Serve /health and /metrics on this port (undefined: none; 0: any free port). */
  readonly metricsPort?: number;
  /** Exchange signatures through this directory (default: in memory, between this process's keepers). */
  readonly signatureDir?: string;
  readonly stateDir?: string;
  readonly board?: SignatureBoard;
  readonly log?: Logger;
  readonly retry?: RetryPolicy;
  readonly txPolicy?: Partial<TxPolicy>;
  readonly graceMs?: number;
  /** Leader rotation: this process's keepers take places `indexOffset…` among `peers` (default: all of them here). */
  readonly peers?: number;
  readonly indexOffset?: number;
  readonly hooks?: KeeperHooks | ((index: number) => KeeperHooks | undefined);
  readonly netuids?: readonly number[];
}

export interface KeeperService {
  readonly keepers: readonly Keeper[];
  readonly metrics: readonly KeeperMetrics[];
  readonly publicClient: PublicClient;
  readonly metricsPort: number | undefined;
  /** One tick of every keeper (in parallel); errors are logged, injected crashes rethrown. */
  tickAll(): Promise<void>;
  /** Starts the loop (ticks every poll interval until `stop`). */
  start(): void;
  stop(): Promise<void>;
}

/** Creates N keepers (one per key) sharing a node, a signature board and a state cache. */
export async function createKeeperService(options: RunKeepersOptions): Promise<KeeperService> {
  const log = options.log ?? pino({ level: process.env.KEEPER_LOG_LEVEL ?? "info" });
  const chain = chainOf(options.chainId);
  const publicClient = createPublicClient({ chain, transport: options.transport }) as PublicClient;
  const abis = options.abis ?? (await loadKeeperAbis());
  const board = options.board ?? (options.signatureDir ? new DirectoryBoard(options.signatureDir) : new MemoryBoard());
  let cache: StateCache = new MemoryStateCache();
  if (options.stateDir) {
    const files = new FileStateCache(options.stateDir);
    await files.load();
    cache = files;
  }
  const errorAbi = await loadProjectErrorAbi();
  const peers = options.peers ?? options.keys.length;
  const keepers: Keeper[] = [];
  const metrics: KeeperMetrics[] = [];
  options.keys.forEach((key, i) => {
    // One nonce manager per keeper and service (viem's shared one would carry nonces across chains with the same id).
    const account = privateKeyToAccount(key, { nonceManager: createNonceManager({ source: jsonRpc() }) });
    const m = new KeeperMetrics();
    const onRetry = (what: string, attempt: number, error: unknown) => {
      m.retries.inc();
      log.debug({ keeper: account.address, what, attempt, err: String(error).split("\n")[0] }, "retrying");
    };
    const retry = options.retry ?? DEFAULT_RETRY;
    const reader = new ChainReader({
      client: publicClient,
      addresses: options.addresses,
      abis,
      chainId: BigInt(options.chainId),
      retry,
      onRetry,
    });
    const wallet = createWalletClient({ account, chain, transport: options.transport });
    const sender = new TxSender({
      client: publicClient,
      wallet,
      retry,
      policy: options.txPolicy,
      onRetry,
      onBump: (label, nonce, attempt) => {
        m.feeBumps.inc();
        log.warn({ keeper: account.address, label, nonce, attempt }, "transaction stuck: re-sent with higher fees");
      },
    });
    const hooks = typeof options.hooks === "function" ? options.hooks(i) : options.hooks;
    keepers.push(
      new Keeper({
        reader,
        sender,
        signer: account,
        board,
        cache,
        log: log.child({ keeper: account.address }),
        metrics: m,
        claimPolicy: options.claimPolicy ?? "all",
        index: (options.indexOffset ?? 0) + i,
        peers,
        graceMs: options.graceMs ?? 5_000,
        errorAbi,
        ...(hooks ? { hooks } : {}),
        ...(options.netuids ? { netuids: options.netuids } : {}),
      }),
    );
    metrics.push(m);
  });

  const poll = options.pollIntervalMs ?? 1_000;
  const served =
    options.metricsPort === undefined
      ? undefined
      : await serveMetrics(metrics, options.metricsPort, poll * 10 + 30_000);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const tickAll = async () => {
    const results = await Promise.allSettled(keepers.map((k) => k.tick()));
    const crash = results.find((r) => r.status === "rejected");
    if (crash && crash.status === "rejected") throw crash.reason;
  };

  const loop = async () => {
    if (stopped) return;
    try {
      await tickAll();
    } catch (error) {
      log.error({ err: String(error).split("\n")[0] }, "tick failed");
    }
    if (!stopped) timer = setTimeout(() => void (running = loop()), poll);
  };

  return {
    keepers,
    metrics,
    publicClient,
    metricsPort: served?.port,
    tickAll,
    start() {
      stopped = false;
      running = loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await served?.close();
    },
  };
}

/** Creates the service and starts its loop: what the main job calls to run N keepers in this process. */
export async function runKeepers(options: RunKeepersOptions): Promise<KeeperService> {
  const service = await createKeeperService(options);
  service.start();
  return service;
}

/** Private keys of a mnemonic's accounts (the local chain registers keepers at indexes 32, 33, 34). */
export async function keysFromMnemonic(mnemonic: string, indexes: readonly number[]): Promise<Hex[]> {
  const { mnemonicToAccount } = await import("viem/accounts");
  const { toHex } = await import("viem");
  return indexes.map((addressIndex) => toHex(mnemonicToAccount(mnemonic, { addressIndex }).getHdKey().privateKey!));
}
