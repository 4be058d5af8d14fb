/**
 * The connected account's stake positions (hotkey, netuid): found from the AlphaPools events that give its coldkey
 * stake (an indexed topic), `Stake` and `CreditStake` (a settlement's payout), in one `eth_getLogs` from the
 * contract's deployment block. The amounts themselves are read with the markets or subnet reads (`getStake` through
 * the lens), so they are always current; a position emptied since reads as 0.
 */
import { useQuery } from "@tanstack/react-query";
import { encodeEventTopics, getAbiItem, parseEventLogs, toEventSelector, type Hex } from "viem";
import { useConnection, usePublicClient } from "wagmi";

import { alphaPoolsAbi } from "../generated.ts";
import { coldkeyOf } from "../lib/units.ts";
import { useContracts } from "./contracts.ts";
import { getLogs } from "./logs.ts";

/** Events whose third indexed topic is the coldkey that received stake. */
const EVENTS = ["Stake", "CreditStake"] as const;

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
      const selectors = EVENTS.map((name) => toEventSelector(getAbiItem({ abi: alphaPoolsAbi, name })));
      const coldkeyTopic = encodeEventTopics({ abi: alphaPoolsAbi, eventName: "Stake", args: { coldkey } })[3];
      const raw = await getLogs(client, {
        address: pools.address,
        fromBlock: pools.startBlock,
        topics: [selectors, null, null, coldkeyTopic ?? null],
      });
      const logs = parseEventLogs({ abi: alphaPoolsAbi, logs: raw, eventName: [...EVENTS] });
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
