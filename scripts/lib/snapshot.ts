/**
 * The snapshot format: a subnet economy as it stands at one block, in JSON, from which `npm start` seeds the local
 * chain (snapshots/default.json by default; `--snapshot <file>` for another).
 *
 * Format `alpha-markets-snapshot`, version 1 (described for people in snapshots/README.md):
 *
 *   {
 *     "format": "alpha-markets-snapshot", "version": 1,
 *     "source": { "kind": "hand-written" | "exported", "description": "…", "network"?: "…", "endpoint"?: "…" },
 *     "createdAt": "2026-12-01T00:00:00Z",                      // ISO 8601, UTC
 *     "chain": { "blockNumber": "…", "totalIssuanceRao": "…" },
 *     "scaling": { "maxSubnets": 10, "maxValidatorsPerSubnet": 6, "maxMinersPerSubnet": 16, "priceFactor"?: 1,
 *                  "mode"?: "history" | "exact" },
 *     "subnets": [{
 *       "netuid": 64, "name": "Chutes",
 *       "owner": { "coldkey": "0x…32 bytes", "hotkey"?: "0x…32 bytes" },
 *       "taoReserveRao": "…", "alphaReserveAlphaRao": "…",
 *       "spotPriceWad": "…", "movingPriceWad": "…",             // TAO per alpha × 1e18; the moving one ≤ 1e18
 *       "hyperparameters": { "tempo": 360, … },                  // any of the model's Hyperparameters
 *       "neurons": [{ "uid": 0, "validatorPermit": true, "stakeAlphaRao": "…",
 *                     "hotkey"?: "0x…", "coldkey"?: "0x…", "weights"?: [{ "uid": 3, "valueOf65535": 65535 }] }]
 *     }]
 *   }
 *
 * Amounts and prices are decimal strings (whole numbers): rao and alpha-rao (9 decimals), prices as wads (18), so
 * nothing loses precision in JSON. Account ids are 32-byte hex (Bittensor's AccountId32, an SS58 address's bytes).
 *
 * Scaling: the local chain holds at most `maxSubnets` subnets (those with the deepest pools), and `mode` says how it
 * gets them. "exact" (what the exporter writes) imports each as the file has it, as the chain's genesis (genesis.ts,
 * `genesisPlan`). "history" (the default) registers them as newcomers do, each with at most `maxValidatorsPerSubnet`
 * validators (neurons with a permit; the seed has six validator accounts) and `maxMinersPerSubnet` miners (the
 * others; the seed has 24 miner hotkeys), and at least one of each; a pool opens at its registration lock and moves
 * only by trades and emission, as on the chain, so the seed steers each subnet's spot price to the snapshot's ×
 * `priceFactor` (default 1) and depth, stake and the moving price follow from the seed's history (`seedPlan`). Either
 * way the local chain keeps its own block numbers, issuance and (fast, demo) hyperparameters
 * (ignition/parameters/local.json).
 *
 * Why a price factor: the seed's history sells each subnet's emitted alpha against the emitted TAO, which brings the
 * prices of the seeded subnets to where they add up to about 1 TAO (Σ price ≈ TAO per block / alpha per block, as on
 * the chain). A snapshot that keeps a few of many subnets has prices adding up to less; `priceFactor` lifts them all
 * alike, so their ratios, and with them the emission shares, stay as in the snapshot.
 *
 * Pure: parsing and validation only; reading the file is `readSnapshotFile`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { z } from "zod";

export const SNAPSHOT_FORMAT = "alpha-markets-snapshot";
export const SNAPSHOT_VERSION = 1;
export const DEFAULT_SNAPSHOT_FILE = path.resolve(import.meta.dirname, "../../snapshots/default.json");

const WAD = 10n ** 18n;
/** The spot price must match the reserves within this many parts per million (rounding, and a block's drift). */
const SPOT_PRICE_TOLERANCE_PPM = 10_000n; // 1 %
/** What the seed's accounts allow (scripts/lib/seed.ts ACCOUNTS), and the model's subnet limit. */
export const SEED_LIMITS = { subnets: 16, validatorsPerSubnet: 6, minersPerSubnet: 24 } as const;

