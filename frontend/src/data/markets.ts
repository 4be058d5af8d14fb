/**
 * Every subnet market, refreshed on each new block, in three JSON-RPC calls whatever the number of subnets:
 *   1. `eth_blockNumber` (the new-block watcher) gives N;
 *   2. one `eth_call` at N: `MarketsLens.markets()` (with a wallet, one more: its positions' `getStake` in a
 *      deployless Multicall3);
 *   3. one `eth_call` of `MarketsLens.markets()` at the block about 24 h before N, for the volume over the window.
 * Calls 2 and 3 are sent together (one HTTP request with JSON-RPC batching). With a wallet connected, the position
 * keys come from one `eth_getLogs` (positions.ts), cached across blocks.
 *
 * This module is the only place that knows the lens's field names.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Hex, PublicClient } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";

import { BLOCK_SECONDS, isKnownChain } from "../config/chains.ts";
import { type Contracts, useContracts } from "./contracts.ts";
import { readAll } from "./multicall.ts";
import { type PositionKey, usePositionKeys } from "./positions.ts";

type LensMarket = Awaited<ReturnType<typeof readLensMarkets>>[number];

export interface Market {
  netuid: number;
  name: string;
  owner: `0x${string}`;
  registeredAtBlock: number;
  tempoBlocks: number;
  neurons: number;
  taoReserveRao: bigint;
  alphaReserveRao: bigint;
  alphaOutstandingRao: bigint;
  spotPriceWad: bigint;
  movingPriceWad: bigint;
  emissionShareWad: bigint;
  /** Cumulative TAO traded through the pool since it opened. */
  volumeTotalRao: bigint;
  feeRateOf65535: bigint;
  minStakeRao: bigint;
  lastAccrualBlock: bigint;
  pendingOwnerCutAlphaRao: bigint;
  pendingServerAlphaRao: bigint;
  pendingValidatorAlphaRao: bigint;
}

async function readLensMarkets(client: PublicClient, contracts: Contracts, blockNumber?: bigint) {
  const lens = contracts.MarketsLens;
  return client.readContract({
    address: lens.address,
    abi: lens.abi,
    functionName: "markets",
    ...(blockNumber === undefined ? {} : { blockNumber }),
  });
}

/** The lens's struct in the dApp's own names (units in every name). */
export function toMarket(m: LensMarket): Market {
  return {
    netuid: m.netuid,
    name: m.name,
    owner: m.owner,
    registeredAtBlock: m.registeredAt,
    tempoBlocks: m.tempo,
    neurons: m.neurons,
    taoReserveRao: m.taoReserveRao,
    alphaReserveRao: m.alphaReserveRao,
    alphaOutstandingRao: m.alphaOutstandingRao,
    spotPriceWad: m.spotPriceWad,
    movingPriceWad: m.movingPriceWad,
    emissionShareWad: m.emissionShareWad,
    volumeTotalRao: m.volumeRao,
    feeRateOf65535: BigInt(m.feeRate),
    minStakeRao: m.minStakeRao,
    lastAccrualBlock: m.lastAccrualBlock,
    pendingOwnerCutAlphaRao: m.pendingOwnerCut,
    pendingServerAlphaRao: m.pendingServer,
    pendingValidatorAlphaRao: m.pendingValidator,
  };
}

export interface MarketRow extends Market {
  /** TAO traded over the window (undefined when the RPC cannot read the older state). */
  volumeWindowRao: bigint | undefined;
  /** The account's alpha on this subnet, over all its hotkeys (0 without a wallet). */
  positionAlphaRao: bigint;
}

export interface MarketsSnapshot {
  blockNumber: bigint;
  /** The block the volume window starts at, and its length in blocks (shorter than 24 h on a young chain). */
  windowStartBlock: bigint;
  windowBlocks: bigint;
  rows: MarketRow[];
}

/** Blocks in 24 hours on `chainId`. */
export function blocksPerDay(chainId: number): bigint {
  const seconds = isKnownChain(chainId) ? BLOCK_SECONDS[chainId] : 12;
  return BigInt(Math.round(86_400 / Math.max(1, seconds)));
}

