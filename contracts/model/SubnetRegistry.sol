// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ISubnetRegistry} from "../interfaces/ISubnetRegistry.sol";
import {EmissionMath} from "../libraries/EmissionMath.sol";
import {LockCostLib} from "../libraries/LockCostLib.sol";
import {UnitsLib} from "../libraries/UnitsLib.sol";
import {AlphaPools} from "./AlphaPools.sol";
import {Metagraph} from "./Metagraph.sol";

/// @title SubnetRegistry
/// @notice Registers subnets at subtensor's dynamic lock cost, keeps their owners, names and hyperparameters, and
/// prunes the weakest subnet when the subnet limit is reached.
/// @dev Simplifications: netuids are 1…255 (one bitmap word), there is no registration start block, and the new
/// subnet's emission starts when its owner calls `startCall` (no root toggle).
contract SubnetRegistry is ISubnetRegistry, AccessControl, ReentrancyGuardTransient {
    using Math for uint256;

    uint256 public constant MAX_NETUID = 255;
    uint256 public constant MAX_TEMPO = 50_400;
    uint256 public constant MAX_UIDS_LIMIT = 4096;
    uint256 public constant MAX_BONDS_MOVING_AVERAGE = 975_000;
    /// @dev subtensor's default `FeeRate` (33/65535 ≈ 0.05 %) and `DefaultMinStake` (0.002 TAO).
    uint16 public constant DEFAULT_FEE_RATE = 33;
    uint64 public constant DEFAULT_MIN_STAKE_RAO = 2_000_000;
    uint256 internal constant WAD = 1e18;

    AlphaPools public immutable POOLS;
    /// @notice Smallest tempo an owner may set (subtensor: 360; a local chain uses less).
    uint16 public immutable MIN_TEMPO;

    Metagraph public metagraph;

    uint64 public minLockRao;
    uint64 public lastLockRao;
    uint32 public lastLockBlock;
    uint32 public lockReductionInterval;
    uint32 public networkRateLimit;
    uint32 public networkImmunityPeriod;
    uint16 public subnetLimit;
    uint16 public subnetCount;
    /// @dev Bit i is set while netuid i is registered.
    uint256 internal _usedNetuids;

    mapping(uint16 netuid => Subnet) internal _subnets;
    mapping(uint16 netuid => Hyperparameters) internal _hyperparameters;
    Hyperparameters internal _defaults;

    constructor(
        address admin,
        AlphaPools pools,
        uint16 minTempo,
        uint64 minLockRao_,
        uint32 lockReductionInterval_,
        uint32 networkRateLimit_,
        uint32 networkImmunityPeriod_,
        uint16 subnetLimit_,
        Hyperparameters memory defaults
    ) {
        if (subnetLimit_ == 0 || subnetLimit_ > MAX_NETUID) revert InvalidHyperparameter("subnetLimit", subnetLimit_);
        if (lockReductionInterval_ == 0) revert InvalidHyperparameter("lockReductionInterval", 0);
        POOLS = pools;
        MIN_TEMPO = minTempo;
        minLockRao = minLockRao_;
        lockReductionInterval = lockReductionInterval_;
        networkRateLimit = networkRateLimit_;
        networkImmunityPeriod = networkImmunityPeriod_;
        subnetLimit = subnetLimit_;
        _checkHyperparameters(defaults);
        _defaults = defaults;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Wires the metagraph once (the two contracts refer to each other).
    function setMetagraph(Metagraph metagraph_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(metagraph) != address(0)) revert MetagraphAlreadySet(address(metagraph));
        metagraph = metagraph_;
    }

    /* REGISTRATION */

    /// @notice Registers a subnet: locks the current lock cost (sent as `msg.value`, the excess is refunded) in the
    /// new subnet's pool and makes the caller its owner, with `hotkey` as uid 0.
    /// @param maxLockRao the most the caller agrees to lock; protects against a registration landing first.
    function registerNetwork(
        bytes32 hotkey,
        string calldata name,
        uint256 maxLockRao
    ) external payable nonReentrant returns (uint16 netuid) {
        if (bytes(name).length == 0 || bytes(name).length > 32) revert InvalidName(bytes(name).length);
        if (lastLockBlock != 0 && block.number < uint256(lastLockBlock) + networkRateLimit) {
            revert NetworkRateLimited(uint256(lastLockBlock) + networkRateLimit);
        }
        uint256 lockRao = lockCost();
        if (lockRao > maxLockRao) revert LockCostAboveMax(lockRao, maxLockRao);
        uint256 sentRao = UnitsLib.toRaoExact(msg.value);
        if (sentRao < lockRao) revert InsufficientLock(sentRao, lockRao);

        netuid = subnetCount >= subnetLimit ? _prune() : _lowestFreeNetuid();
        uint256 alphaRao = lockRao.mulDiv(WAD, _medianPriceWad());
        bytes32 coldkey = POOLS.coldkeyOf(msg.sender);
        Hyperparameters memory hp = _defaults;
        _hyperparameters[netuid] = hp;
        uint32 generation = _subnets[netuid].generation + 1;
        _subnets[netuid] = Subnet({
            owner: msg.sender,
            ownerColdkey: coldkey,
            ownerHotkey: hotkey,
            lockedRao: uint64(lockRao),
            registeredAt: uint32(block.number),
            generation: generation,
            name: name
        });
        _usedNetuids |= 1 << netuid;
        subnetCount += 1;
        lastLockRao = uint64(lockRao);
        lastLockBlock = uint32(block.number);

        POOLS.openSubnet{value: UnitsLib.toWei(lockRao)}(
            netuid,
            hotkey,
            coldkey,
            alphaRao,
            hp.tempo,
            DEFAULT_FEE_RATE,
            DEFAULT_MIN_STAKE_RAO
        );
        metagraph.openSubnet(netuid, hotkey, coldkey);
        emit RegisterNetwork(netuid, msg.sender, coldkey, hotkey, lockRao, alphaRao, name);

        if (sentRao > lockRao) {
            (bool ok, ) = msg.sender.call{value: UnitsLib.toWei(sentRao - lockRao)}("");
            if (!ok) revert RefundFailed(msg.sender, UnitsLib.toWei(sentRao - lockRao));
        }
    }

    /// @notice The owner starts the subnet's emission (subtensor's `start_call`).
    function startCall(uint16 netuid) external {
        _onlyOwner(netuid);
        POOLS.startEmission(netuid);
        emit StartCall(netuid);
    }

    /// @notice The lock cost of the next registration, in rao.
    function lockCost() public view returns (uint256) {
        uint256 blockEmission = EmissionMath.blockEmission(POOLS.globalEmission().scheduledIssuance);
        return
            LockCostLib.lockCost(
                minLockRao,
                lastLockRao,
                lastLockBlock,
                block.number,
                (uint256(lockReductionInterval) * blockEmission) / EmissionMath.INITIAL_BLOCK_EMISSION
            );
    }

    /* HYPERPARAMETERS */

    /// @notice The owner sets the subnet's hyperparameters, within subtensor's bounds.
    function setHyperparameters(uint16 netuid, Hyperparameters calldata hp) external {
        _onlyOwner(netuid);
        _checkHyperparameters(hp);
        _hyperparameters[netuid] = hp;
        AlphaPools.SubnetConfig memory config = POOLS.subnetConfig(netuid);
        POOLS.setPoolParams(netuid, config.feeRate, config.minStake, hp.tempo);
        emit SetHyperparameters(netuid, hp);
    }

    /// @notice The admin (root on subtensor) sets a pool's fee and minimum stake.
    function setPoolFees(uint16 netuid, uint16 feeRate, uint64 minStakeRao) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _requireActive(netuid);
        POOLS.setPoolParams(netuid, feeRate, minStakeRao, _hyperparameters[netuid].tempo);
        emit SetPoolFees(netuid, feeRate, minStakeRao);
    }

    /* VIEWS */

    function hyperparameters(uint16 netuid) external view returns (Hyperparameters memory) {
        return _hyperparameters[netuid];
    }

    function defaultHyperparameters() external view returns (Hyperparameters memory) {
        return _defaults;
    }

    function subnet(uint16 netuid) external view returns (Subnet memory) {
        return _subnets[netuid];
    }

    function isActive(uint16 netuid) public view returns (bool) {
        return netuid != 0 && netuid <= MAX_NETUID && (_usedNetuids >> netuid) & 1 == 1;
    }

    function ownerHotkey(uint16 netuid) external view returns (bytes32) {
        return _subnets[netuid].ownerHotkey;
    }

    function subnetOwner(uint16 netuid) external view returns (address) {
        return _subnets[netuid].owner;
    }

    /// @notice Registered netuids in increasing order (at most 255).
    function activeNetuids() public view returns (uint16[] memory netuids) {
        netuids = new uint16[](subnetCount);
        uint256 used = _usedNetuids;
        uint256 k;
        for (uint256 i = 1; i <= MAX_NETUID && k < netuids.length; ++i) {
            if ((used >> i) & 1 == 1) netuids[k++] = uint16(i);
        }
    }

    /// @notice The subnet that a registration at the limit would prune now, or 0 if every subnet is immune.
    function pruneCandidate() public view returns (uint16 candidate, uint256 lowestPriceWad) {
        uint16[] memory netuids = activeNetuids();
        lowestPriceWad = type(uint256).max;
        for (uint256 i; i < netuids.length; ++i) {
            Subnet storage s = _subnets[netuids[i]];
            if (block.number < uint256(s.registeredAt) + networkImmunityPeriod) continue;
            uint256 price = POOLS.getMovingAlphaPrice(netuids[i]);
            // Lowest moving price; ties go to the earliest registration.
            if (
                price < lowestPriceWad || (price == lowestPriceWad && s.registeredAt < _subnets[candidate].registeredAt)
            ) {
                (candidate, lowestPriceWad) = (netuids[i], price);
            }
        }
    }

    /* INTERNAL */

    /// @dev Moving prices are as of each subnet's last accrual; epoch settlement touches every subnet each tempo.
    function _prune() internal returns (uint16 netuid) {
        uint256 price;
        (netuid, price) = pruneCandidate();
        if (netuid == 0) revert SubnetLimitReached(subnetLimit);
        uint32 generation = POOLS.dissolveSubnet(netuid);
        _usedNetuids &= ~(uint256(1) << netuid);
        subnetCount -= 1;
        emit PruneNetwork(netuid, generation, price);
    }

    function _lowestFreeNetuid() internal view returns (uint16) {
        uint256 used = _usedNetuids;
        for (uint256 i = 1; i <= MAX_NETUID; ++i) {
            if ((used >> i) & 1 == 0) return uint16(i);
        }
        revert SubnetLimitReached(MAX_NETUID);
    }

    /// @dev subtensor starts a new subnet at the median spot price of the existing ones (1 TAO if there are none).
    function _medianPriceWad() internal view returns (uint256) {
        uint16[] memory netuids = activeNetuids();
        uint256 n = netuids.length;
        if (n == 0) return WAD;
        uint256[] memory prices = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 price = POOLS.getAlphaPrice(netuids[i]);
            // Insertion sort: n ≤ 255 and registration is rare.
            uint256 j = i;
            while (j > 0 && prices[j - 1] > price) {
                prices[j] = prices[j - 1];
                --j;
            }
            prices[j] = price;
        }
        uint256 median = n % 2 == 1 ? prices[n / 2] : (prices[n / 2 - 1] + prices[n / 2]) / 2;
        return median == 0 ? WAD : median;
    }

    function _checkHyperparameters(Hyperparameters memory hp) internal view {
        if (hp.tempo < MIN_TEMPO || hp.tempo > MAX_TEMPO) revert InvalidHyperparameter("tempo", hp.tempo);
        if (hp.maxUids == 0 || hp.maxUids > MAX_UIDS_LIMIT) revert InvalidHyperparameter("maxUids", hp.maxUids);
        if (hp.maxValidators > hp.maxUids) revert InvalidHyperparameter("maxValidators", hp.maxValidators);
        if (hp.bondsMovingAverage > MAX_BONDS_MOVING_AVERAGE) {
            revert InvalidHyperparameter("bondsMovingAverage", hp.bondsMovingAverage);
        }
        if (hp.minBurnRao > hp.maxBurnRao) revert InvalidHyperparameter("minBurnRao", hp.minBurnRao);
        if (hp.targetRegistrationsPerInterval == 0) revert InvalidHyperparameter("targetRegistrationsPerInterval", 0);
        if (hp.adjustmentInterval == 0) revert InvalidHyperparameter("adjustmentInterval", 0);
        if (hp.activityCutoff == 0) revert InvalidHyperparameter("activityCutoff", 0);
    }

    function _onlyOwner(uint16 netuid) internal view {
        _requireActive(netuid);
        if (_subnets[netuid].owner != msg.sender) revert NotSubnetOwner(netuid, msg.sender);
    }

    function _requireActive(uint16 netuid) internal view {
        if (!isActive(netuid)) revert UnknownSubnet(netuid);
    }
}
