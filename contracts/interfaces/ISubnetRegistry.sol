// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ISubnetRegistry
/// @notice Subnet registration at the dynamic lock cost, subnet owners and names, hyperparameters, and pruning at
/// the subnet limit.
interface ISubnetRegistry {
    /// @notice A subnet's hyperparameters, with subtensor's names and units.
    struct Hyperparameters {
        uint16 tempo; // blocks between epochs
        uint16 maxUids; // MaxAllowedUids
        uint16 maxValidators; // MaxAllowedValidators: the k of the validator permits
        uint16 kappa; // of 65535
        uint32 bondsMovingAverage; // ppm
        uint32 immunityPeriod; // blocks a new neuron cannot be replaced
        uint32 weightsRateLimit; // blocks between two weight settings of one uid
        uint64 weightsVersionKey; // minimum version key of setWeights
        uint16 activityCutoff; // blocks after which a validator's weights no longer count
        bool yuma3;
        bool liquidAlpha;
        uint64 minBurnRao; // neuron registration burn bounds
        uint64 maxBurnRao;
        uint16 targetRegistrationsPerInterval;
        uint16 adjustmentInterval; // blocks between burn adjustments
    }

    struct Subnet {
        address owner; // the EVM account that manages the subnet
        bytes32 ownerColdkey;
        bytes32 ownerHotkey;
        uint64 lockedRao;
        uint32 registeredAt;
        uint32 generation;
        string name;
    }

    event RegisterNetwork(
        uint16 indexed netuid,
        address indexed owner,
        bytes32 ownerColdkey,
        bytes32 ownerHotkey,
        uint256 lockRao,
        uint256 alphaRao,
        string name
    );
    event PruneNetwork(uint16 indexed netuid, uint32 generation, uint256 movingPriceWad);
    event SetHyperparameters(uint16 indexed netuid, Hyperparameters hyperparameters);
    event SetPoolFees(uint16 indexed netuid, uint16 feeRate, uint64 minStakeRao);
    event StartCall(uint16 indexed netuid);

    error InvalidName(uint256 length);
    error LockCostAboveMax(uint256 lockCostRao, uint256 maxLockRao);
    error InsufficientLock(uint256 sentRao, uint256 lockCostRao);
    error NetworkRateLimited(uint256 nextAllowedBlock);
    error SubnetLimitReached(uint256 limit);
    error UnknownSubnet(uint16 netuid);
    error NotSubnetOwner(uint16 netuid, address caller);
    error InvalidHyperparameter(string name, uint256 value);
    error MetagraphAlreadySet(address metagraph);
    error RefundFailed(address to, uint256 amountWei);

    function hyperparameters(uint16 netuid) external view returns (Hyperparameters memory);

    function isActive(uint16 netuid) external view returns (bool);

    function ownerHotkey(uint16 netuid) external view returns (bytes32);

    /// @notice The EVM account that manages `netuid`.
    function subnetOwner(uint16 netuid) external view returns (address);

    function subnetCount() external view returns (uint16);

    function activeNetuids() external view returns (uint16[] memory);
}
