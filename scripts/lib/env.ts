/**
 * Environment variables that more than one part of the project reads, with their rules in one place.
 * `hardhat.config.ts` and `scripts/start.ts` both read BLOCK_INTERVAL_MS.
 */
import { envInteger, type IntegerRule } from "./cli.ts";

/** The local node's interval mining: a block every N ms (transactions also mine one), or 0 for automine only. */
export const BLOCK_INTERVAL_RULE: IntegerRule = {
  default: 2000,
  min: 1000,
  unit: "ms",
  special: { value: 0, meaning: "automine-only" },
};

export function blockIntervalMs(env: Readonly<Record<string, string | undefined>> = process.env): number {
  return envInteger("BLOCK_INTERVAL_MS", BLOCK_INTERVAL_RULE, env);
}
