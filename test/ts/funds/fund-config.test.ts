/**
 * The fund config of `fund:launch` (scripts/lib/fund-config.ts): a good config becomes the contracts' units; every bad
 * field is refused with a message that names it; the allowlist root matches MiningFund's leaf; the status text.
 */
import { expect } from "chai";
import { encodeAbiParameters, keccak256, concat, type Address } from "viem";

import { InputError } from "../../../scripts/lib/cli.ts";
import {
  allowlistProof,
  allowlistRoot,
  checkFundConfig,
  formatFundStatus,
  type FundStatus,
  parseDecimal,
  parseFundConfigText,
  resolveTime,
} from "../../../scripts/lib/fund-config.ts";

const NOW = 1_800_000_000n;
const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const HOTKEY = `0x${"11".repeat(32)}`;

function config(): Record<string, unknown> {
  return {
    kind: "mining",
    name: "Test Fund",
    symbol: "TEST",
    roles: { governance: A, guardian: B, manager: A, feeRecipient: B },
    fees: { managementBps: 200, performanceBps: 1000 },
    noticePeriodSeconds: 86_400,
    timelockSeconds: 2 * 86_400,
    maxSlippageBps: 300,
    minRedemptionShares: "0.01",
    positions: [{ netuid: 1, hotkey: HOTKEY }],
    raise: {
      softCapTao: "100",
      hardCapTao: "1000.5",
      start: "+0",
      end: "+3600",
      minContributionTao: "1",
      maxContributionTao: 250,
      organization: A,
      organizationAllocationBps: 1000,
      vestingCliffSeconds: 10,
      vestingDurationSeconds: 100,
    },
  };
}

/** Sets `path` (dotted, with [i]) in a fresh config to `value` (undefined deletes it). */
function withField(path: string, value: unknown): Record<string, unknown> {
  const c = config();
  const keys = path.replace(/\[(\d+)\]/g, ".$1").split(".");
  let target = c;
  for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
  if (value === undefined) delete target[keys.at(-1)!];
  else target[keys.at(-1)!] = value;
  return c;
}

