// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title SharesMath
/// @notice A hotkey's stake pool: nominators own shares of the hotkey's alpha, so a dividend credited to the hotkey
/// raises every share's value. The rounding direction is in each name; it always favours the pool.
library SharesMath {
    /// @notice Shares minted for a deposit of `alpha`, rounded down. An empty pool mints one share per alpha-rao.
    function toSharesDown(uint256 alpha, uint256 totalAlpha, uint256 totalShares) internal pure returns (uint256) {
        return totalShares == 0 ? alpha : Math.mulDiv(alpha, totalShares, totalAlpha);
    }

    /// @notice Shares burned for a withdrawal of `alpha`, rounded up.
    function toSharesUp(uint256 alpha, uint256 totalAlpha, uint256 totalShares) internal pure returns (uint256) {
        return Math.mulDiv(alpha, totalShares, totalAlpha, Math.Rounding.Ceil);
    }

    /// @notice Alpha that `shares` are worth, rounded down.
    function toAlphaDown(uint256 shares, uint256 totalAlpha, uint256 totalShares) internal pure returns (uint256) {
        return totalShares == 0 ? 0 : Math.mulDiv(shares, totalAlpha, totalShares);
    }
}
