// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SharesMath} from "../../../contracts/libraries/SharesMath.sol";
import {Assertions} from "../utils/Assertions.sol";

/// @notice Share-pool rounding: deposits mint down, withdrawals burn up, values round down; the virtual offset
/// (1e9 shares, 1 alpha-rao) is part of every conversion. Dividends vest linearly, rounded down.
contract SharesMathTest is Assertions {
    uint256 internal constant V = 1e9;

    function test_emptyPool_virtualSharesPerAlpha() public pure {
        assertEq(SharesMath.toSharesDown(123, 0, 0), 123 * V, "first deposit: 1e9 shares per alpha-rao");
        assertEq(SharesMath.toAlphaDown(123 * V, 123, 123 * V), 123, "and they are worth the deposit");
        assertEq(SharesMath.toAlphaDown(123, 0, 0), 0, "no alpha, no value");
    }

    /// @dev Rounding table: pool of 6 alpha-rao and 2e9 shares (a dividend of 4 on a 2-alpha-rao deposit).
    function test_roundingTable() public pure {
        // deposit 1: 1·(2e9 + 1e9)/(6 + 1) = 428 571 428.57 shares → 428 571 428 (the pool keeps the rounding)
        assertEq(SharesMath.toSharesDown(1, 6, 2 * V), 428_571_428, "deposit rounds down");
        // withdraw 1: the same 428 571 428.57 shares → 428 571 429 burned
        assertEq(SharesMath.toSharesUp(1, 6, 2 * V), 428_571_429, "withdraw rounds up");
        // 1e9 shares are worth 1e9·7/3e9 = 2.33 alpha-rao → 2
        assertEq(SharesMath.toAlphaDown(V, 6, 2 * V), 2, "value rounds down");
    }

    /// @dev The inflation attack: one share left, then a dividend of 1e9 alpha-rao. Without the offset one share
    /// would be worth the whole dividend and a smaller deposit would mint nothing.
    function test_inflatedPool_depositKeepsItsValue() public pure {
        uint256 totalAlpha = 1 + 1e9;
        uint256 totalShares = 1;
        uint256 deposit = 1e6;
        uint256 minted = SharesMath.toSharesDown(deposit, totalAlpha, totalShares);
        assertGt(minted, 0, "mints shares");
        uint256 value = SharesMath.toAlphaDown(minted, totalAlpha + deposit, totalShares + minted);
        assertLe(value, deposit, "never more than deposited");
        assertGe(value + 2, deposit, "loses at most a couple of alpha-rao to rounding");
    }

    function testFuzz_depositThenValue_neverMoreThanDeposited(
        uint128 alpha,
        uint128 totalAlpha,
        uint128 totalShares
    ) public pure {
        totalAlpha = uint128(_bound(totalAlpha, 1, type(uint64).max));
        totalShares = uint128(_bound(totalShares, 1, type(uint64).max));
        alpha = uint128(_bound(alpha, 0, type(uint64).max));
        uint256 minted = SharesMath.toSharesDown(alpha, totalAlpha, totalShares);
        uint256 value = SharesMath.toAlphaDown(minted, uint256(totalAlpha) + alpha, uint256(totalShares) + minted);
        assertLe(value, alpha, "round trip never profits");
        assertLe(minted * (uint256(totalAlpha) + 1), uint256(alpha) * (uint256(totalShares) + V), "minted <= exact");
    }

    function testFuzz_withdrawBurnsAtLeastTheValue(uint128 alpha, uint128 totalAlpha, uint128 totalShares) public pure {
        totalAlpha = uint128(_bound(totalAlpha, 1, type(uint64).max));
        totalShares = uint128(_bound(totalShares, 1, type(uint64).max));
        alpha = uint128(_bound(alpha, 0, totalAlpha));
        uint256 burned = SharesMath.toSharesUp(alpha, totalAlpha, totalShares);
        uint256 exact = uint256(alpha) * (uint256(totalShares) + V);
        assertGe(burned * (uint256(totalAlpha) + 1), exact, "burned >= exact");
        if (burned > 0) assertLt((burned - 1) * (uint256(totalAlpha) + 1), exact, "burned - 1 < exact");
        // what is left is still backed: remaining shares are worth no more than the remaining alpha
        uint256 leftShares = totalShares > burned ? totalShares - burned : 0;
        assertLe(
            SharesMath.toAlphaDown(leftShares, totalAlpha, totalShares),
            uint256(totalAlpha) - alpha,
            "remaining shares stay backed"
        );
    }

    /* vestedDown */

    function test_vestedDown_linearRoundedDown() public pure {
        assertEq(SharesMath.vestedDown(1_000, 0, 360), 0, "nothing at the start");
        assertEq(SharesMath.vestedDown(1_000, 1, 360), 2, "1000/360 = 2.78 -> 2");
        assertEq(SharesMath.vestedDown(1_000, 180, 360), 500, "half way");
        assertEq(SharesMath.vestedDown(1_000, 360, 360), 1_000, "all at the end");
        assertEq(SharesMath.vestedDown(1_000, 361, 360), 1_000, "and never more");
        assertEq(SharesMath.vestedDown(1_000, 5, 0), 1_000, "no window left: all vested");
    }

    /// @dev Vesting in steps, each over what is left, never runs ahead of the linear schedule and ends exactly at
    /// the end of the window with everything vested (nothing is lost to rounding).
    function testFuzz_vestedDown_stepsNeverRunAheadAndFinish(uint256 amount, uint256 window, uint256 seed) public pure {
        amount = _bound(amount, 0, type(uint48).max);
        window = _bound(window, 1, 50_400);
        uint256 unvested = amount;
        uint256 left = window;
        uint256 elapsedTotal;
        for (uint256 i; i < 8 && left > 0; ++i) {
            seed = uint256(keccak256(abi.encode(seed, i)));
            uint256 step = 1 + (seed % left);
            uint256 vested = SharesMath.vestedDown(unvested, step, left);
            unvested -= vested;
            left -= step;
            elapsedTotal += step;
            // linear would have vested amount·elapsed/window by now
            assertLe(
                amount - unvested,
                (amount * elapsedTotal + window - 1) / window,
                "never ahead of linear (rounded up)"
            );
        }
        if (left > 0) unvested -= SharesMath.vestedDown(unvested, left, left);
        assertEq(unvested, 0, "all vested at the end");
    }

    function testFuzz_vestedDown_monotone(uint256 amount, uint256 elapsed, uint256 window) public pure {
        amount = _bound(amount, 0, type(uint48).max);
        window = _bound(window, 1, 50_400);
        elapsed = _bound(elapsed, 0, window);
        uint256 v = SharesMath.vestedDown(amount, elapsed, window);
        assertLe(v, amount, "at most the amount");
        assertLe(v * window, amount * elapsed, "rounded down");
        if (elapsed < window) assertLe(v, SharesMath.vestedDown(amount, elapsed + 1, window), "monotone");
    }
}
