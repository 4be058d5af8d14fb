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

export default defineConfig({
  out: "src/generated.ts",
  plugins: [
    hardhat({
      project: PROJECT_ROOT,
      // Contracts only: Solidity tests, mocks, interfaces (their ABIs are in the contracts), libraries and
      // precompile interfaces are left out, and so are AlphaPoolsBase and AlphaPoolsExtension: AlphaPools' own ABI
      // has the whole interface (the extension runs only by delegatecall from it, over the base's storage). Of liquid
      // staking, the factory, the vault and the router (StakingClient is their base, LiquidVaultCode a data
      // contract). The funds (contracts/funds) have no page in the dApp yet.
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
        "contracts/funds/**",
        "contracts/model/AlphaPoolsBase.sol/**",
        "contracts/model/AlphaPoolsExtension.sol/**",
      ],
      commands: { build: "npx hardhat build --no-tests --quiet" },
    }),
    react(),
    deployments(),
  ],
});
