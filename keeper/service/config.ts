/**
 * The keeper's configuration: command-line options over environment variables over defaults, validated with zod.
 * A bad value stops the keeper before it connects, with one line naming the option (or variable) and what is
 * allowed. Keys are never printed.
 */
import { z } from "zod";

import { InputError } from "../../scripts/lib/cli.ts";

export const CLAIM_POLICIES = ["all", "none"] as const;

/** Where each field comes from, for messages: the option and the environment variable. */
export const FIELD_SOURCES = {
  network: "--network (or KEEPER_NETWORK)",
  rpcUrl: "--rpc-url (or KEEPER_RPC_URL)",
  keys: "KEEPER_PRIVATE_KEYS / KEEPER_PRIVATE_KEY (or the keystore's KEEPER_PRIVATE_KEY)",
  quorum: "--quorum (or KEEPER_QUORUM)",
  peers: "--peers (or KEEPER_PEERS)",
  index: "--index (or KEEPER_INDEX)",
  pollIntervalMs: "--poll-interval (or KEEPER_POLL_INTERVAL_MS)",
  metricsPort: "--metrics-port (or KEEPER_METRICS_PORT)",
  claimPolicy: "--claim (or KEEPER_CLAIM)",
  signatureDir: "--signature-dir (or KEEPER_SIGNATURE_DIR)",
  stateDir: "--state-dir (or KEEPER_STATE_DIR)",
  graceMs: "--grace (or KEEPER_GRACE_MS)",
} as const;

const integer = (min: number, max: number) =>
  z.coerce
    .number({ invalid_type_error: `an integer from ${min} to ${max}` })
    .int(`an integer from ${min} to ${max}`)
    .min(min, `an integer from ${min} to ${max}`)
    .max(max, `an integer from ${min} to ${max}`);

const privateKey = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "a 32-byte private key (0x and 64 hex digits)")
  .transform((k) => k as `0x${string}`);

export const keeperConfigSchema = z
  .object({
    network: z.string().min(1, "a network name of hardhat.config.ts"),
    rpcUrl: z
      .string()
      .url("an http(s) URL such as http://127.0.0.1:8545")
      .refine((u) => /^https?:\/\//.test(u), "an http(s) URL"),
    keys: z.array(privateKey).min(1, "at least one private key"),
    quorum: integer(1, 65_535).optional(),
    peers: integer(1, 65_535).optional(),
    index: integer(0, 65_534).default(0),
    pollIntervalMs: integer(100, 600_000).default(1_000),
    metricsPort: integer(0, 65_535).optional(),
    claimPolicy: z
      .enum(CLAIM_POLICIES, { errorMap: () => ({ message: `one of ${CLAIM_POLICIES.join(", ")}` }) })
      .default("all"),
    signatureDir: z.string().min(1).optional(),
    stateDir: z.string().min(1).optional(),
    graceMs: integer(0, 3_600_000).default(5_000),
  })
  .superRefine((c, ctx) => {
    const peers = c.peers ?? c.keys.length;
    if (c.index + c.keys.length > peers) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["index"],
        message: `this process's ${c.keys.length} keeper(s) from place ${c.index} do not fit among ${peers} peers`,
      });
    }
  });

export type KeeperConfig = z.infer<typeof keeperConfigSchema>;

/** Validates raw values; the first problem becomes an InputError naming the option or variable. */
export function parseKeeperConfig(raw: Record<string, unknown>): KeeperConfig {
  const result = keeperConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? "config") as keyof typeof FIELD_SOURCES;
  const where = FIELD_SOURCES[field] ?? field;
  const index = issue.path.length > 1 ? ` (entry ${String(issue.path[1])})` : "";
  // Never echo a key.
  const got = field === "keys" || raw[field] === undefined ? "" : `, got ${JSON.stringify(raw[field])}`;
  throw new InputError(`config field ${field}${index}: ${where} must be ${issue.message}${got}`);
}

/** Splits KEEPER_PRIVATE_KEYS (comma- or space-separated). */
export function splitKeys(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(/[\s,]+/)
    .map((k) => k.trim())
    .filter((k) => k !== "")
    .map((k) => (k.startsWith("0x") ? k : `0x${k}`));
}
