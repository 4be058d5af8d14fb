/**
 * Liquid staking reads and writes: the factory's minimum deposit, each subnet's validators (whose vaults an
 * allocation goes to), the router's per-leg preview, a move's quote, and the router and vault calls the transaction
 * component sends.
 * The only place that knows the router's and the vaults' function names and argument orders.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Address, Hex, PublicClient } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";

import type { TxRequest } from "../tx/TxButton.tsx";
import { raoToWei } from "../lib/units.ts";
import { type LiquidContracts, useContracts, vaultAbi } from "./contracts.ts";
import { readAll } from "./multicall.ts";

/** More than any subnet's uid count; the contract clamps the range. */
const ALL_UIDS = 65_535;

export const liquidQueryKey = (chainId: number) => ["liquid", chainId] as const;

/** `LiquidVaultFactory.MIN_DEPOSIT_RAO` (an immutable: read once). */
export function useMinDeposit() {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const liquid = contracts?.liquid;
  return useQuery({
    queryKey: [...liquidQueryKey(chainId), "minDeposit", liquid?.LiquidVaultFactory.address],
    enabled: Boolean(client && liquid),
    staleTime: Infinity,
    queryFn: async (): Promise<bigint> => {
      if (!client || !liquid) throw new Error("not ready");
      const f = liquid.LiquidVaultFactory;
      return client.readContract({ address: f.address, abi: f.abi, functionName: "MIN_DEPOSIT_RAO" });
    },
  });
}

export interface Validator {
  uid: number;
  hotkey: Hex;
  stakeAlphaRao: bigint;
}

/** Sorted by stake, largest first: the first is the subnet's top validator (an allocation's default). */
export function validatorsOf(
  neurons: readonly { uid: number; hotkey: Hex; validatorPermit: boolean; alphaStakeRao: bigint }[],
): Validator[] {
  return neurons
    .filter((n) => n.validatorPermit)
    .map((n) => ({ uid: n.uid, hotkey: n.hotkey, stakeAlphaRao: n.alphaStakeRao }))
    .sort((a, b) => (b.stakeAlphaRao > a.stakeAlphaRao ? 1 : b.stakeAlphaRao < a.stakeAlphaRao ? -1 : a.uid - b.uid));
}

/** The validators of each of `netuids`, in one `eth_call` (split only when the results outgrow a call). */
export function useValidators(netuids: readonly number[]) {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const sorted = [...new Set(netuids)].sort((a, b) => a - b);
  return useQuery({
    queryKey: ["validators", chainId, sorted.join()],
    enabled: Boolean(client && contracts && sorted.length > 0),
    staleTime: 60_000,
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Map<number, Validator[]>> => {
      if (!client || !contracts) throw new Error("not ready");
      const m = contracts.Metagraph;
      const lists = await readAll(
        client,
        sorted.map(
          (netuid) =>
            ({ address: m.address, abi: m.abi, functionName: "neurons", args: [netuid, 0, ALL_UIDS] }) as const,
        ),
      );
      return new Map(
        sorted.map((netuid, i) => [netuid, validatorsOf(lists[i] as unknown as Parameters<typeof validatorsOf>[0])]),
      );
    },
  });
}

/** One leg as the router takes it. */
export interface RouterLeg {
  netuid: number;
  hotkey: Hex;
  weight: bigint;
  limitPriceRaoPerAlpha: bigint;
  minSharesOut: bigint;
}

export interface LegQuote {
  vault: Address;
  vaultExists: boolean;
  taoRao: bigint;
  alphaRao: bigint;
  shares: bigint;
  spotPriceRaoPerAlpha: bigint;
  effectivePriceRaoPerAlpha: bigint;
  priceImpactWad: bigint;
}

function routerLegs(legs: readonly RouterLeg[]) {
  return legs.map((l) => ({
    netuid: l.netuid,
    hotkey: l.hotkey,
    weight: Number(l.weight),
    limitPriceRaoPerAlpha: l.limitPriceRaoPerAlpha,
    minSharesOut: l.minSharesOut,
  }));
}

/** `AllocationRouter.previewAllocate` of `amountRao` over `legs`, now. */
export async function previewAllocate(
  client: PublicClient,
  liquid: LiquidContracts,
  legs: readonly Pick<RouterLeg, "netuid" | "hotkey" | "weight">[],
  amountRao: bigint,
  blockNumber?: bigint,
): Promise<LegQuote[]> {
  const r = liquid.AllocationRouter;
  const quotes = await client.readContract({
    address: r.address,
    abi: r.abi,
    functionName: "previewAllocate",
    args: [routerLegs(legs.map((l) => ({ ...l, limitPriceRaoPerAlpha: 0n, minSharesOut: 0n }))), amountRao],
    ...(blockNumber === undefined ? {} : { blockNumber }),
  });
  return quotes.map((q) => ({ ...q }));
}

