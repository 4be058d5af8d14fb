// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title VaultMath
/// @notice Share math of the liquid alpha vaults: shares of a pool of alpha stake with OpenZeppelin's ERC-4626
/// decimals offset, and fees in basis points. The rounding direction is in each name; it always favours the vault.
/// @dev The offset is 9: an empty vault mints 1e9 share units per alpha-rao (shares have 18 decimals, one whole share
/// per whole alpha at the start), and 1e9 virtual shares with one virtual alpha-rao always exist. A donation to an
/// empty or nearly empty vault is then shared with the virtual shares, so inflating the share price costs the donor
/// about 1e9 times what it takes from the next depositor. Amounts are chain balances (below 2^64) and supplies below
/// 2^128, so the products fit in 256 bits and plain checked arithmetic is exact.
library VaultMath {
    /// @dev 10 ** decimals offset.
    uint256 internal constant VIRTUAL_SHARES = 1e9;
    uint256 internal constant VIRTUAL_ASSETS = 1;
    uint256 internal constant BPS = 10_000;

    /// @notice Shares worth `assets` (alpha-rao), rounded down: what a deposit mints.
    function toSharesDown(uint256 assets, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return (assets * (totalShares + VIRTUAL_SHARES)) / (totalAssets + VIRTUAL_ASSETS);
    }

    /// @notice Shares worth `assets`, rounded up: what a withdrawal of exactly `assets` burns.
    function toSharesUp(uint256 assets, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return _divUp(assets * (totalShares + VIRTUAL_SHARES), totalAssets + VIRTUAL_ASSETS);
    }

    /// @notice Assets (alpha-rao, or rao of a dissolved vault's TAO) that `shares` are worth, rounded down: what a
    /// redemption pays.
    function toAssetsDown(uint256 shares, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return (shares * (totalAssets + VIRTUAL_ASSETS)) / (totalShares + VIRTUAL_SHARES);
    }

    /// @notice Assets that `shares` are worth, rounded up: what a mint of exactly `shares` costs.
    function toAssetsUp(uint256 shares, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return _divUp(shares * (totalAssets + VIRTUAL_ASSETS), totalShares + VIRTUAL_SHARES);
    }

    /// @notice The fee on `amount` at `feeBps` basis points, rounded up (at most `amount` for a fee ≤ 100 %).
    function feeUp(uint256 amount, uint256 feeBps) internal pure returns (uint256) {
        return _divUp(amount * feeBps, BPS);
    }

    function _divUp(uint256 a, uint256 b) private pure returns (uint256) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }
}
