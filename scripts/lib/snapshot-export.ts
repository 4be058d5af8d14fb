/**
 * The snapshot exporter's pure part: which precompile reads make a snapshot, and how their answers become one
 * (format v1, snapshot.ts). The reading itself (batches, retries, progress) is snapshot-reader.ts.
 *
 * What the precompiles give, and where each field comes from (ABIs: contracts/precompiles/*.sol):
 *   - which netuids hold a subnet: Alpha `getAlphaPrice(netuid)` above zero (it is 0 for a netuid without one);
 *   - reserves and prices: Alpha `getTaoInPool`, `getAlphaInPool`, `getAlphaPrice`, `getMovingAlphaPrice`. The prices
 *     are TAO per alpha × 1e18 (wads), the format's own unit, already truncated to a whole rao per alpha;
 *   - hyperparameters: the Subnet precompile's getters of the fields the format names (HYPERPARAMETER_READS);
 *   - neurons: Metagraph `getUidCount`, then per uid `getHotkey`, `getColdkey`, `getValidatorStatus`, and the alpha
 *     staked on the hotkey on this subnet from StakingV2 `getTotalAlphaStaked(hotkey, netuid)` (Metagraph `getStake`
 *     is the TAO value of the hotkey's stake on every subnet, not the subnet's alpha);
 *   - the owner: uid 0's coldkey and hotkey. The chain registers the owner's hotkey as the subnet's first neuron and
 *     never prunes the owner's uids (subtensor `subnets/subnet.rs` `append_neuron`, `get_immune_owner_uids`); the
 *     typed precompiles have no owner getter.
 *
 * What they do not give, and what the snapshot says instead: subnet names (each is `SN<netuid>`), the chain's total
 * issuance (recorded as 0) and weights (left out). UidLookup (0x806) maps an EVM address to uids: nothing a snapshot
 * needs.
 *
 * Bittensor's pools are weighted, so `getTaoInPool / getAlphaInPool` need not be the spot price, which the format
 * requires within 1 %; where it is not, the alpha reserve is recorded as that of the constant-product pool with the
 * same TAO depth and spot price (TAO reserve / spot price), and a note says so. On the local chain's
 * constant-product pools the reserves are recorded as read.
 */
import { type Abi, type Hex, parseAbi } from "viem";

