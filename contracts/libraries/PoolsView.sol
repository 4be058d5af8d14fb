// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAlphaPools} from "../interfaces/IAlphaPools.sol";
import {IAlphaPoolsTypes} from "../interfaces/IAlphaPoolsTypes.sol";
import {CoinbaseLib} from "./CoinbaseLib.sol";
import {PoolMath} from "./PoolMath.sol";
import {SwapLib} from "./SwapLib.sol";

/// @title PoolsView
/// @notice Reads of the pools as of the current block, for contracts that value, quote or rank subnets: the stored
/// state with the catch-up that is due applied (the same `CoinbaseLib` computation the pools run when they catch up),
/// and the prices, quotes, emission shares and pending emission derived from it.
library PoolsView {
    uint16 internal constant ROOT_NETUID = 0;
    uint256 internal constant WAD = 1e18;

    /// @notice A subnet's pool, emission state and books as a catch-up would store them now; for root, its TAO as
    /// both reserves.
    function subnetNow(
        IAlphaPools pools,
        uint16 netuid
    )
        internal
        view
        returns (
            IAlphaPoolsTypes.Pool memory pool,
            IAlphaPoolsTypes.Emission memory em,
            IAlphaPoolsTypes.Books memory books,
            IAlphaPoolsTypes.Global memory g
        )
    {
        IAlphaPoolsTypes.Supply memory supply;
        IAlphaPoolsTypes.RootStake memory root;
        (g, supply, root) = pools.storedGlobal();
        if (netuid == ROOT_NETUID) {
            pool = IAlphaPoolsTypes.Pool(root.taoRao, root.taoRao, root.changedAtBlock, root.volumeRao);
            return (pool, em, books, g);
        }
        (pool, em, books) = pools.storedSubnet(netuid);
        IAlphaPoolsTypes.SubnetConfig memory config = pools.subnetConfig(netuid);
        uint256 first = config.firstEmissionBlock;
        if (pool.lastAccrualBlock >= block.number || first == 0 || block.number < first) return (pool, em, books, g);
        CoinbaseLib.advanceGlobal(g, supply.issuancePlusReserveRao, block.number);
        uint256 rootTaoRao = root.changedAtBlock == block.number ? root.previousBlockTaoRao : root.taoRao;
        (uint256 movingAlphaWad, uint256 emaHalvingBlocks, uint256 taoWeightWad) = pools.coinbaseParams();
        CoinbaseLib.Context memory ctx = CoinbaseLib.Context(
            block.number,
            rootTaoRao,
            movingAlphaWad,
            emaHalvingBlocks,
            taoWeightWad
        );
        CoinbaseLib.catchUp(pool, em, books, g, config, ctx);
    }

    /// @notice Spot price now, TAO per alpha × 1e18 (1e18 for root).
    function spotPriceWad(IAlphaPools pools, uint16 netuid) internal view returns (uint256) {
        if (netuid == ROOT_NETUID) return WAD;
        (IAlphaPoolsTypes.Pool memory pool, , , ) = subnetNow(pools, netuid);
        return PoolMath.spotPriceWad(pool.taoRao, pool.alphaRao);
    }

    /// @notice Moving price now, TAO per alpha × 1e18, capped at 1e18 as in subtensor (1e18 for root).
    function movingPriceWad(IAlphaPools pools, uint16 netuid) internal view returns (uint256) {
        if (netuid == ROOT_NETUID) return WAD;
        (, IAlphaPoolsTypes.Emission memory em, , ) = subnetNow(pools, netuid);
        return em.movingPriceWad;
    }

    /// @notice The subnet's share of the block emission, × 1e18: its weight (moving price × (1 − miner burn)) over
    /// the total, with this subnet caught up and the others as of their last catch-up.
    function emissionShareWad(IAlphaPools pools, uint16 netuid) internal view returns (uint256) {
        if (netuid == ROOT_NETUID || pools.subnetConfig(netuid).firstEmissionBlock == 0) return 0;
        (, IAlphaPoolsTypes.Emission memory em, , IAlphaPoolsTypes.Global memory g) = subnetNow(pools, netuid);
        return g.totalWeight == 0 ? 0 : Math.mulDiv(em.weight, WAD, g.totalWeight);
    }

    /// @notice The alpha waiting for the subnet's next epoch, split as the epoch splits it.
    function pendingEmission(
        IAlphaPools pools,
        uint16 netuid
    ) internal view returns (IAlphaPoolsTypes.PendingEmission memory) {
        (, , IAlphaPoolsTypes.Books memory books, ) = subnetNow(pools, netuid);
        return CoinbaseLib.splitPending(books);
    }

    /// @notice What a stake of `taoRao` (or an unstake of alpha, when `taoIn` is false) would return now, the fee
    /// taken first; root swaps 1:1.
    function quote(IAlphaPools pools, uint16 netuid, uint256 amountIn, bool taoIn) internal view returns (uint256) {
        if (netuid == ROOT_NETUID) return amountIn;
        (IAlphaPoolsTypes.Pool memory pool, , , ) = subnetNow(pools, netuid);
        return SwapLib.quote(pool, amountIn, pools.subnetConfig(netuid).feeRateOf65535, taoIn);
    }
}
