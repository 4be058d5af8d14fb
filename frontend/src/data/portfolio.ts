/**
 * The connected account's positions, valued at each subnet's moving price:
 * - direct stake per (netuid, hotkey): the keys from positions.ts (stake and credits received) and the in-kind
 *   transfers it received (`MoveStake` to its coldkey, e.g. a vault's `redeemInKind`), its stakes read through the
 *   lens;
 * - vault shares: every vault the factory created (its `CreateVault` events), the account's share balance of each,
 *   and for the vaults it holds, the alpha behind the shares and what a redemption would pay now.
 *
 * Per refresh (each block): two `eth_call`s (the lens's markets and stakes with every vault's balance, then the
 * held vaults' views), after the log scans, which are cached and travel in one batched HTTP request.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type Address, type Hex, type PublicClient, parseEventLogs, toEventSelector, getAbiItem } from "viem";
import { useBlockNumber, useConnection, usePublicClient } from "wagmi";

import { alphaPoolsAbi, liquidVaultFactoryAbi } from "../generated.ts";
import { WAD, coldkeyOf } from "../lib/units.ts";
import { type Contracts, useContracts, vaultAbi } from "./contracts.ts";
import { type Market, marketsQueryKey, toMarket } from "./markets.ts";
import { readAll } from "./multicall.ts";
import { type PositionKey, positionKeysQueryKey, usePositionKeys } from "./positions.ts";
import { getLogs } from "./logs.ts";

export const portfolioQueryKey = (chainId: number) => ["portfolio", chainId] as const;

/** What a vault redemption or move changes: the positions, the pools, the balance and the account's stake keys. */
export function vaultExitQueryKeys(chainId: number, address: Address | undefined) {
  return [
    portfolioQueryKey(chainId),
    marketsQueryKey(chainId),
    ["balance"],
    positionKeysQueryKey(chainId, address ? coldkeyOf(address) : undefined),
  ];
}

export interface VaultInfo {
  vault: Address;
  netuid: number;
  hotkey: Hex;
}

export interface StakePosition {
  netuid: number;
  name: string;
  hotkey: Hex;
  alphaRao: bigint;
  movingPriceWad: bigint;
  valueRao: bigint;
}

export interface VaultPosition extends VaultInfo {
  name: string;
  shares: bigint;
  /** The alpha behind the shares (`convertToAssets`). */
  alphaRao: bigint;
  movingPriceWad: bigint;
  valueRao: bigint;
  /** What redeeming every share would pay now: TAO (`previewRedeem`) and alpha in kind (`previewRedeemInKind`). */
  redeemTaoRao: bigint;
  redeemAlphaRao: bigint;
  maxRedeemShares: bigint;
  maxRedeemInKindShares: bigint;
  live: boolean;
  transfersEnabled: boolean;
}

export interface Portfolio {
  blockNumber: bigint;
  stakes: StakePosition[];
  vaults: VaultPosition[];
  totalRao: bigint;
  /** Every subnet at that block (names, moving prices, transfer settings), for the forms. */
  markets: readonly Market[];
}

/** Alpha valued in TAO at the moving price, rounded down. */
export function valueAtMovingPriceRao(alphaRao: bigint, movingPriceWad: bigint): bigint {
  return (alphaRao * movingPriceWad) / WAD;
}

/** Joins the reads into positions with their values; empty positions are left out. Pure. */
export function buildPortfolio(input: {
  blockNumber: bigint;
  markets: readonly Market[];
  stakes: readonly { key: PositionKey; alphaRao: bigint }[];
  vaults: readonly (VaultInfo & {
    shares: bigint;
    alphaRao: bigint;
    redeemTaoRao: bigint;
    redeemAlphaRao: bigint;
    maxRedeemShares: bigint;
    maxRedeemInKindShares: bigint;
    live: boolean;
  })[];
}): Portfolio {
  const markets = new Map(input.markets.map((m) => [m.netuid, m]));
  const stakes = input.stakes
    .filter((s) => s.alphaRao > 0n)
    .map((s): StakePosition => {
      const m = markets.get(s.key.netuid);
      const movingPriceWad = m?.movingPriceWad ?? 0n;
      return {
        netuid: s.key.netuid,
        name: m?.name ?? `#${s.key.netuid}`,
        hotkey: s.key.hotkey,
        alphaRao: s.alphaRao,
        movingPriceWad,
        valueRao: valueAtMovingPriceRao(s.alphaRao, movingPriceWad),
      };
    });
  const vaults = input.vaults
    .filter((v) => v.shares > 0n)
    .map((v): VaultPosition => {
      const m = markets.get(v.netuid);
      const movingPriceWad = m?.movingPriceWad ?? 0n;
      return {
        ...v,
        name: m?.name ?? `#${v.netuid}`,
        movingPriceWad,
        // A dissolved vault holds TAO, not alpha: what a redemption pays is its value.
        valueRao: v.live ? valueAtMovingPriceRao(v.alphaRao, movingPriceWad) : v.redeemTaoRao,
        transfersEnabled: m?.transfersEnabled ?? false,
      };
    });
  const totalRao = [...stakes, ...vaults].reduce((a, p) => a + p.valueRao, 0n);
  return { blockNumber: input.blockNumber, stakes, vaults, totalRao, markets: input.markets };
}

