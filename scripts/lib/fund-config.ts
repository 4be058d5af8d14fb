/**
 * The fund config file of `npx hardhat fund:launch` (examples/fund.json), checked field by field before anything
 * connects to a chain, and the text `fund:status` prints. Pure: no I/O, no chain.
 *
 * Every problem is an InputError whose message names the field as a path ("raise.hardCapTao", "positions[1].hotkey")
 * and says what is allowed, so the task prints one line and exits 2. The checks repeat the contracts' own
 * (FundEngine's caps and delays, MiningFund's terms, the index's weights), so a bad config never costs a transaction.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Address, getAddress, type Hex, isAddress } from "viem";

import { formatRaoAsTao } from "../../client/index.ts";
import { InputError } from "./cli.ts";
import type {
  AllocatorSettings,
  EngineConfig,
  FundKind,
  FundPosition,
  FundRoles,
  IndexSettings,
  RaiseTerms,
} from "./funds.ts";

/** The contracts' limits (FundEngine, MiningFund, SubnetIndexFund). */
export const FUND_LIMITS = {
  maxManagementFeeBps: 500,
  maxPerformanceFeeBps: 3_000,
  maxSlippageBps: 1_000,
  maxPositions: 32,
  maxNoticeSeconds: 30 * 86_400,
  minTimelockMarginSeconds: 86_400,
  maxOrganizationAllocationBps: 5_000,
  bps: 10_000,
} as const;

const ZERO: Address = "0x0000000000000000000000000000000000000000";
const ZERO_ROOT: Hex = `0x${"00".repeat(32)}`;

/** A time of the raise: absolute (unix seconds) or relative to the chain's clock at launch ("+3600"). */
export type ConfigTime = { at: bigint } | { afterSeconds: bigint };

/** A checked config: everything the launch needs, in the contracts' units. */
export interface FundPlan {
  kind: FundKind;
  /** The label the fund's address derives from (with the launching account). */
  salt: string;
  engine: EngineConfig;
  raise?: Omit<RaiseTerms, "startTime" | "endTime"> & { start: ConfigTime; end: ConfigTime };
  allocator?: AllocatorSettings;
  index?: IndexSettings;
  /** The factory to use instead of the one in deployments/<chainId>.json. */
  factory?: Address;
}

type Json = Record<string, unknown>;

const fail = (field: string, problem: string): never => {
  throw new InputError(`${field} ${problem}`);
};

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function object(value: unknown, field: string): Json {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    fail(field, `must be an object, got ${describe(value)}`);
  }
  return value as Json;
}

/** Refuses keys the config does not know (a misspelt key would otherwise be silently ignored). */
function onlyKeys(obj: Json, field: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      const where = field === "" ? key : `${field}.${key}`;
      fail(where, `is not a field of the fund config (allowed${field ? ` in ${field}` : ""}: ${allowed.join(", ")})`);
    }
  }
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(field, `must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value as number;
}

function text(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > maxLength) {
    fail(field, `must be a non-empty string of at most ${maxLength} characters, got ${describe(value)}`);
  }
  return value as string;
}

function address(value: unknown, field: string, allowZero = false): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) {
    fail(field, `must be an EVM address (0x and 40 hex digits), got ${describe(value)}`);
  }
  const checked = getAddress(value as string);
  if (!allowZero && checked === ZERO) fail(field, "must not be the zero address");
  return checked;
}

function bytes32(value: unknown, field: string): Hex {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) {
    fail(field, `must be 32 bytes in hex (0x and 64 hex digits: a hotkey's public key), got ${describe(value)}`);
  }
  if (/^0x0{64}$/.test(value as string)) fail(field, "must not be zero");
  return (value as string).toLowerCase() as Hex;
}

/** A decimal amount with at most `decimals` decimals, in base units (TAO → rao with 9, shares with 18). */
export function parseDecimal(value: unknown, field: string, decimals: number, unit: string): bigint {
  const raw = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  const pattern = new RegExp(`^(\\d+)(?:\\.(\\d{1,${decimals}}))?$`);
  const match = typeof raw === "string" ? pattern.exec(raw.trim()) : null;
  if (!match) {
    return fail(
      field,
      `must be an amount of ${unit} such as "100" or "0.5" (at most ${decimals} decimals), got ${describe(value)}`,
    );
  }
  return BigInt(match[1]!) * 10n ** BigInt(decimals) + BigInt((match[2] ?? "").padEnd(decimals, "0") || "0");
}

