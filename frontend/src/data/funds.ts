/**
 * Funds (contracts/funds): the funds the FundFactory lists, each one's terms, NAV, fees, positions, raise and queue,
 * the connected account's part in them, and the calls the transaction component sends. The only place that knows the
 * funds' function names and argument orders (the account's events are read in fundActivity.ts).
 *
 * Reads:
 *   - the directory: `FundFactory.funds()` (the factory's own list, so nothing depends on scanning logs), then one
 *     deployless multicall that tells each fund's kind (only a mining fund answers `phase`, only an index
 *     `toleranceBps`) and its positions; cached, since funds are created rarely;
 *   - the list and a fund's page: one `eth_call` at the head per block (`readAtHead`) with every view, the block's
 *     number and its time (raise windows, notice periods and timelocks are compared with the chain's clock).
 *
 * Units, as the contracts name them: TAO in rao (9 decimals; the EVM value of a payable call is in wei, 18), shares
 * with 18 decimals (1 share = 1e18 units), prices in rao per whole share (`*RaoPerShareWad`), fees in basis points.
 */
import { useQuery } from "@tanstack/react-query";
import { type Address, type Hex, type PublicClient, zeroAddress } from "viem";
import { useConnection, usePublicClient } from "wagmi";

import { allocatorFundAbi, fundEngineAbi, miningFundAbi, subnetIndexFundAbi } from "../generated.funds.ts";
import type { TxRequest } from "../tx/TxButton.tsx";
import { raoToWei, registerErrors } from "../lib/units.ts";
import { type Contracts, type FundFactoryHandle, useContracts } from "./contracts.ts";
import { useHeadQuery } from "./head.ts";
import { callBatch, readAllSettled, readAtHead } from "./multicall.ts";

/**
 * Every fund's shared interface (an ERC-20 of shares over the engine: NAV, fees, queue, timelock), and each kind's.
 * They come with this module (and the pages that use it), not with the first page.
 */
export const fundAbis = {
  engine: fundEngineAbi,
  mining: miningFundAbi,
  allocator: allocatorFundAbi,
  index: subnetIndexFundAbi,
} as const;

// A mining fund's ABI has the engine's errors and the raise's; the other two add their own.
registerErrors(miningFundAbi, allocatorFundAbi, subnetIndexFundAbi);

export type FundKind = "mining" | "allocator" | "index";

export const FUND_KIND_LABEL: Record<FundKind, string> = {
  mining: "Mining organization",
  allocator: "TAO allocator",
  index: "Subnet index",
};

export const fundsQueryKey = (chainId: number) => ["funds", chainId] as const;

/** 1 share = 1e18 share units; NAV per share is in rao per 1e18 units. */
export const SHARE_UNITS = 10n ** 18n;

/** A place the fund may hold: its own stake on (netuid, hotkey), or shares of that position's liquid vault. */
export interface FundPosition {
  index: number;
  netuid: number;
  hotkey: Hex;
  /** The liquid vault, or undefined for direct stake. */
  vault: Address | undefined;
}

export interface FundEntry {
  address: Address;
  kind: FundKind;
  positions: FundPosition[];
}

/** The kind of a fund from what it answers: only a mining fund has `phase`, only an index `toleranceBps`. */
export function kindFromProbe(answersPhase: boolean, answersTolerance: boolean): FundKind {
  if (answersPhase) return "mining";
  if (answersTolerance) return "index";
  return "allocator";
}

async function readDirectory(client: PublicClient, factory: FundFactoryHandle): Promise<FundEntry[]> {
  const addresses = await client.readContract({ address: factory.address, abi: factory.abi, functionName: "funds" });
  const probes = await readAllSettled(
    client,
    addresses.flatMap(
      (address) =>
        [
          { address, abi: fundAbis.mining, functionName: "phase" },
          { address, abi: fundAbis.index, functionName: "toleranceBps" },
          { address, abi: fundAbis.engine, functionName: "positions" },
        ] as const,
    ),
  );
  return addresses.map((address, i) => {
    const [phase, tolerance, positions] = [probes[3 * i], probes[3 * i + 1], probes[3 * i + 2]];
    const list =
      positions?.status === "success"
        ? (positions.result as readonly { netuid: number; hotkey: Hex; vault: Address }[])
        : [];
    return {
      address,
      kind: kindFromProbe(phase?.status === "success", tolerance?.status === "success"),
      positions: list.map((p, index) => ({
        index,
        netuid: p.netuid,
        hotkey: p.hotkey,
        vault: p.vault === zeroAddress ? undefined : p.vault,
      })),
    };
  });
}