const wholeNumber = (what: string) =>
  z
    .string({ invalid_type_error: `must be ${what} as a decimal string (e.g. "1000000000")` })
    .regex(/^(0|[1-9]\d*)$/, `must be ${what} as a decimal string of digits, without sign, point or exponent`)
    .transform((s) => BigInt(s));
const positive = (what: string) => wholeNumber(what).refine((n) => n > 0n, `must be ${what} above zero`);
const maxU64 = (2n ** 64n - 1n).toString();
const u64 = (what: string) => wholeNumber(what).refine((n) => n < 2n ** 64n, `must be ${what} of at most ${maxU64}`);
const accountId = z
  .string({ invalid_type_error: "must be a 32-byte account id as 0x and 64 hex digits" })
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 32-byte account id as 0x and 64 hex digits");
const int = (min: number, max: number) =>
  z
    .number({ invalid_type_error: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be a whole number from ${min} to ${max}`)
    .max(max, `must be a whole number from ${min} to ${max}`);

/** Any of the model's Hyperparameters (contracts/interfaces/ISubnetRegistry.sol), with its name and unit. */
const hyperparametersSchema = z
  .object({
    tempo: int(1, 65_535),
    maxUids: int(1, 65_535),
    maxValidators: int(1, 65_535),
    kappaOf65535: int(0, 65_535),
    bondsMovingAveragePpm: int(0, 1_000_000),
    bondsPenaltyOf65535: int(0, 65_535),
    yuma3: z.boolean(),
    liquidAlpha: z.boolean(),
    alphaLowOf65535: int(0, 65_535),
    alphaHighOf65535: int(0, 65_535),
    alphaSigmoidSteepness: int(-32_768, 32_767),
    activityCutoff: int(1, 65_535),
    immunityPeriod: int(0, 4_294_967_295),
    weightsRateLimit: int(0, 4_294_967_295),
    weightsVersionKey: u64("a version key"),
    commitReveal: z.boolean(),
    transfersEnabled: z.boolean(),
    minBurnRao: u64("an amount of rao"),
    maxBurnRao: u64("an amount of rao"),
    burnHalfLife: int(1, 65_535),
    burnIncreaseMultWad: u64("a factor × 1e18"),
  })
  .partial()
  .strict();

const neuronSchema = z
  .object({
    uid: int(0, 65_535),
    hotkey: accountId.optional(),
    coldkey: accountId.optional(),
    validatorPermit: z.boolean({ invalid_type_error: "must be true or false" }),
    stakeAlphaRao: u64("an amount of alpha-rao"),
    weights: z.array(z.object({ uid: int(0, 65_535), valueOf65535: int(0, 65_535) }).strict()).optional(),
  })
  .strict();

const subnetSchema = z
  .object({
    netuid: int(1, 65_535),
    name: z
      .string({ invalid_type_error: "must be a name of 1 to 32 bytes" })
      .refine((s) => s.length > 0 && Buffer.byteLength(s) <= 32, "must be a name of 1 to 32 bytes"),
    owner: z.object({ coldkey: accountId, hotkey: accountId.optional() }).strict(),
    taoReserveRao: positive("an amount of rao"),
    alphaReserveAlphaRao: positive("an amount of alpha-rao"),
    spotPriceWad: positive("a price in TAO per alpha × 1e18").refine(
      (n) => n >= 1_000_000_000n,
      "must be at least 1000000000 (one rao per alpha, the unit of limit prices)",
    ),
    movingPriceWad: wholeNumber("a price in TAO per alpha × 1e18").refine(
      (n) => n <= WAD,
      "must be at most 1000000000000000000 (the moving price is capped at 1 TAO per alpha)",
    ),
    hyperparameters: hyperparametersSchema,
    neurons: z.array(neuronSchema),
  })
  .strict()
  .superRefine((s, ctx) => {
    // A failed refinement does not stop zod: the checks across fields run on what parsed, an empty reserve too.
    const impliedWad = s.alphaReserveAlphaRao > 0n ? (s.taoReserveRao * WAD) / s.alphaReserveAlphaRao : 0n;
    const diff = impliedWad > s.spotPriceWad ? impliedWad - s.spotPriceWad : s.spotPriceWad - impliedWad;
    if (impliedWad > 0n && diff * 1_000_000n > impliedWad * SPOT_PRICE_TOLERANCE_PPM) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["spotPriceWad"],
        message: `must match the reserves (taoReserveRao / alphaReserveAlphaRao = ${impliedWad} × 1e-18) within 1 %`,
      });
    }
    const uids = new Set<number>();
    for (const [i, n] of s.neurons.entries()) {
      if (uids.has(n.uid)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["neurons", i, "uid"], message: `repeats uid ${n.uid}` });
      }
      uids.add(n.uid);
    }
    for (const [i, n] of s.neurons.entries()) {
      for (const [j, w] of (n.weights ?? []).entries()) {
        if (!uids.has(w.uid)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ["neurons", i, "weights", j, "uid"],
            message: `names uid ${w.uid}, which is not a neuron of this subnet`,
          });
        }
      }
    }
  });

const snapshotSchema = z
  .object({
    format: z.literal(SNAPSHOT_FORMAT, {
      errorMap: () => ({ message: `must be "${SNAPSHOT_FORMAT}"` }),
    }),
    version: z.literal(SNAPSHOT_VERSION, {
      errorMap: () => ({ message: `must be ${SNAPSHOT_VERSION} (the only version this project reads)` }),
    }),
    source: z
      .object({
        kind: z.enum(["hand-written", "exported"], {
          errorMap: () => ({ message: 'must be "hand-written" or "exported"' }),
        }),
        description: z.string().min(1, "must say how the snapshot was made"),
        network: z.string().min(1).optional(),
        endpoint: z.string().min(1).optional(),
      })
      .strict(),
    createdAt: z
      .string({ invalid_type_error: "must be an ISO 8601 date and time in UTC" })
      .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/, "must be an ISO 8601 date and time in UTC")
      .refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 date and time in UTC"),
    chain: z
      .object({
        blockNumber: wholeNumber("a block number"),
        totalIssuanceRao: wholeNumber("an amount of rao"),
      })
      .strict(),
    scaling: z
      .object({
        maxSubnets: int(1, SEED_LIMITS.subnets),
        maxValidatorsPerSubnet: int(1, SEED_LIMITS.validatorsPerSubnet),
        maxMinersPerSubnet: int(1, SEED_LIMITS.minersPerSubnet),
        priceFactor: z
          .number({ invalid_type_error: "must be a number from 0.01 to 100" })
          .min(0.01, "must be a number from 0.01 to 100")
          .max(100, "must be a number from 0.01 to 100")
          .optional(),
        mode: z
          .enum(["history", "exact"], { errorMap: () => ({ message: 'must be "history" or "exact"' }) })
          .optional(),
      })
      .strict(),
    subnets: z.array(subnetSchema).min(1, "must hold at least one subnet"),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Map<string, number>();
    for (const [i, subnet] of s.subnets.entries()) {
      for (const [field, key] of [
        ["netuid", `netuid ${subnet.netuid}`],
        ["name", `name ${subnet.name}`],
      ] as const) {
        if (seen.has(key)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ["subnets", i, field],
            message: `repeats subnets[${seen.get(key)}].${field} (${String(subnet[field])})`,
          });
        } else seen.set(key, i);
      }
    }
  });

export type Snapshot = z.output<typeof snapshotSchema>;
export type SnapshotSubnet = Snapshot["subnets"][number];
export type SnapshotNeuron = SnapshotSubnet["neurons"][number];

/** A snapshot that does not follow the format: the message names the field, as `subnets[2].spotPriceWad`. */
export class SnapshotError extends Error {
  override name = "SnapshotError";
  /** The bad field's path, when one field is bad. */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.field = field;
  }
}

/** A field's path as people write it: `subnets[2].neurons[0].uid`. */
export function fieldPath(pathParts: readonly (string | number)[]): string {
  let out = "";
  for (const part of pathParts) out += typeof part === "number" ? `[${part}]` : out === "" ? part : `.${part}`;
  return out === "" ? "(the whole file)" : out;
}

/** Validates parsed JSON as a snapshot; throws a SnapshotError naming the first bad field. */
export function parseSnapshot(json: unknown): Snapshot {
  const result = snapshotSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = fieldPath(issue.path);
  let message = issue.message;
  if (issue.code === z.ZodIssueCode.invalid_type && issue.received === "undefined") message = "is missing";
  else if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    message = `has unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
  } else if (issue.code === z.ZodIssueCode.invalid_type && message === "Required") message = "is missing";
  else if (issue.code === z.ZodIssueCode.invalid_type && /^Expected/.test(message)) {
    message = `must be of type ${issue.expected}, got ${issue.received}`;
  }
  throw new SnapshotError(`${field} ${message}`, field);
}