import { type Snapshot, parseSnapshot, SEED_LIMITS, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "./snapshot.ts";

const WAD = 10n ** 18n;
const U16_SIGN_BIT = 32_768;

/** The precompiles the exporter reads, at their Bittensor addresses (contracts/precompiles/Precompiles.sol). */
export const EXPORT_PRECOMPILES = {
  Metagraph: "0x0000000000000000000000000000000000000802",
  Subnet: "0x0000000000000000000000000000000000000803",
  StakingV2: "0x0000000000000000000000000000000000000805",
  Alpha: "0x0000000000000000000000000000000000000808",
} as const;

/** Multicall3, where a chain has it (the same address on every chain that deployed it). */
export const MULTICALL3_ADDRESS = "0xcA11bde05977b3631167028862bE2a173976CA11";

/** The functions read, with the runtime's ABI (test/fixtures/precompile-signatures.json is the Rust table). */
export const EXPORT_ABIS = {
  Alpha: parseAbi([
    "function getAlphaPrice(uint16 netuid) view returns (uint256)",
    "function getMovingAlphaPrice(uint16 netuid) view returns (uint256)",
    "function getTaoInPool(uint16 netuid) view returns (uint64)",
    "function getAlphaInPool(uint16 netuid) view returns (uint64)",
  ]),
  Subnet: parseAbi([
    "function getWeightsVersionKey(uint16 netuid) view returns (uint64)",
    "function getWeightsSetRateLimit(uint16 netuid) view returns (uint64)",
    "function getCommitRevealWeightsEnabled(uint16 netuid) view returns (bool)",
    "function getMinBurn(uint16 netuid) view returns (uint64)",
    "function getMaxBurn(uint16 netuid) view returns (uint64)",
    "function getImmunityPeriod(uint16 netuid) view returns (uint16)",
    "function getKappa(uint16 netuid) view returns (uint16)",
    "function getAlphaSigmoidSteepness(uint16 netuid) view returns (uint16)",
    "function getActivityCutoff(uint16 netuid) view returns (uint16)",
    "function getBondsMovingAverage(uint16 netuid) view returns (uint64)",
    "function getLiquidAlphaEnabled(uint16 netuid) view returns (bool)",
    "function getAlphaValues(uint16 netuid) view returns (uint16, uint16)",
    "function getYuma3Enabled(uint16 netuid) view returns (bool)",
  ]),
  Metagraph: parseAbi([
    "function getUidCount(uint16 netuid) view returns (uint16)",
    "function getHotkey(uint16 netuid, uint16 uid) view returns (bytes32)",
    "function getColdkey(uint16 netuid, uint16 uid) view returns (bytes32)",
    "function getValidatorStatus(uint16 netuid, uint16 uid) view returns (bool)",
  ]),
  StakingV2: parseAbi(["function getTotalAlphaStaked(bytes32 hotkey, uint256 netuid) view returns (uint256)"]),
} as const satisfies Record<keyof typeof EXPORT_PRECOMPILES, Abi>;

/** One read: a view function of a precompile. */
export interface PrecompileRead {
  address: Hex;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
}

const read = <P extends keyof typeof EXPORT_ABIS>(
  precompile: P,
  functionName: string,
  args: readonly unknown[],
): PrecompileRead => ({ address: EXPORT_PRECOMPILES[precompile], abi: EXPORT_ABIS[precompile], functionName, args });

/* THE READS, ROUND BY ROUND (each round's reads depend on the answers of the one before) */

/** Round 1: which of netuids 1…maxNetuid hold a subnet (a spot price above zero). */
export function probeReads(maxNetuid: number): PrecompileRead[] {
  return Array.from({ length: maxNetuid }, (_, i) => read("Alpha", "getAlphaPrice", [i + 1]));
}

/** The netuids the probe found, from its answers in the order of `probeReads`. */
export function netuidsFound(answers: readonly bigint[]): number[] {
  return answers.flatMap((priceWad, i) => (priceWad > 0n ? [i + 1] : []));
}

/** The Subnet precompile's getters of the format's hyperparameters; `getAlphaValues` gives two. */
export const HYPERPARAMETER_READS = [
  "getWeightsVersionKey",
  "getWeightsSetRateLimit",
  "getCommitRevealWeightsEnabled",
  "getMinBurn",
  "getMaxBurn",
  "getImmunityPeriod",
  "getKappa",
  "getAlphaSigmoidSteepness",
  "getActivityCutoff",
  "getBondsMovingAverage",
  "getLiquidAlphaEnabled",
  "getAlphaValues",
  "getYuma3Enabled",
] as const;

const POOL_READS = ["getAlphaPrice", "getMovingAlphaPrice", "getTaoInPool", "getAlphaInPool"] as const;

/** Round 2: per subnet, its pool, prices, hyperparameters and uid count, in this order. */
export function subnetReads(netuid: number): PrecompileRead[] {
  return [
    ...POOL_READS.map((f) => read("Alpha", f, [netuid])),
    ...HYPERPARAMETER_READS.map((f) => read("Subnet", f, [netuid])),
    read("Metagraph", "getUidCount", [netuid]),
  ];
}
export const SUBNET_READ_COUNT = POOL_READS.length + HYPERPARAMETER_READS.length + 1;

/** Round 3: per uid, its hotkey, coldkey and validator permit. */
export function neuronReads(netuid: number, uid: number): PrecompileRead[] {
  return [
    read("Metagraph", "getHotkey", [netuid, uid]),
    read("Metagraph", "getColdkey", [netuid, uid]),
    read("Metagraph", "getValidatorStatus", [netuid, uid]),
  ];
}
export const NEURON_READ_COUNT = 3;

/** Round 4: the alpha staked on a hotkey on the subnet. */
export function stakeRead(netuid: number, hotkey: Hex): PrecompileRead {
  return read("StakingV2", "getTotalAlphaStaked", [hotkey, BigInt(netuid)]);
}

/* THE ANSWERS */

/** A subnet's answers to `subnetReads`, decoded. */
export interface SubnetAnswers {
  netuid: number;
  spotPriceWad: bigint;
  movingPriceWad: bigint;
  taoInPoolRao: bigint;
  alphaInPoolAlphaRao: bigint;
  /** The answers of HYPERPARAMETER_READS, by function name. */
  hyperparameters: Record<(typeof HYPERPARAMETER_READS)[number], unknown>;
  uidCount: number;
}

/** Splits round 2's answers (all subnets' `subnetReads`, in order) per subnet. */
export function subnetAnswers(netuids: readonly number[], answers: readonly unknown[]): SubnetAnswers[] {
  if (answers.length !== netuids.length * SUBNET_READ_COUNT) {
    throw new Error(`expected ${netuids.length * SUBNET_READ_COUNT} answers, got ${answers.length}`);
  }
  return netuids.map((netuid, i) => {
    const a = answers.slice(i * SUBNET_READ_COUNT, (i + 1) * SUBNET_READ_COUNT);
    const hp = a.slice(POOL_READS.length, POOL_READS.length + HYPERPARAMETER_READS.length);
    return {
      netuid,
      spotPriceWad: a[0] as bigint,
      movingPriceWad: a[1] as bigint,
      taoInPoolRao: a[2] as bigint,
      alphaInPoolAlphaRao: a[3] as bigint,
      hyperparameters: Object.fromEntries(
        HYPERPARAMETER_READS.map((f, k) => [f, hp[k]]),
      ) as SubnetAnswers["hyperparameters"],
      uidCount: Number(a[SUBNET_READ_COUNT - 1]),
    };
  });
}

export interface NeuronAnswers {
  uid: number;
  hotkey: Hex;
  coldkey: Hex;
  validatorPermit: boolean;
  stakeAlphaRao: bigint;
}

type Hyperparameters = NonNullable<Snapshot["subnets"][number]["hyperparameters"]>;
/** The JSON form of the format's hyperparameters: amounts as decimal strings. */
type HyperparametersJson = {
  [K in keyof Hyperparameters]?: Hyperparameters[K] extends bigint | undefined ? string : Hyperparameters[K];
};

/**
 * The format's hyperparameters from the Subnet precompile's answers. A value the format cannot hold (an activity
 * cutoff of 0, a bonds moving average above 1,000,000 per million, a rate limit above 2^32 − 1) is left out, with
 * a note. The sigmoid steepness comes as the bits of an int16 and is signed again.
 */
export function hyperparametersFromAnswers(
  answers: SubnetAnswers["hyperparameters"],
  note: (line: string) => void = () => undefined,
): HyperparametersJson {
  const out: HyperparametersJson = {};
  const u = (v: unknown) => BigInt(v as bigint | number);
  const within = (name: string, v: bigint, min: bigint, max: bigint): number | undefined => {
    if (v >= min && v <= max) return Number(v);
    note(`${name} ${v} is outside the format's ${min}…${max}: left out`);
    return undefined;
  };
  out.weightsVersionKey = u(answers.getWeightsVersionKey).toString();
  const rateLimit = within("weightsRateLimit", u(answers.getWeightsSetRateLimit), 0n, 4_294_967_295n);
  if (rateLimit !== undefined) out.weightsRateLimit = rateLimit;
  out.commitReveal = answers.getCommitRevealWeightsEnabled === true;
  out.minBurnRao = u(answers.getMinBurn).toString();
  out.maxBurnRao = u(answers.getMaxBurn).toString();
  out.immunityPeriod = Number(answers.getImmunityPeriod);
  out.kappaOf65535 = Number(answers.getKappa);
  const bits = Number(answers.getAlphaSigmoidSteepness);
  out.alphaSigmoidSteepness = bits >= U16_SIGN_BIT ? bits - 2 * U16_SIGN_BIT : bits;
  const cutoff = within("activityCutoff", u(answers.getActivityCutoff), 1n, 65_535n);
  if (cutoff !== undefined) out.activityCutoff = cutoff;
  const bonds = within("bondsMovingAveragePpm", u(answers.getBondsMovingAverage), 0n, 1_000_000n);
  if (bonds !== undefined) out.bondsMovingAveragePpm = bonds;
  out.liquidAlpha = answers.getLiquidAlphaEnabled === true;
  const [low, high] = answers.getAlphaValues as readonly [number, number];
  out.alphaLowOf65535 = Number(low);
  out.alphaHighOf65535 = Number(high);
  out.yuma3 = answers.getYuma3Enabled === true;
  return out;
}

/**
 * What the seed keeps of an exported snapshot (`scaling`): the local chain's limits, and an exact seed (a genesis
 * import of the state read); the neuron limits and the price factor are for a history seed of the same file.
 */
export function exportScaling(subnets: readonly { taoReserveRao: bigint; spotPriceWad: bigint }[]) {
  const maxSubnets = Math.min(SEED_LIMITS.subnets, subnets.length);
  const kept = [...subnets].sort((a, b) => (b.taoReserveRao > a.taoReserveRao ? 1 : -1)).slice(0, maxSubnets);
  const sumWad = kept.reduce((sum, s) => sum + s.spotPriceWad, 0n);
  // The seed's history brings the kept prices to where they add up to about 1 TAO (snapshot.ts): lift them there
  // alike, so their ratios stay the snapshot's. Two decimals, within the format's 0.01 to 100.
  const factor = sumWad > 0n ? Number((WAD * 100n) / sumWad) / 100 : 1;
  return {
    maxSubnets,
    maxValidatorsPerSubnet: SEED_LIMITS.validatorsPerSubnet,
    maxMinersPerSubnet: SEED_LIMITS.minersPerSubnet,
    priceFactor: Math.min(100, Math.max(0.01, factor)),
    mode: "exact" as const,
  };
}

export interface ExportedChain {
  network: string;
  endpoint: string;
  chainId: number;
  blockNumber: bigint;
  createdAt: Date;
}

/**
 * The snapshot (validated by `parseSnapshot`; its JSON form is what a file holds) from the decoded answers.
 * `note` hears about every adjustment: a capped moving price, a weighted pool's alpha reserve, a left-out field.
 */
export function buildSnapshot(
  chain: ExportedChain,
  subnets: readonly (SubnetAnswers & { neurons: readonly NeuronAnswers[] })[],
  note: (line: string) => void = () => undefined,
): { json: Record<string, unknown>; snapshot: Snapshot } {
  if (subnets.length === 0) throw new Error(`no subnets found on ${chain.network} at block ${chain.blockNumber}`);
  const rows = subnets.map((s) => {
    const say = (line: string) => note(`netuid ${s.netuid}: ${line}`);
    let alphaReserve = s.alphaInPoolAlphaRao;
    const impliedWad = alphaReserve > 0n ? (s.taoInPoolRao * WAD) / alphaReserve : 0n;
    const diff = impliedWad > s.spotPriceWad ? impliedWad - s.spotPriceWad : s.spotPriceWad - impliedWad;
    if (diff * 100n > s.spotPriceWad) {
      alphaReserve = (s.taoInPoolRao * WAD) / s.spotPriceWad;
      say(
        `TAO / alpha reserve is not the spot price (a weighted pool): alpha reserve recorded as ${alphaReserve} ` +
          `(TAO reserve / spot price), the chain holds ${s.alphaInPoolAlphaRao}`,
      );
    }
    let movingWad = s.movingPriceWad;
    if (movingWad > WAD) {
      say(`moving price ${movingWad} above 1 TAO per alpha: recorded as 1e18, the chain's cap`);
      movingWad = WAD;
    }
    const owner = s.neurons.find((n) => n.uid === 0);
    if (owner === undefined) throw new Error(`netuid ${s.netuid} has no uid 0 (its owner's neuron)`);
    return {
      netuid: s.netuid,
      name: `SN${s.netuid}`,
      owner: { coldkey: owner.coldkey, hotkey: owner.hotkey },
      taoReserveRao: s.taoInPoolRao.toString(),
      alphaReserveAlphaRao: alphaReserve.toString(),
      spotPriceWad: s.spotPriceWad.toString(),
      movingPriceWad: movingWad.toString(),
      hyperparameters: hyperparametersFromAnswers(s.hyperparameters, say),
      neurons: [...s.neurons]
        .sort((a, b) => a.uid - b.uid)
        .map((n) => ({
          uid: n.uid,
          hotkey: n.hotkey,
          coldkey: n.coldkey,
          validatorPermit: n.validatorPermit,
          stakeAlphaRao: n.stakeAlphaRao.toString(),
        })),
      sort: { taoReserveRao: s.taoInPoolRao, spotPriceWad: s.spotPriceWad },
    };
  });
  const json = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    source: {
      kind: "exported",
      description:
        `read from ${chain.network} (chain ${chain.chainId}) at block ${chain.blockNumber} through the precompiles ` +
        `Alpha 0x808, Subnet 0x803, Metagraph 0x802 and StakingV2 0x805 (npm run snapshot). They expose no subnet ` +
        `names (each is SN<netuid>), no total issuance (recorded as 0) and no weights; the owner is uid 0's keys.`,
      network: chain.network,
      endpoint: chain.endpoint,
    },
    createdAt: chain.createdAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
    chain: { blockNumber: chain.blockNumber.toString(), totalIssuanceRao: "0" },
    scaling: exportScaling(rows.map((r) => r.sort)),
    subnets: rows.map(({ sort: _sort, ...row }) => row),
  };
  return { json, snapshot: parseSnapshot(json) };
}

/* TRANSIENT ERRORS AND RETRIES */

const TRANSIENT_HTTP_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Whether a failed read is worth repeating: a timeout, a dropped or refused connection, an HTTP status that says
 * "later" (408, 425, 429, 5xx gateway errors), a JSON-RPC "limit exceeded" (-32005). A call the chain answered with
 * an error (a revert, a failing precompile) is not: it would fail again.
 */
export function isTransientError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === "object" && depth < 8; depth++) {
    const { status, code, name, cause } = e as { status?: unknown; code?: unknown; name?: unknown; cause?: unknown };
    if (typeof status === "number" && TRANSIENT_HTTP_STATUS.has(status)) return true;
    if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
    if (code === -32005) return true;
    if (name === "TimeoutError" || name === "AbortError") return true;
    if (name === "HttpRequestError" && status === undefined) return true; // no answer at all: fetch failed
    e = cause;
  }
  return false;
}

/** The wait before retry `attempt` (1 for the first retry): doubling from `baseMs`, at most `maxMs`. */
export function backoffMs(attempt: number, baseMs: number, maxMs = 8_000): number {
  return Math.min(maxMs, baseMs * 2 ** (attempt - 1));
}
