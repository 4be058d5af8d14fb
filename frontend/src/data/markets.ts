/**
 * Every subnet market, refreshed on each new block. With a connected wallet, the first paint takes three JSON-RPC
 * calls whatever the number of subnets:
 *   1. `eth_blockNumber` (the new-block watcher) gives N;
 *   2. `eth_getLogs` finds the wallet's positions (positions.ts; cached across blocks);
 *   3. one `eth_call` at N: `MarketsLens.marketsAndStakes(coldkey, positions)`, every market and the stake of each
 *      position as of N (without a wallet, `MarketsLens.markets()`).
 * Each later block costs calls 1 and 3. The volume over the last 24 hours needs the lens's cumulative volumes at the
 * block about 24 h before N: one more `eth_call` (`markets()` at that block), a query of its own that follows the
 * table (refreshed every few hundred blocks), so the table never waits for it.
 *
 * This module is the only place that knows the lens's field names.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Hex, PublicClient } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";

import { BLOCK_SECONDS, isKnownChain } from "../config/chains.ts";
import { type Contracts, useContracts } from "./contracts.ts";
import { type PositionKey, usePositionKeys } from "./positions.ts";

type LensMarket = Awaited<ReturnType<typeof readLensMarkets>>[number];

export interface Market {
  netuid: number;
  name: string;
  owner: `0x${string}`;
  ownerHotkey: Hex;
  registeredAtBlock: number;
  firstEmissionBlock: number;
  tempoBlocks: number;
  neurons: number;
  taoReserveRao: bigint;
  alphaReserveAlphaRao: bigint;
  alphaOutstandingAlphaRao: bigint;
  spotPriceWad: bigint;
  /** subtensor's moving (EMA) price, capped at 1 TAO per alpha. */
  movingPriceWad: bigint;
  emissionShareWad: bigint;
  /** Cumulative TAO traded through the pool since it opened. */
  volumeTotalRao: bigint;
  feeRateOf65535: bigint;
  minerBurnOf65535: bigint;
  minStakeRao: bigint;
  transfersEnabled: boolean;
  lastAccrualBlock: bigint;
  pendingOwnerCutAlphaRao: bigint;
  pendingServerAlphaRao: bigint;
  pendingValidatorAlphaRao: bigint;
  pendingRootAlphaRao: bigint;
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
    ownerHotkey: m.ownerHotkey,
    registeredAtBlock: m.registeredAt,
    firstEmissionBlock: m.firstEmissionBlock,
    tempoBlocks: m.tempo,
    neurons: m.neurons,
    taoReserveRao: m.taoReserveRao,
    alphaReserveAlphaRao: m.alphaReserveAlphaRao,
    alphaOutstandingAlphaRao: m.alphaOutstandingAlphaRao,
    spotPriceWad: m.spotPriceWad,
    movingPriceWad: m.movingPriceWad,
    emissionShareWad: m.emissionShareWad,
    volumeTotalRao: m.volumeRao,
    feeRateOf65535: BigInt(m.feeRateOf65535),
    minerBurnOf65535: BigInt(m.minerBurnOf65535),
    minStakeRao: m.minStakeRao,
    transfersEnabled: m.transfersEnabled,
    lastAccrualBlock: m.lastAccrualBlock,
    pendingOwnerCutAlphaRao: m.pendingOwnerCutAlphaRao,
    pendingServerAlphaRao: m.pendingServerAlphaRao,
    pendingValidatorAlphaRao: m.pendingValidatorAlphaRao,
    pendingRootAlphaRao: m.pendingRootAlphaRao,
  };
}

export interface MarketRow extends Market {
  /** TAO traded over the window (undefined until it is read, or when the RPC cannot read the older state). */
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

/**
 * How often (in blocks) the start of the volume window moves: the older state is read once per step, not per
 * block, and the window is at most this much longer than 24 h.
 */
export const WINDOW_STEP_BLOCKS = 256n;

/** The block the 24 h volume window starts at: about a day before `blockNumber`, on a step, not before `floor`. */
export function windowStart(blockNumber: bigint, blocksInDay: bigint, floor: bigint): bigint {
  const raw = blockNumber - blocksInDay;
  const stepped = raw - (((raw % WINDOW_STEP_BLOCKS) + WINDOW_STEP_BLOCKS) % WINDOW_STEP_BLOCKS);
  return stepped > floor ? stepped : floor;
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
  const windowStartBlock =
    contracts && blockNumber !== undefined
      ? windowStart(blockNumber, blocksPerDay(chainId), contracts.MarketsLens.startBlock)
      : undefined;

  const now = useQuery({
    queryKey: [...marketsQueryKey(chainId), blockNumber?.toString(), coldkey ?? "none", keys?.length ?? 0],
    enabled: Boolean(client && contracts && blockNumber !== undefined && !keysLoading),
    placeholderData: keepPreviousData,
    queryFn: async () => {
      if (!client || !contracts || blockNumber === undefined) throw new Error("not ready");
      return readNow(client, contracts, blockNumber, coldkey, coldkey ? (keys ?? []) : []);
    },
  });
  // The lens's cumulative volumes at the window's start: read once per window step, after the table.
  const then = useQuery({
    queryKey: ["marketsWindowStart", chainId, windowStartBlock?.toString()],
    enabled: Boolean(client && contracts && windowStartBlock !== undefined && now.data),
    staleTime: Infinity,
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Market[] | null> => {
      if (!client || !contracts || windowStartBlock === undefined) throw new Error("not ready");
      // A pruned RPC node may not keep the older state: the window's volume is then unknown, not zero.
      return readLensMarkets(client, contracts, windowStartBlock).then(
        (list) => list.map(toMarket),
        () => null,
      );
    },
  });

  const snapshot =
    now.data && blockNumber !== undefined && windowStartBlock !== undefined
      ? buildSnapshot({
          blockNumber: now.data.blockNumber,
          windowStartBlock,
          now: now.data.markets,
          then: then.data ?? undefined,
          positions: now.data.positions,
        })
      : undefined;
  return {
    chainId,
    deployed: Boolean(contracts),
    snapshot,
    isLoading: now.isLoading || (blockNumber === undefined && !blockError),
    error: now.error ?? blockError ?? keysError,
  };
}

/** The markets and the positions' stakes at `blockNumber`, in one `eth_call` of the lens. */
async function readNow(
  client: PublicClient,
  contracts: Contracts,
  blockNumber: bigint,
  coldkey: Hex | undefined,
  keys: readonly PositionKey[],
): Promise<{ blockNumber: bigint; markets: Market[]; positions: { key: PositionKey; alphaRao: bigint }[] }> {
  if (!coldkey || keys.length === 0) {
    const markets = await readLensMarkets(client, contracts, blockNumber);
    return { blockNumber, markets: markets.map(toMarket), positions: [] };
  }
  const lens = contracts.MarketsLens;
  const [markets, stakesAlphaRao] = await client.readContract({
    address: lens.address,
    abi: lens.abi,
    functionName: "marketsAndStakes",
    args: [coldkey, keys.map((k) => ({ hotkey: k.hotkey, netuid: k.netuid }))],
    blockNumber,
  });
  return {
    blockNumber,
    markets: markets.map(toMarket),
    positions: keys.map((key, i) => ({ key, alphaRao: stakesAlphaRao[i] ?? 0n })),
  };
}