/** Reads and validates a snapshot file; any problem (missing, not JSON, a bad field) is a SnapshotError. */
export function readSnapshotFile(file: string): Snapshot {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SnapshotError(`${file}: cannot be read (${code === "ENOENT" ? "no such file" : (code ?? "error")})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(`${file}: is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return parseSnapshot(json);
  } catch (error) {
    if (error instanceof SnapshotError) throw new SnapshotError(`${file}: ${error.message}`, error.field);
    throw error;
  }
}

/** One subnet as the seed registers it (scripts/lib/seed.ts). */
export interface SeedSubnetPlan {
  /** The snapshot's netuid; the local chain gives netuids 1, 2, … in registration order. */
  snapshotNetuid: number;
  name: string;
  /** Target spot price, TAO per alpha: the snapshot's × `scaling.priceFactor`. */
  price: number;
  miners: number;
  validators: number;
  /** The snapshot's TAO reserve, in TAO, recorded for the seed's log (the local pool's depth follows the history). */
  snapshotTaoReserve: number;
}

/** Which of a snapshot's subnets the local chain holds: the `maxSubnets` deepest pools, with their index in the file. */
function keptSubnets(snapshot: Snapshot): { subnet: SnapshotSubnet; index: number }[] {
  return snapshot.subnets
    .map((subnet, index) => ({ subnet, index }))
    .sort(({ subnet: a }, { subnet: b }) =>
      b.taoReserveRao > a.taoReserveRao ? 1 : b.taoReserveRao < a.taoReserveRao ? -1 : a.netuid - b.netuid,
    )
    .slice(0, snapshot.scaling.maxSubnets);
}

