// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EmissionMath} from "../libraries/EmissionMath.sol";
import {LockCostLib} from "../libraries/LockCostLib.sol";
import {MovingPriceLib} from "../libraries/MovingPriceLib.sol";
import {PoolMath} from "../libraries/PoolMath.sol";
import {SharesMath} from "../libraries/SharesMath.sol";

/// @notice Exposes the model's math libraries to the differential tests of their TypeScript mirror. Never deployed
/// by the product.
contract ModelMathHarness {
    function feeOnGross(uint256 grossIn, uint256 feeRate) external pure returns (uint256) {
        return PoolMath.feeOnGross(grossIn, feeRate);
    }

    function grossForNet(uint256 netIn, uint256 feeRate) external pure returns (uint256) {
        return PoolMath.grossForNet(netIn, feeRate);
    }

    function amountOutDown(uint256 netIn, uint256 reserveIn, uint256 reserveOut) external pure returns (uint256) {
        return PoolMath.amountOutDown(netIn, reserveIn, reserveOut);
    }

    function spotPriceRao(uint256 taoReserve, uint256 alphaReserve) external pure returns (uint256) {
        return PoolMath.spotPriceRao(taoReserve, alphaReserve);
    }

    function spotPriceWad(uint256 taoReserve, uint256 alphaReserve) external pure returns (uint256) {
        return PoolMath.spotPriceWad(taoReserve, alphaReserve);
    }

    function maxNetTaoInForLimit(uint256 tao, uint256 alpha, uint256 limitRao) external pure returns (uint256) {
        return PoolMath.maxNetTaoInForLimit(tao, alpha, limitRao);
    }

    function maxNetAlphaInForLimit(uint256 tao, uint256 alpha, uint256 limitRao) external pure returns (uint256) {
        return PoolMath.maxNetAlphaInForLimit(tao, alpha, limitRao);
    }

    function blockEmission(uint256 issuance) external pure returns (uint256) {
        return EmissionMath.blockEmission(issuance);
    }

    function emissionOver(uint256 issuance, uint256 blocks) external pure returns (uint256) {
        return EmissionMath.emissionOver(issuance, blocks);
    }

    function advanceMovingPrice(
        uint256 movingWad,
        uint256 spotWad,
        uint256 baseAlphaWad,
        uint256 halvingBlocks,
        uint256 blocksSinceStart,
        uint256 blocks
    ) external pure returns (uint256) {
        return MovingPriceLib.advance(movingWad, spotWad, baseAlphaWad, halvingBlocks, blocksSinceStart, blocks);
    }

    function toSharesDown(uint256 alpha, uint256 totalAlpha, uint256 totalShares) external pure returns (uint256) {
        return SharesMath.toSharesDown(alpha, totalAlpha, totalShares);
    }

    function toSharesUp(uint256 alpha, uint256 totalAlpha, uint256 totalShares) external pure returns (uint256) {
        return SharesMath.toSharesUp(alpha, totalAlpha, totalShares);
    }

    function toAlphaDown(uint256 shares, uint256 totalAlpha, uint256 totalShares) external pure returns (uint256) {
        return SharesMath.toAlphaDown(shares, totalAlpha, totalShares);
    }

    function lockCost(
        uint256 minLockRao,
        uint256 lastLockRao,
        uint256 lastLockBlock,
        uint256 currentBlock,
        uint256 reductionInterval
    ) external pure returns (uint256) {
        return LockCostLib.lockCost(minLockRao, lastLockRao, lastLockBlock, currentBlock, reductionInterval);
    }
}
