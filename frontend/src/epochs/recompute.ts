/**
 * An epoch's results recomputed in the browser from public chain data, with the keepers' own code: the snapshot is
 * read by the keeper's `ChainReader` (every value as of the snapshot block, the weights rebuilt from the metagraph's
 * logs and checked against its commitments) and the report built by the keeper's pure core (`keeper/core`: the exact
 * Yuma engine, the payout, the OpenZeppelin results tree). Nothing is taken on trust: every recomputed epoch must
 * give the EIP-712 digest of the report the chain accepted and, once finalised, its results root; otherwise the
 * recomputation stops with an error and no proof is offered.
 *
 * An epoch starts from the engine state (permits, bonds) its predecessor left, so epoch e needs epochs 1…e−1 first.
 * Each state is checked against the `stateHash` of its epoch's accepted `SubmitReport`. States and results are kept in
 * memory for the session, and the newest verified state of each subnet is also kept in localStorage (checked against
 * the chain again before use), so a later visit only replays the epochs settled since.
 *
 * This module (and the keeper code it pulls in) is loaded on demand, by the Epochs page and the Subnet page's epochs
 * panel only: it is not part of the initial bundle.
 */
import type { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAbiItem, type Hex, type PublicClient } from "viem";

import type { KeeperAbis } from "../../../keeper/chain/contracts.ts";
import { ChainReader } from "../../../keeper/chain/reads.ts";
import {
  buildReport,
  carryState,
  firstEpochState,
  leafProof,
  reportDigest,
  resultsTree,
  stateFromJson,
  stateHash,
  stateToJson,
  type LeafTuple,
  type ResultLeaf,
  type StateJson,
} from "../../../keeper/core/index.ts";
import type { EpochState } from "../../../keeper/yuma/index.ts";
import type { Contracts } from "../data/contracts.ts";
import { type EpochRecord, toEpochRecord } from "../data/epochs.ts";
import { readAll } from "../data/multicall.ts";
import { LOG_RANGE_BLOCKS } from "../data/settlementLog.ts";

export interface EpochResults {
  netuid: number;
  generation: number;
  epoch: number;
  snapshotBlock: number;
  resultsRoot: Hex;
  leaves: readonly ResultLeaf[];
  /** Uids whose dividends finalisation credited (listed in the report's validator payouts). */
  paidAtFinalisationUids: ReadonlySet<number>;
  /** The Merkle proof of a uid's leaf. */
  proof(uid: number): Hex[];
}

export interface RecomputeProgress {
  netuid: number;
  /** Epochs recomputed so far in this run, and how many the run needs. */
  done: number;
  total: number;
  epoch: number;
}

/** The chain's accepted report disagrees with what its public data gives: nothing of that epoch is offered. */
export class RecomputeMismatchError extends Error {
  override name = "RecomputeMismatchError";
}

interface SubnetCache {
  /** Verified engine state after each epoch. */
  states: Map<number, EpochState>;
  results: Map<number, EpochResults>;
}

const caches = new Map<string, SubnetCache>();
const readers = new Map<string, ChainReader>();

const cacheId = (chainId: number, settlement: string, netuid: number, generation: number) =>
  `${chainId}:${settlement.toLowerCase()}:${netuid}:${generation}`;

const STORAGE_PREFIX = "alpha-markets:epoch-state:";

interface Checkpoint {
  epoch: number;
  state: StateJson;
}

function loadCheckpoint(id: string): Checkpoint | undefined {
  try {
    const text = globalThis.localStorage?.getItem(STORAGE_PREFIX + id);
    return text ? (JSON.parse(text) as Checkpoint) : undefined;
  } catch {
    return undefined; // an unreadable checkpoint is only a missed shortcut
  }
}

function saveCheckpoint(id: string, checkpoint: Checkpoint): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_PREFIX + id, JSON.stringify(checkpoint));
  } catch {
    // storage full or disabled: the next visit replays from the start
  }
}

