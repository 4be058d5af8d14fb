/**
 * @wagmi/cli configuration: typed ABIs and React hooks for our own contracts, generated from the root project's
 * Hardhat artifacts, plus each contract's address and start block per chain from `deployments/<chainId>.json`.
 *
 * Run through `npm run codegen` (scripts/codegen.ts), which the build, the tests and the typecheck run first.
 * DEPLOYMENTS_DIR points at another deployments folder (the end-to-end tests deploy into a temporary one).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { defineConfig, type Plugin } from "@wagmi/cli";
import { hardhat, react } from "@wagmi/cli/plugins";

const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");
const DEPLOYMENTS_DIR = path.resolve(process.env.DEPLOYMENTS_DIR || path.join(PROJECT_ROOT, "deployments"));

interface DeploymentsFile {
  chainId: number;
  contracts: Record<string, { address: `0x${string}`; startBlock: number }>;
}

function readDeployments(): DeploymentsFile[] {
  let names: string[];
  try {
    names = readdirSync(DEPLOYMENTS_DIR);
  } catch {
    return [];
  }
  return names
    .filter((name) => /^\d+\.json$/.test(name))
    .map((name) => JSON.parse(readFileSync(path.join(DEPLOYMENTS_DIR, name), "utf8")) as DeploymentsFile)
    .sort((a, b) => a.chainId - b.chainId);
}

/**
 * Emits `deployments`: each contract's address and deployment block per chain id, from `deployments/<chainId>.json`.
 * The addresses are kept out of the hooks on purpose: with them baked in, the hooks' types (and so the typecheck)
 * would depend on which deployments happen to exist on the machine; the data layer resolves them by chain instead.
 */
function deployments(): Plugin {
  return {
    name: "Deployments",
    run: ({ contracts }) => {
      // Only the contracts the dApp has ABIs for (a deployment may hold others, e.g. AlphaPoolsExtension).
      const names = new Set(contracts.map((c) => c.name));
      const byChain: Record<number, Record<string, { address: `0x${string}`; startBlock: number }>> = {};
      for (const file of readDeployments()) {
        byChain[file.chainId] = Object.fromEntries(
          Object.entries(file.contracts)
            .filter(([name]) => names.has(name))
            .map(([name, c]) => [name, { address: c.address, startBlock: c.startBlock }]),
        );
      }
      return {
        content:
          "/** Address and deployment block (where log scans start) of each contract, per chain id. */\n" +
          "export const deployments: Partial<Record<number, Partial<Record<ContractName, Deployment>>>> = " +
          `${JSON.stringify(byChain)};\n` +
          `export type ContractName = ${contracts.map((c) => JSON.stringify(c.name)).join(" | ")};\n` +
          "export interface Deployment { address: `0x${string}`; startBlock: number }\n",
      };
    },
  };
}

/** A fund's code: the engine (every fund's shared interface) and the three strategies every fund is a clone of. */
const FUND_CODE = ["FundEngine", "MiningFund", "AllocatorFund", "SubnetIndexFund"];

/**
 * Two outputs: `src/generated.ts` (every page's contracts, the fund factory, hooks, deployments) and
 * `src/generated.funds.ts` (the funds' ABIs, about 10 kB gzipped, which only the lazy Funds and Portfolio pages load).
 * The funds' code gets typed ABIs but no React hooks: a fund's ABI has both `COLDKEY` (StakingClient's constant, the
 * implementation's coldkey) and `coldkey` (the fund's own), which the react plugin would name the same hook. The dApp
 * reads and writes every contract through viem with its ABI (src/data), so no page uses the hooks.
 */
export default defineConfig([
  {
    out: "src/generated.ts",
    plugins: [
      hardhat({
        project: PROJECT_ROOT,
        // Contracts only: Solidity tests, mocks, interfaces (their ABIs are in the contracts), libraries and
        // precompile interfaces are left out, and so are AlphaPoolsBase and AlphaPoolsExtension: AlphaPools' own ABI
        // has the whole interface (the extension runs only by delegatecall from it, over the base's storage). Of
        // liquid staking, the factory, the vault and the router (StakingClient is their base, LiquidVaultCode a data
        // contract). Of the funds, the factory here, the funds' code in the second output (FundRedemptions runs only
        // by delegatecall from a strategy; FeeMath is a library).
        include: ["contracts/**/*.json"],
        exclude: [
          "build-info/**",
          "*.dbg.json",
          "test/**",
          "contracts/mocks/**",
          "contracts/interfaces/**",
          "contracts/libraries/**",
          "contracts/precompiles/**",
          "contracts/staking/interfaces/**",
          "contracts/staking/StakingClient.sol/**",
          "contracts/staking/LiquidVaultCode.sol/**",
          "contracts/funds/FundRedemptions.sol/**",
          "contracts/funds/FeeMath.sol/**",
          "contracts/funds/IFundEngine.sol/**",
          ...FUND_CODE.map((name) => `contracts/funds/${name}.sol/**`),
          "contracts/model/AlphaPoolsBase.sol/**",
          "contracts/model/AlphaPoolsExtension.sol/**",
        ],
        commands: { build: "npx hardhat build --no-tests --quiet" },
      }),
      react(),
      deployments(),
    ],
  },
  {
    out: "src/generated.funds.ts",
    plugins: [
      hardhat({
        project: PROJECT_ROOT,
        include: FUND_CODE.map((name) => `contracts/funds/${name}.sol/${name}.json`),
        exclude: ["build-info/**", "*.dbg.json"],
        // The first output built the contracts already.
        commands: { build: false },
      }),
    ],
  },
]);
