/**
 * The snapshot exporter's reading: the precompile reads of snapshot-export.ts, round by round, all at one block,
 * batched, retried, with progress lines.
 *
 * Batching: through Multicall3 when the chain has it (many reads in one `eth_call`), otherwise one `eth_call` per
 * read; either way the calls of a round go out together, and a client made by `makeExportClient` packs them into
 * JSON-RPC batches of `batchSize` calls per HTTP request. Reads at the real precompile addresses through Multicall3
 * work on Bittensor as from any contract; on the local chain (no Multicall3) the JSON-RPC batches do the work.
 *
 * Retries: a read that failed for a transient reason (snapshot-export.ts `isTransientError`) is repeated, with the
 * others of its round that failed so, after a doubling wait; after `attempts` tries the export stops with the error.
 */
import { type Hex, type PublicClient, createPublicClient, http } from "viem";

import {
  backoffMs,
  buildSnapshot,
  type ExportedChain,
  isTransientError,
  MULTICALL3_ADDRESS,
  NEURON_READ_COUNT,
  netuidsFound,
  neuronReads,
  type NeuronAnswers,
  type PrecompileRead,
  probeReads,
  stakeRead,
  subnetAnswers,
  subnetReads,
} from "./snapshot-export.ts";
import type { Snapshot } from "./snapshot.ts";

export interface ExportClientOptions {
  /** Calls per JSON-RPC batch (one HTTP request). */
  batchSize: number;
  /** Hears every HTTP request sent (to count them). */
  onRequest?: () => void;
  timeoutMs?: number;
}

/** A viem client on `url` that sends concurrent calls as JSON-RPC batches; retries are the exporter's own. */
export function makeExportClient(url: string, options: ExportClientOptions): PublicClient {
  return createPublicClient({
    transport: http(url, {
      batch: { batchSize: options.batchSize, wait: 0 },
      retryCount: 0,
      timeout: options.timeoutMs ?? 60_000,
      // What this hook returns becomes the request's init: it must return nothing.
      onFetchRequest: () => {
        options.onRequest?.();
      },
    }),
  });
}

