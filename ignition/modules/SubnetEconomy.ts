import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { keccak256, toHex } from "viem";

const role = (name: string) => keccak256(toHex(name));

/**
 * The subnet economy model: pools and coinbase, registry, metagraph and the markets lens, wired together.
 * Defaults are subtensor's production values; `ignition/parameters/<network>.json` overrides them per network
 * (the local chain runs a fast demo economy).
 */
export default buildModule("SubnetEconomy", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const settler = m.getParameter("settler", m.getAccount(0));

  const pools = m.contract("AlphaPools", [
    admin,
    m.getParameter("movingAlphaWad", 3_000_000_000_000n), // 3e-6
    m.getParameter("emaHalvingBlocks", 201_600n),
    m.getParameter("taoWeightWad", 52_676_974_387_283_289n), // ≈ 0.0527
  ]);

  const registry = m.contract("SubnetRegistry", [
    admin,
    pools,
    m.getParameter("minTempo", 360n),
    m.getParameter("minLockRao", 1_000_000_000_000n), // 1000 TAO
    m.getParameter("lockReductionInterval", 100_800n),
    m.getParameter("networkRateLimit", 7_200n),
    m.getParameter("networkImmunityPeriod", 864_000n),
    m.getParameter("subnetLimit", 128n),
    m.getParameter("hyperparameters", {
      tempo: 360,
      maxUids: 256,
      maxValidators: 64,
      kappa: 32_767,
      bondsMovingAverage: 900_000,
      immunityPeriod: 5_000,
      weightsRateLimit: 100,
      weightsVersionKey: 0,
      activityCutoff: 5_000,
      yuma3: true,
      liquidAlpha: false,
      minBurnRao: 500_000,
      maxBurnRao: 100_000_000_000,
      targetRegistrationsPerInterval: 2,
      adjustmentInterval: 100,
    }),
  ]);

  const metagraph = m.contract("Metagraph", [admin, pools, registry, m.getParameter("initialBurnRao", 1_000_000_000n)]);
  const lens = m.contract("MarketsLens", [pools, registry, metagraph]);

  m.call(registry, "setMetagraph", [metagraph]);
  m.call(pools, "grantRole", [role("REGISTRY_ROLE"), registry], { id: "GrantRegistryRole" });
  m.call(pools, "grantRole", [role("METAGRAPH_ROLE"), metagraph], { id: "GrantMetagraphRole" });
  m.call(pools, "grantRole", [role("SETTLER_ROLE"), settler], { id: "GrantPoolsSettlerRole" });
  m.call(pools, "grantRole", [role("PAUSER_ROLE"), admin], { id: "GrantPauserRole" });
  m.call(metagraph, "grantRole", [role("SETTLER_ROLE"), settler], { id: "GrantMetagraphSettlerRole" });

  return { pools, registry, metagraph, lens };
});