/** Every fund of the factory, with its kind and positions (cached for a minute; refreshed after a fund's change). */
export function useFundDirectory() {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const factory = contracts?.fundFactory;
  return useQuery({
    queryKey: [...fundsQueryKey(chainId), "directory", factory?.address],
    enabled: Boolean(client && factory),
    staleTime: 60_000,
    queryFn: async (): Promise<FundEntry[]> => {
      if (!client || !factory) throw new Error("not ready");
      return readDirectory(client, factory);
    },
  });
}

/* THE RAISE OF A MINING FUND */

export type RaisePhase = "raising" | "succeeded" | "failed";
const RAISE_PHASES: readonly RaisePhase[] = ["raising", "succeeded", "failed"];

/** `MiningFund.RaiseTerms`, as the fund stores them. */
export interface RaiseTerms {
  softCapRao: bigint;
  hardCapRao: bigint;
  startTime: bigint;
  endTime: bigint;
  minContributionRao: bigint;
  maxContributionRao: bigint;
  /** Zero when anyone may contribute. */
  allowlistRoot: Hex;
  organization: Address;
  organizationAllocationBps: number;
  vestingCliffSeconds: bigint;
  vestingDurationSeconds: bigint;
}

export interface RaiseState extends RaiseTerms {
  phase: RaisePhase;
  totalRaisedRao: bigint;
  /** When the raise was finalised (0 before). */
  finalizedAt: bigint;
  organizationShares: bigint;
}

/** Whether anyone may call `finalize` now: the raise is open and past its end, or at its hard cap. */
export function canFinalize(raise: RaiseState, nowSeconds: bigint): boolean {
  return raise.phase === "raising" && (nowSeconds >= raise.endTime || raise.totalRaisedRao >= raise.hardCapRao);
}

/* WHAT A FUND SHOWS */

export interface FundAccount {
  /** Shares in the wallet (not counting those locked in the queue). */
  shares: bigint;
  /** TAO owed to the account (processed redemptions), taken with `claim`. */
  claimableRao: bigint;
  /** Mining funds: what the account contributed to the raise, and whether it claimed its shares. */
  contributedRao: bigint;
  sharesClaimed: boolean;
}

export interface FundOverview extends FundEntry {
  name: string;
  symbol: string;
  navRao: bigint;
  sharePriceRaoPerShareWad: bigint;
  totalSupply: bigint;
  managementFeeBps: number;
  performanceFeeBps: number;
  noticePeriodSeconds: number;
  minRedemptionShares: bigint;
  isShutDown: boolean;
  raise: RaiseState | undefined;
  /** Undefined without a connected wallet. */
  account: FundAccount | undefined;
}

export interface FundsSnapshot {
  blockNumber: bigint;
  timestamp: bigint;
  funds: FundOverview[];
}

type Batch = ReturnType<typeof callBatch>;
type Getter<value> = (results: readonly unknown[]) => value;

