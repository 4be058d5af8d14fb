// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AlphaPools} from "../model/AlphaPools.sol";
import {Metagraph} from "../model/Metagraph.sol";
import {SubnetRegistry} from "../model/SubnetRegistry.sol";
import {PoolMath} from "../libraries/PoolMath.sol";

/// @title MarketsLens
/// @notice Read-only aggregation for a markets page: every subnet with its pool, prices, emission share and volume,
/// in one call.
/// @dev Values are as of each subnet's last accrual (see IAlphaPools).
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
        uint256 alphaReserveRao;
        uint256 alphaOutstandingRao;
        uint256 spotPriceWad;
        uint256 movingPriceWad;
        uint256 emissionShareWad;
        uint256 volumeRao;
        uint256 pendingOwnerCut;
        uint256 pendingServer;
        uint256 pendingValidator;
        uint256 lastAccrualBlock;
        uint16 feeRate;
        uint256 minStakeRao;
    }

    AlphaPools public immutable POOLS;
    SubnetRegistry public immutable REGISTRY;
    Metagraph public immutable METAGRAPH;

    constructor(AlphaPools pools, SubnetRegistry registry, Metagraph metagraph) {
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

    function market(uint16 netuid) public view returns (SubnetMarket memory m) {
        SubnetRegistry.Subnet memory s = REGISTRY.subnet(netuid);
        AlphaPools.Pool memory pool = POOLS.poolState(netuid);
        AlphaPools.SubnetConfig memory config = POOLS.subnetConfig(netuid);
        AlphaPools.Bookkeeping memory book = POOLS.bookkeeping(netuid);
        m.netuid = netuid;
        m.name = s.name;
        m.owner = s.owner;
        m.ownerHotkey = s.ownerHotkey;
        m.registeredAt = s.registeredAt;
        m.firstEmissionBlock = config.firstEmissionBlock;
        m.tempo = config.tempo;
        m.neurons = METAGRAPH.neuronCount(netuid);
        m.taoReserveRao = pool.taoReserve;
        m.alphaReserveRao = pool.alphaReserve;
        m.alphaOutstandingRao = book.alphaIssuance - pool.alphaReserve;
        m.spotPriceWad = PoolMath.spotPriceWad(pool.taoReserve, pool.alphaReserve);
        m.movingPriceWad = POOLS.getMovingAlphaPrice(netuid);
        m.emissionShareWad = POOLS.emissionShareWad(netuid);
        m.volumeRao = pool.volume;
        m.pendingOwnerCut = book.ownerCut;
        m.pendingServer = book.server;
        m.pendingValidator = book.validator;
        m.lastAccrualBlock = pool.lastAccrualBlock;
        m.feeRate = config.feeRate;
        m.minStakeRao = config.minStake;
    }
}