/** Every vault the factory created, from its `CreateVault` events (cached; refreshed after an allocation). */
function useVaultList(contracts: Contracts | undefined) {
  const { chainId } = useContracts();
  const client = usePublicClient({ chainId });
  const factory = contracts?.liquid?.LiquidVaultFactory;
  return useQuery({
    queryKey: [...portfolioQueryKey(chainId), "vaults", factory?.address],
    enabled: Boolean(client && factory),
    staleTime: 60_000,
    queryFn: async (): Promise<VaultInfo[]> => {
      if (!client || !factory) return [];
      const selector = toEventSelector(getAbiItem({ abi: liquidVaultFactoryAbi, name: "CreateVault" }));
      const raw = await getLogs(client, {
        address: factory.address,
        fromBlock: factory.startBlock,
        topics: [selector],
      });
      return parseEventLogs({ abi: liquidVaultFactoryAbi, logs: raw, eventName: "CreateVault" }).map((log) => ({
        vault: log.args.vault,
        netuid: log.args.netuid,
        hotkey: log.args.hotkey,
      }));
    },
  });
}

/** The (netuid, hotkey) of stake moved or transferred to `coldkey` (`MoveStake`'s destination). */
function useMovedInKeys(contracts: Contracts | undefined, coldkey: Hex | undefined) {
  const { chainId } = useContracts();
  const client = usePublicClient({ chainId });
  return useQuery({
    queryKey: [...portfolioQueryKey(chainId), "movedIn", coldkey ?? "none"],
    enabled: Boolean(client && contracts && coldkey),
    staleTime: 60_000,
    queryFn: async (): Promise<PositionKey[]> => {
      if (!client || !contracts || !coldkey) return [];
      const selector = toEventSelector(getAbiItem({ abi: alphaPoolsAbi, name: "MoveStake" }));
      const raw = await getLogs(client, {
        address: contracts.AlphaPools.address,
        fromBlock: contracts.AlphaPools.startBlock,
        topics: [selector, null, coldkey],
      });
      return parseEventLogs({ abi: alphaPoolsAbi, logs: raw, eventName: "MoveStake" }).map((log) => ({
        netuid: log.args.destinationNetuid,
        hotkey: log.args.destinationHotkey,
      }));
    },
  });
}

