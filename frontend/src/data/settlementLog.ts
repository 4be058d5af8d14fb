/**
 * The settlement's history from its events, read incrementally: `EpochSettlement`'s CloseEpoch, SubmitReport,
 * VetoReport, FinaliseEpoch and ClaimIncentive logs are folded, in chain order, into one record per epoch (when it
 * closed, every report submitted and vetoed, what finalisation credited and recycled, every claim).
 *
 * The first read scans from the contract's deployment block; each later one asks only for the blocks after the last
 * one read, so a new block costs one `eth_getLogs` over a block or two, never a rescan. The log stops
 * `CONFIRMATION_BLOCKS` short of the head, so a short reorg of the newest blocks never enters it (the page's current
 * state comes from contract reads at the head; this history trails it by those blocks).
 *
 * VetoReport, FinaliseEpoch and ClaimIncentive carry no generation: they belong to the subnet instance open when they
 * were emitted, which is the one of the last CloseEpoch/SubmitReport of that netuid (the contract refuses them for
 * any other instance).
 */
import { encodeEventTopics, parseEventLogs, type Hex, type PublicClient } from "viem";

import { epochSettlementAbi } from "../generated.ts";
import { chainOrder, getLogs } from "./logs.ts";

export const CONFIRMATION_BLOCKS = 2n;
/** Largest block range of one `eth_getLogs` (public nodes cap ranges). */
export const LOG_RANGE_BLOCKS = 10_000n;

const EVENTS = ["CloseEpoch", "SubmitReport", "VetoReport", "FinaliseEpoch", "ClaimIncentive"] as const;
type SettlementLog = ReturnType<
  typeof parseEventLogs<typeof epochSettlementAbi, true, (typeof EVENTS)[number]>
>[number];

export interface Submission {
  block: number;
  reportDigest: Hex;
  inputsHash: Hex;
  resultsRoot: Hex;
  stateHash: Hex;
  challengeDeadlineBlock: number;
  signers: readonly `0x${string}`[];
}

export interface EpochHistory {
  netuid: number;
  generation: number;
  epoch: number;
  closedAtBlock: number | undefined;
  /** Every report accepted for the epoch, oldest first (a vetoed one is followed by its replacement). */
  submissions: readonly Submission[];
  vetoes: readonly { block: number; reportDigest: Hex }[];
  finalised: { block: number; creditedAlphaRao: bigint; recycledAlphaRao: bigint } | undefined;
  claims: readonly { block: number; uid: number; hotkey: Hex; incentiveAlphaRao: bigint }[];
  /** Σ incentive claimed so far. */
  claimedIncentiveAlphaRao: bigint;
}

/** The folded log: every epoch seen, per netuid, and the block it is complete through. */
export interface SettlementHistory {
  throughBlock: bigint;
  /** Logs folded so far. */
  events: number;
  /** Per netuid, its epochs of every generation, newest first. */
  byNetuid: ReadonlyMap<number, readonly EpochHistory[]>;
}

const key = (netuid: number, generation: number, epoch: number) => `${netuid}/${generation}/${epoch}`;

function emptyEpoch(netuid: number, generation: number, epoch: number): EpochHistory {
  return {
    netuid,
    generation,
    epoch,
    closedAtBlock: undefined,
    submissions: [],
    vetoes: [],
    finalised: undefined,
    claims: [],
    claimedIncentiveAlphaRao: 0n,
  };
}

/**
 * The fold itself, pure and incremental: `apply` takes logs in chain order (each batch after the previous one) and
 * replaces the records it touches with new objects, so a consumer can compare them by reference.
 */
export class SettlementFold {
  private readonly epochs = new Map<string, EpochHistory>();
  private readonly generationOf = new Map<number, number>();
  private count = 0;

