// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../interfaces/IAlphaPoolsTypes.sol";
import {BurnMath} from "../libraries/BurnMath.sol";
import {CoinbaseLib} from "../libraries/CoinbaseLib.sol";
import {EmissionMath} from "../libraries/EmissionMath.sol";
import {LockCostLib} from "../libraries/LockCostLib.sol";
import {MovingPriceLib} from "../libraries/MovingPriceLib.sol";
import {PoolMath} from "../libraries/PoolMath.sol";
import {SharesMath} from "../libraries/SharesMath.sol";
import {SwapLib} from "../libraries/SwapLib.sol";

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

    function maxAlphaInForCrossLimit(
        uint256 originAlphaReserve,
        uint256 originTaoReserve,
        uint256 destinationAlphaReserve,
        uint256 destinationTaoReserve,
        uint256 limitRaoPerAlpha
    ) external pure returns (uint256) {
        return
            PoolMath.maxAlphaInForCrossLimit(
                originAlphaReserve,
                originTaoReserve,
                destinationAlphaReserve,
                destinationTaoReserve,
                limitRaoPerAlpha
            );
    }

    /* SwapLib: the pool is returned as the swap leaves it (so it is a memory copy the library changes) */

    // solhint-disable-next-line gas-calldata-parameters
    function buyAlpha(
        IAlphaPoolsTypes.Pool memory pool,
        uint256 grossRao,
        uint256 feeRateOf65535,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial,
        uint256 minNetRao
    ) external pure returns (uint256 alphaRao, uint256 usedRao, uint256 feeRao, IAlphaPoolsTypes.Pool memory) {
        (alphaRao, usedRao, feeRao) = SwapLib.buyAlpha(
            pool,
            grossRao,
            feeRateOf65535,
            limitPriceRaoPerAlpha,
            allowPartial,
            minNetRao
        );
        return (alphaRao, usedRao, feeRao, pool);
    }

    // solhint-disable-next-line gas-calldata-parameters
    function sellAlpha(
        IAlphaPoolsTypes.Pool memory pool,
        uint256 grossAlphaRao,
        uint256 feeRateOf65535,
        uint256 minPriceRaoPerAlpha,
        bool allowPartial
    ) external pure returns (uint256 taoRao, uint256 soldAlphaRao, uint256 feeAlphaRao, IAlphaPoolsTypes.Pool memory) {
        (taoRao, soldAlphaRao, feeAlphaRao) = SwapLib.sellAlpha(
            pool,
            grossAlphaRao,
            feeRateOf65535,
            minPriceRaoPerAlpha,
            allowPartial
        );
        return (taoRao, soldAlphaRao, feeAlphaRao, pool);
    }

    function canSellAlpha(
        IAlphaPoolsTypes.Pool calldata pool,
        uint256 grossAlphaRao,
        uint256 feeRateOf65535
    ) external pure returns (bool) {
        return SwapLib.canSellAlpha(pool, grossAlphaRao, feeRateOf65535);
    }

    function quote(
        IAlphaPoolsTypes.Pool calldata pool,
        uint256 grossIn,
        uint256 feeRateOf65535,
        bool taoIn
    ) external pure returns (uint256) {
        return SwapLib.quote(pool, grossIn, feeRateOf65535, taoIn);
    }

    /* BurnMath */

    function decayFactorQ32(uint256 halfLife) external pure returns (uint256) {
        return BurnMath.decayFactorQ32(halfLife);
    }

    function powQ32(uint256 base, uint256 exponent) external pure returns (uint256) {
        return BurnMath.powQ32(base, exponent);
    }

    function decayed(
        uint256 burnRao,
        uint256 halfLife,
        uint256 blocks,
        uint256 minBurnRao,
        uint256 maxBurnRao
    ) external pure returns (uint256) {
        return BurnMath.decayed(burnRao, halfLife, blocks, minBurnRao, maxBurnRao);
    }

    function bumped(
        uint256 burnRao,
        uint256 increaseMultWad,
        uint256 minBurnRao,
        uint256 maxBurnRao
    ) external pure returns (uint256) {
        return BurnMath.bumped(burnRao, increaseMultWad, minBurnRao, maxBurnRao);
    }

    /* CoinbaseLib */

    function splitPending(
        IAlphaPoolsTypes.Books calldata books
    ) external pure returns (IAlphaPoolsTypes.PendingEmission memory) {
        return CoinbaseLib.splitPending(books);
    }

    function injection(
        IAlphaPoolsTypes.Pool calldata pool,
        uint256 taoEmissionRao,
        uint256 capAlphaRao
    ) external pure returns (uint256 taoInRao, uint256 alphaInRao, uint256 chainBuyTaoRao, uint256 boughtAlphaRao) {
        return CoinbaseLib.injection(pool, taoEmissionRao, capAlphaRao);
    }

    /* EmissionMath */

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

    function vestedDown(
        uint256 unvestedAlpha,
        uint256 elapsedBlocks,
        uint256 leftBlocks
    ) external pure returns (uint256) {
        return SharesMath.vestedDown(unvestedAlpha, elapsedBlocks, leftBlocks);
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