/** A time: unix seconds, an ISO 8601 date ("2026-12-01T12:00:00Z"), or "+<seconds>" from the launch. */
export function parseTime(value: unknown, field: string): ConfigTime {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return { at: BigInt(value) };
  if (typeof value === "string") {
    const relative = /^\+(\d+)$/.exec(value.trim());
    if (relative) return { afterSeconds: BigInt(relative[1]!) };
    if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
      const ms = Date.parse(value);
      if (Number.isFinite(ms)) return { at: BigInt(Math.floor(ms / 1000)) };
    }
  }
  return fail(
    field,
    `must be unix seconds, an ISO 8601 time such as "2026-12-01T12:00:00Z", or "+<seconds>" from the launch, got ${describe(value)}`,
  );
}

/** Seconds since the epoch, given the launch time (for relative times). */
export function resolveTime(time: ConfigTime, launchSeconds: bigint): bigint {
  return "at" in time ? time.at : launchSeconds + time.afterSeconds;
}

/** The Merkle root MiningFund checks: leaves keccak256(keccak256(abi.encode(account))). */
export function allowlistRoot(accounts: readonly Address[]): Hex {
  return StandardMerkleTree.of(
    accounts.map((a) => [a]),
    ["address"],
  ).root as Hex;
}

/** The proof of `account` in the allowlist (for `contribute`). */
export function allowlistProof(accounts: readonly Address[], account: Address): Hex[] {
  const tree = StandardMerkleTree.of(
    accounts.map((a) => [a]),
    ["address"],
  );
  for (const [i, [leaf]] of tree.entries()) {
    if (getAddress(leaf as string) === getAddress(account)) return tree.getProof(i) as Hex[];
  }
  throw new InputError(`${account} is not on the allowlist`);
}

const TOP_KEYS = [
  "$comment",
  "kind",
  "name",
  "symbol",
  "salt",
  "factory",
  "roles",
  "fees",
  "noticePeriodSeconds",
  "timelockSeconds",
  "maxSlippageBps",
  "minRedemptionShares",
  "positions",
  "raise",
  "allocator",
  "index",
] as const;

/**
 * Checks a parsed fund config and returns the plan. `nowSeconds` is this machine's clock, used to refuse a raise
 * that has already ended (the chain's clock is checked again at launch).
 */
export function checkFundConfig(raw: unknown, nowSeconds: bigint = BigInt(Math.floor(Date.now() / 1000))): FundPlan {
  const c = object(raw, "the fund config");
  onlyKeys(c, "", TOP_KEYS);
  const kind = c.kind;
  if (kind !== "mining" && kind !== "allocator" && kind !== "index") {
    return fail("kind", `must be "mining", "allocator" or "index", got ${describe(kind)}`);
  }
  const name = text(c.name, "name", 64);
  const symbol = text(c.symbol, "symbol", 16);
  if (!/^[A-Za-z0-9]+$/.test(symbol)) fail("symbol", `must hold only letters and digits, got ${describe(symbol)}`);

  const r = object(c.roles, "roles");
  onlyKeys(r, "roles", ["governance", "guardian", "manager", "feeRecipient"]);
  const roles: FundRoles = {
    governance: address(r.governance, "roles.governance"),
    guardian: address(r.guardian, "roles.guardian"),
    manager: address(r.manager, "roles.manager"),
    feeRecipient: address(r.feeRecipient, "roles.feeRecipient"),
  };

  const f = object(c.fees, "fees");
  onlyKeys(f, "fees", ["managementBps", "performanceBps"]);
  const managementFeeBps = integer(f.managementBps, "fees.managementBps", 0, FUND_LIMITS.maxManagementFeeBps);
  const performanceFeeBps = integer(f.performanceBps, "fees.performanceBps", 0, FUND_LIMITS.maxPerformanceFeeBps);

  const noticePeriodSeconds = integer(c.noticePeriodSeconds, "noticePeriodSeconds", 0, FUND_LIMITS.maxNoticeSeconds);
  const minTimelock = noticePeriodSeconds + FUND_LIMITS.minTimelockMarginSeconds;
  if (typeof c.timelockSeconds === "number" && Number.isSafeInteger(c.timelockSeconds) && c.timelockSeconds >= 0) {
    if (c.timelockSeconds < minTimelock) {
      fail(
        "timelockSeconds",
        `must be at least noticePeriodSeconds + 1 day (${minTimelock}), so holders can leave before a change applies; got ${c.timelockSeconds}`,
      );
    }
  }
  const timelockSeconds = integer(c.timelockSeconds, "timelockSeconds", minTimelock, 2 ** 32 - 1);
  const maxSlippageBps = integer(c.maxSlippageBps, "maxSlippageBps", 0, FUND_LIMITS.maxSlippageBps);
  const minRedemptionShares =
    c.minRedemptionShares === undefined ? 0n : parseDecimal(c.minRedemptionShares, "minRedemptionShares", 18, "shares");

  if (!Array.isArray(c.positions) || c.positions.length === 0 || c.positions.length > FUND_LIMITS.maxPositions) {
    return fail(
      "positions",
      `must be a list of 1 to ${FUND_LIMITS.maxPositions} positions, got ${describe(c.positions)}`,
    );
  }
  const seen = new Set<string>();
  const positions: FundPosition[] = c.positions.map((p: unknown, i) => {
    const field = `positions[${i}]`;
    const o = object(p, field);
    onlyKeys(o, field, ["netuid", "hotkey", "vault"]);
    const position = {
      netuid: integer(o.netuid, `${field}.netuid`, 1, 65_535),
      hotkey: bytes32(o.hotkey, `${field}.hotkey`),
      vault: o.vault === undefined ? ZERO : address(o.vault, `${field}.vault`),
    };
    const key = `${position.netuid}/${position.hotkey}/${position.vault}`;
    if (seen.has(key)) fail(field, "repeats an earlier position (same netuid, hotkey and vault)");
    seen.add(key);
    return position;
  });

  const engine: EngineConfig = {
    name,
    symbol,
    roles,
    managementFeeBps,
    performanceFeeBps,
    noticePeriodSeconds,
    timelockSeconds,
    maxSlippageBps,
    minRedemptionShares,
    positions,
  };
  const plan: FundPlan = {
    kind,
    salt: c.salt === undefined ? `${kind}:${symbol}` : text(c.salt, "salt", 128),
    engine,
    ...(c.factory === undefined ? {} : { factory: address(c.factory, "factory") }),
  };
  for (const section of ["raise", "allocator", "index"] as const) {
    const wanted = section === "raise" ? "mining" : section;
    if (c[section] !== undefined && kind !== wanted) fail(section, `is only for kind "${wanted}" (kind is "${kind}")`);
  }
  if (kind === "mining") plan.raise = checkRaise(c.raise, nowSeconds);
  if (kind === "allocator") plan.allocator = checkAllocator(c.allocator, positions);
  if (kind === "index") plan.index = checkIndex(c.index, positions);
  return plan;
}

