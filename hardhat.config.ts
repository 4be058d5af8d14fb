import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import hardhatIgnitionViem from "@nomicfoundation/hardhat-ignition-viem";
import hardhatKeystore from "@nomicfoundation/hardhat-keystore";
import hardhatMocha from "@nomicfoundation/hardhat-mocha";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatTypechain from "@nomicfoundation/hardhat-typechain";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import { configVariable, defineConfig } from "hardhat/config";

import { exitOnInputError } from "./scripts/lib/cli.ts";
import { blockIntervalMs } from "./scripts/lib/env.ts";
import { solidityTestBuild } from "./scripts/hardhat/solidity-test-build.ts";
import { fundsPlugin } from "./scripts/tasks/funds.ts";

// solc comes from the npm package (WASM), so compiling never needs a download.
// Keep SOLC_VERSION equal to the `solc` version pinned in package.json.
const SOLC_VERSION = "0.8.30";
const solcPath = createRequire(import.meta.url).resolve("solc/soljson.js");

/** Block interval of the local node that `npm start` runs (ms; 0 = a block per transaction only). */
export const LOCAL_BLOCK_INTERVAL_MS = exitOnInputError("hardhat.config.ts", () => blockIntervalMs());

/**
 * The Solidity tests compile without the optimizer: the contracts they test are deployed from the contracts' own
 * optimized build (`vm.getCode`, test/solidity/utils/Deploy.sol), so only the test code itself, which no one
 * deploys, is unoptimized, and the test build takes about half the time. Hardhat compiles each test file with the
 * settings of its override (keys: source names relative to the project root); scripts/hardhat/solidity-test-build.ts
 * lets them share one solc job.
 */
const TEST_COMPILER = {
  version: SOLC_VERSION,
  path: solcPath,
  settings: { evmVersion: "cancun", optimizer: { enabled: false }, viaIR: true },
};
const SOLIDITY_TESTS_DIR = "test/solidity";
const testCompilerOverrides = Object.fromEntries(
  readdirSync(path.join(import.meta.dirname, SOLIDITY_TESTS_DIR), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".sol"))
    .map((file) => [path.posix.join(SOLIDITY_TESTS_DIR, file.split(path.sep).join("/")), TEST_COMPILER]),
);

export default defineConfig({
  plugins: [
    hardhatViem,
    hardhatMocha,
    hardhatIgnitionViem,
    hardhatNetworkHelpers,
    hardhatKeystore,
    hardhatTypechain,
    // fund:launch, fund:status, fund:deploy-capital, fund:harvest, fund:process-redemptions (scripts/tasks/funds.ts)
    fundsPlugin,
    // The Solidity tests' compiler overrides (below) merge into one solc job per batch.
    solidityTestBuild,
  ],
  solidity: {
    profiles: {
      default: {
        compilers: [
          {
            version: SOLC_VERSION,
            path: solcPath,
            settings: {
              // Bittensor's EVM (Frontier) supports cancun; newer targets would emit opcodes it lacks.
              evmVersion: "cancun",
              optimizer: { enabled: true, runs: 200 },
              viaIR: true,
            },
          },
        ],
        overrides: testCompilerOverrides,
      },
      // `npm run coverage` builds with this profile. Coverage instrumentation adds a call before every statement;
      // with the optimizer on, the IR code generator then runs out of stack slots in the coinbase catch-up
      // ("too deep in the stack"). Without the optimizer it compiles; the bytecode is larger, which coverage
      // allows (it lifts the contract size limit), and no test depends on optimized gas.
      coverage: {
        version: SOLC_VERSION,
        path: solcPath,
        settings: {
          evmVersion: "cancun",
          optimizer: { enabled: false },
          viaIR: true,
        },
      },
    },
  },
  paths: {
    // scripts/build-solidity.sh compiles test batches side by side, each with its own compile cache.
    cache: process.env.SOLIDITY_CACHE_DIR ?? "cache",
    tests: { solidity: SOLIDITY_TESTS_DIR, mocha: "test/ts" },
  },
  test: {
    solidity: {
      profiles: {
        // Quick: what `npm test` and CI run.
        default: {
          fuzz: { runs: 256 },
          invariant: { runs: 64, depth: 32, failOnRevert: true },
        },
        // `npm run test:deep` (`--test-profile deep`): before a release, or after touching the math.
        deep: {
          fuzz: { runs: 10_000 },
          invariant: { runs: 1_000, depth: 100, failOnRevert: true },
        },
      },
    },
  },
  networks: {
    default: {
      type: "edr-simulated",
      chainType: "l1",
      // allowUnlimitedContractSize is left unset on purpose: EDR then enforces the 24 KB limit (EIP-170), except
      // under `--coverage`, where Hardhat lifts it for the instrumented bytecode. Setting it to false here would
      // keep the limit under coverage too, and every instrumented AlphaPools deployment would fail.
    },
    node: {
      type: "edr-simulated",
      chainType: "l1",
      mining: { auto: true, interval: LOCAL_BLOCK_INTERVAL_MS },
      // A base fee that starts at 0 stays near 0 (it rises by 12.5 % a block only while blocks are more than half
      // full), so a fee estimated a few blocks earlier still pays for the next one. From the default 1 gwei, a busy
      // machine could see it outgrow a wallet's estimate (1.2 × the base fee) between the estimate and the send:
      // the node then refuses the transaction ("maxFeePerGas … too low for the next block").
      initialBaseFeePerGas: 0,
      // Keep the chain's clock on the wall clock: without this, every block mined within the same second (a burst
      // of transactions, mined history) is pushed one second later, and the drift never comes back.
      allowBlocksWithSameTimestamp: true,
    },
    localhost: {
      type: "http",
      chainType: "l1",
      url: "http://127.0.0.1:8545",
    },
    // Any EVM testnet: EVM_RPC_URL plus a key from the keystore (`npx hardhat keystore set EVM_PRIVATE_KEY`)
    // or the environment.
    evmTestnet: {
      type: "http",
      chainType: "l1",
      url: configVariable("EVM_RPC_URL"),
      accounts: [configVariable("EVM_PRIVATE_KEY")],
    },
    // Bittensor's EVM: the public endpoints, or your own node's (BITTENSOR_TESTNET_RPC_URL, BITTENSOR_MAINNET_RPC_URL).
    bittensorTestnet: {
      type: "http",
      chainType: "l1",
      chainId: 945,
      url: process.env.BITTENSOR_TESTNET_RPC_URL?.trim() || "https://test.chain.opentensor.ai",
      accounts: [configVariable("BITTENSOR_PRIVATE_KEY")],
    },
    bittensorMainnet: {
      type: "http",
      chainType: "l1",
      chainId: 964,
      url: process.env.BITTENSOR_MAINNET_RPC_URL?.trim() || "https://lite.chain.opentensor.ai",
      accounts: [configVariable("BITTENSOR_PRIVATE_KEY")],
    },
  },
  coverage: {
    // Test helpers (the math harness, the benchmark token, the precompile harness) are not part of the product.
    skipFiles: ["contracts/mocks/**"],
  },
  typechain: {
    outDir: "types/ethers-contracts",
  },
});