/**
 * What the seed makes of a snapshot: the `maxSubnets` subnets with the deepest pools, each with its spot price and
 * its neurons' counts within the scaling limits (at least one validator and one miner; the owner's own neuron, whose
 * hotkey is `owner.hotkey`, is neither: the seed registers the owner's uid besides them), cheapest first: the seed
 * registers in this order, so the cheapest have the most history to sell their price down (seed.ts).
 */
export function seedPlan(snapshot: Snapshot): SeedSubnetPlan[] {
  const { scaling } = snapshot;
  const kept = keptSubnets(snapshot).map(({ subnet }) => subnet);
  const clamp = (n: number, max: number) => Math.max(1, Math.min(n, max));
  return kept
    .map((s) => {
      // The owner's own neuron (its hotkey's, as an exported snapshot records it) is the owner's uid the seed always
      // registers: it counts as neither a validator nor a miner.
      const neurons = s.neurons.filter((n) => s.owner.hotkey === undefined || n.hotkey !== s.owner.hotkey);
      const validators = neurons.filter((n) => n.validatorPermit).length;
      return {
        snapshotNetuid: s.netuid,
        name: s.name,
        // In whole rao per alpha, the unit of the seed's limit prices.
        price: Math.round(Number((s.spotPriceWad * 1_000_000_000n) / WAD) * (scaling.priceFactor ?? 1)) / 1e9,
        validators: clamp(validators, scaling.maxValidatorsPerSubnet),
        miners: clamp(neurons.length - validators, scaling.maxMinersPerSubnet),
        snapshotTaoReserve: Number(s.taoReserveRao / 1_000_000_000n),
      };
    })
    .sort((a, b) => a.price - b.price || a.snapshotNetuid - b.snapshotNetuid);
}

/** The model's netuids (SubnetRegistry.MAX_NETUID). */
const MAX_NETUID = 255;

/** A neuron as the genesis import writes it: uid = its index. */
export interface GenesisNeuronPlan {
  hotkey: `0x${string}`;
  coldkey: `0x${string}`;
  stakeAlphaRao: bigint;
  validatorPermit: boolean;
}