/** The router's preview of the legs, refreshed on each block. */
export function useAllocationPreview(
  legs: readonly Pick<RouterLeg, "netuid" | "hotkey" | "weight">[] | undefined,
  amountRao: bigint | undefined,
) {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { data: blockNumber } = useBlockNumber({ chainId, watch: true });
  const liquid = contracts?.liquid;
  const legsKey = legs?.map((l) => `${l.netuid}:${l.hotkey}:${l.weight}`).join() ?? "";
  return useQuery({
    queryKey: ["allocationPreview", chainId, legsKey, amountRao?.toString(), blockNumber?.toString()],
    enabled: Boolean(client && liquid && legs && legs.length > 0 && amountRao && blockNumber !== undefined),
    placeholderData: (previous) => previous,
    queryFn: async () => {
      if (!client || !liquid || !legs || !amountRao || blockNumber === undefined) throw new Error("not ready");
      return { blockNumber, quotes: await previewAllocate(client, liquid, legs, amountRao, blockNumber) };
    },
  });
}

export function allocateRequest(
  liquid: LiquidContracts,
  p: { legs: readonly RouterLeg[]; receiver: Address; deadline: bigint; amountRao: bigint },
): TxRequest {
  const r = liquid.AllocationRouter;
  return {
    address: r.address,
    abi: r.abi,
    functionName: "allocate",
    args: [routerLegs(p.legs), p.receiver, p.deadline],
    value: raoToWei(p.amountRao),
  };
}

/** A TAO redemption of `owner`'s `shares`, paying at least `minTaoOutRao` to the owner. */
export function redeemRequest(
  vault: Address,
  p: { shares: bigint; owner: Address; minTaoOutRao: bigint; deadline: bigint },
): TxRequest {
  return {
    address: vault,
    abi: vaultAbi,
    functionName: "redeem",
    args: [p.shares, p.owner, p.owner, p.minTaoOutRao, p.deadline],
  };
}

/** An in-kind redemption: the shares' alpha stake moves to `receiverColdkey`, at least `minAlphaOutRao`. */
export function redeemInKindRequest(
  vault: Address,
  p: { shares: bigint; owner: Address; receiverColdkey: Hex; minAlphaOutRao: bigint; deadline: bigint },
): TxRequest {
  return {
    address: vault,
    abi: vaultAbi,
    functionName: "redeemInKind",
    args: [p.shares, p.receiverColdkey, p.owner, p.minAlphaOutRao, p.deadline],
  };
}

/** `limitPriceRaoPerAlpha` with no limit: the chain reads it as a u64, so the u64 maximum. */
const NO_PRICE_LIMIT = 2n ** 64n - 1n;
/** A deadline for a quote, which is a call and never mined. */
const NO_DEADLINE = 2n ** 64n - 1n;

export interface MoveCall {
  fromVault: Address;
  toVault: Address;
  shares: bigint;
  owner: Address;
  viaTao: boolean;
}

/**
 * A move of `owner`'s shares from one vault to another, sent by the owner to the origin vault (so no allowance is
 * needed), the new shares to the owner. `minSharesOut` is the protection: a move via TAO deposits with no price
 * limit, since the fewest shares it accepts already bounds what a price move can take.
 */
export function migrateRequest(p: MoveCall & { minSharesOut: bigint; deadline: bigint }): TxRequest {
  return { address: p.fromVault, abi: vaultAbi, functionName: "migrate", args: migrateArgs(p) };
}

function migrateArgs(p: MoveCall & { minSharesOut: bigint; deadline: bigint }) {
  return [p.shares, p.toVault, p.owner, p.owner, p.minSharesOut, NO_PRICE_LIMIT, p.viaTao, p.deadline] as const;
}

/** What a move would give now: the new shares, and the alpha behind them in the target vault. */
export interface MoveQuote {
  shares: bigint;
  alphaRao: bigint;
}

/**
 * A move's quote: the move itself run as a call from the owner (the vaults have no preview of a migration, whose
 * in-kind path crosses the chain's stake ledger), with no minimum and no deadline; then the target vault's
 * `convertToAssets` of the shares, at the same block.
 */
export async function readMoveQuote(client: PublicClient, p: MoveCall, blockNumber?: bigint): Promise<MoveQuote> {
  const at = blockNumber ?? (await client.getBlockNumber());
  const { result: shares } = await client.simulateContract({
    account: p.owner,
    address: p.fromVault,
    abi: vaultAbi,
    functionName: "migrate",
    args: migrateArgs({ ...p, minSharesOut: 0n, deadline: NO_DEADLINE }),
    blockNumber: at,
  });
  const alphaRao = await client.readContract({
    address: p.toVault,
    abi: vaultAbi,
    functionName: "convertToAssets",
    args: [shares],
    blockNumber: at,
  });
  return { shares, alphaRao };
}

/** The move's quote, refreshed on each block. */
export function useMoveQuote(call: MoveCall | undefined) {
  const { chainId } = useContracts();
  const client = usePublicClient({ chainId });
  const { data: blockNumber } = useBlockNumber({ chainId, watch: true });
  return useQuery({
    queryKey: [
      ...liquidQueryKey(chainId),
      "moveQuote",
      call?.fromVault,
      call?.toVault,
      call?.shares.toString(),
      call?.owner,
      call?.viaTao,
      blockNumber?.toString(),
    ],
    enabled: Boolean(client && call && call.shares > 0n && blockNumber !== undefined),
    placeholderData: keepPreviousData,
    retry: false,
    queryFn: async (): Promise<MoveQuote> => {
      if (!client || !call) throw new Error("not ready");
      return readMoveQuote(client, call, blockNumber);
    },
  });
}
