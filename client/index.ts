/**
 * Alpha Markets' TypeScript client: units, deadlines from the chain's clock, limit prices from slippage, error
 * decoding and typed contract handles. Browser-safe (no `node:*`); Node code that reads the deployments file and
 * the artifacts imports `./node.ts` as well.
 */
export * from "./units.ts";
export * from "./deadline.ts";
export * from "./slippage.ts";
export * from "./errors.ts";
export * from "./deployment.ts";
export * from "./gas.ts";