/** The reads of `FundOverview` for one fund, added to `batch`; the returned function builds it from the results. */
function addOverviewReads(batch: Batch, entry: FundEntry, account: Address | undefined): Getter<FundOverview> {
  const e = { address: entry.address, abi: fundAbis.engine } as const;
  const m = { address: entry.address, abi: fundAbis.mining } as const;
  const name = batch.add({ ...e, functionName: "name" });
  const symbol = batch.add({ ...e, functionName: "symbol" });
  const nav = batch.add({ ...e, functionName: "navRao" });
  const price = batch.add({ ...e, functionName: "sharePriceRaoPerShareWad" });
  const supply = batch.add({ ...e, functionName: "totalSupply" });
  const managementFee = batch.add({ ...e, functionName: "managementFeeBps" });
  const performanceFee = batch.add({ ...e, functionName: "performanceFeeBps" });
  const notice = batch.add({ ...e, functionName: "noticePeriodSeconds" });
  const minRedemption = batch.add({ ...e, functionName: "minRedemptionShares" });
  const shutDown = batch.add({ ...e, functionName: "isShutDown" });
  const raise =
    entry.kind === "mining"
      ? {
          phase: batch.add({ ...m, functionName: "phase" }),
          terms: batch.add({ ...m, functionName: "terms" }),
          raised: batch.add({ ...m, functionName: "totalRaisedRao" }),
          finalizedAt: batch.add({ ...m, functionName: "finalizedAt" }),
          organizationShares: batch.add({ ...m, functionName: "organizationShares" }),
        }
      : undefined;
  const mine = account
    ? {
        shares: batch.add({ ...e, functionName: "balanceOf", args: [account] }),
        claimable: batch.add({ ...e, functionName: "claimableRao", args: [account] }),
        contributed:
          entry.kind === "mining" ? batch.add({ ...m, functionName: "contributedRao", args: [account] }) : undefined,
        claimed:
          entry.kind === "mining" ? batch.add({ ...m, functionName: "sharesClaimed", args: [account] }) : undefined,
      }
    : undefined;
  return (r) => ({
    ...entry,
    name: name(r),
    symbol: symbol(r),
    navRao: nav(r),
    sharePriceRaoPerShareWad: price(r),
    totalSupply: supply(r),
    managementFeeBps: managementFee(r),
    performanceFeeBps: performanceFee(r),
    noticePeriodSeconds: notice(r),
    minRedemptionShares: minRedemption(r),
    isShutDown: shutDown(r),
    raise: raise && {
      ...raise.terms(r),
      phase: RAISE_PHASES[raise.phase(r)] ?? "raising",
      totalRaisedRao: raise.raised(r),
      finalizedAt: raise.finalizedAt(r),
      organizationShares: raise.organizationShares(r),
    },
    account: mine && {
      shares: mine.shares(r),
      claimableRao: mine.claimable(r),
      contributedRao: mine.contributed?.(r) ?? 0n,
      sharesClaimed: mine.claimed?.(r) ?? false,
    },
  });
}

/** Every fund with its figures and the connected account's part, at the head; refreshed on each block. */
export function useFunds() {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { address } = useConnection();
  const directory = useFundDirectory();
  const entries = directory.data;
  const query = useHeadQuery({
    queryKey: [...fundsQueryKey(chainId), "overview", address ?? "none", entries?.map((f) => f.address).join()],
    enabled: Boolean(client && entries),
    read: async (): Promise<FundsSnapshot> => {
      if (!client || !entries) throw new Error("not ready");
      const batch = callBatch();
      const builders = entries.map((entry) => addOverviewReads(batch, entry, address));
      const { blockNumber, timestamp, results } = await readAtHead(client, batch.calls);
      return { blockNumber, timestamp, funds: builders.map((build) => build(results)) };
    },
  });
  return {
    deployed: Boolean(contracts?.fundFactory),
    snapshot: query.data,
    isLoading: directory.isLoading || query.isLoading,
    error: query.error ?? directory.error,
  };
}

/* ONE FUND IN FULL */

export interface Holding extends FundPosition {
  alphaRao: bigint;
  movingPriceRaoPerAlpha: bigint;
  valueRao: bigint;
  /** Alpha of this (direct) position owed to the connected account by a redemption paid in kind. */
  owedToAccountAlphaRao: bigint;
  /** Index funds: the target weight now and the cap (0 = none), in basis points. */
  targetWeightBps: bigint | undefined;
  maxWeightBps: number | undefined;
}

/** A redemption in the queue, as `request(id)` has it now (`shares` is what is left to fill). */
export interface QueuedRequest {
  id: bigint;
  owner: Address;
  receiver: Address;
  readyAt: bigint;
  inKind: boolean;
  shares: bigint;
}

export interface FundRoles {
  governance: Address;
  guardian: Address;
  manager: Address;
  feeRecipient: Address;
}

