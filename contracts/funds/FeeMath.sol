// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title FeeMath
/// @notice A fund's fees, paid by minting shares (dilution), never by moving assets: a management fee that accrues
/// linearly with time and a performance fee on the rise of the share price above its high-water mark.
/// @dev Every result rounds down, so a fee is never larger than its rate; the holders keep the remainder.
/// @dev Share prices are rao of net asset value per 1e18 shares (`*RaoPerShareWad`).
library FeeMath {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant YEAR_SECONDS = 365 days;
    /// @dev Longest interval charged at once; a fund left untouched longer is charged for this much only.
    uint256 internal constant MAX_ELAPSED_SECONDS = 10 * 365 days;

    /// @notice Shares that dilute the holders by `feeBps` per year over `elapsedSeconds`.
    /// @dev The fee is the fraction f = feeBps × elapsed / (BPS × YEAR) of the fund's value; the minted shares x satisfy
    /// x / (supply + x) = f, so x = supply × f / (1 − f). With feeBps ≤ BPS / 10 and at most ten years, f < 1.
    function managementFeeSharesDown(
        uint256 supply,
        uint256 feeBps,
        uint256 elapsedSeconds
    ) internal pure returns (uint256) {
        if (supply == 0 || feeBps == 0 || elapsedSeconds == 0) return 0;
        if (elapsedSeconds > MAX_ELAPSED_SECONDS) elapsedSeconds = MAX_ELAPSED_SECONDS;
        uint256 numerator = feeBps * elapsedSeconds;
        uint256 denominator = BPS * YEAR_SECONDS;
        if (numerator >= denominator) return 0;
        return Math.mulDiv(supply, numerator, denominator - numerator);
    }

    /// @notice The share price: `navRao` per 1e18 of `supply`, rounded down (0 without shares).
    function sharePriceRaoPerShareWadDown(uint256 navRao, uint256 supply) internal pure returns (uint256) {
        if (supply == 0) return 0;
        return Math.mulDiv(navRao, 1e18, supply);
    }

    /// @notice Shares paying `feeBps` of the gain above the high-water mark, and the mark after the fee.
    /// @dev gain = (price − hwm) × supply; fee value = gain × feeBps / BPS; minted shares x give the recipient that
    /// value: x / (supply + x) × nav = fee, so x = supply × fee / (nav − fee). No gain, no fee: the mark only rises.
    /// The new mark is the price after the fee, so the same gain is never charged twice.
    function performanceFeeSharesDown(
        uint256 navRao,
        uint256 supply,
        uint256 highWaterMarkRaoPerShareWad,
        uint256 feeBps
    ) internal pure returns (uint256 feeShares, uint256 newHighWaterMarkRaoPerShareWad) {
        uint256 price = sharePriceRaoPerShareWadDown(navRao, supply);
        if (price <= highWaterMarkRaoPerShareWad) return (0, highWaterMarkRaoPerShareWad);
        uint256 gainRao = Math.mulDiv(price - highWaterMarkRaoPerShareWad, supply, 1e18);
        uint256 feeRao = Math.mulDiv(gainRao, feeBps, BPS);
        if (feeRao != 0 && feeRao < navRao) feeShares = Math.mulDiv(supply, feeRao, navRao - feeRao);
        newHighWaterMarkRaoPerShareWad = sharePriceRaoPerShareWadDown(navRao, supply + feeShares);
        if (newHighWaterMarkRaoPerShareWad < highWaterMarkRaoPerShareWad) {
            newHighWaterMarkRaoPerShareWad = highWaterMarkRaoPerShareWad;
        }
    }

    /// @notice The value in rao of `shares` out of `supply + shares` of a fund worth `navRao`, rounded down.
    function dilutionValueRaoDown(uint256 shares, uint256 supply, uint256 navRao) internal pure returns (uint256) {
        if (shares == 0) return 0;
        return Math.mulDiv(navRao, shares, supply + shares);
    }
}
