// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title PoolMath
/// @notice Constant-product math for a protocol-owned TAO/alpha pool, in the chain's 9-decimal units.
/// @dev Prices are "rao per alpha": TAO-rao paid for 1e9 alpha-rao, the unit of the staking precompile's limit prices.
/// Every rounding favours the pool: outputs round down, fees and required inputs round up.
/// Amounts are chain balances (below 2^64, or 2^128 at most), so every product below fits in 256 bits; plain checked
/// arithmetic is exact and cheaper than a 512-bit mulDiv, and would revert rather than wrap on absurd inputs.
library PoolMath {
    /// @dev Fee rates are fractions of 65535, as subtensor's `FeeRate`.
    uint256 internal constant FEE_DENOMINATOR = 65_535;
    /// @dev Alpha-rao per alpha; a price in rao per alpha is `taoRao * PRICE_SCALE / alphaRao`.
    uint256 internal constant PRICE_SCALE = 1e9;
    /// @dev 1e18, the scale of `getAlphaPrice`-style prices.
    uint256 internal constant WAD = 1e18;

    /// @notice Fee taken from a gross input, rounded up.
    function feeOnGross(uint256 grossIn, uint256 feeRate) internal pure returns (uint256) {
        return Math.ceilDiv(grossIn * feeRate, FEE_DENOMINATOR);
    }

    /// @notice Gross input whose fee leaves exactly `netIn` for the swap (subtensor: fee = net·r/(65535−r)), rounded up.
    function grossForNet(uint256 netIn, uint256 feeRate) internal pure returns (uint256) {
        return netIn + Math.ceilDiv(netIn * feeRate, FEE_DENOMINATOR - feeRate);
    }

    /// @notice Output of a swap of `netIn` against the reserves, rounded down: out = reserveOut·in/(reserveIn+in).
    function amountOutDown(uint256 netIn, uint256 reserveIn, uint256 reserveOut) internal pure returns (uint256) {
        return (reserveOut * netIn) / (reserveIn + netIn);
    }

    /// @notice Spot price in rao per alpha, rounded down. Zero for an empty alpha reserve.
    function spotPriceRao(uint256 taoReserve, uint256 alphaReserve) internal pure returns (uint256) {
        return alphaReserve == 0 ? 0 : (taoReserve * PRICE_SCALE) / alphaReserve;
    }

    /// @notice Spot price in TAO per alpha × 1e18 (the unit of the alpha precompile's `getAlphaPrice`), rounded down.
    function spotPriceWad(uint256 taoReserve, uint256 alphaReserve) internal pure returns (uint256) {
        return alphaReserve == 0 ? 0 : (taoReserve * WAD) / alphaReserve;
    }

    /// @notice Largest net TAO input after which the price is still at most `limitRao`.
    /// @dev After a buy of Δ the price is at most (y+Δ)²/(x·y), so y+Δ ≤ √(x·y·limit/1e9) keeps it within the limit.
    function maxNetTaoInForLimit(
        uint256 taoReserve,
        uint256 alphaReserve,
        uint256 limitRao
    ) internal pure returns (uint256) {
        uint256 target = Math.sqrt(Math.mulDiv(alphaReserve * taoReserve, limitRao, PRICE_SCALE));
        return target > taoReserve ? target - taoReserve : 0;
    }

    /// @notice Largest net alpha input after which the price is still at least `limitRao`.
    /// @dev After a sell of Δ the price is at least x·y/(x+Δ)², so x+Δ ≤ √(x·y·1e9/limit) keeps it within the limit.
    function maxNetAlphaInForLimit(
        uint256 taoReserve,
        uint256 alphaReserve,
        uint256 limitRao
    ) internal pure returns (uint256) {
        if (limitRao == 0) return type(uint256).max;
        uint256 target = Math.sqrt(Math.mulDiv(alphaReserve * taoReserve, PRICE_SCALE, limitRao));
        return target > alphaReserve ? target - alphaReserve : 0;
    }

    /// @notice Largest alpha sold into pool 1 whose TAO, bought into pool 2, keeps the price of pool-1 alpha in
    /// pool-2 alpha at least `limitRaoPerAlpha` (pool-2 alpha-rao per whole pool-1 alpha) after the trade. Fees are
    /// ignored, as in subtensor's `get_max_amount_move` (whose closed form is derived for another pool curve);
    /// rounded down.
    /// @dev With k = x·y the ratio after selling Δ is k1·k2/((x1+Δ)²·(y2+T)²), and (x1+Δ)·(y2+T) = (x1+Δ)(y1+y2) − k1,
    /// so the limit holds while Δ ≤ (√(k1·k2/L) − x1·y2)/(y1 + y2). Reserves are below 2^56, so x1·y1·1e9 and
    /// x2·y2 fit and the 512-bit mulDiv is exact.
    function maxAlphaInForCrossLimit(
        uint256 originAlphaReserve,
        uint256 originTaoReserve,
        uint256 destinationAlphaReserve,
        uint256 destinationTaoReserve,
        uint256 limitRaoPerAlpha
    ) internal pure returns (uint256) {
        uint256 root = Math.sqrt(
            Math.mulDiv(
                originAlphaReserve * originTaoReserve * PRICE_SCALE,
                destinationAlphaReserve * destinationTaoReserve,
                limitRaoPerAlpha
            )
        );
        uint256 base = originAlphaReserve * destinationTaoReserve;
        return root > base ? (root - base) / (originTaoReserve + destinationTaoReserve) : 0;
    }
}
