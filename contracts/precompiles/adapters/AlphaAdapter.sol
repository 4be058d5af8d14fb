// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAlphaPools} from "../../interfaces/IAlphaPools.sol";
import {IAlphaPoolsTypes} from "../../interfaces/IAlphaPoolsTypes.sol";
import {ISubnetRegistry} from "../../interfaces/ISubnetRegistry.sol";
import {CoinbaseLib} from "../../libraries/CoinbaseLib.sol";
import {EmissionMath} from "../../libraries/EmissionMath.sol";
import {PoolMath} from "../../libraries/PoolMath.sol";
import {PoolsView} from "../../libraries/PoolsView.sol";
import {SwapLib} from "../../libraries/SwapLib.sol";
import {UnitsLib} from "../../libraries/UnitsLib.sol";
import {IAlphaPrecompile} from "../IAlphaPrecompile.sol";
import {PrecompileAdapter} from "./PrecompileAdapter.sol";

/// @title AlphaAdapter
/// @notice Bittensor's alpha precompile (0x808) answered by the subnet economy model, as of the current block (the
/// catch-up that is due applied, as the chain's coinbase runs before any transaction).
/// @dev Prices are TAO per alpha × 1e18 truncated to a multiple of 1e9, as the chain truncates the price to 1e-9 TAO
/// before scaling. `simSwap*` include the fee and fail where the swap would (input above 1000 × the input reserve,
/// an output reserve left below 1,000,000, nothing out of a sale, a subnet that is not registered).
/// @dev Divergences, documented: the pools are constant product, so `getTaoInPool / getAlphaInPool` is the price
/// here (not on the chain's weighted pools); `getCKBurn` is 0 (no childkeys); the `*Emission` getters give the
/// per-block rates at the current state (the chain reports the last block's values); on root, the alpha reserve,
/// outstanding alpha and issuance read 0 and the TAO reserve is the TAO staked on root; an unregistered netuid
/// prices at 0.
contract AlphaAdapter is PrecompileAdapter, IAlphaPrecompile {
    IAlphaPools internal immutable POOLS;
    ISubnetRegistry internal immutable REGISTRY;

    uint16 internal constant ROOT_NETUID = 0;
    uint256 internal constant WAD = 1e18;

    constructor(IAlphaPools pools, ISubnetRegistry registry, address courier) PrecompileAdapter(courier) {
        POOLS = pools;
        REGISTRY = registry;
    }

    /* PRICES */

    /// @inheritdoc IAlphaPrecompile
    function getAlphaPrice(uint16 netuid) public view returns (uint256) {
        if (netuid == ROOT_NETUID) return WAD;
        if (!_active(netuid)) return 0;
        return _truncated(PoolsView.spotPriceWad(POOLS, netuid));
    }

    /// @inheritdoc IAlphaPrecompile
    function getMovingAlphaPrice(uint16 netuid) external view returns (uint256) {
        if (netuid == ROOT_NETUID) return WAD;
        if (!_active(netuid)) return 0;
        return _truncated(PoolsView.movingPriceWad(POOLS, netuid));
    }

    /// @inheritdoc IAlphaPrecompile
    function getSumAlphaPrice() external view returns (uint256 sumWad) {
        uint16[] memory netuids = REGISTRY.activeNetuids();
        for (uint256 i; i < netuids.length; ++i) {
            uint256 price = getAlphaPrice(netuids[i]);
            if (price < WAD) sumWad += price;
        }
    }

    /// @inheritdoc IAlphaPrecompile
    function simSwapTaoForAlpha(uint16 netuid, uint64 taoRao) external view returns (uint256) {
        if (netuid == ROOT_NETUID) return taoRao;
        (IAlphaPoolsTypes.Pool memory pool, uint256 feeRate) = _poolNow(netuid);
        uint256 netRao = taoRao - PoolMath.feeOnGross(taoRao, feeRate);
        if (netRao > uint256(pool.taoRao) * SwapLib.MAX_INPUT_RESERVE_MULTIPLE) _failView();
        uint256 alphaRao = PoolMath.amountOutDown(netRao, pool.taoRao, pool.alphaRao);
        if (pool.alphaRao - alphaRao < SwapLib.MIN_RESERVE) _failView();
        return alphaRao;
    }

    /// @inheritdoc IAlphaPrecompile
    function simSwapAlphaForTao(uint16 netuid, uint64 alphaRao) external view returns (uint256) {
        if (netuid == ROOT_NETUID) return alphaRao;
        (IAlphaPoolsTypes.Pool memory pool, uint256 feeRate) = _poolNow(netuid);
        if (alphaRao == 0) return 0;
        uint256 netAlphaRao = alphaRao - PoolMath.feeOnGross(alphaRao, feeRate);
        if (netAlphaRao > uint256(pool.alphaRao) * SwapLib.MAX_INPUT_RESERVE_MULTIPLE) _failView();
        uint256 taoRao = PoolMath.amountOutDown(netAlphaRao, pool.alphaRao, pool.taoRao);
        if (taoRao == 0 || pool.taoRao - taoRao < SwapLib.MIN_RESERVE) _failView();
        return taoRao;
    }

    /* POOL */

    /// @inheritdoc IAlphaPrecompile
    function getTaoInPool(uint16 netuid) external view returns (uint64) {
        (IAlphaPoolsTypes.Pool memory pool, , , ) = PoolsView.subnetNow(POOLS, netuid);
        return pool.taoRao;
    }

    /// @inheritdoc IAlphaPrecompile
    function getAlphaInPool(uint16 netuid) external view returns (uint64) {
        if (netuid == ROOT_NETUID) return 0;
        (IAlphaPoolsTypes.Pool memory pool, , , ) = PoolsView.subnetNow(POOLS, netuid);
        return pool.alphaRao;
    }

    /// @inheritdoc IAlphaPrecompile
    function getAlphaOutPool(uint16 netuid) external view returns (uint64) {
        if (netuid == ROOT_NETUID) return 0;
        (IAlphaPoolsTypes.Pool memory pool, , IAlphaPoolsTypes.Books memory books, ) = PoolsView.subnetNow(
            POOLS,
            netuid
        );
        return books.alphaIssuanceRao - pool.alphaRao;
    }

    /// @inheritdoc IAlphaPrecompile
    function getAlphaIssuance(uint16 netuid) external view returns (uint64) {
        if (netuid == ROOT_NETUID) return 0;
        (, , IAlphaPoolsTypes.Books memory books, ) = PoolsView.subnetNow(POOLS, netuid);
        return books.alphaIssuanceRao;
    }

    /// @inheritdoc IAlphaPrecompile
    function getSubnetVolume(uint16 netuid) external view returns (uint256) {
        (IAlphaPoolsTypes.Pool memory pool, , , ) = PoolsView.subnetNow(POOLS, netuid);
        return pool.volumeRao;
    }

    /* EMISSION (per-block rates at the current state) */

    /// @inheritdoc IAlphaPrecompile
    function getTaoInEmission(uint16 netuid) external view returns (uint256) {
        (uint256 taoRao, , ) = _blockEmission(netuid);
        return taoRao;
    }

    /// @inheritdoc IAlphaPrecompile
    function getAlphaInEmission(uint16 netuid) external view returns (uint256) {
        (, uint256 alphaInRao, ) = _blockEmission(netuid);
        return alphaInRao;
    }

    /// @inheritdoc IAlphaPrecompile
    function getAlphaOutEmission(uint16 netuid) external view returns (uint256) {
        (, , uint256 alphaOutRao) = _blockEmission(netuid);
        return alphaOutRao;
    }

    /* PARAMETERS */

    /// @inheritdoc IAlphaPrecompile
    function getTaoWeight() external view returns (uint256) {
        (, , uint256 taoWeightWad) = POOLS.coinbaseParams();
        return Math.mulDiv(taoWeightWad, type(uint64).max, WAD);
    }

    /// @inheritdoc IAlphaPrecompile
    function getCKBurn() external view returns (uint256) {
        return _constantView(0);
    }

    /// @inheritdoc IAlphaPrecompile
    function getSubnetMechanism(uint16 netuid) external view returns (uint16) {
        return netuid != ROOT_NETUID && _active(netuid) ? 1 : 0;
    }

    /// @inheritdoc IAlphaPrecompile
    function getRootNetuid() external view returns (uint16) {
        return uint16(_constantView(ROOT_NETUID));
    }

    /// @inheritdoc IAlphaPrecompile
    function getEMAPriceHalvingBlocks(uint16) external view returns (uint64) {
        (, uint256 halvingBlocks, ) = POOLS.coinbaseParams();
        return UnitsLib.toU64Saturating(halvingBlocks);
    }

    /* INTERNAL */

    function _active(uint16 netuid) internal view returns (bool) {
        return POOLS.subnetConfig(netuid).active;
    }

    /// @dev The chain truncates a price to 1e-9 TAO (a whole rao per alpha) before scaling it to 1e18.
    function _truncated(uint256 priceWad) internal pure returns (uint256) {
        return UnitsLib.raoPerAlphaToWad(UnitsLib.wadToRaoPerAlphaDown(priceWad));
    }

    /// @dev A registered subnet's pool as of now and its fee rate; fails for anything else.
    function _poolNow(uint16 netuid) internal view returns (IAlphaPoolsTypes.Pool memory pool, uint256 feeRate) {
        IAlphaPoolsTypes.SubnetConfig memory config = POOLS.subnetConfig(netuid);
        if (!config.active) _failView();
        (pool, , , ) = PoolsView.subnetNow(POOLS, netuid);
        feeRate = config.feeRateOf65535;
    }

    /// @dev One block of the subnet's coinbase at the current state: TAO and alpha injected, alpha emitted.
    function _blockEmission(
        uint16 netuid
    ) internal view returns (uint256 taoInRao, uint256 alphaInRao, uint256 alphaOutRao) {
        if (netuid == ROOT_NETUID) return (0, 0, 0);
        IAlphaPoolsTypes.SubnetConfig memory config = POOLS.subnetConfig(netuid);
        if (!config.active || config.firstEmissionBlock == 0) return (0, 0, 0);
        (
            IAlphaPoolsTypes.Pool memory pool,
            IAlphaPoolsTypes.Emission memory em,
            IAlphaPoolsTypes.Books memory books,
            IAlphaPoolsTypes.Global memory g
        ) = PoolsView.subnetNow(POOLS, netuid);
        (, IAlphaPoolsTypes.Supply memory supply, IAlphaPoolsTypes.RootStake memory root) = POOLS.storedGlobal();
        alphaOutRao = EmissionMath.blockEmission(books.alphaIssuanceRao);
        if (g.totalWeight == 0) return (0, 0, alphaOutRao);
        uint256 taoEmissionRao =
            (EmissionMath.blockEmission(supply.issuancePlusReserveRao - g.reserveRao) * em.weight) / g.totalWeight;
        (, , uint256 taoWeightWad) = POOLS.coinbaseParams();
        uint256 rootSideWad = uint256(root.taoRao) * taoWeightWad;
        uint256 capAlphaRao = Math.mulDiv(
            alphaOutRao,
            rootSideWad,
            rootSideWad + uint256(books.alphaIssuanceRao) * WAD
        );
        (taoInRao, alphaInRao, , ) = CoinbaseLib.injection(pool, taoEmissionRao, capAlphaRao);
    }
}