export interface FundDetails extends FundOverview {
  blockNumber: bigint;
  timestamp: bigint;
  grossAssetsRao: bigint;
  idleRao: bigint;
  reservedRao: bigint;
  pendingManagementFeeShares: bigint;
  pendingPerformanceFeeShares: bigint;
  highWaterMarkRaoPerShareWad: bigint;
  maxSlippageBps: number;
  timelockSeconds: number;
  queueHead: bigint;
  queueTail: bigint;
  lockedShares: bigint;
  roles: FundRoles;
  coldkey: Hex;
  holdings: Holding[];
  /** Allocators: each subnet's cap and what the fund holds there, in TAO at moving prices. */
  caps: { netuid: number; capRao: bigint; valueRao: bigint }[] | undefined;
  /** Index funds: how far a position may drift before a rebalance trades it, and the rate limit. */
  indexSettings: { toleranceBps: number; minRebalanceIntervalSeconds: number; lastRebalance: bigint } | undefined;
  /** The connected account's requests among `requestIds`, as the queue has them now. */
  requests: QueuedRequest[];
}

/**
 * A fund's every figure at the head, in one `eth_call`: the engine's views, each position's alpha and value, the
 * strategy's own settings and the connected account's balance, claims and `requestIds`.
 */
export function useFundDetails(entry: FundEntry | undefined, requestIds: readonly bigint[]) {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { address } = useConnection();
  return useHeadQuery({
    queryKey: [
      ...fundsQueryKey(chainId),
      "details",
      entry?.address,
      entry?.positions.length,
      address ?? "none",
      requestIds.join(),
    ],
    enabled: Boolean(client && contracts && entry),
    read: async (): Promise<FundDetails> => {
      if (!client || !contracts || !entry) throw new Error("not ready");
      return readDetails(client, entry, address, requestIds);
    },
  });
}

async function readDetails(
  client: PublicClient,
  entry: FundEntry,
  account: Address | undefined,
  requestIds: readonly bigint[],
): Promise<FundDetails> {
  const batch = callBatch();
  const e = { address: entry.address, abi: fundAbis.engine } as const;
  const overview = addOverviewReads(batch, entry, account);
  const gross = batch.add({ ...e, functionName: "grossAssetsRao" });
  const idle = batch.add({ ...e, functionName: "idleRao" });
  const reserved = batch.add({ ...e, functionName: "reservedRao" });
  const pendingFees = batch.add({ ...e, functionName: "pendingFeeShares" });
  const hwm = batch.add({ ...e, functionName: "highWaterMarkRaoPerShareWad" });
  const slippage = batch.add({ ...e, functionName: "maxSlippageBps" });
  const timelock = batch.add({ ...e, functionName: "timelockSeconds" });
  const head = batch.add({ ...e, functionName: "queueHead" });
  const tail = batch.add({ ...e, functionName: "queueTail" });
  const locked = batch.add({ ...e, functionName: "lockedShares" });
  const roles = batch.add({ ...e, functionName: "roles" });
  const coldkey = batch.add({ ...e, functionName: "coldkey" });
  const netuids = [...new Set(entry.positions.map((p) => p.netuid))].sort((a, b) => a - b);
  const perPosition = entry.positions.map((p) => ({
    alpha: batch.add({ ...e, functionName: "positionAlphaRao", args: [BigInt(p.index)] }),
    value: batch.add({ ...e, functionName: "positionValueRao", args: [BigInt(p.index)] }),
    price: batch.add({ ...e, functionName: "movingPriceRaoPerAlpha", args: [p.netuid] }),
    owed:
      account && p.vault === undefined
        ? batch.add({ ...e, functionName: "claimableAlphaRao", args: [account, BigInt(p.index)] })
        : undefined,
    maxWeight:
      entry.kind === "index"
        ? batch.add({
            address: entry.address,
            abi: fundAbis.index,
            functionName: "maxWeightBpsOf",
            args: [BigInt(p.index)],
          })
        : undefined,
  }));
  const x = { address: entry.address, abi: fundAbis.index } as const;
  const index =
    entry.kind === "index"
      ? {
          targets: batch.add({ ...x, functionName: "targetWeightsBps" }),
          tolerance: batch.add({ ...x, functionName: "toleranceBps" }),
          interval: batch.add({ ...x, functionName: "minRebalanceIntervalSeconds" }),
          last: batch.add({ ...x, functionName: "lastRebalance" }),
        }
      : undefined;
  const a = { address: entry.address, abi: fundAbis.allocator } as const;
  const caps =
    entry.kind === "allocator"
      ? netuids.map((netuid) => ({
          netuid,
          cap: batch.add({ ...a, functionName: "capRaoOf", args: [netuid] }),
          value: batch.add({ ...a, functionName: "subnetValueRao", args: [netuid] }),
        }))
      : undefined;
  const requests = requestIds.map((id) => ({ id, read: batch.add({ ...e, functionName: "request", args: [id] }) }));

  const { blockNumber, timestamp, results: r } = await readAtHead(client, batch.calls);
  const [managementShares, performanceShares] = pendingFees(r);
  const targets = index?.targets(r);
  return {
    ...overview(r),
    blockNumber,
    timestamp,
    grossAssetsRao: gross(r),
    idleRao: idle(r),
    reservedRao: reserved(r),
    pendingManagementFeeShares: managementShares,
    pendingPerformanceFeeShares: performanceShares,
    highWaterMarkRaoPerShareWad: hwm(r),
    maxSlippageBps: slippage(r),
    timelockSeconds: timelock(r),
    queueHead: head(r),
    queueTail: tail(r),
    lockedShares: locked(r),
    roles: roles(r),
    coldkey: coldkey(r),
    holdings: entry.positions.map((p, i) => {
      const reads = perPosition[i]!;
      return {
        ...p,
        alphaRao: reads.alpha(r),
        movingPriceRaoPerAlpha: reads.price(r),
        valueRao: reads.value(r),
        owedToAccountAlphaRao: reads.owed?.(r) ?? 0n,
        targetWeightBps: targets?.[i],
        maxWeightBps: reads.maxWeight?.(r),
      };
    }),
    caps: caps?.map((c) => ({ netuid: c.netuid, capRao: c.cap(r), valueRao: c.value(r) })),
    indexSettings: index && {
      toleranceBps: index.tolerance(r),
      minRebalanceIntervalSeconds: index.interval(r),
      lastRebalance: index.last(r),
    },
    requests: requests.map(({ id, read }) => ({ id, ...read(r) })),
  };
}