export function usePortfolio() {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { address } = useConnection();
  const { data: blockNumber } = useBlockNumber({ chainId, watch: true });
  const coldkey = address ? coldkeyOf(address) : undefined;
  const positionKeys = usePositionKeys();
  const movedIn = useMovedInKeys(contracts, coldkey);
  const vaultList = useVaultList(contracts);
  const keys = mergeKeys(positionKeys.keys ?? [], movedIn.data ?? []);
  const vaults = vaultList.data ?? [];
  const ready =
    Boolean(client && contracts && address && coldkey && blockNumber !== undefined) &&
    !positionKeys.isLoading &&
    !movedIn.isLoading &&
    (!contracts?.liquid || !vaultList.isLoading);

  const query = useQuery({
    queryKey: [
      ...portfolioQueryKey(chainId),
      "positions",
      address ?? "none",
      blockNumber?.toString(),
      keys.map((k) => `${k.netuid}/${k.hotkey}`).join(),
      vaults.length,
    ],
    enabled: ready,
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Portfolio> => {
      if (!client || !contracts || !address || !coldkey || blockNumber === undefined) throw new Error("not ready");
      const lens = contracts.MarketsLens;
      const [marketsAndStakes, ...balances] = await readAll(
        client,
        [
          {
            address: lens.address,
            abi: lens.abi,
            functionName: "marketsAndStakes",
            args: [coldkey, keys.map((k) => ({ netuid: k.netuid, hotkey: k.hotkey }))],
          },
          ...vaults.map(
            (v) => ({ address: v.vault, abi: vaultAbi, functionName: "balanceOf", args: [address] }) as const,
          ),
        ] as const,
        blockNumber,
      );
      const [lensMarkets, stakesAlphaRao] = marketsAndStakes as unknown as readonly [
        readonly Parameters<typeof toMarket>[0][],
        readonly bigint[],
      ];
      const held = vaults.flatMap((v, i) => {
        const shares = balances[i] as unknown as bigint;
        return shares > 0n ? [{ ...v, shares }] : [];
      });
      const views = await readAll(
        client,
        held.flatMap(
          (v) =>
            [
              { address: v.vault, abi: vaultAbi, functionName: "convertToAssets", args: [v.shares] },
              { address: v.vault, abi: vaultAbi, functionName: "previewRedeem", args: [v.shares] },
              { address: v.vault, abi: vaultAbi, functionName: "previewRedeemInKind", args: [v.shares] },
              { address: v.vault, abi: vaultAbi, functionName: "maxRedeem", args: [address] },
              { address: v.vault, abi: vaultAbi, functionName: "maxRedeemInKind", args: [address] },
              { address: v.vault, abi: vaultAbi, functionName: "isLive" },
              { address: v.vault, abi: vaultAbi, functionName: "hotkey" },
            ] as const,
        ),
        blockNumber,
      );
      const PER_VAULT = 7;
      return buildPortfolio({
        blockNumber,
        markets: lensMarkets.map(toMarket),
        stakes: keys.map((key, i) => ({ key, alphaRao: stakesAlphaRao[i] ?? 0n })),
        vaults: held.map((v, i) => {
          const at = (k: number) => views[i * PER_VAULT + k] as unknown;
          return {
            ...v,
            // The vault's hotkey now (governance may have moved it since its creation).
            hotkey: at(6) as Hex,
            alphaRao: at(0) as bigint,
            redeemTaoRao: at(1) as bigint,
            redeemAlphaRao: at(2) as bigint,
            maxRedeemShares: at(3) as bigint,
            maxRedeemInKindShares: at(4) as bigint,
            live: at(5) as boolean,
          };
        }),
      });
    },
  });
  return {
    deployed: Boolean(contracts),
    liquidDeployed: Boolean(contracts?.liquid),
    connected: Boolean(address),
    portfolio: query.data,
    /** Every vault the factory created: where a position may move. */
    vaultList: vaults,
    isLoading: query.isLoading || (ready === false && Boolean(address)),
    error: query.error ?? positionKeys.error ?? movedIn.error ?? vaultList.error,
  };
}

function mergeKeys(a: readonly PositionKey[], b: readonly PositionKey[]): PositionKey[] {
  const seen = new Map<string, PositionKey>();
  for (const k of [...a, ...b]) seen.set(`${k.netuid}/${k.hotkey}`, k);
  return [...seen.values()].sort((x, y) => x.netuid - y.netuid || x.hotkey.localeCompare(y.hotkey));
}

/** A vault's preview of redeeming `shares` now: TAO out, or alpha out in kind. */
export function useRedeemQuote(vault: Address | undefined, shares: bigint | undefined, inKind: boolean) {
  const { chainId } = useContracts();
  const client = usePublicClient({ chainId });
  const { data: blockNumber } = useBlockNumber({ chainId, watch: true });
  return useQuery({
    queryKey: [
      ...portfolioQueryKey(chainId),
      "redeemQuote",
      vault,
      shares?.toString(),
      inKind,
      blockNumber?.toString(),
    ],
    enabled: Boolean(client && vault && shares && shares > 0n && blockNumber !== undefined),
    placeholderData: (previous) => previous,
    queryFn: async (): Promise<bigint> => {
      if (!client || !vault || !shares) throw new Error("not ready");
      return readRedeemQuote(client, vault, shares, inKind, blockNumber);
    },
  });
}

export async function readRedeemQuote(
  client: PublicClient,
  vault: Address,
  shares: bigint,
  inKind: boolean,
  blockNumber?: bigint,
): Promise<bigint> {
  return client.readContract({
    address: vault,
    abi: vaultAbi,
    functionName: inKind ? "previewRedeemInKind" : "previewRedeem",
    args: [shares],
    ...(blockNumber === undefined ? {} : { blockNumber }),
  });
}
