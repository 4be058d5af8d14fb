import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { keccak256, toHex } from "viem";

const role = (name: string) => keccak256(toHex(name));

/** subtensor's defaults for a new subnet's settings (see `ignition/parameters/bittensor-like.json` for sources). */
export const DEFAULT_HYPERPARAMETERS = {
  tempo: 360,
  maxUids: 256,
  maxValidators: 64,
  kappaOf65535: 32_767,
  bondsMovingAveragePpm: 900_000,
  bondsPenaltyOf65535: 65_535,
  yuma3: true,
  liquidAlpha: false,
  alphaLowOf65535: 45_875,
  alphaHighOf65535: 58_982,
  alphaSigmoidSteepness: 1_000,
  activityCutoff: 5_000,
  immunityPeriod: 5_000,
  weightsRateLimit: 100,
  weightsVersionKey: 0n,
  commitReveal: false,
  transfersEnabled: true,
  minBurnRao: 500_000n,
  maxBurnRao: 100_000_000_000n,
  burnHalfLife: 360,
  burnIncreaseMultWad: 1_260_000_000_000_000_000n,
};

/**
 * The subnet economy model: pools and ledger (with their extension), registry, metagraph, root dividends, epoch
 * settlement (k-of-n keeper reports) and the markets lens, wired together. Defaults are subtensor's production values; `ignition/parameters/<network>.json`
 * overrides them per network (the local chain runs a fast demo economy).
 */
export default buildModule("SubnetEconomy", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const movingAlphaWad = m.getParameter("movingAlphaWad", 3_000_000_000_000n); // 3e-6
  const emaHalvingBlocks = m.getParameter("emaHalvingBlocks", 201_600n);
  const taoWeightWad = m.getParameter("taoWeightWad", 52_676_974_387_283_289n); // ≈ 0.0527

  const extension = m.contract("AlphaPoolsExtension", [movingAlphaWad, emaHalvingBlocks, taoWeightWad]);
  const pools = m.contract("AlphaPools", [
    admin,
    movingAlphaWad,
    emaHalvingBlocks,
    taoWeightWad,
    m.getParameter("initialIssuanceRao", 0n),
    extension,
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
    m.getParameter("hyperparameters", DEFAULT_HYPERPARAMETERS),
    m.getParameter("poolSettings", { feeRateOf65535: 33, minStakeRao: 2_000_000n }),
  ]);

  const metagraph = m.contract("Metagraph", [
    admin,
    pools,
    registry,
    m.getParameter("initialBurnRao", 1_000_000_000n),
    m.getParameter("defaultTakeOf65535", 11_796n),
    m.getParameter("maxTakeOf65535", 11_796n),
    m.getParameter("takeRateLimitBlocks", 216_000n),
  ]);
  const rootDividends = m.contract("RootDividends", [admin, pools]);
  const lens = m.contract("MarketsLens", [pools, registry, metagraph]);
  const settlement = m.contract("EpochSettlement", [
    admin,
    pools,
    registry,
    metagraph,
    rootDividends,
    m.getParameter("challengeWindowBlocks", 0n),
    m.getParameter("keepers", []),
    m.getParameter("quorum", 0n),
  ]);

  m.call(registry, "setMetagraph", [metagraph]);
  m.call(pools, "wire", [metagraph, rootDividends]);
  m.call(pools, "grantRole", [role("REGISTRY_ROLE"), registry], { id: "GrantRegistryRole" });
  m.call(pools, "grantRole", [role("METAGRAPH_ROLE"), metagraph], { id: "GrantMetagraphRole" });
  m.call(pools, "grantRole", [role("ROOT_DIVIDENDS_ROLE"), rootDividends], { id: "GrantRootDividendsRole" });
  m.call(pools, "grantRole", [role("SETTLER_ROLE"), settlement], { id: "GrantPoolsSettlerRole" });
  m.call(pools, "grantRole", [role("PAUSER_ROLE"), admin], { id: "GrantPauserRole" });
  m.call(metagraph, "grantRole", [role("SETTLER_ROLE"), settlement], { id: "GrantMetagraphSettlerRole" });
  m.call(rootDividends, "grantRole", [role("SETTLER_ROLE"), settlement], { id: "GrantRootDividendsSettlerRole" });

  return { pools, extension, registry, metagraph, rootDividends, settlement, lens };
});