/**
 * The names of `netuids` (the lens's `market`), for the positions' rows: cached, since names change only when a
 * subnet is registered again. A netuid the lens cannot read (dissolved) is left out.
 */
export function useSubnetNames(netuids: readonly number[]) {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const sorted = [...new Set(netuids)].sort((a, b) => a - b);
  return useQuery({
    queryKey: ["subnetNames", chainId, sorted.join()],
    enabled: Boolean(client && contracts && sorted.length > 0),
    staleTime: 5 * 60_000,
    queryFn: async (): Promise<Map<number, string>> => {
      if (!client || !contracts) throw new Error("not ready");
      return readSubnetNames(client, contracts, sorted);
    },
  });
}

async function readSubnetNames(
  client: PublicClient,
  contracts: Contracts,
  netuids: readonly number[],
): Promise<Map<number, string>> {
  const lens = contracts.MarketsLens;
  const markets = await readAllSettled(
    client,
    netuids.map(
      (netuid) => ({ address: lens.address, abi: lens.abi, functionName: "market", args: [netuid] }) as const,
    ),
  );
  const names = new Map<number, string>();
  markets.forEach((m, i) => {
    if (m.status === "success") names.set(netuids[i]!, m.result.name);
  });
  return names;
}

/** What a fund's shares are worth at NAV per share, rounded down. */
export function sharesValueRao(shares: bigint, sharePriceRaoPerShareWad: bigint): bigint {
  return (shares * sharePriceRaoPerShareWad) / SHARE_UNITS;
}

/** Shares a deposit of `taoRao` would get now (`previewDeposit`), read when the amount changes and on each block. */
export function useDepositPreview(
  fund: Address | undefined,
  taoRao: bigint | undefined,
  blockNumber: bigint | undefined,
) {
  const { chainId } = useContracts();
  const client = usePublicClient({ chainId });
  return useQuery({
    queryKey: [...fundsQueryKey(chainId), "previewDeposit", fund, taoRao?.toString(), blockNumber?.toString()],
    enabled: Boolean(client && fund && taoRao && taoRao > 0n),
    placeholderData: (previous) => previous,
    queryFn: async (): Promise<bigint> => {
      if (!client || !fund || !taoRao) throw new Error("not ready");
      return readDepositPreview(client, fund, taoRao);
    },
  });
}

