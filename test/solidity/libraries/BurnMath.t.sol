// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BurnMath} from "../../../contracts/libraries/BurnMath.sol";
import {Assertions} from "../utils/Assertions.sol";

/// @notice subtensor's neuron registration burn in Q32: the decay factor, its powers, the lazy decay over many blocks
/// and the bump after a registration.
/// @dev The decay factors below come from subtensor's own algorithm (`utils/misc.rs`: `decay_factor_q32`, `pow_q32`,
/// `mul_by_q32`), run with arbitrary-precision integers outside this project; 360 → 4_286_705_684 is also the value
/// in the chain notes.
contract BurnMathTest is Assertions {
    uint256 internal constant Q32 = 1 << 32;
    uint256 internal constant WAD = 1e18;
    uint256 internal constant CHAIN_FACTOR_360 = 4_286_705_684;

    /// @dev subtensor's per-block step: burn·f >> 32, then clamped (min first, then max).
    function _chainStep(uint256 burn, uint256 f, uint256 lo, uint256 hi) internal pure returns (uint256) {
        burn = (burn * f) >> 32;
        if (burn < lo) burn = lo;
        if (burn > hi) burn = hi;
        return burn;
    }

    /* decayFactorQ32 */

    function test_decayFactorQ32_chainVectors() public pure {
        assertEq(BurnMath.decayFactorQ32(1), 2_147_483_648, "half-life 1: exactly 1/2");
        assertEq(BurnMath.decayFactorQ32(2), 3_037_000_500, "half-life 2");
        assertEq(BurnMath.decayFactorQ32(3), 3_408_917_802, "half-life 3");
        assertEq(BurnMath.decayFactorQ32(10), 4_007_346_185, "half-life 10");
        assertEq(BurnMath.decayFactorQ32(60), 4_245_635_389, "half-life 60");
        assertEq(BurnMath.decayFactorQ32(100), 4_265_299_790, "half-life 100");
        assertEq(BurnMath.decayFactorQ32(360), CHAIN_FACTOR_360, "half-life 360 (the chain's default)");
        assertEq(BurnMath.decayFactorQ32(1000), 4_291_991_283, "half-life 1000");
        assertEq(BurnMath.decayFactorQ32(7200), 4_294_553_838, "half-life 7200");
        assertEq(BurnMath.decayFactorQ32(36_100), 4_294_884_830, "half-life 36100 (MaxBurnHalfLife)");
    }

    /// @dev subtensor returns 1.0 for a half-life of 0 (no decay), not 0.
    function test_decayFactorQ32_zeroHalfLifeIsOne() public pure {
        assertEq(BurnMath.decayFactorQ32(0), Q32, "half-life 0: factor 1.0");
    }

    /// @dev Half-life 2 shows the truncating power at work: √½·2^32 = 3_037_000_499.98, but 3_037_000_500² >> 32 is
    /// exactly 2^31, so the chain's largest factor is one above the rounded-down root.
    function test_decayFactorQ32_halfLifeTwoByHand() public pure {
        assertEq((uint256(3_037_000_500) * 3_037_000_500) >> 32, Q32 / 2, "f^2 = 1/2 after truncation");
        assertGt((uint256(3_037_000_501) * 3_037_000_501) >> 32, Q32 / 2, "f + 1 is too large");
    }

    /// @dev The factor is the largest whose truncated power over the half-life stays at or below one half.
    function testFuzz_decayFactorQ32_isTheLargestFactor(uint256 halfLife) public pure {
        halfLife = _bound(halfLife, 1, 36_100);
        uint256 f = BurnMath.decayFactorQ32(halfLife);
        assertLe(BurnMath.powQ32(f, halfLife), Q32 / 2, "f^h <= 1/2");
        assertGt(BurnMath.powQ32(f + 1, halfLife), Q32 / 2, "(f + 1)^h > 1/2");
        assertLt(f, Q32, "a decay");
    }

    /* powQ32 */

    function test_powQ32_exactCases() public pure {
        assertEq(BurnMath.powQ32(123_456, 0), Q32, "x^0 = 1");
        assertEq(BurnMath.powQ32(123_456, 1), 123_456, "x^1 = x");
        assertEq(BurnMath.powQ32(Q32, 1_000_000), Q32, "1^n = 1");
        assertEq(BurnMath.powQ32(0, 7), 0, "0^n = 0");
        for (uint256 n = 1; n <= 32; ++n) assertEq(BurnMath.powQ32(Q32 / 2, n), Q32 >> n, "(1/2)^n is exact");
        assertEq(BurnMath.powQ32(Q32 / 2, 33), 0, "(1/2)^33 truncates to 0");
    }

    /// @dev Against the exact power x^n / 2^(32(n−1)), rounded down: the truncating steps lose less than one unit
    /// each, and never gain.
    function testFuzz_powQ32_withinTruncationOfExact(uint256 x, uint256 n) public pure {
        x = _bound(x, 0, Q32);
        n = _bound(n, 1, 4);
        uint256 exactNumerator = x;
        for (uint256 i = 1; i < n; ++i) exactNumerator *= x;
        uint256 exact = exactNumerator >> (32 * (n - 1));
        uint256 p = BurnMath.powQ32(x, n);
        assertLe(p, exact, "never above the exact power");
        assertLe(exact - p, n, "at most one unit lost per step");
    }

    /// @dev Every truncating product is monotone and the steps depend on the exponent only, so a larger factor
    /// never decays faster (the bisection of `decayFactorQ32` relies on it).
    function testFuzz_powQ32_monotoneInTheBase(uint256 x, uint256 n) public pure {
        x = _bound(x, 0, Q32 - 1);
        n = _bound(n, 0, 100_000);
        assertLe(BurnMath.powQ32(x, n), BurnMath.powQ32(x + 1, n), "monotone in the base");
    }

    /* decayed */

    function test_decayed_chainDefaults() public pure {
        // 1 TAO, half-life 360: one block is the chain's step exactly, 360 blocks about half.
        assertEq(BurnMath.decayed(1e9, 360, 1, 0, type(uint64).max), 998_076_443, "one block");
        assertEq(BurnMath.decayed(1e9, 360, 0, 0, type(uint64).max), 1e9, "no block, no decay");
        assertEq(BurnMath.decayed(1e9, 0, 1000, 0, type(uint64).max), 1e9, "half-life 0: no decay");
        uint256 half = BurnMath.decayed(1e9, 360, 360, 0, type(uint64).max);
        assertApproxAbs(half, 5e8, 1_000, "a half-life halves the burn");
        assertEq(BurnMath.decayed(1e9, 360, 100_000, 500_000, 100e9), 500_000, "decays to the minimum and stays");
        assertEq(BurnMath.decayed(200e9, 360, 1, 500_000, 100e9), 100e9, "clamped to the maximum");
    }

    /// @dev One block of the lazy decay is exactly one step of the chain.
    function testFuzz_decayed_oneBlockEqualsChainStep(uint256 burn, uint256 halfLife) public pure {
        burn = _bound(burn, 0, type(uint64).max);
        halfLife = _bound(halfLife, 1, 36_100);
        uint256 f = BurnMath.decayFactorQ32(halfLife);
        assertEq(
            BurnMath.decayed(burn, halfLife, 1, 0, type(uint64).max),
            _chainStep(burn, f, 0, type(uint64).max),
            "one block"
        );
    }

    /// @dev Over n blocks the model applies f^n once where the chain truncates every block: documented, and bounded
    /// by n rao plus the truncation of f^n (burn·n/2^32).
    function testFuzz_decayed_closeToChainPerBlock(uint256 burn, uint256 halfLife, uint256 blocks) public pure {
        burn = _bound(burn, 500_000, 100e9);
        halfLife = _bound(halfLife, 1, 36_100);
        blocks = _bound(blocks, 1, 1_000);
        uint256 f = BurnMath.decayFactorQ32(halfLife);
        uint256 chain = burn;
        for (uint256 i; i < blocks; ++i) chain = _chainStep(chain, f, 0, type(uint64).max);
        uint256 model = BurnMath.decayed(burn, halfLife, blocks, 0, type(uint64).max);
        uint256 bound = blocks + (burn * blocks) / Q32 + 1;
        assertApproxAbs(model, chain, bound, "lazy decay within the truncation bound");
    }

    /// @dev With the chain's clamps the burn never leaves [min, max] and never rises by decaying.
    function testFuzz_decayed_clampedAndNonIncreasing(
        uint256 burn,
        uint256 blocks,
        uint256 minBurn,
        uint256 maxBurn
    ) public pure {
        minBurn = _bound(minBurn, 1, 1e9);
        maxBurn = _bound(maxBurn, minBurn, 100e9);
        burn = _bound(burn, minBurn, maxBurn);
        blocks = _bound(blocks, 0, 1e7);
        uint256 d = BurnMath.decayed(burn, 360, blocks, minBurn, maxBurn);
        assertGe(d, minBurn, ">= min");
        assertLe(d, burn, "never rises");
        // While f^n is still well above the truncation unit, one more block lowers it (or leaves it at the minimum).
        if (blocks <= 5_000) {
            assertLe(BurnMath.decayed(burn, 360, blocks + 1, minBurn, maxBurn), d, "one more block never raises it");
        }
    }

    /* bumped */

    /// @dev subtensor: floor(burn × max(mult, 1)), clamped. 1.26 in the chain's U64F64 is a hair above 1.26, which
    /// changes no floor below 1e16 rao, so × 1.26e18 / 1e18 is the same.
    function test_bumped_chainValues() public pure {
        assertEq(BurnMath.bumped(1e9, 1.26e18, 500_000, 100e9), 1.26e9, "1 TAO becomes 1.26 TAO");
        assertEq(BurnMath.bumped(3, 1.26e18, 0, 100e9), 3, "floor(3.78)");
        assertEq(BurnMath.bumped(99e9, 1.26e18, 500_000, 100e9), 100e9, "clamped to the maximum");
        assertEq(BurnMath.bumped(100, 1.26e18, 500_000, 100e9), 500_000, "clamped to the minimum");
        assertEq(BurnMath.bumped(1e9, 0.5e18, 0, 100e9), 1e9, "a multiplier below 1 counts as 1");
        assertEq(BurnMath.bumped(1e9, 3e18, 0, 100e9), 3e9, "the largest multiplier");
    }

    function testFuzz_bumped_floorOfProduct(uint256 burn, uint256 multWad) public pure {
        burn = _bound(burn, 0, 100e9);
        multWad = _bound(multWad, WAD, 3 * WAD);
        uint256 b = BurnMath.bumped(burn, multWad, 0, type(uint64).max);
        assertEq(b, (burn * multWad) / WAD, "floor(burn x mult)");
        assertGe(b, burn, "never lower");
    }

    function testFuzz_clamp(uint256 v, uint256 lo, uint256 hi) public pure {
        lo = _bound(lo, 0, type(uint64).max);
        hi = _bound(hi, lo, type(uint64).max);
        uint256 c = BurnMath.clamp(v, lo, hi);
        assertTrue(c >= lo && c <= hi, "inside the bounds");
        if (v >= lo && v <= hi) assertEq(c, v, "unchanged inside");
    }
}