function checkRaise(value: unknown, nowSeconds: bigint): NonNullable<FundPlan["raise"]> {
  const r = object(value, "raise");
  onlyKeys(r, "raise", [
    "softCapTao",
    "hardCapTao",
    "start",
    "end",
    "minContributionTao",
    "maxContributionTao",
    "allowlist",
    "allowlistRoot",
    "organization",
    "organizationAllocationBps",
    "vestingCliffSeconds",
    "vestingDurationSeconds",
  ]);
  const tao = (key: string) => parseDecimal(r[key], `raise.${key}`, 9, "TAO");
  const softCapRao = tao("softCapTao");
  if (softCapRao === 0n) fail("raise.softCapTao", "must be more than 0");
  const hardCapRao = tao("hardCapTao");
  if (hardCapRao < softCapRao) fail("raise.hardCapTao", `must be at least raise.softCapTao (${String(r.softCapTao)})`);
  const start = parseTime(r.start, "raise.start");
  const end = parseTime(r.end, "raise.end");
  const launch = nowSeconds;
  if (resolveTime(end, launch) <= resolveTime(start, launch)) fail("raise.end", "must be after raise.start");
  if (resolveTime(end, launch) <= nowSeconds) fail("raise.end", "is in the past");
  const minContributionRao = r.minContributionTao === undefined ? 0n : tao("minContributionTao");
  const maxContributionRao = tao("maxContributionTao");
  if (maxContributionRao === 0n) fail("raise.maxContributionTao", "must be more than 0");
  if (maxContributionRao < minContributionRao) {
    fail("raise.maxContributionTao", `must be at least raise.minContributionTao (${String(r.minContributionTao)})`);
  }
  if (r.allowlist !== undefined && r.allowlistRoot !== undefined) {
    fail("raise.allowlist", "and raise.allowlistRoot exclude each other: give the list or its root");
  }
  let root = ZERO_ROOT;
  if (r.allowlist !== undefined) {
    if (!Array.isArray(r.allowlist) || r.allowlist.length === 0) {
      fail("raise.allowlist", `must be a non-empty list of addresses, got ${describe(r.allowlist)}`);
    }
    root = allowlistRoot((r.allowlist as unknown[]).map((a, i) => address(a, `raise.allowlist[${i}]`)));
  } else if (r.allowlistRoot !== undefined) {
    root = bytes32(r.allowlistRoot, "raise.allowlistRoot");
  }
  const cliff = integer(r.vestingCliffSeconds ?? 0, "raise.vestingCliffSeconds", 0, Number.MAX_SAFE_INTEGER);
  const duration = integer(r.vestingDurationSeconds ?? 0, "raise.vestingDurationSeconds", 0, Number.MAX_SAFE_INTEGER);
  if (cliff > duration) fail("raise.vestingCliffSeconds", `must not exceed raise.vestingDurationSeconds (${duration})`);
  return {
    softCapRao,
    hardCapRao,
    start,
    end,
    minContributionRao,
    maxContributionRao,
    allowlistRoot: root,
    organization: address(r.organization, "raise.organization"),
    organizationAllocationBps: integer(
      r.organizationAllocationBps ?? 0,
      "raise.organizationAllocationBps",
      0,
      FUND_LIMITS.maxOrganizationAllocationBps,
    ),
    vestingCliffSeconds: BigInt(cliff),
    vestingDurationSeconds: BigInt(duration),
  };
}

