// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title MovingPriceLib
/// @notice subtensor's moving (EMA) alpha price, advanced over many blocks at once.
/// @dev Per block subtensor computes α_b = A·b/(b+h), with b the blocks since emission started, and
/// p̄ ← α_b·min(p, 1) + (1 − α_b)·p̄. Over a catch-up of n blocks with a constant spot price this is
/// p̄_n = p* + (p̄_0 − p*)·Π(1 − α_b). We evaluate the product as (1 − α_mid)^n with α at the middle block.
/// Approximation: exact when n = 1; for larger n the ramp b/(b+h) varies slightly within the interval and
/// the spot price is taken as constant (it is the price after the interval's injections).
library MovingPriceLib {
    uint256 internal constant WAD = 1e18;

    /// @notice Moving price after `blocks` blocks, in TAO per alpha × 1e18, never above 1e18.
    /// @param movingWad the current moving price
    /// @param spotWad the spot price (capped at 1 inside)
    /// @param baseAlphaWad A, subtensor's `SubnetMovingAlpha`, × 1e18
    /// @param halvingBlocks h, subtensor's `EMAPriceHalvingBlocks`
    /// @param blocksSinceStart b at the first of the `blocks` blocks
    function advance(
        uint256 movingWad,
        uint256 spotWad,
        uint256 baseAlphaWad,
        uint256 halvingBlocks,
        uint256 blocksSinceStart,
        uint256 blocks
    ) internal pure returns (uint256) {
        if (blocks == 0) return movingWad;
        uint256 target = spotWad < WAD ? spotWad : WAD;
        uint256 bMid = blocksSinceStart + (blocks - 1) / 2;
        uint256 alphaWad = Math.mulDiv(baseAlphaWad, bMid, bMid + halvingBlocks);
        if (alphaWad > WAD) alphaWad = WAD;
        uint256 keep = powWad(WAD - alphaWad, blocks);
        // p̄' = p* + (p̄ − p*)·keep, written without signed arithmetic.
        if (movingWad >= target) return target + Math.mulDiv(movingWad - target, keep, WAD);
        return target - Math.mulDiv(target - movingWad, keep, WAD, Math.Rounding.Ceil);
    }

    /// @notice x^n for x ≤ 1e18 in 1e18 fixed point, by squaring: O(log n) steps, rounding down.
    function powWad(uint256 x, uint256 n) internal pure returns (uint256 result) {
        result = WAD;
        while (n != 0) {
            if (n & 1 == 1) result = (result * x) / WAD;
            n >>= 1;
            if (n != 0) x = (x * x) / WAD;
        }
    }
}
