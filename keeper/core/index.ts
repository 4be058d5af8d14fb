/**
 * The keeper's pure core: snapshot → engine inputs → report. No I/O; `keeper/chain` reads the chain and
 * `keeper/service` runs the loop.
 */
export * from "./types.ts";
export * from "./weights.ts";
export * from "./state.ts";
export * from "./inputs.ts";
export * from "./payout.ts";
export * from "./report.ts";
