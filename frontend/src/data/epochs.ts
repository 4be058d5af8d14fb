/**
 * Every subnet's epochs, refreshed on each new block: where its settlement stands (`EpochSettlement.progress`: the
 * last closed and finalised epoch, the next due block), the open epoch's record (its pot, and once a report is in, the
 * challenge deadline), and the last epochs' pots with what they paid.
 *
 * Per block: the subnets' names and tempos (`MarketsLens.markets`), then one multicall of every subnet's progress,
 * then one multicall of the records it names; all three at the same block. What the epochs paid comes from the
 * settlement's events (settlementLog.ts), read incrementally. This module is the only place that knows the
 * settlement's view names.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Hex, PublicClient } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";

import { BLOCK_SECONDS, isKnownChain } from "../config/chains.ts";
import { type Contracts, useContracts } from "./contracts.ts";
import { readAll } from "./multicall.ts";
import { type EpochHistory, type SettlementHistory, settlementLogReader } from "./settlementLog.ts";

/** Epochs of each subnet shown in its history (the newest ones). */
export const RECENT_EPOCHS = 6;

export const EPOCH_STATUS = ["None", "Closed", "Submitted", "Finalised"] as const;
export type EpochStatus = (typeof EPOCH_STATUS)[number];

export interface Pot {
  ownerCutAlphaRao: bigint;
  serverAlphaRao: bigint;
  validatorAlphaRao: bigint;
  rootAlphaRao: bigint;
}

/** `IEpochSettlement.EpochRecord` in the dApp's names. */
export interface EpochRecord {
  epoch: number;
  status: EpochStatus;
  snapshotBlock: number;
  /** Finalisable from this block on (0 until a report is submitted). */
  challengeDeadlineBlock: number;
  maxValidators: number;
  /** What claims may still take (after finalisation). */
  claimableAlphaRao: bigint;
  pot: Pot;
  reportDigest: Hex;
  resultsRoot: Hex;
}

export interface Progress {
  generation: number;
  closedEpoch: number;
  finalisedEpoch: number;
  /** 0 while the subnet does not emit (no start call yet). */
  nextDueBlock: bigint;
}

/** One past epoch: its record joined with what its events say it paid. */
export interface EpochRow {
  record: EpochRecord;
  history: EpochHistory | undefined;
}

export interface SubnetEpochs {
  netuid: number;
  name: string;
  tempoBlocks: number;
  progress: Progress;
  /** Blocks until the next epoch can be closed (≤ 0: due now), or undefined while the subnet does not emit. */
  blocksUntilDue: bigint | undefined;
  /** The closed epoch waiting for its report or its finalisation, if any. */
  open: EpochRecord | undefined;
  lastFinalised: EpochRecord | undefined;
  /** The newest epochs, newest first. */
  recent: EpochRow[];
}

export interface EpochsSnapshot {
  blockNumber: bigint;
  blockSeconds: number;
  subnets: SubnetEpochs[];
  /** The block the event history is complete through (it trails the head by a couple of blocks). */
  historyThroughBlock: bigint | undefined;
}

export const potTotalAlphaRao = (pot: Pot) =>
  pot.ownerCutAlphaRao + pot.serverAlphaRao + pot.validatorAlphaRao + pot.rootAlphaRao;

type RawRecord = {
  status: number;
  snapshotBlock: number;
  challengeDeadline: number;
  maxValidators: number;
  claimableAlphaRao: bigint;
  potOwnerCutAlphaRao: bigint;
  potServerAlphaRao: bigint;
  potValidatorAlphaRao: bigint;
  potRootAlphaRao: bigint;
  reportDigest: Hex;
  resultsRoot: Hex;
};