export async function readDepositPreview(client: PublicClient, fund: Address, taoRao: bigint): Promise<bigint> {
  return client.readContract({ address: fund, abi: fundAbis.engine, functionName: "previewDeposit", args: [taoRao] });
}

/* WRITES (sent through the transaction component) */

/** A contribution of `amountRao` to a mining fund's raise (`proof`: the allowlist proof, empty without one). */
export function contributeRequest(fund: Address, p: { amountRao: bigint; proof: readonly Hex[] }): TxRequest {
  return {
    address: fund,
    abi: fundAbis.mining,
    functionName: "contribute",
    args: [p.proof],
    value: raoToWei(p.amountRao),
  };
}

/** Closes a raise past its end or at its hard cap (anyone may). */
export function finalizeRequest(fund: Address): TxRequest {
  return { address: fund, abi: fundAbis.mining, functionName: "finalize", args: [] };
}

export function claimSharesRequest(fund: Address): TxRequest {
  return { address: fund, abi: fundAbis.mining, functionName: "claimShares", args: [] };
}

export function refundRequest(fund: Address): TxRequest {
  return { address: fund, abi: fundAbis.mining, functionName: "refund", args: [] };
}

/** A deposit at NAV into an allocator or an index: at least `minSharesOut` shares to `receiver`. */
export function depositRequest(
  fund: Address,
  kind: Exclude<FundKind, "mining">,
  p: { amountRao: bigint; receiver: Address; minSharesOut: bigint },
): TxRequest {
  return {
    address: fund,
    abi: fundAbis[kind],
    functionName: "deposit",
    args: [p.receiver, p.minSharesOut],
    value: raoToWei(p.amountRao),
  };
}

/** Queues a redemption of `shares` (locked in the fund until paid), in TAO or in kind, paid to `receiver`. */
export function requestRedemptionRequest(
  fund: Address,
  p: { shares: bigint; receiver: Address; inKind: boolean },
): TxRequest {
  return {
    address: fund,
    abi: fundAbis.engine,
    functionName: "requestRedemption",
    args: [p.shares, p.receiver, p.inKind],
  };
}

export function cancelRedemptionRequest(fund: Address, id: bigint): TxRequest {
  return { address: fund, abi: fundAbis.engine, functionName: "cancelRedemption", args: [id] };
}

/** Pays the ready requests at the head of the queue, at most `maxRequests` of them, in full (anyone may). */
export function processRedemptionsRequest(fund: Address, maxRequests: bigint): TxRequest {
  return {
    address: fund,
    abi: fundAbis.engine,
    functionName: "processRedemptions",
    args: [maxRequests, 2n ** 256n - 1n],
  };
}

/** Sends the caller the TAO the fund owes it. */
export function claimTaoRequest(fund: Address): TxRequest {
  return { address: fund, abi: fundAbis.engine, functionName: "claim", args: [] };
}

/** Moves the alpha of direct position `index` owed to the caller onto `coldkey` (staked on the same hotkey). */
export function claimStakeRequest(fund: Address, p: { index: number; coldkey: Hex }): TxRequest {
  return {
    address: fund,
    abi: fundAbis.engine,
    functionName: "claimStake",
    args: [BigInt(p.index), p.coldkey],
  };
}

/** Sells the alpha of direct position `index` owed to the caller, for at least `minTaoOutRao`. */
export function sellClaimedStakeRequest(fund: Address, p: { index: number; minTaoOutRao: bigint }): TxRequest {
  return {
    address: fund,
    abi: fundAbis.engine,
    functionName: "sellClaimedStake",
    args: [BigInt(p.index), p.minTaoOutRao],
  };
}

/** Moves an index toward its targets (anyone may, once per interval). */
export function rebalanceIndexRequest(fund: Address): TxRequest {
  return { address: fund, abi: fundAbis.index, functionName: "rebalance", args: [] };
}
