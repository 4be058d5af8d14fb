// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SharesMath} from "../../../contracts/libraries/SharesMath.sol";
import {Assertions} from "../utils/Assertions.sol";

/// @notice Share-pool rounding: deposits mint down, withdrawals burn up, values round down.
contract SharesMathTest is Assertions {
    function test_emptyPool_oneSharePerAlpha() public pure {
        assertEq(SharesMath.toSharesDown(123, 0, 0), 123, "first deposit");
        assertEq(SharesMath.toAlphaDown(123, 0, 0), 0, "no shares, no value");
    }

    /// @dev Rounding table: pool of 3 alpha and 2 shares (a dividend of 1 on a 2-alpha deposit).
    function test_roundingTable() public pure {
        // deposit 1 alpha: 1·2/3 = 0.67 shares → 0 (the pool keeps the rounding)
        assertEq(SharesMath.toSharesDown(1, 3, 2), 0, "deposit rounds down");
        // withdraw 1 alpha: 1·2/3 = 0.67 shares → 1 burned
        assertEq(SharesMath.toSharesUp(1, 3, 2), 1, "withdraw rounds up");
        // 1 share is worth 1.5 alpha → 1
        assertEq(SharesMath.toAlphaDown(1, 3, 2), 1, "value rounds down");
    }

    function testFuzz_depositThenValue_neverMoreThanDeposited(uint128 alpha, uint128 totalAlpha, uint128 totalShares) public pure {
        totalAlpha = uint128(_bound(totalAlpha, 1, type(uint64).max));
        totalShares = uint128(_bound(totalShares, 1, type(uint64).max));
        alpha = uint128(_bound(alpha, 0, type(uint64).max));
        uint256 minted = SharesMath.toSharesDown(alpha, totalAlpha, totalShares);
        uint256 value = SharesMath.toAlphaDown(minted, uint256(totalAlpha) + alpha, uint256(totalShares) + minted);
        assertLe(value, alpha, "round trip never profits");
        assertLe(minted * uint256(totalAlpha), uint256(alpha) * totalShares, "minted <= exact");
    }

    function testFuzz_withdrawBurnsAtLeastTheValue(uint128 alpha, uint128 totalAlpha, uint128 totalShares) public pure {
        totalAlpha = uint128(_bound(totalAlpha, 1, type(uint64).max));
        totalShares = uint128(_bound(totalShares, 1, type(uint64).max));
        alpha = uint128(_bound(alpha, 0, totalAlpha));
        uint256 burned = SharesMath.toSharesUp(alpha, totalAlpha, totalShares);
        assertGe(burned * uint256(totalAlpha), uint256(alpha) * totalShares, "burned >= exact");
        if (burned > 0) assertLt((burned - 1) * uint256(totalAlpha), uint256(alpha) * totalShares, "burned - 1 < exact");
        // what is left is still backed: remaining shares are worth no more than the remaining alpha
        uint256 leftShares = totalShares > burned ? totalShares - burned : 0;
        assertLe(
            SharesMath.toAlphaDown(leftShares, totalAlpha, totalShares),
            uint256(totalAlpha) - alpha,
            "remaining shares stay backed"
        );
    }
}
