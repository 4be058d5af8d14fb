import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Liquid staking: the vaults' creation-code store, the vault factory and the allocation router, calling the
 * precompiles at the addresses given. Bittensor's own addresses are the defaults (its runtime answers there on 945
 * and 964; on a Hardhat chain the model's adapters are installed there by `installPrecompiles`); another EVM chain
 * passes the adapters' addresses.
 *
 * Parameters (`ignition/parameters/<network>.json`, section `LiquidStaking`):
 * - `governance`: the factory's owner (fees, under the vaults' timelock); the deploying account by default;
 * - `guardian`: may pause deposits (never exits); the deploying account by default;
 * - `minDepositRao` (required): the smallest deposit a vault accepts, in rao (subtensor's minimum stake plus the
 *   stake fee: `minDepositRao()` in scripts/lib/liquid.ts);
 * - `staking`, `alpha`, `subnet`, `addressMapping`: the precompile addresses.
 */
export default buildModule("LiquidStaking", (m) => {
  const deployer = m.getAccount(0);
  const governance = m.getParameter("governance", deployer);
  const guardian = m.getParameter("guardian", deployer);
  const minDepositRao = m.getParameter<bigint>("minDepositRao");
  const precompiles = {
    staking: m.getParameter("staking", "0x0000000000000000000000000000000000000805"),
    alpha: m.getParameter("alpha", "0x0000000000000000000000000000000000000808"),
    subnet: m.getParameter("subnet", "0x0000000000000000000000000000000000000803"),
    addressMapping: m.getParameter("addressMapping", "0x000000000000000000000000000000000000080C"),
  };
  const vaultCode = m.contract("LiquidVaultCode");
  const factory = m.contract("LiquidVaultFactory", [governance, guardian, precompiles, minDepositRao, vaultCode]);
  const router = m.contract("AllocationRouter", [factory]);
  return { vaultCode, factory, router };
});