/** Pure part of the markets read: joins now, then and the positions into rows. */
export function buildSnapshot(input: {
  blockNumber: bigint;
  windowStartBlock: bigint;
  now: readonly Market[];
  then: readonly Market[] | undefined;
  positions: readonly { key: PositionKey; alphaRao: bigint }[];
}): MarketsSnapshot {
  const thenByNetuid = new Map((input.then ?? []).map((m) => [m.netuid, m]));
  const positionByNetuid = new Map<number, bigint>();
  for (const p of input.positions) {
    positionByNetuid.set(p.key.netuid, (positionByNetuid.get(p.key.netuid) ?? 0n) + p.alphaRao);
  }
  const rows = input.now.map((m): MarketRow => {
    let volumeWindowRao: bigint | undefined;
    if (input.then) {
      const before = thenByNetuid.get(m.netuid);
      // The same pool instance: its cumulative volume only grows. Otherwise the pool opened within the window.
      volumeWindowRao =
        before && before.registeredAtBlock === m.registeredAtBlock && before.volumeTotalRao <= m.volumeTotalRao
          ? m.volumeTotalRao - before.volumeTotalRao
          : m.volumeTotalRao;
    }
    return { ...m, volumeWindowRao, positionAlphaRao: positionByNetuid.get(m.netuid) ?? 0n };
  });
  return {
    blockNumber: input.blockNumber,
    windowStartBlock: input.windowStartBlock,
    windowBlocks: input.blockNumber - input.windowStartBlock,
    rows,
  };
}

export const marketsQueryKey = (chainId: number) => ["markets", chainId] as const;

export function useMarkets() {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { data: blockNumber, error: blockError } = useBlockNumber({ chainId, watch: true });
  const { coldkey, keys, isLoading: keysLoading, error: keysError } = usePositionKeys();

  const query = useQuery({
    queryKey: [...marketsQueryKey(chainId), blockNumber?.toString(), coldkey ?? "none", keys?.length ?? 0],
    enabled: Boolean(client && contracts && blockNumber !== undefined && !keysLoading),
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<MarketsSnapshot> => {
      if (!client || !contracts || blockNumber === undefined) throw new Error("not ready");
      const windowStartBlock = maxBig(contracts.MarketsLens.startBlock, blockNumber - blocksPerDay(chainId));
      const positionKeys = coldkey ? (keys ?? []) : [];
      const [nowPart, thenPart] = await Promise.all([
        readNow(client, contracts, blockNumber, coldkey, positionKeys),
        readLensMarkets(client, contracts, windowStartBlock).then(
          (list) => list.map(toMarket),
          // A pruned RPC node may not keep the older state: the window's volume is then unknown, not zero.
          () => undefined,
        ),
      ]);
      return buildSnapshot({
        blockNumber,
        windowStartBlock,
        now: nowPart.markets,
        then: thenPart,
        positions: nowPart.positions,
      });
    },
  });
  return {
    chainId,
    deployed: Boolean(contracts),
    snapshot: query.data,
    isLoading: query.isLoading || (blockNumber === undefined && !blockError),
    error: query.error ?? blockError ?? keysError,
  };
}

async function readNow(
  client: PublicClient,
  contracts: Contracts,
  blockNumber: bigint,
  coldkey: Hex | undefined,
  keys: readonly PositionKey[],
): Promise<{ markets: Market[]; positions: { key: PositionKey; alphaRao: bigint }[] }> {
  if (!coldkey || keys.length === 0) {
    return { markets: (await readLensMarkets(client, contracts, blockNumber)).map(toMarket), positions: [] };
  }
  const pools = contracts.AlphaPools;
  // The stakes travel in their own deployless multicall: a deployless call returns its result as contract code, which
  // nodes cap at 24 KB (EIP-170), and the lens's answer for 128 subnets is larger than that.
  const [markets, stakes] = await Promise.all([
    readLensMarkets(client, contracts, blockNumber),
    readAll(
      client,
      keys.map(
        (k) =>
          ({
            address: pools.address,
            abi: pools.abi,
            functionName: "getStake",
            args: [k.hotkey, coldkey, k.netuid],
          }) as const,
      ),
      blockNumber,
    ),
  ]);
  return {
    markets: markets.map(toMarket),
    positions: keys.map((key, i) => ({ key, alphaRao: stakes[i] as unknown as bigint })),
  };
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