function checkAllocator(value: unknown, positions: FundPosition[]): AllocatorSettings {
  const a = object(value, "allocator");
  onlyKeys(a, "allocator", ["caps"]);
  if (!Array.isArray(a.caps) || a.caps.length === 0) {
    return fail("allocator.caps", `must be a list of { "netuid", "capTao" }, got ${describe(a.caps)}`);
  }
  const netuids = new Set(positions.map((p) => p.netuid));
  const seen = new Set<number>();
  return {
    caps: a.caps.map((entry: unknown, i) => {
      const field = `allocator.caps[${i}]`;
      const o = object(entry, field);
      onlyKeys(o, field, ["netuid", "capTao"]);
      const netuid = integer(o.netuid, `${field}.netuid`, 1, 65_535);
      if (!netuids.has(netuid)) fail(`${field}.netuid`, `is ${netuid}, which no position is on`);
      if (seen.has(netuid)) fail(`${field}.netuid`, `repeats netuid ${netuid}`);
      seen.add(netuid);
      return { netuid, capRao: parseDecimal(o.capTao, `${field}.capTao`, 9, "TAO") };
    }),
  };
}

function checkIndex(value: unknown, positions: FundPosition[]): IndexSettings {
  const x = object(value ?? {}, "index");
  onlyKeys(x, "index", ["maxWeightsBps", "toleranceBps", "minRebalanceIntervalSeconds"]);
  const weights = x.maxWeightsBps ?? positions.map(() => 0);
  if (!Array.isArray(weights) || weights.length !== positions.length) {
    return fail(
      "index.maxWeightsBps",
      `must list one cap per position (${positions.length}; 0 = none), got ${describe(weights)}`,
    );
  }
  const netuids = new Set<number>();
  positions.forEach((p, i) => {
    if (netuids.has(p.netuid))
      fail(`positions[${i}].netuid`, `repeats netuid ${p.netuid}: an index holds one position per subnet`);
    netuids.add(p.netuid);
  });
  return {
    maxWeightsBps: weights.map((w: unknown, i) => integer(w, `index.maxWeightsBps[${i}]`, 0, FUND_LIMITS.bps)),
    toleranceBps: integer(x.toleranceBps ?? 200, "index.toleranceBps", 0, FUND_LIMITS.bps),
    minRebalanceIntervalSeconds: integer(
      x.minRebalanceIntervalSeconds ?? 3600,
      "index.minRebalanceIntervalSeconds",
      0,
      2 ** 32 - 1,
    ),
  };
}

