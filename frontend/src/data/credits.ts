/**
 * Claiming credits: the unclaimed leaves of finalised epochs that belong to the connected account's hotkeys (those
 * its coldkey owns now, per the metagraph) or to hotkeys typed in, with their Merkle proofs.
 *
 * The leaves come from recomputing the epochs' reports in the browser (epochs/recompute.ts, loaded on demand): the
 * chain keeps only each report's results root. Only subnets where one of the hotkeys is a neuron, and only epochs
 * whose record still has something to claim, are recomputed; the recomputation must reproduce the chain's digest and
 * root, or no proof is offered. Whether each leaf is claimed, and whether finalisation already paid its dividends, is
 * then read from the contract on every block (one multicall), so a claim by anyone shows at once.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Hex, PublicClient } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";

import type { RecomputeProgress } from "../epochs/recompute.ts";
import type { TxRequest } from "../tx/TxButton.tsx";
import { type Credit, type CreditBatch, creditAmountAlphaRao } from "../pages/claimForm.ts";
import { type Contracts, useContracts } from "./contracts.ts";
import { type EpochRecord, type EpochsSnapshot, toEpochRecord } from "./epochs.ts";
import { readAll } from "./multicall.ts";

/** How far back (in epochs of each subnet) credits are looked for. */
export const CREDIT_EPOCHS = 256;
const ALL_UIDS = 65_535;

export interface CreditCandidate extends Credit {
  /** What the epoch's record still lets claims take. */
  epochClaimableAlphaRao: bigint;
}

export interface CreditsResult {
  /** Unclaimed credits, newest epoch first. */
  credits: CreditCandidate[];
  /** Subnets looked at (a hotkey of the set is a neuron there) and epochs recomputed. */
  subnetsScanned: number;
  epochsRecomputed: number;
}

export const creditsQueryKey = (chainId: number) => ["credits", chainId] as const;

interface Scope {
  netuid: number;
  name: string;
  generation: number;
  finalisedEpoch: number;
  /** Hotkeys of the set that are neurons of this subnet now, with their owner coldkey. */
  hotkeys: Map<Hex, Hex>;
}

/** Which subnets to scan: those where a hotkey of the set (owned by `coldkey`, or typed) is a neuron now. */
async function scopes(
  client: PublicClient,
  contracts: Contracts,
  epochs: EpochsSnapshot,
  coldkey: Hex | undefined,
  typed: readonly Hex[],
): Promise<Scope[]> {
  const settled = epochs.subnets.filter((s) => s.progress.finalisedEpoch > 0);
  if (settled.length === 0 || (!coldkey && typed.length === 0)) return [];
  const m = contracts.Metagraph;
  const lists = (await readAll(
    client,
    settled.map(
      (s) => ({ address: m.address, abi: m.abi, functionName: "neurons", args: [s.netuid, 0, ALL_UIDS] }) as const,
    ),
    epochs.blockNumber,
  )) as unknown as (readonly { hotkey: Hex; coldkey: Hex }[])[];
  const wanted = new Set(typed.map((h) => h.toLowerCase()));
  return settled.flatMap((s, i): Scope[] => {
    const hotkeys = new Map<Hex, Hex>();
    for (const n of lists[i] ?? []) {
      if ((coldkey && n.coldkey.toLowerCase() === coldkey.toLowerCase()) || wanted.has(n.hotkey.toLowerCase())) {
        hotkeys.set(n.hotkey.toLowerCase() as Hex, n.coldkey);
      }
    }
    return hotkeys.size === 0
      ? []
      : [
          {
            netuid: s.netuid,
            name: s.name,
            generation: s.progress.generation,
            finalisedEpoch: s.progress.finalisedEpoch,
            hotkeys,
          },
        ];
  });
}

async function recordsOf(
  client: PublicClient,
  contracts: Contracts,
  scope: Scope,
  from: number,
  blockNumber: bigint,
): Promise<EpochRecord[]> {
  const s = contracts.EpochSettlement;
  const epochs: number[] = [];
  for (let e = from; e <= scope.finalisedEpoch; e++) epochs.push(e);
  const raw = (await readAll(
    client,
    epochs.map(
      (epoch) =>
        ({
          address: s.address,
          abi: s.abi,
          functionName: "epochRecord",
          args: [scope.netuid, scope.generation, epoch],
        }) as const,
    ),
    blockNumber,
  )) as unknown as Parameters<typeof toEpochRecord>[1][];
  return epochs.map((epoch, i) => toEpochRecord(epoch, raw[i]!));
}

