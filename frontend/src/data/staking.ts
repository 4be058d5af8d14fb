/**
 * Staking: the live quotes (the lens's `quoteStake` / `quoteUnstake`, the pools as of the block, refreshed per
 * block) and the AlphaPools calls the transaction component sends. The only place that knows these function names
 * and argument orders.
 */
import { useQuery } from "@tanstack/react-query";
import type { Hex, PublicClient } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";

import type { TxRequest } from "../tx/TxButton.tsx";
import { raoToWei } from "../lib/units.ts";
import { type Contracts, useContracts } from "./contracts.ts";

/** The chain's quote for a stake of `taoRao` or an unstake of `alphaRao` on `netuid`, at the latest block. */
export function useChainQuote(side: "stake" | "unstake", netuid: number, amount: bigint | undefined) {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { data: blockNumber } = useBlockNumber({ chainId, watch: true });
  return useQuery({
    queryKey: ["quote", chainId, side, netuid, amount?.toString(), blockNumber?.toString()],
    enabled: Boolean(client && contracts && amount && amount > 0n && blockNumber !== undefined),
    placeholderData: (previous) => previous,
    queryFn: async (): Promise<bigint> => {
      if (!client || !contracts || !amount || blockNumber === undefined) throw new Error("not ready");
      const lens = contracts.MarketsLens;
      return client.readContract({
        address: lens.address,
        abi: lens.abi,
        functionName: side === "stake" ? "quoteStake" : "quoteUnstake",
        args: [netuid, amount],
        blockNumber,
      });
    },
  });
}

/** The latest block's timestamp: the chain's clock, for deadlines. */
export async function chainTime(client: PublicClient): Promise<bigint> {
  return (await client.getBlock({ blockTag: "latest" })).timestamp;
}

export function stakeLimitRequest(
  contracts: Contracts,
  p: { hotkey: Hex; netuid: number; amountRao: bigint; limitPriceRao: bigint; deadline: bigint },
): TxRequest {
  const pools = contracts.AlphaPools;
  return {
    address: pools.address,
    abi: pools.abi,
    functionName: "addStakeLimit",
    // allowPartial = false: all or nothing within the limit, so the user gets what the quote said or keeps the TAO.
    args: [p.hotkey, p.netuid, p.limitPriceRao, false, p.deadline],
    value: raoToWei(p.amountRao),
  };
}

export function unstakeLimitRequest(
  contracts: Contracts,
  p: { hotkey: Hex; netuid: number; alphaRao: bigint; limitPriceRao: bigint; deadline: bigint },
): TxRequest {
  const pools = contracts.AlphaPools;
  return {
    address: pools.address,
    abi: pools.abi,
    functionName: "removeStakeLimit",
    args: [p.hotkey, p.netuid, p.alphaRao, p.limitPriceRao, false, p.deadline],
  };
}