/** Parses the text of a config file; a syntax error names the file and says where. */
export function parseFundConfigText(source: string, file: string, nowSeconds?: bigint): FundPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (error) {
    throw new InputError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return checkFundConfig(raw, nowSeconds);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${file}: ${error.message}`);
    throw error;
  }
}

/* STATUS */

export interface FundStatusPosition {
  netuid: number;
  hotkey: Hex;
  vault: Address;
  alphaRao: bigint;
  movingPriceRaoPerAlpha: bigint;
  valueRao: bigint;
}

export interface FundStatus {
  address: Address;
  kind: FundKind;
  name: string;
  symbol: string;
  navRao: bigint;
  grossAssetsRao: bigint;
  idleRao: bigint;
  reservedRao: bigint;
  totalSupply: bigint;
  sharePriceRaoPerShareWad: bigint;
  managementFeeBps: number;
  performanceFeeBps: number;
  maxSlippageBps: number;
  noticePeriodSeconds: number;
  timelockSeconds: number;
  isShutDown: boolean;
  queue: { head: bigint; tail: bigint; lockedShares: bigint };
  roles: FundRoles;
  positions: FundStatusPosition[];
  raise?: {
    phase: "raising" | "succeeded" | "failed";
    totalRaisedRao: bigint;
    softCapRao: bigint;
    hardCapRao: bigint;
    startTime: bigint;
    endTime: bigint;
  };
  /** A mining fund's operating budget: streamed at a rate up to a cap; neuron registrations burn from it. */
  budget?: {
    recipient: Address;
    rateRaoPerSecond: bigint;
    capRao: bigint;
    spentRao: bigint;
    availableRao: bigint;
  };
  targetWeightsBps?: bigint[];
}

const shares = (amount: bigint) => formatRaoAsTao(amount / 10n ** 9n);
const time = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");

/** The lines `fund:status` prints. */
export function formatFundStatus(s: FundStatus): string[] {
  const row = (label: string, value: string) => `  ${label.padEnd(18)}${value}`;
  const lines = [
    `${s.name} (${s.symbol}), a ${s.kind} fund at ${s.address}${s.isShutDown ? " — SHUT DOWN (redemptions only)" : ""}`,
    row("NAV", `${formatRaoAsTao(s.navRao)} TAO (gross ${formatRaoAsTao(s.grossAssetsRao)} TAO, moving prices)`),
    row("Share price", `${formatRaoAsTao(s.sharePriceRaoPerShareWad, { maxDecimals: 9 })} TAO per share`),
    row("Shares", `${shares(s.totalSupply)} (${shares(s.queue.lockedShares)} locked in the redemption queue)`),
    row("Idle TAO", `${formatRaoAsTao(s.idleRao)} TAO (${formatRaoAsTao(s.reservedRao)} TAO more held for others)`),
    row("Fees", `management ${s.managementFeeBps} bps a year, performance ${s.performanceFeeBps} bps above the mark`),
    row(
      "Policy",
      `slippage ≤ ${s.maxSlippageBps} bps, notice ${s.noticePeriodSeconds} s, timelock ${s.timelockSeconds} s`,
    ),
    row("Queue", `${s.queue.tail - s.queue.head} request(s) from id ${s.queue.head} (next id ${s.queue.tail})`),
    row("Roles", `governance ${s.roles.governance}, guardian ${s.roles.guardian}`),
    row("", `manager ${s.roles.manager}, fee recipient ${s.roles.feeRecipient}`),
  ];
  if (s.raise) {
    lines.push(
      row(
        "Raise",
        `${s.raise.phase}: ${formatRaoAsTao(s.raise.totalRaisedRao)} of ${formatRaoAsTao(s.raise.hardCapRao)} TAO ` +
          `(soft cap ${formatRaoAsTao(s.raise.softCapRao)}), ${time(s.raise.startTime)} to ${time(s.raise.endTime)}`,
      ),
    );
  }
  if (s.budget) {
    const b = s.budget;
    lines.push(
      row(
        "Budget",
        b.recipient === ZERO
          ? "none (governance sets one through the timelock: setBudget)"
          : `${formatRaoAsTao(b.availableRao)} TAO available, ${formatRaoAsTao(b.spentRao)} of ` +
              `${formatRaoAsTao(b.capRao)} TAO spent, ${formatRaoAsTao(b.rateRaoPerSecond * 86_400n)} TAO a day ` +
              `to ${b.recipient}`,
      ),
    );
  }
  lines.push(`  Positions (${s.positions.length}):`);
  s.positions.forEach((p, i) => {
    const where = p.vault === ZERO ? `hotkey ${p.hotkey.slice(0, 10)}…` : `vault ${p.vault}`;
    const target = s.targetWeightsBps?.[i];
    lines.push(
      `    #${i} netuid ${String(p.netuid).padEnd(4)} ${where}  ${formatRaoAsTao(p.alphaRao)} alpha × ` +
        `${formatRaoAsTao(p.movingPriceRaoPerAlpha)} = ${formatRaoAsTao(p.valueRao)} TAO` +
        (target === undefined ? "" : `  (target ${Number(target) / 100} %)`),
    );
  });
  return lines;
}

/** The status as JSON-safe values (bigints as decimal strings), for `fund:status --json`. */
export function fundStatusJson(s: FundStatus): unknown {
  return JSON.parse(
    JSON.stringify(s, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)),
  );
}