/** One subnet as the genesis import writes it (`scaling.mode` "exact"): the snapshot's own values. */
export interface GenesisSubnetPlan {
  netuid: number;
  name: string;
  /** The spot price of the reserves, TAO per alpha (for people: the import writes the reserves). */
  price: number;
  taoReserveRao: bigint;
  alphaReserveAlphaRao: bigint;
  movingPriceWad: bigint;
  /** By uid, 0 (the owner's) to n − 1. */
  neurons: GenesisNeuronPlan[];
}

/**
 * What an exact seed imports (scripts/lib/genesis.ts): the `maxSubnets` deepest pools, by netuid, each as the file
 * has it. An exact import needs what a history seed can do without: netuids the model has (1 to 255), and every
 * neuron's keys at uids 0 to n − 1 with uid 0 the owner's; a SnapshotError names the first field that falls short.
 * The neuron limits and the price factor of `scaling` do not apply: nothing is scaled but the number of subnets.
 */
export function genesisPlan(snapshot: Snapshot): GenesisSubnetPlan[] {
  const refuse = (field: string, message: string): never => {
    throw new SnapshotError(`${field} ${message} for an exact import (scaling.mode "exact")`, field);
  };
  return keptSubnets(snapshot)
    .map(({ subnet, index }) => {
      const at = `subnets[${index}]`;
      if (subnet.netuid > MAX_NETUID) refuse(`${at}.netuid`, `must be at most ${MAX_NETUID}, the model's last netuid`);
      if (subnet.neurons.length === 0) refuse(`${at}.neurons`, "must hold at least the owner's neuron (uid 0)");
      const byUid = [...subnet.neurons.entries()].sort(([, a], [, b]) => a.uid - b.uid);
      const neurons = byUid.map(([j, n], uid) => {
        if (n.uid !== uid) refuse(`${at}.neurons`, `must hold uids 0 to ${byUid.length - 1} (uid ${uid} is missing)`);
        if (n.hotkey === undefined) refuse(`${at}.neurons[${j}].hotkey`, "is missing");
        if (n.coldkey === undefined) refuse(`${at}.neurons[${j}].coldkey`, "is missing");
        // Lower case, as the chain's reads return account ids: keys compare as strings.
        return {
          hotkey: n.hotkey!.toLowerCase() as `0x${string}`,
          coldkey: n.coldkey!.toLowerCase() as `0x${string}`,
          stakeAlphaRao: n.stakeAlphaRao,
          validatorPermit: n.validatorPermit,
        };
      });
      const ownerUid = byUid[0]![0];
      if (subnet.owner.coldkey.toLowerCase() !== neurons[0]!.coldkey) {
        refuse(`${at}.owner.coldkey`, `must be uid 0's coldkey (subnets[${index}].neurons[${ownerUid}].coldkey)`);
      }
      if (subnet.owner.hotkey !== undefined && subnet.owner.hotkey.toLowerCase() !== neurons[0]!.hotkey) {
        refuse(`${at}.owner.hotkey`, `must be uid 0's hotkey (subnets[${index}].neurons[${ownerUid}].hotkey)`);
      }
      return {
        netuid: subnet.netuid,
        name: subnet.name,
        price: Number((subnet.taoReserveRao * 1_000_000_000n) / subnet.alphaReserveAlphaRao) / 1e9,
        taoReserveRao: subnet.taoReserveRao,
        alphaReserveAlphaRao: subnet.alphaReserveAlphaRao,
        movingPriceWad: subnet.movingPriceWad,
        neurons,
      };
    })
    .sort((a, b) => a.netuid - b.netuid);
}

/** How a snapshot seeds the local chain: its history (the default) or an exact genesis import. */
export type SnapshotSeed =
  { mode: "history"; subnets: SeedSubnetPlan[] } | { mode: "exact"; subnets: GenesisSubnetPlan[] };

/** The plan of `scaling.mode`; a SnapshotError names the field an exact import cannot take. */
export function snapshotSeed(snapshot: Snapshot): SnapshotSeed {
  return snapshot.scaling.mode === "exact"
    ? { mode: "exact", subnets: genesisPlan(snapshot) }
    : { mode: "history", subnets: seedPlan(snapshot) };
}
