/**
 * One subnet, refreshed on each new block in one `eth_call`: its market (MarketsLens.market, as of the block), its
 * pool as stored at its last catch-up (AlphaPools.storedSubnet, what the price history's replay must reach), its
 * neurons (Metagraph.neurons) and the account's stake on each of its position hotkeys (AlphaPools.getStake).
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Hex } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";

import { useContracts } from "./contracts.ts";
import { type Market, toMarket } from "./markets.ts";
import { readAll } from "./multicall.ts";
import { usePositionKeys } from "./positions.ts";

/** More than any subnet's uid count; the contract clamps the range. */
const ALL_UIDS = 65_535;

export interface Neuron {
  uid: number;
  hotkey: Hex;
  coldkey: Hex;
  validatorPermit: boolean;
  stakeAlphaRao: bigint;
  /** Its stake on root (a validator's stake weight adds TAO weight × root stake). */
  rootStakeRao: bigint;
  emissionAlphaRao: bigint;
  lastUpdateBlock: number;
}

export interface SubnetSnapshot {
  blockNumber: bigint;
  market: Market;
  /**
   * The pool as stored at its last catch-up. The market's reserves are as of the block (the catch-up due since then
   * applied in the view), so only these can be compared with reserves replayed from events.
   */
  storedPool: { taoReserveRao: bigint; alphaReserveAlphaRao: bigint; lastAccrualBlock: number };
  neurons: Neuron[];
  /** The account's alpha per hotkey on this subnet (only hotkeys it staked to). */
  positions: { hotkey: Hex; alphaRao: bigint }[];
}

export const subnetQueryKey = (chainId: number, netuid: number) => ["subnet", chainId, netuid] as const;

export function useSubnet(netuid: number) {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { data: blockNumber } = useBlockNumber({ chainId, watch: true });
  const { coldkey, keys, isLoading: keysLoading } = usePositionKeys();
  const hotkeys = (keys ?? []).filter((k) => k.netuid === netuid).map((k) => k.hotkey);

  const query = useQuery({
    queryKey: [...subnetQueryKey(chainId, netuid), blockNumber?.toString(), coldkey ?? "none", hotkeys.join()],
    enabled: Boolean(client && contracts && blockNumber !== undefined && !keysLoading),
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<SubnetSnapshot> => {
      if (!client || !contracts || blockNumber === undefined) throw new Error("not ready");
      const { MarketsLens: lens, Metagraph: metagraph, AlphaPools: pools } = contracts;
      const [market, stored, neurons, ...stakes] = await readAll(
        client,
        [
          { address: lens.address, abi: lens.abi, functionName: "market", args: [netuid] },
          { address: pools.address, abi: pools.abi, functionName: "storedSubnet", args: [netuid] },
          { address: metagraph.address, abi: metagraph.abi, functionName: "neurons", args: [netuid, 0, ALL_UIDS] },
          ...(coldkey
            ? hotkeys.map(
                (hotkey) =>
                  ({
                    address: pools.address,
                    abi: pools.abi,
                    functionName: "getStake",
                    args: [hotkey, coldkey, netuid],
                  }) as const,
              )
            : []),
        ] as const,
        blockNumber,
      );
      return {
        blockNumber,
        market: toMarket(market as unknown as Parameters<typeof toMarket>[0]),
        storedPool: storedPoolOf(stored as unknown as readonly [StoredPool, ...unknown[]]),
        neurons: (neurons as unknown as readonly NeuronView[]).map((n) => ({
          uid: n.uid,
          hotkey: n.hotkey,
          coldkey: n.coldkey,
          validatorPermit: n.validatorPermit,
          stakeAlphaRao: n.alphaStakeRao,
          rootStakeRao: n.rootStakeRao,
          emissionAlphaRao: n.emissionAlphaRao,
          lastUpdateBlock: n.lastUpdate,
        })),
        positions: hotkeys.map((hotkey, i) => ({ hotkey, alphaRao: stakes[i] as unknown as bigint })),
      };
    },
  });
  return { snapshot: query.data, isLoading: query.isLoading, error: query.error, deployed: Boolean(contracts) };
}

/** `Metagraph.NeuronView`, as the lens-style read returns it. */
interface NeuronView {
  uid: number;
  hotkey: Hex;
  coldkey: Hex;
  emissionAlphaRao: bigint;
  registeredAt: number;
  lastUpdate: number;
  validatorPermit: boolean;
  alphaStakeRao: bigint;
  rootStakeRao: bigint;
}

/** `IAlphaPoolsTypes.Pool` as `storedSubnet` returns it (first of its three structs). */
interface StoredPool {
  taoRao: bigint;
  alphaRao: bigint;
  lastAccrualBlock: number;
}

function storedPoolOf([pool]: readonly [StoredPool, ...unknown[]]): SubnetSnapshot["storedPool"] {
  return { taoReserveRao: pool.taoRao, alphaReserveAlphaRao: pool.alphaRao, lastAccrualBlock: pool.lastAccrualBlock };
}