/** The leaves of the set's hotkeys in epochs with something left to claim (recomputed), before the claimed check. */
export async function findCandidates(options: {
  client: PublicClient;
  chainId: number;
  contracts: Contracts;
  epochs: EpochsSnapshot;
  coldkey: Hex | undefined;
  typed: readonly Hex[];
  onProgress?: (progress: RecomputeProgress & { subnet: string }) => void;
}): Promise<CreditsResult> {
  const { client, contracts, epochs } = options;
  const found = await scopes(client, contracts, epochs, options.coldkey, options.typed);
  const credits: CreditCandidate[] = [];
  let epochsRecomputed = 0;
  for (const scope of found) {
    const from = Math.max(1, scope.finalisedEpoch - CREDIT_EPOCHS + 1);
    const open = (await recordsOf(client, contracts, scope, from, epochs.blockNumber)).filter(
      (r) => r.claimableAlphaRao > 0n,
    );
    if (open.length === 0) continue;
    const { recomputeEpochs } = await import("../epochs/recompute.ts");
    const results = await recomputeEpochs({
      client,
      chainId: options.chainId,
      contracts,
      netuid: scope.netuid,
      generation: scope.generation,
      fromEpoch: open[0]!.epoch,
      toEpoch: open[open.length - 1]!.epoch,
      onProgress: (p) => options.onProgress?.({ ...p, subnet: scope.name }),
    });
    epochsRecomputed += results.length;
    for (const record of open) {
      const result = results.find((r) => r.epoch === record.epoch);
      if (!result) continue;
      for (const leaf of result.leaves) {
        const owner = scope.hotkeys.get(leaf.hotkey.toLowerCase() as Hex);
        if (owner === undefined) continue;
        const dividendsDue = !result.paidAtFinalisationUids.has(leaf.uid);
        const amountAlphaRao = creditAmountAlphaRao(leaf, dividendsDue);
        if (amountAlphaRao === 0n) continue;
        credits.push({
          netuid: scope.netuid,
          subnetName: scope.name,
          generation: scope.generation,
          epoch: record.epoch,
          uid: leaf.uid,
          hotkey: leaf.hotkey,
          incentiveAlphaRao: leaf.incentiveAlphaRao,
          alphaDividendAlphaRao: leaf.alphaDividendAlphaRao,
          rootDividendAlphaRao: leaf.rootDividendAlphaRao,
          dividendsDue,
          amountAlphaRao,
          proof: result.proof(leaf.uid),
          ownerColdkey: owner,
          epochClaimableAlphaRao: record.claimableAlphaRao,
        });
      }
    }
  }
  credits.sort((a, b) => b.epoch - a.epoch || a.netuid - b.netuid || a.uid - b.uid);
  return { credits, subnetsScanned: found.length, epochsRecomputed };
}

/**
 * The chain's word on each candidate at `blockNumber`: claimed or not, dividends paid at finalisation or not (they
 * must agree with the recomputed report), and the epoch's claimable budget. Returns the credits still open.
 */
export async function checkCandidates(
  client: PublicClient,
  contracts: Contracts,
  candidates: readonly CreditCandidate[],
  blockNumber: bigint,
): Promise<{ open: CreditCandidate[]; claimed: CreditCandidate[] }> {
  if (candidates.length === 0) return { open: [], claimed: [] };
  const s = contracts.EpochSettlement;
  const reads = candidates.flatMap(
    (c) =>
      [
        { address: s.address, abi: s.abi, functionName: "isClaimed", args: [c.netuid, c.generation, c.epoch, c.uid] },
        {
          address: s.address,
          abi: s.abi,
          functionName: "isPaidAtFinalisation",
          args: [c.netuid, c.generation, c.epoch, c.uid],
        },
        { address: s.address, abi: s.abi, functionName: "epochRecord", args: [c.netuid, c.generation, c.epoch] },
      ] as const,
  );
  const results = (await readAll(client, reads, blockNumber)) as unknown as unknown[];
  const open: CreditCandidate[] = [];
  const claimed: CreditCandidate[] = [];
  candidates.forEach((c, i) => {
    const isClaimed = results[3 * i] as boolean;
    const paid = results[3 * i + 1] as boolean;
    const record = toEpochRecord(c.epoch, results[3 * i + 2] as Parameters<typeof toEpochRecord>[1]);
    if (paid === c.dividendsDue) {
      throw new Error(
        `uid ${c.uid} of subnet ${c.netuid}, epoch ${c.epoch}: the chain says its dividends were ${paid ? "" : "not "}paid at finalisation, the recomputed report says the opposite`,
      );
    }
    const current = { ...c, epochClaimableAlphaRao: record.claimableAlphaRao };
    (isClaimed ? claimed : open).push(current);
  });
  return { open, claimed };
}

