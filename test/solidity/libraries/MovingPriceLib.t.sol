// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MovingPriceLib} from "../../../contracts/libraries/MovingPriceLib.sol";
import {Assertions} from "../utils/Assertions.sol";

/// @notice The moving price: one block equals subtensor's per-block formula exactly; n blocks stay between the old
/// price and the target.
contract MovingPriceLibTest is Assertions {
    uint256 internal constant WAD = 1e18;

    /// @dev subtensor, one block: α = A·b/(b+h) (capped at 1), p̄' = α·min(p, 1) + (1 − α)·p̄, floored.
    function _oneBlock(uint256 moving, uint256 spot, uint256 a, uint256 h, uint256 b) internal pure returns (uint256) {
        uint256 alpha = (a * b) / (b + h);
        if (alpha > WAD) alpha = WAD;
        uint256 target = spot < WAD ? spot : WAD;
        return (alpha * target + (WAD - alpha) * moving) / WAD;
    }

    function testFuzz_advance_oneBlockEqualsFormula(
        uint256 moving,
        uint256 spot,
        uint256 a,
        uint256 h,
        uint256 b
    ) public pure {
        moving = _bound(moving, 0, WAD);
        spot = _bound(spot, 0, 10 * WAD);
        a = _bound(a, 0, 2 * WAD);
        h = _bound(h, 0, 1e9);
        b = _bound(b, h == 0 ? 1 : 0, 1e12);
        assertEq(MovingPriceLib.advance(moving, spot, a, h, b, 1), _oneBlock(moving, spot, a, h, b), "one block");
    }

    function test_advance_subtensorDefaults() public pure {
        // A = 3e-6, h = 201 600, b = h: α = 1.5e-6; from 0 towards 1 TAO
        uint256 next = MovingPriceLib.advance(0, WAD, 3e12, 201_600, 201_600, 1);
        assertEq(next, 1.5e12, "alpha of 1.5e-6 moves 1.5e-6 of the way");
        // spot above 1 is capped at 1
        assertEq(MovingPriceLib.advance(0, 5 * WAD, 3e12, 201_600, 201_600, 1), 1.5e12, "capped target");
        assertEq(MovingPriceLib.advance(7e17, 3e17, 3e12, 201_600, 201_600, 0), 7e17, "zero blocks");
    }

    function testFuzz_advance_staysBetweenOldAndTarget(
        uint256 moving,
        uint256 spot,
        uint256 a,
        uint256 h,
        uint256 b,
        uint256 n
    ) public pure {
        moving = _bound(moving, 0, WAD);
        spot = _bound(spot, 0, 10 * WAD);
        a = _bound(a, 0, WAD);
        h = _bound(h, 1, 1e7);
        b = _bound(b, 0, 1e9);
        n = _bound(n, 0, 1e7);
        uint256 target = spot < WAD ? spot : WAD;
        uint256 next = MovingPriceLib.advance(moving, spot, a, h, b, n);
        uint256 lo = moving < target ? moving : target;
        uint256 hi = moving < target ? target : moving;
        assertGe(next, lo, "above the lower end");
        assertLe(next, hi, "below the upper end");
        assertLe(next, WAD, "never above 1 TAO");
    }

    /// @dev More blocks at the same target never move the price less.
    function testFuzz_advance_monotoneInBlocks(uint256 moving, uint256 spot, uint256 n) public pure {
        moving = _bound(moving, 0, WAD);
        spot = _bound(spot, 0, WAD);
        n = _bound(n, 1, 1e6);
        uint256 one = MovingPriceLib.advance(moving, spot, 1e16, 100, 1000, n);
        uint256 more = MovingPriceLib.advance(moving, spot, 1e16, 100, 1000, n + 1);
        uint256 dOne = one > spot ? one - spot : spot - one;
        uint256 dMore = more > spot ? more - spot : spot - more;
        assertLe(dMore, dOne, "closer to the target");
    }

    function testFuzz_powWad_matchesRepeatedMultiplication(uint256 x, uint256 n) public pure {
        x = _bound(x, 0, WAD);
        n = _bound(n, 0, 16);
        uint256 naive = WAD;
        for (uint256 i; i < n; ++i) naive = (naive * x) / WAD;
        uint256 fast = MovingPriceLib.powWad(x, n);
        // both round down at every step; the squaring order differs, by at most one unit per step
        assertApproxAbs(fast, naive, n, "powWad");
        assertLe(fast, n == 0 ? WAD : x, "x^n <= x");
    }

    function test_powWad_exact() public pure {
        assertEq(MovingPriceLib.powWad(5e17, 3), 125e15, "0.5^3");
        assertEq(MovingPriceLib.powWad(WAD, 1e9), WAD, "1^n");
        assertEq(MovingPriceLib.powWad(0, 5), 0, "0^n");
        assertEq(MovingPriceLib.powWad(0, 0), WAD, "x^0");
    }
}