export function toEpochRecord(epoch: number, r: RawRecord): EpochRecord {
  return {
    epoch,
    status: EPOCH_STATUS[r.status] ?? "None",
    snapshotBlock: r.snapshotBlock,
    challengeDeadlineBlock: r.challengeDeadline,
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

/** The epochs whose records a subnet's row needs: the newest `RECENT_EPOCHS` up to the last closed one. */
export function recentEpochs(progress: Pick<Progress, "closedEpoch">, count = RECENT_EPOCHS): number[] {
  const epochs: number[] = [];
  for (let e = progress.closedEpoch; e >= 1 && epochs.length < count; e--) epochs.push(e);
  return epochs;
}

/** Pure part: joins the reads and the event history into rows. */
export function buildEpochs(input: {
  blockNumber: bigint;
  blockSeconds: number;
  subnets: readonly SubnetName[];
  progress: readonly Progress[];
  records: ReadonlyMap<string, EpochRecord>;
  history: SettlementHistory | undefined;
}): EpochsSnapshot {
  const subnets = input.subnets.map((s, i): SubnetEpochs => {
    const p = input.progress[i]!;
    const record = (epoch: number) => input.records.get(recordKey(s.netuid, p.generation, epoch));
    const events = input.history?.byNetuid.get(s.netuid) ?? [];
    const recent = recentEpochs(p).flatMap((epoch): EpochRow[] => {
      const r = record(epoch);
      return r ? [{ record: r, history: events.find((e) => e.generation === p.generation && e.epoch === epoch) }] : [];
    });
    return {
      netuid: s.netuid,
      name: s.name,
      tempoBlocks: s.tempoBlocks,
      progress: p,
      blocksUntilDue: p.nextDueBlock === 0n ? undefined : p.nextDueBlock - input.blockNumber,
      open: p.closedEpoch > p.finalisedEpoch ? record(p.closedEpoch) : undefined,
      lastFinalised: p.finalisedEpoch > 0 ? record(p.finalisedEpoch) : undefined,
      recent,
    };
  });
  return {
    blockNumber: input.blockNumber,
    blockSeconds: input.blockSeconds,
    subnets,
    historyThroughBlock: input.history?.throughBlock,
  };
}

export const recordKey = (netuid: number, generation: number, epoch: number) => `${netuid}/${generation}/${epoch}`;

export const epochsQueryKey = (chainId: number) => ["epochs", chainId] as const;

export interface SubnetName {
  netuid: number;
  name: string;
  tempoBlocks: number;
}

/** Reads the settlement state of every subnet at `blockNumber` (three `eth_call`s). */
export async function readEpochs(
  client: PublicClient,
  contracts: Contracts,
  blockNumber: bigint,
): Promise<{ subnets: SubnetName[]; progress: Progress[]; records: Map<string, EpochRecord> }> {
  const lens = contracts.MarketsLens;
  const markets = await client.readContract({
    address: lens.address,
    abi: lens.abi,
    functionName: "markets",
    blockNumber,
  });
  const subnets = markets.map((m) => ({ netuid: m.netuid, name: m.name, tempoBlocks: m.tempo }));
  return { subnets, ...(await readEpochsOf(client, contracts, subnets, blockNumber)) };
}

/** The progress of `subnets` and the records of their recent epochs at `blockNumber` (two `eth_call`s). */
export async function readEpochsOf(
  client: PublicClient,
  contracts: Contracts,
  subnets: readonly SubnetName[],
  blockNumber: bigint,
): Promise<{ progress: Progress[]; records: Map<string, EpochRecord> }> {
  const settlement = contracts.EpochSettlement;
  const rawProgress =
    subnets.length === 0
      ? []
      : await readAll(
          client,
          subnets.map(
            (s) =>
              ({
                address: settlement.address,
                abi: settlement.abi,
                functionName: "progress",
                args: [s.netuid],
              }) as const,
          ),
          blockNumber,
        );
  const progress = rawProgress.map(([generation, closedEpoch, finalisedEpoch, nextDueBlock]) => ({
    generation,
    closedEpoch,
    finalisedEpoch,
    nextDueBlock,
  }));
  const wanted = subnets.flatMap((s, i) =>
    recentEpochs(progress[i]!).map((epoch) => ({ netuid: s.netuid, generation: progress[i]!.generation, epoch })),
  );
  const records = new Map<string, EpochRecord>();
  if (wanted.length > 0) {
    const raw = (await readAll(
      client,
      wanted.map(
        (w) =>
          ({
            address: settlement.address,
            abi: settlement.abi,
            functionName: "epochRecord",
            args: [w.netuid, w.generation, w.epoch],
          }) as const,
      ),
      blockNumber,
    )) as unknown as RawRecord[];
    wanted.forEach((w, i) => records.set(recordKey(w.netuid, w.generation, w.epoch), toEpochRecord(w.epoch, raw[i]!)));
  }
  return { progress, records };
}

/** The settlement's event history, caught up to the block before last on each new block. */
export function useSettlementHistory() {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { data: blockNumber } = useBlockNumber({ chainId, watch: true });
  return useQuery({
    queryKey: ["settlementHistory", chainId, contracts?.EpochSettlement.address, blockNumber?.toString()],
    enabled: Boolean(client && contracts && blockNumber !== undefined),
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<SettlementHistory> => {
      if (!client || !contracts || blockNumber === undefined) throw new Error("not ready");
      const s = contracts.EpochSettlement;
      return settlementLogReader(chainId, s.address, s.startBlock).sync(client, blockNumber);
    },
  });
}

export function useEpochs() {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { data: blockNumber, error: blockError } = useBlockNumber({ chainId, watch: true });
  const history = useSettlementHistory();
  const reads = useQuery({
    queryKey: [...epochsQueryKey(chainId), blockNumber?.toString()],
    enabled: Boolean(client && contracts && blockNumber !== undefined),
    placeholderData: keepPreviousData,
    queryFn: async () => {
      if (!client || !contracts || blockNumber === undefined) throw new Error("not ready");
      return { blockNumber, ...(await readEpochs(client, contracts, blockNumber)) };
    },
  });
  const snapshot = reads.data
    ? buildEpochs({
        blockNumber: reads.data.blockNumber,
        blockSeconds: isKnownChain(chainId) ? BLOCK_SECONDS[chainId] : 12,
        subnets: reads.data.subnets,
        progress: reads.data.progress,
        records: reads.data.records,
        history: history.data,
      })
    : undefined;
  return {
    chainId,
    deployed: Boolean(contracts),
    snapshot,
    isLoading: reads.isLoading || (blockNumber === undefined && !blockError),
    error: reads.error ?? blockError ?? history.error,
  };
}

/** One subnet's epochs (the Subnet page's panel): its progress and recent records, two `eth_call`s per block. */
export function useSubnetEpochs(subnet: SubnetName | undefined) {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { data: blockNumber } = useBlockNumber({ chainId, watch: true });
  const history = useSettlementHistory();
  const reads = useQuery({
    queryKey: [...epochsQueryKey(chainId), "subnet", subnet?.netuid, blockNumber?.toString()],
    enabled: Boolean(client && contracts && subnet && blockNumber !== undefined),
    placeholderData: keepPreviousData,
    queryFn: async () => {
      if (!client || !contracts || !subnet || blockNumber === undefined) throw new Error("not ready");
      return { blockNumber, ...(await readEpochsOf(client, contracts, [subnet], blockNumber)) };
    },
  });
  const snapshot =
    reads.data && subnet
      ? buildEpochs({
          blockNumber: reads.data.blockNumber,
          blockSeconds: isKnownChain(chainId) ? BLOCK_SECONDS[chainId] : 12,
          subnets: [subnet],
          progress: reads.data.progress,
          records: reads.data.records,
          history: history.data,
        })
      : undefined;
  return { epochs: snapshot?.subnets[0], snapshot, isLoading: reads.isLoading, error: reads.error ?? history.error };
}