/**
 * The credits of the connected account's hotkeys and of `typed` hotkeys. The recomputation runs when the finalised
 * epochs change; the claimed flags are read on every block.
 */
export function useCredits(epochs: EpochsSnapshot | undefined, coldkey: Hex | undefined, typed: readonly Hex[]) {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { data: blockNumber } = useBlockNumber({ chainId, watch: true });
  const [progress, setProgress] = useState<(RecomputeProgress & { subnet: string }) | undefined>(undefined);
  const finalised = epochs?.subnets.map((s) => `${s.netuid}:${s.progress.generation}:${s.progress.finalisedEpoch}`);
  const candidates = useQuery({
    queryKey: [...creditsQueryKey(chainId), "candidates", coldkey ?? "none", typed.join(), finalised?.join()],
    enabled: Boolean(client && contracts && epochs && (coldkey || typed.length > 0)),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
    queryFn: async () => {
      if (!client || !contracts || !epochs) throw new Error("not ready");
      try {
        return await findCandidates({
          client,
          chainId,
          contracts,
          epochs,
          coldkey,
          typed,
          onProgress: setProgress,
        });
      } finally {
        setProgress(undefined);
      }
    },
  });
  const checked = useQuery({
    queryKey: [
      ...creditsQueryKey(chainId),
      "claimed",
      blockNumber?.toString(),
      candidates.data?.credits.map((c) => `${c.netuid}:${c.epoch}:${c.uid}`).join(),
    ],
    enabled: Boolean(client && contracts && candidates.data && blockNumber !== undefined),
    placeholderData: keepPreviousData,
    queryFn: async () => {
      if (!client || !contracts || !candidates.data || blockNumber === undefined) throw new Error("not ready");
      return checkCandidates(client, contracts, candidates.data.credits, blockNumber);
    },
  });
  return {
    credits: checked.data?.open,
    claimed: checked.data?.claimed,
    scan: candidates.data,
    progress,
    isLoading: candidates.isFetching || checked.isLoading,
    error: candidates.error ?? checked.error,
    rescan: () => candidates.refetch(),
  };
}

/** The call that claims `credit` (anyone may send it; the stake goes to the hotkey's owner). */
export function claimRequest(contracts: Contracts, credit: Credit): TxRequest {
  const s = contracts.EpochSettlement;
  return {
    address: s.address,
    abi: s.abi,
    functionName: "claimIncentive",
    args: [
      credit.netuid,
      credit.epoch,
      credit.uid,
      credit.hotkey,
      credit.incentiveAlphaRao,
      credit.alphaDividendAlphaRao,
      credit.rootDividendAlphaRao,
      credit.proof,
    ],
  };
}

/** One `claimIncentives` call for a batch of one epoch's credits: the contract pays each leaf as a claim would. */
export function claimBatchRequest(contracts: Contracts, batch: CreditBatch): TxRequest {
  const s = contracts.EpochSettlement;
  return {
    address: s.address,
    abi: s.abi,
    functionName: "claimIncentives",
    args: [
      batch.netuid,
      batch.epoch,
      batch.credits.map((c) => ({
        uid: c.uid,
        hotkey: c.hotkey,
        incentiveAlphaRao: c.incentiveAlphaRao,
        alphaDividendAlphaRao: c.alphaDividendAlphaRao,
        rootDividendAlphaRao: c.rootDividendAlphaRao,
        proof: c.proof,
      })),
    ],
  };
}