  apply(logs: readonly SettlementLog[]): void {
    for (const log of logs) {
      const block = Number(log.blockNumber);
      const { netuid, epoch } = log.args;
      let generation: number | undefined;
      if (log.eventName === "CloseEpoch" || log.eventName === "SubmitReport") {
        generation = log.args.generation;
        this.generationOf.set(netuid, generation);
      } else generation = this.generationOf.get(netuid);
      // An event of an instance whose close predates the scan cannot be placed: the scan starts at deployment, so
      // this does not happen; skip rather than misfile it.
      if (generation === undefined) continue;
      const k = key(netuid, generation, epoch);
      const before = this.epochs.get(k) ?? emptyEpoch(netuid, generation, epoch);
      let after: EpochHistory;
      switch (log.eventName) {
        case "CloseEpoch":
          after = { ...before, closedAtBlock: Number(log.args.snapshotBlock) };
          break;
        case "SubmitReport":
          after = {
            ...before,
            submissions: [
              ...before.submissions,
              {
                block,
                reportDigest: log.args.reportDigest,
                inputsHash: log.args.inputsHash,
                resultsRoot: log.args.resultsRoot,
                stateHash: log.args.stateHash,
                challengeDeadlineBlock: Number(log.args.challengeDeadline),
                signers: log.args.signers,
              },
            ],
          };
          break;
        case "VetoReport":
          after = { ...before, vetoes: [...before.vetoes, { block, reportDigest: log.args.reportDigest }] };
          break;
        case "FinaliseEpoch":
          after = {
            ...before,
            finalised: {
              block,
              creditedAlphaRao: log.args.creditedAlphaRao,
              recycledAlphaRao: log.args.recycledAlphaRao,
            },
          };
          break;
        case "ClaimIncentive":
          after = {
            ...before,
            claims: [
              ...before.claims,
              { block, uid: log.args.uid, hotkey: log.args.hotkey, incentiveAlphaRao: log.args.incentiveAlphaRao },
            ],
            claimedIncentiveAlphaRao: before.claimedIncentiveAlphaRao + log.args.incentiveAlphaRao,
          };
          break;
      }
      this.epochs.set(k, after);
      this.count++;
    }
  }

  /** The epochs folded so far, per netuid, newest first (by generation, then epoch). */
  view(throughBlock: bigint): SettlementHistory {
    const byNetuid = new Map<number, EpochHistory[]>();
    for (const e of this.epochs.values()) {
      const list = byNetuid.get(e.netuid) ?? [];
      list.push(e);
      byNetuid.set(e.netuid, list);
    }
    for (const list of byNetuid.values()) list.sort((a, b) => b.generation - a.generation || b.epoch - a.epoch);
    return { throughBlock, events: this.count, byNetuid };
  }
}

/**
 * A fold kept up to date against one settlement contract: `sync(head)` reads the logs of the blocks after the last
 * read, up to `head − CONFIRMATION_BLOCKS`, in ranges of at most `LOG_RANGE_BLOCKS`.
 */
export class SettlementLogReader {
  readonly address: `0x${string}`;
  private readonly fold = new SettlementFold();
  private next: bigint;
  private through: bigint;
  private running: Promise<SettlementHistory> | undefined;
  /** `eth_getLogs` requests sent so far (the component tests count them). */
  requests = 0;

  constructor(address: `0x${string}`, startBlock: bigint) {
    this.address = address;
    this.next = startBlock;
    this.through = startBlock - 1n;
  }

  sync(client: PublicClient, head: bigint): Promise<SettlementHistory> {
    // One sync at a time: a second caller waits for the first and then catches up from where it ended.
    const previous = this.running ?? Promise.resolve(undefined);
    const run = previous.then(() => this.syncNow(client, head));
    this.running = run.catch(() => this.fold.view(this.through));
    return run;
  }

  private async syncNow(client: PublicClient, head: bigint): Promise<SettlementHistory> {
    const target = head - CONFIRMATION_BLOCKS;
    const selectors = EVENTS.map((eventName) => encodeEventTopics({ abi: epochSettlementAbi, eventName })[0]);
    while (this.next <= target) {
      const to = this.next + LOG_RANGE_BLOCKS - 1n < target ? this.next + LOG_RANGE_BLOCKS - 1n : target;
      this.requests++;
      const raw = await getLogs(client, {
        address: this.address,
        fromBlock: this.next,
        toBlock: to,
        topics: [selectors],
      });
      this.fold.apply(chainOrder(parseEventLogs({ abi: epochSettlementAbi, logs: raw, eventName: [...EVENTS] })));
      this.through = to;
      this.next = to + 1n;
    }
    return this.fold.view(this.through);
  }
}

const readers = new Map<string, SettlementLogReader>();

/** The one reader per chain and contract (kept across pages, so returning to a page rescans nothing). */
export function settlementLogReader(chainId: number, address: `0x${string}`, startBlock: bigint): SettlementLogReader {
  const id = `${chainId}:${address.toLowerCase()}`;
  let reader = readers.get(id);
  if (!reader) {
    reader = new SettlementLogReader(address, startBlock);
    readers.set(id, reader);
  }
  return reader;
}

/** Forgets every reader (tests start each case from scratch). */
export function resetSettlementLogReaders(): void {
  readers.clear();
}
