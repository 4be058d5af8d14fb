/**
 * One finalised epoch's per-uid results (incentive, alpha and root dividends), recomputed from chain data by the
 * keepers' code in the browser (epochs/recompute.ts, loaded on demand) and checked against the chain's results root.
 * Finalised results never change, so each epoch is computed once per session.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { usePublicClient } from "wagmi";

import type { EpochResults, RecomputeProgress } from "../epochs/recompute.ts";
import { useContracts } from "./contracts.ts";

export interface UidResult {
  uid: number;
  hotkey: `0x${string}`;
  incentiveAlphaRao: bigint;
  alphaDividendAlphaRao: bigint;
  rootDividendAlphaRao: bigint;
}

const byDescending = (value: (r: UidResult) => bigint) => (a: UidResult, b: UidResult) =>
  value(b) > value(a) ? 1 : value(b) < value(a) ? -1 : a.uid - b.uid;

export const dividendsAlphaRao = (r: UidResult) => r.alphaDividendAlphaRao + r.rootDividendAlphaRao;

/** The `count` uids with the most incentive (miners), leaving out those with none. */
export function topMiners(leaves: readonly UidResult[], count = 3): UidResult[] {
  return leaves
    .filter((l) => l.incentiveAlphaRao > 0n)
    .sort(byDescending((l) => l.incentiveAlphaRao))
    .slice(0, count);
}

/** The `count` uids with the most dividends, alpha and root together (validators), leaving out those with none. */
export function topValidators(leaves: readonly UidResult[], count = 3): UidResult[] {
  return leaves
    .filter((l) => dividendsAlphaRao(l) > 0n)
    .sort(byDescending(dividendsAlphaRao))
    .slice(0, count);
}

export function useEpochResults(target: { netuid: number; generation: number; epoch: number } | undefined) {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const [progress, setProgress] = useState<RecomputeProgress | undefined>(undefined);
  const query = useQuery({
    queryKey: ["epochResults", chainId, target?.netuid, target?.generation, target?.epoch],
    enabled: Boolean(client && contracts && target && target.epoch > 0),
    staleTime: Infinity,
    retry: false,
    queryFn: async (): Promise<EpochResults> => {
      if (!client || !contracts || !target) throw new Error("not ready");
      const { recomputeEpochs } = await import("../epochs/recompute.ts");
      try {
        const [result] = await recomputeEpochs({
          client,
          chainId,
          contracts,
          netuid: target.netuid,
          generation: target.generation,
          fromEpoch: target.epoch,
          toEpoch: target.epoch,
          onProgress: setProgress,
        });
        if (!result) throw new Error(`epoch ${target.epoch} of subnet ${target.netuid} could not be recomputed`);
        return result;
      } finally {
        setProgress(undefined);
      }
    },
  });
  return { results: query.data, progress, isLoading: query.isFetching, error: query.error };
}
