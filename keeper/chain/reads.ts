/**
 * Reading the chain for the keeper: progress and epoch records, snapshots at a block (`eth_call` with that block
 * number: the state at the end of the block), the metagraph's logs for the weights, and the submitted reports.
 * Every call goes through the retry policy.
 */
import {
  decodeFunctionData,
  encodeEventTopics,
  numberToHex,
  parseEventLogs,
  toHex,
  type Address,
  type Hex,
  type Log,
  type PublicClient,
} from "viem";

import {
  applyMetagraphEvents,
  reportDigest,
  snapshotWeights,
  type MetagraphEvent,
  type Pot,
  type Report,
  type Snapshot,
  type SnapshotNeuron,
  type WeightRows,
} from "../core/index.ts";
import type { KeeperAbis, KeeperAddresses } from "./contracts.ts";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry.ts";

export const STATUS = ["None", "Closed", "Submitted", "Finalised"] as const;
export type EpochStatus = (typeof STATUS)[number];

export interface Progress {
  readonly generation: number;
  readonly closedEpoch: number;
  readonly finalisedEpoch: number;
  /** 0 when the subnet is not emitting (no start call, or inactive). */
  readonly nextDueBlock: number;
}

/** `EpochSettlement.epochRecord`: an epoch of one subnet instance (the pot as the keeper's `Pot`). */
export interface EpochRecord {
  readonly status: EpochStatus;
  readonly snapshotBlock: number;
  readonly challengeDeadline: number;
  /** The validator bound at the close: finalisation pays at most this many uids' dividends, plus the owner's. */
  readonly maxValidators: number;
  /** After finalisation: what claims may still take (incentive, and the dividends finalisation did not pay). */
  readonly claimableAlphaRao: bigint;
  readonly pot: Pot;
  /** The accepted report's EIP-712 digest, once submitted (zero before). */
  readonly reportDigest: Hex;
  /** Set at finalisation, for the claims. */
  readonly resultsRoot: Hex;
}

/** The submission of a report as the chain recorded it. */
export interface SubmittedReport {
  readonly generation: number;
  readonly inputsHash: Hex;
  readonly reportDigest: Hex;
  readonly stateHash: Hex;
  readonly resultsRoot: Hex;
  readonly signers: readonly Address[];
  readonly blockNumber: number;
  readonly transactionHash: Hex;
  /**
   * The report itself, decoded from the transaction's calldata and checked against the digest (absent when it was
   * sent through another contract): what finalisation presents again.
   */
  readonly report?: Report;
}

/** The subnet instance a snapshot belongs to is gone from the chain (pruned, re-registered). */
export class SnapshotUnavailableError extends Error {
  override name = "SnapshotUnavailableError";
}

const LOG_CHUNK_BLOCKS = 50_000;
const NEURON_PAGE = 128;

interface WeightsCache {
  rows: WeightRows;
  through: number;
  throughHash: Hex;
}

export class ChainReader {
  readonly client: PublicClient;
  readonly addresses: KeeperAddresses;
  readonly abis: KeeperAbis;
  readonly chainId: bigint;
  readonly retry: RetryPolicy;
  readonly onRetry: ((what: string, attempt: number, error: unknown) => void) | undefined;
  private readonly weightsCache = new Map<string, WeightsCache>();
  private readonly resetBlocks = new Map<string, number>();

  constructor(options: {
    client: PublicClient;
    addresses: KeeperAddresses;
    abis: KeeperAbis;
    chainId: bigint;
    retry?: RetryPolicy;
    onRetry?: (what: string, attempt: number, error: unknown) => void;
  }) {
    this.client = options.client;
    this.addresses = options.addresses;
    this.abis = options.abis;
    this.chainId = options.chainId;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.onRetry = options.onRetry;
  }