function readerFor(client: PublicClient, chainId: number, contracts: Contracts): ChainReader {
  const id = `${chainId}:${contracts.EpochSettlement.address.toLowerCase()}`;
  let reader = readers.get(id);
  if (!reader || reader.client !== client) {
    reader = new ChainReader({
      client,
      chainId: BigInt(chainId),
      addresses: {
        settlement: contracts.EpochSettlement.address,
        registry: contracts.SubnetRegistry.address,
        metagraph: contracts.Metagraph.address,
        pools: contracts.AlphaPools.address,
        startBlock: Number(contracts.Metagraph.startBlock),
      },
      // The same artifacts' ABIs as the keeper's (generated from them by @wagmi/cli).
      abis: {
        settlement: contracts.EpochSettlement.abi,
        registry: contracts.SubnetRegistry.abi,
        metagraph: contracts.Metagraph.abi,
        pools: contracts.AlphaPools.abi,
      } as unknown as KeeperAbis,
      // The page shows the error and offers a retry; it does not hang on a dead node.
      retry: { retries: 2, baseDelayMs: 200, maxDelayMs: 2_000, timeoutMs: 20_000 },
    });
    readers.set(id, reader);
  }
  return reader;
}

/** The records of epochs `from…to` of a subnet instance, in one multicall per 256 epochs. */
async function readRecords(
  client: PublicClient,
  contracts: Contracts,
  netuid: number,
  generation: number,
  from: number,
  to: number,
): Promise<Map<number, EpochRecord>> {
  const s = contracts.EpochSettlement;
  const records = new Map<number, EpochRecord>();
  for (let start = from; start <= to; start += 256) {
    const epochs: number[] = [];
    for (let e = start; e <= Math.min(to, start + 255); e++) epochs.push(e);
    const raw = (await readAll(
      client,
      epochs.map(
        (epoch) =>
          ({ address: s.address, abi: s.abi, functionName: "epochRecord", args: [netuid, generation, epoch] }) as const,
      ),
    )) as unknown as Parameters<typeof toEpochRecord>[1][];
    epochs.forEach((epoch, i) => records.set(epoch, toEpochRecord(epoch, raw[i]!)));
  }
  return records;
}

/** The state hash of each accepted report of the subnet instance, by report digest (SubmitReport logs). */
async function acceptedStateHashes(
  client: PublicClient,
  contracts: Contracts,
  netuid: number,
  generation: number,
  fromBlock: bigint,
): Promise<Map<Hex, Hex>> {
  const s = contracts.EpochSettlement;
  const event = getAbiItem({ abi: s.abi, name: "SubmitReport" });
  const latest = await client.getBlockNumber({ cacheTime: 0 });
  const hashes = new Map<Hex, Hex>();
  for (let start = fromBlock; start <= latest; start += LOG_RANGE_BLOCKS) {
    const end = start + LOG_RANGE_BLOCKS - 1n < latest ? start + LOG_RANGE_BLOCKS - 1n : latest;
    const logs = await client.getLogs({ address: s.address, event, args: { netuid }, fromBlock: start, toBlock: end });
    for (const log of logs) {
      if (log.args.generation === generation && log.args.reportDigest && log.args.stateHash) {
        hashes.set(log.args.reportDigest, log.args.stateHash);
      }
    }
  }
  return hashes;
}

function resultsOf(
  netuid: number,
  generation: number,
  record: EpochRecord,
  leaves: readonly ResultLeaf[],
  tree: StandardMerkleTree<LeafTuple>,
  paid: readonly number[],
): EpochResults {
  return {
    netuid,
    generation,
    epoch: record.epoch,
    snapshotBlock: record.snapshotBlock,
    resultsRoot: tree.root as Hex,
    leaves,
    paidAtFinalisationUids: new Set(paid),
    proof: (uid) => leafProof(tree, uid),
  };
}

/**
 * The results of the finalised epochs `fromEpoch…toEpoch` of a subnet instance, recomputed and checked against the
 * chain. Replays from the newest verified state before `fromEpoch` (memory, then the stored checkpoint, else epoch 1).
 */