export interface ExportOptions {
  /** How the network is named in the snapshot and the progress lines. */
  network: string;
  /** The endpoint recorded in the snapshot. */
  endpoint: string;
  /** The highest netuid probed (netuids 1…maxNetuid). */
  maxNetuid: number;
  /** Reads per Multicall3 call, when the chain has Multicall3. */
  multicallSize?: number;
  /** Use Multicall3 if the chain has it (default true). */
  multicall?: boolean;
  /** Tries per read before giving up (default 4), and the first wait between them (default 500 ms). */
  attempts?: number;
  retryBaseMs?: number;
  log?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

export interface ExportResult {
  snapshot: Snapshot;
  /** The file's JSON (validated). */
  json: Record<string, unknown>;
  blockNumber: bigint;
  chainId: number;
  /** Whether the reads went through Multicall3. */
  multicall: boolean;
  reads: number;
  /** Adjustments the format required (see `buildSnapshot`). */
  notes: string[];
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Reads a live chain's subnets through the precompiles and returns the snapshot (not yet written). */
export async function exportSnapshot(client: PublicClient, options: ExportOptions): Promise<ExportResult> {
  const log = options.log ?? (() => undefined);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const attempts = options.attempts ?? 4;
  const retryBaseMs = options.retryBaseMs ?? 500;

  /** Runs `fn` until it succeeds or fails for good; transient failures are retried after a doubling wait. */
  const retrying = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (!isTransientError(error) || attempt >= attempts) throw error;
        const waitMs = backoffMs(attempt, retryBaseMs);
        log(`  ${what}: ${shortMessage(error)}; retrying in ${waitMs} ms (try ${attempt + 1} of ${attempts})`);
        await sleep(waitMs);
      }
    }
  };

  const [chainId, blockNumber] = await retrying("chain id and block", () =>
    Promise.all([client.getChainId(), client.getBlockNumber()]),
  );
  const multicallCode =
    options.multicall === false
      ? undefined
      : await retrying("Multicall3 probe", () =>
          client.getCode({ address: MULTICALL3_ADDRESS, blockNumber }).catch((error: unknown) => {
            if (isTransientError(error)) throw error;
            return undefined;
          }),
        );
  const multicall = multicallCode !== undefined && multicallCode !== "0x";
  const multicallSize = options.multicallSize ?? 250;
  log(
    `${options.network} (chain ${chainId}) at block ${blockNumber}: reading through ` +
      (multicall ? `Multicall3 (${multicallSize} reads per call)` : "JSON-RPC batches (no Multicall3 on this chain)"),
  );
  let reads = 0;

  /** One read's outcome, once (no retry). */
  const once = async (calls: readonly PrecompileRead[]): Promise<Outcome[]> => {
    if (!multicall) {
      return Promise.all(
        calls.map((c) =>
          client
            .readContract({ ...c, blockNumber })
            .then((value): Outcome => ({ ok: true, value }))
            .catch((error: unknown): Outcome => ({ ok: false, error })),
        ),
      );
    }
    const chunks: PrecompileRead[][] = [];
    for (let i = 0; i < calls.length; i += multicallSize) chunks.push(calls.slice(i, i + multicallSize));
    const results = await Promise.all(
      chunks.map((chunk) =>
        client
          .multicall({
            contracts: chunk as never,
            allowFailure: true,
            multicallAddress: MULTICALL3_ADDRESS,
            blockNumber,
            batchSize: 0,
          })
          .then((answers: readonly { status: string; result?: unknown; error?: unknown }[]) =>
            answers.map((a): Outcome =>
              a.status === "success" ? { ok: true, value: a.result } : { ok: false, error: a.error },
            ),
          )
          .catch((error: unknown) => chunk.map((): Outcome => ({ ok: false, error }))),
      ),
    );
    return results.flat();
  };

  /** A round: every read's value, the transient failures retried; any other failure names the read. */
  const round = async (what: string, calls: readonly PrecompileRead[]): Promise<unknown[]> => {
    reads += calls.length;
    const outcomes: Outcome[] = await once(calls);
    for (let attempt = 1; ; attempt++) {
      const failed = outcomes.flatMap((o, i) => (o.ok ? [] : [i]));
      if (failed.length === 0) break;
      const first = outcomes[failed[0]!] as { ok: false; error: unknown };
      const retry = failed.filter((i) => isTransientError((outcomes[i] as { error: unknown }).error));
      if (retry.length < failed.length || attempt >= attempts) {
        const i = failed.find((k) => !retry.includes(k)) ?? failed[0]!;
        const c = calls[i]!;
        throw new ExportError(
          `${c.functionName}(${c.args.map(String).join(", ")}) at ${c.address} failed: ` +
            shortMessage((outcomes[i] as { error: unknown }).error ?? first.error),
          { cause: (outcomes[i] as { error: unknown }).error },
        );
      }
      const waitMs = backoffMs(attempt, retryBaseMs);
      log(
        `  ${what}: ${retry.length} of ${calls.length} reads failed (${shortMessage(first.error)}); ` +
          `retrying in ${waitMs} ms (try ${attempt + 1} of ${attempts})`,
      );
      await sleep(waitMs);
      const again = await once(retry.map((i) => calls[i]!));
      retry.forEach((i, k) => (outcomes[i] = again[k]!));
    }
    return outcomes.map((o) => (o as { value: unknown }).value);
  };

  const started = Date.now();
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const netuids = netuidsFound((await round("probe", probeReads(options.maxNetuid))) as bigint[]);
  log(`found ${netuids.length} subnets among netuids 1–${options.maxNetuid} (${seconds()})`);

  const subnets = subnetAnswers(netuids, await round("subnets", netuids.flatMap(subnetReads)));
  const uids = subnets.flatMap((s) => Array.from({ length: s.uidCount }, (_, uid) => ({ netuid: s.netuid, uid })));
  log(`read ${subnets.length} subnets' pools, prices and hyperparameters; ${uids.length} neurons (${seconds()})`);

  const keys = await round(
    "neurons",
    uids.flatMap(({ netuid, uid }) => neuronReads(netuid, uid)),
  );
  const hotkeyAt = (i: number) => keys[i * NEURON_READ_COUNT] as Hex;
  const stakes = await round(
    "stakes",
    uids.map(({ netuid }, i) => stakeRead(netuid, hotkeyAt(i))),
  );
  log(`read ${uids.length} neurons' keys, permits and stakes (${seconds()})`);

  const neuronsOf = new Map<number, NeuronAnswers[]>(netuids.map((n) => [n, []]));
  uids.forEach(({ netuid, uid }, i) => {
    neuronsOf.get(netuid)!.push({
      uid,
      hotkey: hotkeyAt(i),
      coldkey: keys[i * NEURON_READ_COUNT + 1] as Hex,
      validatorPermit: keys[i * NEURON_READ_COUNT + 2] === true,
      stakeAlphaRao: stakes[i] as bigint,
    });
  });
  const notes: string[] = [];
  const chain: ExportedChain = {
    network: options.network,
    endpoint: options.endpoint,
    chainId,
    blockNumber,
    createdAt: (options.now ?? (() => new Date()))(),
  };
  const { json, snapshot } = buildSnapshot(
    chain,
    subnets.map((s) => ({ ...s, neurons: neuronsOf.get(s.netuid)! })),
    (line) => notes.push(line),
  );
  for (const line of notes) log(`  note: ${line}`);
  return { snapshot, json, blockNumber, chainId, multicall, reads, notes };
}

/** A read that failed for good (not a transient error, or still failing after every try). */
export class ExportError extends Error {
  override name = "ExportError";
}

/** An error's first line, with viem's details folded away; a generic wrapper gives way to the cause it wraps. */
export function shortMessage(error: unknown): string {
  const line = (e: unknown) => {
    const { shortMessage: short, message } = (e ?? {}) as { shortMessage?: unknown; message?: unknown };
    const text = typeof short === "string" ? short : typeof message === "string" ? message : "";
    return (text || String(e)).split("\n")[0]!;
  };
  let deepest: unknown = error;
  for (let depth = 0; depth < 8 && deepest instanceof Error && deepest.cause instanceof Error; depth++) {
    deepest = deepest.cause;
  }
  const top = line(error);
  return /^An unknown (RPC )?error occurred/.test(top) && deepest !== error ? line(deepest) : top;
}
