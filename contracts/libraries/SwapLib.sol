// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../interfaces/IAlphaPoolsTypes.sol";
import {PoolMath} from "./PoolMath.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title SwapLib
/// @notice A swap against a subnet pool held in memory, with subtensor's guards: the fee taken from the input (it
/// stays in the pool), a limit price that fills partially or reverts, the input cap and the minimum reserve.
/// @dev Pure: the caller loads the pool, swaps, and stores it. Outputs round down, required inputs round up.
library SwapLib {
    using SafeCast for uint256;

    /// @dev subtensor's `MinimumReserve`: a swap may not leave less in its output reserve.
    uint256 internal constant MIN_RESERVE = 1_000_000;
    /// @dev A swap's net input may be at most this many times its input reserve (subtensor's `SwapInputTooLarge`).
    uint256 internal constant MAX_INPUT_RESERVE_MULTIPLE = 1000;
    /// @dev "No limit" for a buy.
    uint256 internal constant NO_BUY_LIMIT = type(uint256).max;

    /// @notice Buys alpha with `grossRao`. With a limit (not NO_BUY_LIMIT), the net input is capped where the price
    /// reaches it: partially when allowed (the net then must stay at least `minNetRao`), otherwise it reverts.
    /// @return alphaRao bought
    /// @return usedRao TAO taken from the input (less than `grossRao` after a partial fill)
    /// @return feeRao part of `usedRao` kept as the fee
    function buyAlpha(
        IAlphaPoolsTypes.Pool memory pool,
        uint256 grossRao,
        uint256 feeRateOf65535,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial,
        uint256 minNetRao
    ) internal pure returns (uint256 alphaRao, uint256 usedRao, uint256 feeRao) {
        usedRao = grossRao;
        feeRao = PoolMath.feeOnGross(grossRao, feeRateOf65535);
        uint256 netRao = grossRao - feeRao;
        if (limitPriceRaoPerAlpha != NO_BUY_LIMIT) {
            uint256 spot = PoolMath.spotPriceRao(pool.taoRao, pool.alphaRao);
            if (limitPriceRaoPerAlpha <= spot) revert IAlphaPoolsTypes.LimitPriceCrossed(limitPriceRaoPerAlpha, spot);
            uint256 maxNetRao = PoolMath.maxNetTaoInForLimit(pool.taoRao, pool.alphaRao, limitPriceRaoPerAlpha);
            if (netRao > maxNetRao) {
                if (!allowPartial) revert IAlphaPoolsTypes.SlippageTooHigh(netRao, maxNetRao);
                netRao = maxNetRao;
                usedRao = PoolMath.grossForNet(netRao, feeRateOf65535);
                feeRao = usedRao - netRao;
                if (netRao < minNetRao) revert IAlphaPoolsTypes.AmountTooLow(netRao, minNetRao);
            }
        }
        uint256 maxInRao = uint256(pool.taoRao) * MAX_INPUT_RESERVE_MULTIPLE;
        if (netRao > maxInRao) revert IAlphaPoolsTypes.SwapInputTooLarge(netRao, maxInRao);
        alphaRao = PoolMath.amountOutDown(netRao, pool.taoRao, pool.alphaRao);
        if (pool.alphaRao - alphaRao < MIN_RESERVE) {
            revert IAlphaPoolsTypes.ReservesTooLow(pool.alphaRao - alphaRao, MIN_RESERVE);
        }
        pool.taoRao = (pool.taoRao + usedRao).toUint64();
        pool.alphaRao -= uint64(alphaRao);
        pool.volumeRao = (pool.volumeRao + usedRao).toUint96();
    }

    /// @notice Sells `grossAlphaRao` for TAO. With a nonzero `minPriceRaoPerAlpha`, the net input is capped where the
    /// price falls to it: partially when allowed, otherwise it reverts.
    /// @return taoRao bought
    /// @return soldAlphaRao alpha taken from the input (less than `grossAlphaRao` after a partial fill)
    /// @return feeAlphaRao part of `soldAlphaRao` kept as the fee
    function sellAlpha(
        IAlphaPoolsTypes.Pool memory pool,
        uint256 grossAlphaRao,
        uint256 feeRateOf65535,
        uint256 minPriceRaoPerAlpha,
        bool allowPartial
    ) internal pure returns (uint256 taoRao, uint256 soldAlphaRao, uint256 feeAlphaRao) {
        soldAlphaRao = grossAlphaRao;
        feeAlphaRao = PoolMath.feeOnGross(grossAlphaRao, feeRateOf65535);
        uint256 netAlphaRao = grossAlphaRao - feeAlphaRao;
        if (minPriceRaoPerAlpha != 0) {
            uint256 spot = PoolMath.spotPriceRao(pool.taoRao, pool.alphaRao);
            if (minPriceRaoPerAlpha >= spot) revert IAlphaPoolsTypes.LimitPriceCrossed(minPriceRaoPerAlpha, spot);
            uint256 maxNet = PoolMath.maxNetAlphaInForLimit(pool.taoRao, pool.alphaRao, minPriceRaoPerAlpha);
            if (netAlphaRao > maxNet) {
                if (!allowPartial) revert IAlphaPoolsTypes.SlippageTooHigh(netAlphaRao, maxNet);
                netAlphaRao = maxNet;
                soldAlphaRao = PoolMath.grossForNet(netAlphaRao, feeRateOf65535);
                feeAlphaRao = soldAlphaRao - netAlphaRao;
            }
        }
        uint256 maxInAlphaRao = uint256(pool.alphaRao) * MAX_INPUT_RESERVE_MULTIPLE;
        if (netAlphaRao > maxInAlphaRao) revert IAlphaPoolsTypes.SwapInputTooLarge(netAlphaRao, maxInAlphaRao);
        taoRao = PoolMath.amountOutDown(netAlphaRao, pool.alphaRao, pool.taoRao);
        if (taoRao == 0) revert IAlphaPoolsTypes.InsufficientLiquidity();
        if (pool.taoRao - taoRao < MIN_RESERVE)
            revert IAlphaPoolsTypes.ReservesTooLow(pool.taoRao - taoRao, MIN_RESERVE);
        pool.alphaRao = (pool.alphaRao + soldAlphaRao).toUint64();
        pool.taoRao -= uint64(taoRao);
        pool.volumeRao = (pool.volumeRao + taoRao).toUint96();
    }

    /// @notice Whether a sale of `grossAlphaRao` at any price would go through (no revert), for callers that skip
    /// what cannot be sold, as the chain's `unstake_all`.
    function canSellAlpha(
        IAlphaPoolsTypes.Pool memory pool,
        uint256 grossAlphaRao,
        uint256 feeRateOf65535
    ) internal pure returns (bool) {
        uint256 netAlphaRao = grossAlphaRao - PoolMath.feeOnGross(grossAlphaRao, feeRateOf65535);
        if (netAlphaRao > uint256(pool.alphaRao) * MAX_INPUT_RESERVE_MULTIPLE) return false;
        uint256 taoRao = PoolMath.amountOutDown(netAlphaRao, pool.alphaRao, pool.taoRao);
        return taoRao != 0 && pool.taoRao - taoRao >= MIN_RESERVE;
    }

    /// @notice Output of a swap of `grossIn` (the fee taken first) at the pool's reserves, for quotes.
    function quote(
        IAlphaPoolsTypes.Pool memory pool,
        uint256 grossIn,
        uint256 feeRateOf65535,
        bool taoIn
    ) internal pure returns (uint256) {
        uint256 netIn = grossIn - PoolMath.feeOnGross(grossIn, feeRateOf65535);
        return
            taoIn
                ? PoolMath.amountOutDown(netIn, pool.taoRao, pool.alphaRao)
                : PoolMath.amountOutDown(netIn, pool.alphaRao, pool.taoRao);
    }
}
