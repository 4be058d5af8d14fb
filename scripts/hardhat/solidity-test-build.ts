/**
 * A Hardhat plugin that lets the Solidity tests compile together under their own compiler settings.
 *
 * The tests' settings are per-file `overrides` of the default build profile (hardhat.config.ts). Hardhat merges the
 * files of a build into one solc job per compiler config, but it compares configs by reference, and it resolves each
 * override into an object of its own: every test file would become a job of its own, compiling everything it
 * imports again. After resolution, this makes equal overrides one object, so the tests merge into one job per batch.
 */
import { definePlugin } from "hardhat/plugins";

export const solidityTestBuild = definePlugin({
  id: "alpha-markets-solidity-test-build",
  hookHandlers: { config: () => import("./solidity-test-build-hook.ts") },
});