  /** Runs one RPC read under the retry policy. */
  call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(what, fn, this.retry, this.onRetry);
  }

  async blockNumber(): Promise<number> {
    return Number(await this.call("eth_blockNumber", () => this.client.getBlockNumber({ cacheTime: 0 })));
  }

  async blockHash(block: number): Promise<Hex> {
    const b = await this.call(`block ${block}`, () => this.client.getBlock({ blockNumber: BigInt(block) }));
    return b.hash;
  }

  async activeNetuids(): Promise<number[]> {
    const netuids = await this.call("activeNetuids", () =>
      this.client.readContract({
        address: this.addresses.registry,
        abi: this.abis.registry,
        functionName: "activeNetuids",
      }),
    );
    return netuids.map(Number);
  }

  async isActive(netuid: number): Promise<boolean> {
    return this.call(`isActive(${netuid})`, () =>
      this.client.readContract({
        address: this.addresses.registry,
        abi: this.abis.registry,
        functionName: "isActive",
        args: [netuid],
      }),
    );
  }

  async progress(netuid: number): Promise<Progress> {
    const [generation, closedEpoch, finalisedEpoch, nextDueBlock] = await this.call(`progress(${netuid})`, () =>
      this.client.readContract({
        address: this.addresses.settlement,
        abi: this.abis.settlement,
        functionName: "progress",
        args: [netuid],
      }),
    );
    return { generation, closedEpoch, finalisedEpoch, nextDueBlock: Number(nextDueBlock) };
  }

  async epochRecord(netuid: number, generation: number, epoch: number): Promise<EpochRecord> {
    const r = await this.call(`epochRecord(${netuid}, ${generation}, ${epoch})`, () =>
      this.client.readContract({
        address: this.addresses.settlement,
        abi: this.abis.settlement,
        functionName: "epochRecord",
        args: [netuid, generation, epoch],
      }),
    );
    return {
      status: STATUS[r.status] ?? "None",
      snapshotBlock: r.snapshotBlock,
      challengeDeadline: r.challengeDeadline,
      maxValidators: r.maxValidators,
      claimableAlphaRao: r.claimableAlphaRao,
      pot: {
        ownerCutAlphaRao: r.potOwnerCutAlphaRao,
        serverAlphaRao: r.potServerAlphaRao,
        validatorAlphaRao: r.potValidatorAlphaRao,
        rootAlphaRao: r.potRootAlphaRao,
      },
      reportDigest: r.reportDigest,
      resultsRoot: r.resultsRoot,
    };
  }

  async isKeeper(address: Address): Promise<boolean> {
    return this.call(`isKeeper(${address})`, () =>
      this.client.readContract({
        address: this.addresses.settlement,
        abi: this.abis.settlement,
        functionName: "isKeeper",
        args: [address],
      }),
    );
  }

  async quorum(): Promise<number> {
    return this.call("quorum", () =>
      this.client.readContract({
        address: this.addresses.settlement,
        abi: this.abis.settlement,
        functionName: "quorum",
      }),
    );
  }

  async isClaimed(netuid: number, generation: number, epoch: number, uid: number): Promise<boolean> {
    return this.call(`isClaimed(${netuid}, ${epoch}, ${uid})`, () =>
      this.client.readContract({
        address: this.addresses.settlement,
        abi: this.abis.settlement,
        functionName: "isClaimed",
        args: [netuid, generation, epoch, uid],
      }),
    );
  }

  /** Whether finalisation paid `uid`'s dividends (it was in the validator list); the others claim them. */
  async isPaidAtFinalisation(netuid: number, generation: number, epoch: number, uid: number): Promise<boolean> {
    return this.call(`isPaidAtFinalisation(${netuid}, ${epoch}, ${uid})`, () =>
      this.client.readContract({
        address: this.addresses.settlement,
        abi: this.abis.settlement,
        functionName: "isPaidAtFinalisation",
        args: [netuid, generation, epoch, uid],
      }),
    );
  }

  /** The digest the contract computes for a report (tests compare it with the core's). */
  async contractDigest(report: Report): Promise<Hex> {
    return this.call("reportDigest", () =>
      this.client.readContract({
        address: this.addresses.settlement,
        abi: this.abis.settlement,
        functionName: "reportDigest",
        args: [report],
      }),
    );
  }

  /* SNAPSHOTS */

  /**
   * Everything the report depends on, as of the end of `snapshotBlock`: hyperparameters, owner keys, TAO weight,
   * every neuron with its stakes, and the weights (logs checked against the commitments at that block).
   */
  async snapshot(args: {
    netuid: number;
    generation: number;
    epoch: number;
    snapshotBlock: number;
    pot: Pot;
    /** `EpochRecord.maxValidators`. */
    maxValidatorsAtClose: number;
  }): Promise<Snapshot> {
    const { netuid, generation, snapshotBlock } = args;
    const blockNumber = BigInt(snapshotBlock);
    const at = { blockNumber } as const;
    const { registry, metagraph, pools } = this.addresses;
    const abis = this.abis;
    const [config, hp, subnet, coinbase, count] = await Promise.all([
      this.call("subnetConfig", () =>
        this.client.readContract({
          ...at,
          address: pools,
          abi: abis.pools,
          functionName: "subnetConfig",
          args: [netuid],
        }),
      ),
      this.call("hyperparameters", () =>
        this.client.readContract({
          ...at,
          address: registry,
          abi: abis.registry,
          functionName: "hyperparameters",
          args: [netuid],
        }),
      ),
      this.call("subnet", () =>
        this.client.readContract({
          ...at,
          address: registry,
          abi: abis.registry,
          functionName: "subnet",
          args: [netuid],
        }),
      ),
      this.call("coinbaseParams", () =>
        this.client.readContract({ ...at, address: pools, abi: abis.pools, functionName: "coinbaseParams" }),
      ),
      this.call("neuronCount", () =>
        this.client.readContract({
          ...at,
          address: metagraph,
          abi: abis.metagraph,
          functionName: "neuronCount",
          args: [netuid],
        }),
      ),
    ]);
    if (config.generation !== generation || !config.active) {
      throw new SnapshotUnavailableError(
        `netuid ${netuid} at block ${snapshotBlock} is generation ${config.generation}${config.active ? "" : " (inactive)"}, not ${generation}`,
      );
    }
    const pages: Promise<readonly SnapshotNeuron[]>[] = [];
    for (let from = 0; from < count; from += NEURON_PAGE) {
      pages.push(
        this.call(`neurons(${netuid}, ${from})`, () =>
          this.client.readContract({
            ...at,
            address: metagraph,
            abi: abis.metagraph,
            functionName: "neurons",
            args: [netuid, from, NEURON_PAGE],
          }),
        ).then((list) =>
          list.map((n) => ({
            uid: n.uid,
            hotkey: n.hotkey,
            coldkey: n.coldkey,
            registeredAt: n.registeredAt,
            lastUpdate: n.lastUpdate,
            validatorPermit: n.validatorPermit,
            alphaStakeRao: n.alphaStakeRao,
            rootStakeRao: n.rootStakeRao,
          })),
        ),
      );
    }
    const neurons = (await Promise.all(pages)).flat();
    const commitments = await Promise.all(
      neurons.map((_, uid) =>
        this.call(`weightsCommitment(${netuid}, ${uid})`, () =>
          this.client.readContract({
            ...at,
            address: metagraph,
            abi: abis.metagraph,
            functionName: "weightsCommitment",
            args: [netuid, uid],
          }),
        ),
      ),
    );
    const rows = await this.weightRows(netuid, generation, snapshotBlock);
    const weights = snapshotWeights(rows, neurons, commitments);
    return {
      chainId: this.chainId,
      settlement: this.addresses.settlement,
      netuid,
      generation,
      epoch: args.epoch,
      snapshotBlock,
      pot: args.pot,
      maxValidatorsAtClose: args.maxValidatorsAtClose,
      hyperparameters: {
        tempo: hp.tempo,
        maxValidators: hp.maxValidators,
        kappaOf65535: hp.kappaOf65535,
        bondsMovingAveragePpm: hp.bondsMovingAveragePpm,
        bondsPenaltyOf65535: hp.bondsPenaltyOf65535,
        yuma3: hp.yuma3,
        liquidAlpha: hp.liquidAlpha,
        alphaLowOf65535: hp.alphaLowOf65535,
        alphaHighOf65535: hp.alphaHighOf65535,
        alphaSigmoidSteepness: hp.alphaSigmoidSteepness,
        activityCutoff: hp.activityCutoff,
      },
      ownerHotkey: subnet.ownerHotkey,
      ownerColdkey: subnet.ownerColdkey,
      taoWeightWad: coinbase[2],
      neurons,
      weights,
      weightsCommitments: commitments,
    };
  }

  /* LOGS */

  private async rawLogs(address: Address, topics: (Hex | Hex[] | null)[], from: number, to: number): Promise<Log[]> {
    const logs: Log[] = [];
    for (let start = from; start <= to; start += LOG_CHUNK_BLOCKS) {
      const end = Math.min(to, start + LOG_CHUNK_BLOCKS - 1);
      const chunk = await this.call(`eth_getLogs ${start}-${end}`, () =>
        this.client.request({
          method: "eth_getLogs",
          params: [{ address, topics, fromBlock: numberToHex(start), toBlock: numberToHex(end) }],
        }),
      );
      logs.push(...(chunk as unknown as Log[]));
    }
    return logs;
  }

  /** The metagraph's logs of `netuid` in [from, to], in chain order, as weight events. */
  async metagraphEvents(netuid: number, from: number, to: number): Promise<MetagraphEvent[]> {
    if (to < from) return [];
    const abi = this.abis.metagraph;
    const signature = (eventName: "SubnetReset" | "NeuronRegistered" | "WeightsSet") =>
      encodeEventTopics({ abi, eventName })[0];
    const netuidTopic = toHex(netuid, { size: 32 });
    const raw = await this.rawLogs(
      this.addresses.metagraph,
      [[signature("SubnetReset"), signature("NeuronRegistered"), signature("WeightsSet")], netuidTopic],
      from,
      to,
    );
    const order = (l: Log) => [Number(BigInt(l.blockNumber ?? 0)), Number(BigInt(l.logIndex ?? 0))] as const;
    raw.sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1]);
    const events: MetagraphEvent[] = [];
    for (const log of parseEventLogs({ abi, logs: raw })) {
      if (log.eventName === "SubnetReset") events.push({ kind: "reset", generation: log.args.generation });
      else if (log.eventName === "NeuronRegistered") {
        events.push({ kind: "registered", uid: log.args.uid, hotkey: log.args.hotkey });
      } else if (log.eventName === "WeightsSet") {
        events.push({
          kind: "weights",
          uid: log.args.uid,
          hotkey: log.args.hotkey,
          uids: log.args.uids.slice(),
          values: log.args.values.slice(),
        });
      }
    }
    return events;
  }

  /** The block of the `SubnetReset` that opened this generation of `netuid`. */
  async resetBlock(netuid: number, generation: number, atOrBefore: number): Promise<number> {
    const key = `${netuid}:${generation}`;
    const known = this.resetBlocks.get(key);
    if (known !== undefined && known <= atOrBefore) return known;
    const abi = this.abis.metagraph;
    const topic = encodeEventTopics({ abi, eventName: "SubnetReset" })[0];
    const logs = parseEventLogs({
      abi,
      eventName: "SubnetReset",
      logs: await this.rawLogs(
        this.addresses.metagraph,
        [topic, toHex(netuid, { size: 32 })],
        this.addresses.startBlock,
        atOrBefore,
      ),
    });
    const found = logs.find((l) => l.args.generation === generation);
    if (found?.blockNumber == null) {
      throw new SnapshotUnavailableError(
        `no SubnetReset of netuid ${netuid} generation ${generation} up to block ${atOrBefore}`,
      );
    }
    const block = Number(found.blockNumber);
    this.resetBlocks.set(key, block);
    return block;
  }

  /**
   * Each uid's latest weights as of the end of `block`, for this subnet instance. Kept per instance and extended
   * incrementally; dropped when the block it was built through changed hash (a reorg).
   */
  async weightRows(netuid: number, generation: number, block: number): Promise<WeightRows> {
    const key = `${netuid}:${generation}`;
    let cache = this.weightsCache.get(key);
    if (cache !== undefined && (cache.through > block || (await this.blockHash(cache.through)) !== cache.throughHash)) {
      cache = undefined;
    }
    let rows: WeightRows;
    let from: number;
    if (cache === undefined) {
      rows = new Map();
      from = await this.resetBlock(netuid, generation, block);
    } else {
      rows = new Map(cache.rows);
      from = cache.through + 1;
    }
    applyMetagraphEvents(rows, await this.metagraphEvents(netuid, from, block));
    this.weightsCache.set(key, { rows: new Map(rows), through: block, throughHash: await this.blockHash(block) });
    return rows;
  }

  /* REPORTS */

  /** The `SubmitReport` of this epoch whose digest is `digest` (the epoch record's), with the report's calldata. */
  async submittedReport(
    netuid: number,
    epoch: number,
    digest: Hex,
    fromBlock: number,
    options: { calldata?: boolean } = {},
  ): Promise<SubmittedReport | undefined> {
    const abi = this.abis.settlement;
    const topics = encodeEventTopics({ abi, eventName: "SubmitReport", args: { netuid, epoch } }) as Hex[];
    const latest = await this.blockNumber();
    const logs = parseEventLogs({
      abi,
      eventName: "SubmitReport",
      logs: await this.rawLogs(this.addresses.settlement, topics, fromBlock, latest),
    });
    const log = logs.find((l) => l.args.reportDigest === digest);
    if (log === undefined || log.transactionHash == null || log.blockNumber == null) return undefined;
    const transactionHash = log.transactionHash;
    const base = {
      generation: log.args.generation,
      inputsHash: log.args.inputsHash,
      reportDigest: log.args.reportDigest,
      stateHash: log.args.stateHash,
      resultsRoot: log.args.resultsRoot,
      signers: log.args.signers.slice(),
      blockNumber: Number(log.blockNumber),
      transactionHash,
    };
    if (options.calldata === false) return base;
    const tx = await this.call(`transaction ${transactionHash}`, () =>
      this.client.getTransaction({ hash: transactionHash }),
    );
    let report: Report | undefined;
    if (tx.to?.toLowerCase() === this.addresses.settlement.toLowerCase()) {
      try {
        const call = decodeFunctionData({ abi, data: tx.input });
        if (call.functionName === "submitReport") report = { ...(call.args[0] as Report) };
      } catch {
        report = undefined;
      }
    }
    // The calldata is the accepted report only if it hashes to the digest the chain kept.
    if (report !== undefined && reportDigest(report) !== digest) report = undefined;
    return { ...base, ...(report ? { report } : {}) };
  }
}