export async function recomputeEpochs(options: {
  client: PublicClient;
  chainId: number;
  contracts: Contracts;
  netuid: number;
  generation: number;
  fromEpoch: number;
  toEpoch: number;
  onProgress?: (progress: RecomputeProgress) => void;
}): Promise<EpochResults[]> {
  const { client, chainId, contracts, netuid, generation, fromEpoch, toEpoch } = options;
  if (fromEpoch < 1 || toEpoch < fromEpoch) return [];
  const id = cacheId(chainId, contracts.EpochSettlement.address, netuid, generation);
  let cache = caches.get(id);
  if (!cache) {
    cache = { states: new Map(), results: new Map() };
    caches.set(id, cache);
  }
  const wanted = (e: number) => e >= fromEpoch && e <= toEpoch;
  const collect = () => {
    const out: EpochResults[] = [];
    for (let e = fromEpoch; e <= toEpoch; e++) {
      const r = cache.results.get(e);
      if (r) out.push(r);
    }
    return out;
  };
  if (collect().length === toEpoch - fromEpoch + 1) return collect();

  const records = await readRecords(client, contracts, netuid, generation, 1, toEpoch);
  for (const r of records.values()) {
    if (r.status !== "Finalised") {
      throw new RecomputeMismatchError(`epoch ${r.epoch} of subnet ${netuid} is ${r.status}, not finalised`);
    }
  }
  const firstSnapshot = records.get(1)!.snapshotBlock;
  const accepted = await acceptedStateHashes(client, contracts, netuid, generation, BigInt(firstSnapshot));
  const acceptedStateOf = (epoch: number): Hex => {
    const digest = records.get(epoch)!.reportDigest;
    const hash = accepted.get(digest);
    if (!hash) throw new RecomputeMismatchError(`no SubmitReport with epoch ${epoch}'s accepted digest ${digest}`);
    return hash;
  };

  // Where to start: the newest verified state before the first epoch we need.
  let start = 1;
  let state: EpochState | undefined;
  for (let e = fromEpoch - 1; e >= 1; e--) {
    const known = cache.states.get(e);
    if (known) {
      start = e + 1;
      state = known;
      break;
    }
  }
  if (!state) {
    const checkpoint = loadCheckpoint(id);
    if (checkpoint && checkpoint.epoch < fromEpoch && checkpoint.epoch >= 1 && checkpoint.epoch <= toEpoch) {
      const restored = stateFromJson(checkpoint.state);
      if (stateHash(restored) === acceptedStateOf(checkpoint.epoch)) {
        cache.states.set(checkpoint.epoch, restored);
        start = checkpoint.epoch + 1;
        state = restored;
      }
    }
  }

  const reader = readerFor(client, chainId, contracts);
  const total = toEpoch - start + 1;
  for (let e = start; e <= toEpoch; e++) {
    const knownState = cache.states.get(e);
    if (knownState && (!wanted(e) || cache.results.has(e))) {
      state = knownState;
      options.onProgress?.({ netuid, done: e - start + 1, total, epoch: e });
      continue;
    }
    const record = records.get(e)!;
    const snapshot = await reader.snapshot({
      netuid,
      generation,
      epoch: e,
      snapshotBlock: record.snapshotBlock,
      pot: record.pot,
      maxValidatorsAtClose: record.maxValidators,
    });
    const startState =
      e === 1 || !state
        ? firstEpochState(snapshot.neurons)
        : carryState(state, records.get(e - 1)!.snapshotBlock, snapshot.neurons);
    const built = buildReport(snapshot, startState);
    const digest = reportDigest(built.report);
    if (digest !== record.reportDigest) {
      throw new RecomputeMismatchError(
        `epoch ${e} of subnet ${netuid}: the report recomputed from chain data has digest ${digest}, the chain accepted ${record.reportDigest}`,
      );
    }
    const next = built.nextState;
    if (stateHash(next) !== acceptedStateOf(e)) {
      throw new RecomputeMismatchError(
        `epoch ${e} of subnet ${netuid}: the engine state differs from the accepted one`,
      );
    }
    cache.states.set(e, next);
    if (wanted(e)) {
      const tree = resultsTree(built.leaves);
      if (tree.root !== record.resultsRoot) {
        throw new RecomputeMismatchError(
          `epoch ${e} of subnet ${netuid}: results root ${tree.root} differs from the chain's ${record.resultsRoot}`,
        );
      }
      cache.results.set(
        e,
        resultsOf(
          netuid,
          generation,
          record,
          built.leaves,
          tree,
          built.validators.map((v) => v.uid),
        ),
      );
    }
    state = next;
    options.onProgress?.({ netuid, done: e - start + 1, total, epoch: e });
  }
  if (state) saveCheckpoint(id, { epoch: toEpoch, state: stateToJson(state) });
  return collect();
}

/** Forgets every cached state and result (tests). */
export function resetRecomputeCaches(): void {
  caches.clear();
  readers.clear();
}