function errorOf(raw: unknown): string {
  try {
    checkFundConfig(raw, NOW);
  } catch (error) {
    expect(error).to.be.instanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("the config was accepted");
}

describe("fund config (fund:launch)", () => {
  it("turns a good mining config into the contracts' units", () => {
    const plan = checkFundConfig(config(), NOW);
    expect(plan.kind).to.equal("mining");
    expect(plan.salt).to.equal("mining:TEST");
    expect(plan.engine.minRedemptionShares).to.equal(10n ** 16n);
    expect(plan.engine.positions).to.deep.equal([
      { netuid: 1, hotkey: HOTKEY, vault: "0x0000000000000000000000000000000000000000" },
    ]);
    expect(plan.engine.roles.governance).to.equal(A);
    expect(plan.raise!.softCapRao).to.equal(100n * 10n ** 9n);
    expect(plan.raise!.hardCapRao).to.equal(1000_500_000_000n);
    expect(plan.raise!.maxContributionRao).to.equal(250n * 10n ** 9n);
    expect(resolveTime(plan.raise!.end, NOW)).to.equal(NOW + 3600n);
    expect(plan.raise!.allowlistRoot).to.equal(`0x${"00".repeat(32)}`);
  });

  it("reads amounts exactly, without floating point", () => {
    expect(parseDecimal("0.000000001", "x", 9, "TAO")).to.equal(1n);
    expect(parseDecimal("123456789.123456789", "x", 9, "TAO")).to.equal(123456789_123456789n);
    expect(parseDecimal(7, "x", 9, "TAO")).to.equal(7_000_000_000n);
    expect(() => parseDecimal("0.0000000001", "x", 9, "TAO")).to.throw(InputError, /at most 9 decimals/);
    expect(() => parseDecimal(1.5, "x", 9, "TAO")).to.throw(InputError, /amount of TAO/);
  });

  it("reads times as unix seconds, ISO 8601 or relative to the launch", () => {
    const plan = checkFundConfig(
      withField("raise", { ...(config().raise as object), start: "2027-01-01T00:00:00Z", end: 1_900_000_000 }),
      NOW,
    );
    expect(resolveTime(plan.raise!.start, NOW)).to.equal(1_798_761_600n);
    expect(resolveTime(plan.raise!.end, NOW)).to.equal(1_900_000_000n);
  });

  const BAD: [string, unknown, string][] = [
    ["kind", "hedge", 'kind must be "mining", "allocator" or "index", got "hedge"'],
    ["name", undefined, "name must be a non-empty string of at most 64 characters, got nothing"],
    ["symbol", "T-1", 'symbol must hold only letters and digits, got "T-1"'],
    ["roles.manager", "0x1234", 'roles.manager must be an EVM address (0x and 40 hex digits), got "0x1234"'],
    ["roles.guardian", "0x0000000000000000000000000000000000000000", "roles.guardian must not be the zero address"],
    ["fees.managementBps", 501, "fees.managementBps must be an integer from 0 to 500, got 501"],
    ["fees.performanceBps", 3001, "fees.performanceBps must be an integer from 0 to 3000, got 3001"],
    ["maxSlippageBps", 1001, "maxSlippageBps must be an integer from 0 to 1000, got 1001"],
    ["noticePeriodSeconds", 31 * 86_400, "noticePeriodSeconds must be an integer from 0 to 2592000, got 2678400"],
    [
      "timelockSeconds",
      86_400,
      "timelockSeconds must be at least noticePeriodSeconds + 1 day (172800), so holders can leave before a change applies; got 86400",
    ],
    [
      "minRedemptionShares",
      "-1",
      'minRedemptionShares must be an amount of shares such as "100" or "0.5" (at most 18 decimals), got "-1"',
    ],
    ["positions", [], "positions must be a list of 1 to 32 positions, got []"],
    ["positions[0].netuid", 0, "positions[0].netuid must be an integer from 1 to 65535, got 0"],
    [
      "positions[0].hotkey",
      "0x11",
      'positions[0].hotkey must be 32 bytes in hex (0x and 64 hex digits: a hotkey\'s public key), got "0x11"',
    ],
    ["positions[0].vault", "vault", 'positions[0].vault must be an EVM address (0x and 40 hex digits), got "vault"'],
    [
      "positions[0].weight",
      1,
      "positions[0].weight is not a field of the fund config (allowed in positions[0]: netuid, hotkey, vault)",
    ],
    [
      "fess",
      {},
      "fess is not a field of the fund config (allowed: $comment, kind, name, symbol, salt, factory, roles, fees, noticePeriodSeconds, timelockSeconds, maxSlippageBps, minRedemptionShares, positions, raise, allocator, index)",
    ],
    ["raise", undefined, "raise must be an object, got nothing"],
    ["raise.softCapTao", "0", "raise.softCapTao must be more than 0"],
    [
      "raise.softCapTao",
      "a lot",
      'raise.softCapTao must be an amount of TAO such as "100" or "0.5" (at most 9 decimals), got "a lot"',
    ],
    ["raise.hardCapTao", "99", "raise.hardCapTao must be at least raise.softCapTao (100)"],
    [
      "raise.start",
      "tomorrow",
      'raise.start must be unix seconds, an ISO 8601 time such as "2026-12-01T12:00:00Z", or "+<seconds>" from the launch, got "tomorrow"',
    ],
    ["raise.end", "+0", "raise.end must be after raise.start"],
    ["raise.end", 1_700_000_000, "raise.end must be after raise.start"],
    ["raise.maxContributionTao", "0.5", "raise.maxContributionTao must be at least raise.minContributionTao (1)"],
    ["raise.organization", undefined, "raise.organization must be an EVM address (0x and 40 hex digits), got nothing"],
    [
      "raise.organizationAllocationBps",
      5001,
      "raise.organizationAllocationBps must be an integer from 0 to 5000, got 5001",
    ],
    ["raise.vestingCliffSeconds", 101, "raise.vestingCliffSeconds must not exceed raise.vestingDurationSeconds (100)"],
    ["raise.allowlist", [], "raise.allowlist must be a non-empty list of addresses, got []"],
    ["raise.allowlist", [A, "bob"], 'raise.allowlist[1] must be an EVM address (0x and 40 hex digits), got "bob"'],
    ["allocator", { caps: [] }, 'allocator is only for kind "allocator" (kind is "mining")'],
  ];
  for (const [field, value, message] of BAD) {
    it(`refuses a bad ${field} (${JSON.stringify(value) ?? "missing"}), naming it`, () => {
      expect(errorOf(withField(field, value))).to.equal(message);
    });
  }

  it("refuses a raise that has ended, and a repeated position", () => {
    const ended = withField("raise", { ...(config().raise as object), start: 1_000, end: 2_000 });
    expect(errorOf(ended)).to.equal("raise.end is in the past");
    const twice = withField("positions", [
      { netuid: 1, hotkey: HOTKEY },
      { netuid: 1, hotkey: HOTKEY },
    ]);
    expect(errorOf(twice)).to.equal("positions[1] repeats an earlier position (same netuid, hotkey and vault)");
  });

  it("checks an allocator's caps and an index's weights against the positions", () => {
    const allocator = { ...config(), kind: "allocator", raise: undefined };
    delete allocator.raise;
    expect(errorOf({ ...allocator, allocator: { caps: [{ netuid: 2, capTao: "10" }] } })).to.equal(
      "allocator.caps[0].netuid is 2, which no position is on",
    );
    const ok = checkFundConfig({ ...allocator, allocator: { caps: [{ netuid: 1, capTao: "10" }] } }, NOW);
    expect(ok.allocator).to.deep.equal({ caps: [{ netuid: 1, capRao: 10n * 10n ** 9n }] });
    const index = { ...allocator, kind: "index" };
    expect(errorOf({ ...index, index: { maxWeightsBps: [1, 2] } })).to.equal(
      "index.maxWeightsBps must list one cap per position (1; 0 = none), got [1,2]",
    );
    expect(checkFundConfig(index, NOW).index).to.deep.equal({
      maxWeightsBps: [0],
      toleranceBps: 200,
      minRebalanceIntervalSeconds: 3600,
    });
  });

  it("names the file and the JSON syntax error", () => {
    expect(() => parseFundConfigText("{ nope", "fund.json", NOW)).to.throw(
      InputError,
      /^fund\.json is not valid JSON: /,
    );
    expect(() => parseFundConfigText(JSON.stringify(withField("kind", 1)), "fund.json", NOW)).to.throw(
      InputError,
      /^fund\.json: kind must be/,
    );
  });

  it("builds the allowlist root MiningFund checks (leaf = keccak256(keccak256(abi.encode(account))))", () => {
    const accounts: Address[] = [A, B];
    const root = allowlistRoot(accounts);
    const leaf = (a: Address) => keccak256(keccak256(encodeAbiParameters([{ type: "address" }], [a])));
    const proof = allowlistProof(accounts, A);
    expect(proof).to.have.length(1);
    // Two leaves: the root is the hash of the sorted pair.
    const [x, y] = [leaf(A), leaf(B)].sort();
    expect(root).to.equal(keccak256(concat([x!, y!])));
    expect(proof[0]).to.equal(leaf(B));
    expect(checkFundConfig(withField("raise.allowlist", accounts), NOW).raise!.allowlistRoot).to.equal(root);
  });

  it("formats a status for people", () => {
    const status: FundStatus = {
      address: "0x00000000000000000000000000000000000000F1",
      kind: "mining",
      name: "Test Fund",
      symbol: "TEST",
      navRao: 1_234_500_000_000n,
      grossAssetsRao: 1_235_000_000_000n,
      idleRao: 34_500_000_000n,
      reservedRao: 0n,
      totalSupply: 1_200n * 10n ** 18n,
      sharePriceRaoPerShareWad: 1_028_750_000n,
      managementFeeBps: 200,
      performanceFeeBps: 1000,
      maxSlippageBps: 300,
      noticePeriodSeconds: 86_400,
      timelockSeconds: 172_800,
      isShutDown: false,
      queue: { head: 2n, tail: 5n, lockedShares: 3n * 10n ** 18n },
      roles: { governance: A, guardian: B, manager: A, feeRecipient: B },
      positions: [
        {
          netuid: 3,
          hotkey: HOTKEY as `0x${string}`,
          vault: "0x0000000000000000000000000000000000000000",
          alphaRao: 2_000_000_000_000n,
          movingPriceRaoPerAlpha: 600_000_000n,
          valueRao: 1_200_000_000_000n,
        },
      ],
      raise: {
        phase: "succeeded",
        totalRaisedRao: 1_000n * 10n ** 9n,
        softCapRao: 100n * 10n ** 9n,
        hardCapRao: 2_000n * 10n ** 9n,
        startTime: NOW,
        endTime: NOW + 3600n,
      },
      budget: {
        recipient: B,
        rateRaoPerSecond: 1_000_000n,
        capRao: 500n * 10n ** 9n,
        spentRao: 2n * 10n ** 9n,
        availableRao: 84_400_000_000n,
      },
    };
    const lines = formatFundStatus(status);
    expect(lines[0]).to.equal("Test Fund (TEST), a mining fund at 0x00000000000000000000000000000000000000F1");
    expect(lines).to.include("  NAV               1,234.5 TAO (gross 1,235 TAO, moving prices)");
    expect(lines).to.include("  Share price       1.02875 TAO per share");
    expect(lines).to.include("  Queue             3 request(s) from id 2 (next id 5)");
    expect(lines.join("\n")).to.include("succeeded: 1,000 of 2,000 TAO (soft cap 100)");
    expect(lines).to.include(`  Budget            84.4 TAO available, 2 of 500 TAO spent, 86.4 TAO a day to ${B}`);
    expect(lines.at(-1)).to.equal("    #0 netuid 3    hotkey 0x11111111…  2,000 alpha × 0.6 = 1,200 TAO");
    const none = formatFundStatus({
      ...status,
      budget: { ...status.budget!, recipient: "0x0000000000000000000000000000000000000000" },
    });
    expect(none).to.include("  Budget            none (governance sets one through the timelock: setBudget)");
  });
});
