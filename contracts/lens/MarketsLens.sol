// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPools} from "../interfaces/IAlphaPools.sol";
import {IAlphaPoolsTypes} from "../interfaces/IAlphaPoolsTypes.sol";
import {IMetagraph} from "../interfaces/IMetagraph.sol";
import {ISubnetRegistry} from "../interfaces/ISubnetRegistry.sol";
import {CoinbaseLib} from "../libraries/CoinbaseLib.sol";
import {PoolMath} from "../libraries/PoolMath.sol";
import {PoolsView} from "../libraries/PoolsView.sol";

/// @title MarketsLens
/// @notice Read-only aggregation for a markets page: every subnet with its pool, prices, emission share and volume,
/// as of the current block, in one call; and an account's stakes on a list of positions.
/// @dev Warning: the moving price is capped at 1 TAO per alpha (1e18), as subtensor caps it; a subnet trading above
/// 1 TAO shows a spot price above its moving price.
contract MarketsLens {
    struct SubnetMarket {
        uint16 netuid;
        string name;
        address owner;
        bytes32 ownerHotkey;
        uint32 registeredAt;
        uint32 firstEmissionBlock;
        uint16 tempo;
        uint16 neurons;
        uint256 taoReserveRao;
        uint256 alphaReserveAlphaRao;
        uint256 alphaOutstandingAlphaRao; // SubnetAlphaOut: issued alpha outside the pool
        uint256 spotPriceWad;
        uint256 movingPriceWad; // capped at 1e18
        uint256 emissionShareWad;
        uint256 volumeRao; // cumulative
        uint256 pendingOwnerCutAlphaRao;
        uint256 pendingServerAlphaRao;
        uint256 pendingValidatorAlphaRao;
        uint256 pendingRootAlphaRao;
        uint256 lastAccrualBlock;
        uint16 feeRateOf65535;
        uint16 minerBurnOf65535;
        uint256 minStakeRao;
        bool transfersEnabled;
    }

    struct Position {
        bytes32 hotkey;
        uint16 netuid;
    }

    IAlphaPools public immutable POOLS;
    ISubnetRegistry public immutable REGISTRY;
    IMetagraph public immutable METAGRAPH;

    constructor(IAlphaPools pools, ISubnetRegistry registry, IMetagraph metagraph) {
        POOLS = pools;
        REGISTRY = registry;
        METAGRAPH = metagraph;
    }

    /// @notice Every registered subnet (at most 255).
    function markets() external view returns (SubnetMarket[] memory list) {
        uint16[] memory netuids = REGISTRY.activeNetuids();
        list = new SubnetMarket[](netuids.length);
        for (uint256 i; i < netuids.length; ++i) list[i] = market(netuids[i]);
    }

    /// @notice Every market and the stakes of `coldkey` on `positions` (alpha-rao each), in one call.
    function marketsAndStakes(
        bytes32 coldkey,
        Position[] calldata positions
    ) external view returns (SubnetMarket[] memory list, uint256[] memory stakesAlphaRao) {
        uint16[] memory netuids = REGISTRY.activeNetuids();
        list = new SubnetMarket[](netuids.length);
        for (uint256 i; i < netuids.length; ++i) list[i] = market(netuids[i]);
        stakesAlphaRao = new uint256[](positions.length);
        for (uint256 i; i < positions.length; ++i) {
            stakesAlphaRao[i] = POOLS.getStake(positions[i].hotkey, coldkey, positions[i].netuid);
        }
    }

    function market(uint16 netuid) public view returns (SubnetMarket memory m) {
        ISubnetRegistry.Subnet memory s = REGISTRY.subnet(netuid);
        IAlphaPoolsTypes.SubnetConfig memory config = POOLS.subnetConfig(netuid);
        (
            IAlphaPoolsTypes.Pool memory pool,
            IAlphaPoolsTypes.Emission memory em,
            IAlphaPoolsTypes.Books memory books,
            IAlphaPoolsTypes.Global memory g
        ) = PoolsView.subnetNow(POOLS, netuid);
        IAlphaPoolsTypes.PendingEmission memory pending = CoinbaseLib.splitPending(books);
        m.netuid = netuid;
        m.name = s.name;
        m.owner = s.owner;
        m.ownerHotkey = s.ownerHotkey;
        m.registeredAt = s.registeredAt;
        m.firstEmissionBlock = config.firstEmissionBlock;
        m.tempo = config.tempo;
        m.neurons = METAGRAPH.neuronCount(netuid);
        m.taoReserveRao = pool.taoRao;
        m.alphaReserveAlphaRao = pool.alphaRao;
        m.alphaOutstandingAlphaRao = books.alphaIssuanceRao - pool.alphaRao;
        m.spotPriceWad = PoolMath.spotPriceWad(pool.taoRao, pool.alphaRao);
        m.movingPriceWad = em.movingPriceWad;
        m.emissionShareWad =
            config.firstEmissionBlock == 0 || g.totalWeight == 0 ? 0 : (uint256(em.weight) * 1e18) / g.totalWeight;
        m.volumeRao = pool.volumeRao;
        m.pendingOwnerCutAlphaRao = pending.ownerCutAlphaRao;
        m.pendingServerAlphaRao = pending.serverAlphaRao;
        m.pendingValidatorAlphaRao = pending.validatorAlphaRao;
        m.pendingRootAlphaRao = pending.rootAlphaRao;
        m.lastAccrualBlock = pool.lastAccrualBlock;
        m.feeRateOf65535 = config.feeRateOf65535;
        m.minerBurnOf65535 = config.minerBurnOf65535;
        m.minStakeRao = config.minStakeRao;
        m.transfersEnabled = config.transfersEnabled;
    }

    /// @notice What staking `taoRao` on `netuid` returns now (the fee taken first).
    function quoteStake(uint16 netuid, uint256 taoRao) external view returns (uint256 alphaRao) {
        return PoolsView.quote(POOLS, netuid, taoRao, true);
    }

    /// @notice What unstaking `alphaRao` from `netuid` returns now (the fee taken first).
    function quoteUnstake(uint16 netuid, uint256 alphaRao) external view returns (uint256 taoRao) {
        return PoolsView.quote(POOLS, netuid, alphaRao, false);
    }
}
