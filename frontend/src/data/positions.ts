/**
 * The connected account's stake positions (hotkey, netuid): found from the AlphaPools `Stake` events that carry its
 * coldkey (an indexed topic), in one `eth_getLogs` from the contract's deployment block. The amounts themselves are
 * read with the markets or subnet reads (`getStake`), so they are always current.
 */
import { useQuery } from "@tanstack/react-query";
import { getAbiItem, type Hex } from "viem";
import { useConnection, usePublicClient } from "wagmi";

import { coldkeyOf } from "../lib/units.ts";
import { useContracts } from "./contracts.ts";

export interface PositionKey {
  netuid: number;
  hotkey: Hex;
}

export const positionKeysQueryKey = (chainId: number, coldkey: Hex | undefined) =>
  ["positionKeys", chainId, coldkey ?? "none"] as const;

export function usePositionKeys() {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { address } = useConnection();
  const coldkey = address ? coldkeyOf(address) : undefined;
  const query = useQuery({
    queryKey: positionKeysQueryKey(chainId, coldkey),
    enabled: Boolean(client && contracts && coldkey),
    staleTime: 5 * 60_000,
    queryFn: async (): Promise<PositionKey[]> => {
      if (!client || !contracts || !coldkey) return [];
      const pools = contracts.AlphaPools;
      const logs = await client.getLogs({
        address: pools.address,
        event: getAbiItem({ abi: pools.abi, name: "Stake" }),
        args: { coldkey },
        fromBlock: pools.startBlock,
        toBlock: "latest",
      });
      const seen = new Map<string, PositionKey>();
      for (const log of logs) {
        const { netuid, hotkey } = log.args;
        if (netuid === undefined || hotkey === undefined) continue;
        seen.set(`${netuid}/${hotkey}`, { netuid, hotkey });
      }
      return [...seen.values()].sort((a, b) => a.netuid - b.netuid || a.hotkey.localeCompare(b.hotkey));
    },
  });
  return {
    coldkey,
    keys: coldkey ? query.data : [],
    isLoading: Boolean(coldkey) && query.isLoading,
    error: query.error,
  };
}
