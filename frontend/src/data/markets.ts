/**
 * Every subnet market, refreshed on each new block. With a connected wallet, the first paint takes three JSON-RPC
 * calls whatever the number of subnets:
 *   1. `eth_getBalance` (the account bar's balance);
 *   2. `eth_getLogs` finds the wallet's positions (positions.ts; cached across blocks);
 *   3. one `eth_call` at the latest block: `MarketsLens.marketsAndStakes(coldkey, positions)`, every market and the
 *      stake of each position, with the block's number from Multicall3's `getBlockNumber` in the same call
 *      (`readAtHead`; without a wallet, `MarketsLens.markets()`, and the page takes that one call).
 * The new-block watcher starts one polling interval later (`eth_blockNumber`); each block after the one shown costs
 * that poll and one more call 3. The volume over the last 24 hours needs the lens's cumulative volumes at the block
 * about 24 h before: one more `eth_call` (`markets()` at that block), a query of its own that follows the table
 * (refreshed every few hundred blocks), so the table never waits for it.
 *
 * This module is the only place that knows the lens's field names.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Hex, PublicClient } from "viem";
import { useConnection, usePublicClient } from "wagmi";

import { BLOCK_SECONDS, isKnownChain } from "../config/chains.ts";
import { type Contracts, useContracts } from "./contracts.ts";
import { useHeadQuery } from "./head.ts";
import { readAtHead } from "./multicall.ts";
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
  const { coldkey, keys, isLoading: keysLoading, error: keysError } = usePositionKeys();
  // A wallet that connected on an earlier visit reconnects as the page opens: the first read waits for it, rather
  // than reading the markets without its positions and again with them.
  const { status } = useConnection();
  const walletSettling = status === "reconnecting" || status === "connecting";
  const now = useHeadQuery({
    queryKey: [
      ...marketsQueryKey(chainId),
      coldkey ?? "none",
      (keys ?? []).map((k) => `${k.netuid}/${k.hotkey}`).join(),
    ],
    enabled: Boolean(client && contracts && !keysLoading && !walletSettling),
    read: async () => {
      if (!client || !contracts) throw new Error("not ready");
      return readNow(client, contracts, coldkey, coldkey ? (keys ?? []) : []);
    },
  });
  const blockNumber = now.data?.blockNumber;
  const windowStartBlock =
    contracts && blockNumber !== undefined
      ? windowStart(blockNumber, blocksPerDay(chainId), contracts.MarketsLens.startBlock)
      : undefined;
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
    now.data && windowStartBlock !== undefined
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
    isLoading: now.isLoading,
    error: now.error ?? keysError,
  };
}

/**
 * The markets and the positions' stakes at the latest block, with that block's number, in one `eth_call` of the lens
 * (through Multicall3 for the block number: `readAtHead`).
 */
async function readNow(
  client: PublicClient,
  contracts: Contracts,
  coldkey: Hex | undefined,
  keys: readonly PositionKey[],
): Promise<{ blockNumber: bigint; markets: Market[]; positions: { key: PositionKey; alphaRao: bigint }[] }> {
  const lens = contracts.MarketsLens;
  if (!coldkey || keys.length === 0) {
    const {
      blockNumber,
      results: [markets],
    } = await readAtHead(client, [{ address: lens.address, abi: lens.abi, functionName: "markets" }] as const);
    return { blockNumber, markets: markets.map(toMarket), positions: [] };
  }
  const {
    blockNumber,
    results: [[markets, stakesAlphaRao]],
  } = await readAtHead(client, [
    {
      address: lens.address,
      abi: lens.abi,
      functionName: "marketsAndStakes",
      args: [coldkey, keys.map((k) => ({ hotkey: k.hotkey, netuid: k.netuid }))],
    },
  ] as const);
  return {
    blockNumber,
    markets: markets.map(toMarket),
    positions: keys.map((key, i) => ({ key, alphaRao: stakesAlphaRao[i] ?? 0n })),
  };
}
