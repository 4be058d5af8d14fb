// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title SharesMath
/// @notice A hotkey's stake pool: nominators own shares of the hotkey's alpha, so a dividend credited to the hotkey
/// raises every share's value. The rounding direction is in each name; it always favours the pool.
/// @dev Virtual shares and a virtual alpha-rao (OpenZeppelin's ERC-4626 offset) defeat share inflation: an empty
/// pool mints VIRTUAL_SHARES shares per alpha-rao, and a pool left with a few shares that then receives a large
/// dividend shares most of it with the virtual shares instead of making one share worth more than a newcomer's stake.
/// Totals are below 2^128, so the products fit in 256 bits and plain checked arithmetic is exact.
library SharesMath {
    /// @dev Shares per alpha-rao of an empty pool, and the virtual shares that always exist.
    uint256 internal constant VIRTUAL_SHARES = 1e9;
    uint256 internal constant VIRTUAL_ALPHA = 1;

    /// @notice Shares minted for a deposit of `alpha`, rounded down.
    function toSharesDown(uint256 alpha, uint256 totalAlpha, uint256 totalShares) internal pure returns (uint256) {
        return (alpha * (totalShares + VIRTUAL_SHARES)) / (totalAlpha + VIRTUAL_ALPHA);
    }

    /// @notice Shares burned for a withdrawal of `alpha`, rounded up.
    function toSharesUp(uint256 alpha, uint256 totalAlpha, uint256 totalShares) internal pure returns (uint256) {
        return Math.ceilDiv(alpha * (totalShares + VIRTUAL_SHARES), totalAlpha + VIRTUAL_ALPHA);
    }

    /// @notice Alpha that `shares` are worth, rounded down.
    function toAlphaDown(uint256 shares, uint256 totalAlpha, uint256 totalShares) internal pure returns (uint256) {
        return (shares * (totalAlpha + VIRTUAL_ALPHA)) / (totalShares + VIRTUAL_SHARES);
    }

    /// @notice The part of `unvestedAlpha` that vests after `elapsedBlocks` of the `leftBlocks` still to go, rounded
    /// down (the remainder vests later, so a pool never pays out a dividend before it has vested).
    function vestedDown(
        uint256 unvestedAlpha,
        uint256 elapsedBlocks,
        uint256 leftBlocks
    ) internal pure returns (uint256) {
        if (elapsedBlocks >= leftBlocks) return unvestedAlpha;
        return (unvestedAlpha * elapsedBlocks) / leftBlocks;
    }
}
