// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ISubnetRegistry
/// @notice Subnet registration at the dynamic lock cost, subnet owners and names, every per-netuid setting, pruning
/// at the subnet limit and the refunds of pruned subnets.
/// @dev Warning: `Hyperparameters` and the pool settings are the only per-netuid settings of the model. A
/// registration resets every one of them to the defaults (nothing of a pruned subnet survives on its netuid); the
/// other contracts key their own per-netuid state by the subnet's generation.
interface ISubnetRegistry {
    /// @notice A subnet's settings, with subtensor's names and units. The owner sets them within bounds.
    struct Hyperparameters {
        uint16 tempo; // blocks between epochs
        uint16 maxUids; // MaxAllowedUids
        uint16 maxValidators; // MaxAllowedValidators: the k of the validator permits
        uint16 kappaOf65535; // Kappa
        uint32 bondsMovingAveragePpm; // BondsMovingAverage, parts per million
        uint16 bondsPenaltyOf65535; // BondsPenalty
        bool yuma3; // Yuma3On
        bool liquidAlpha; // LiquidAlphaOn
        uint16 alphaLowOf65535; // AlphaValues (low)
        uint16 alphaHighOf65535; // AlphaValues (high)
        int16 alphaSigmoidSteepness; // AlphaSigmoidSteepness
        uint16 activityCutoff; // blocks after which a validator's weights no longer count
        uint32 immunityPeriod; // blocks a new neuron cannot be replaced
        uint32 weightsRateLimit; // blocks between two weight settings of one uid
        uint64 weightsVersionKey; // minimum version key of setWeights
        bool commitReveal; // CommitRevealWeightsEnabled: weights are committed, then revealed a tempo later
        bool transfersEnabled; // TransferToggle: stake may change coldkey
        uint64 minBurnRao; // MinBurn: neuron registration burn bounds
        uint64 maxBurnRao; // MaxBurn
        uint16 burnHalfLife; // BurnHalfLife: blocks for the registration burn to halve
        uint64 burnIncreaseMultWad; // BurnIncreaseMult × 1e18: the burn's factor after each registration
    }

    /// @notice Settings that root (the admin) sets, not the owner.
    struct PoolSettings {
        uint16 feeRateOf65535; // FeeRate
        uint64 minStakeRao; // DefaultMinStake
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

    /// @notice A neuron of a subnet imported at genesis (`importSubnet`): its uid is its index in the list, the
    /// first being the owner's.
    struct GenesisNeuron {
        bytes32 hotkey;
        bytes32 coldkey;
        uint64 stakeAlphaRao; // alpha staked on the hotkey, owned by the coldkey
        bool validatorPermit;
    }

    /// @notice The TAO set aside for the stakers of a pruned subnet instance, refunded pro rata to their alpha.
    struct Refund {
        uint64 potRao;
        uint64 stakedAlphaRao;
        uint64 paidRao;
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
    event PruneNetwork(uint16 indexed netuid, uint32 generation, uint256 movingPriceWad, uint256 refundPotRao);
    event SetHyperparameters(uint16 indexed netuid, Hyperparameters hyperparameters);
    event SetPoolSettings(uint16 indexed netuid, PoolSettings settings);
    event StartCall(uint16 indexed netuid);
    event ImportSubnet(
        uint16 indexed netuid,
        address indexed owner,
        bytes32 ownerColdkey,
        bytes32 ownerHotkey,
        uint256 taoRao,
        uint256 alphaRao,
        uint256 movingPriceWad,
        uint256 neurons,
        string name
    );
    event ImportNeurons(uint16 indexed netuid, uint256 firstUid, uint256 neurons);
    event CloseGenesis(uint256 importedSubnets);
    event ClaimRefund(
        uint16 indexed netuid,
        uint32 indexed generation,
        bytes32 indexed coldkey,
        bytes32 hotkey,
        uint256 taoRao
    );

    error InvalidName(uint256 length);
    error LockCostAboveMax(uint256 lockCostRao, uint256 maxLockRao);
    error InsufficientLock(uint256 sentRao, uint256 lockCostRao);
    error NetworkRateLimited(uint256 nextAllowedBlock);
    error SubnetLimitReached(uint256 limit);
    error UnknownSubnet(uint16 netuid);
    error NotSubnetOwner(uint16 netuid, address caller);
    error InvalidHyperparameter(string name, uint256 value);
    error MetagraphAlreadySet(address metagraph);
    error RefundNotAvailable(uint16 netuid, uint32 generation);
    error NothingToRefund(uint16 netuid, uint32 generation);
    error TaoTransferFailed(address to, uint256 amountWei);
    error GenesisClosed();
    error GenesisNotClosed();
    error InvalidNetuid(uint16 netuid);
    error NetuidTaken(uint16 netuid);
    error MovingPriceAboveOne(uint256 movingPriceWad);
    error InvalidNeuronCount(uint256 neurons, uint256 maxUids);
    error NotImported(uint16 netuid);
    /// @dev Raised by the metagraph when the owner's hotkey is registered; declared here so that a client holding
    /// only this contract's ABI can decode them.
    error HotkeyNotControlled(bytes32 hotkey, bytes32 coldkey);
    error HotkeyOwnedByOther(bytes32 hotkey, bytes32 owner);

    /// @notice Registers a subnet: locks the current lock cost (sent as `msg.value`, the excess is refunded) in the
    /// new subnet's pool and makes the caller its owner, with `hotkey` as uid 0. At the subnet limit, the non-immune
    /// subnet with the lowest moving price (as of this block) is pruned first and its netuid reused.
    /// @param maxLockRao the most the caller agrees to lock; protects against a registration landing first
    function registerNetwork(
        bytes32 hotkey,
        string calldata name,
        uint256 maxLockRao
    ) external payable returns (uint16 netuid);

    /// @notice The owner starts the subnet's emission (subtensor's `start_call`); staking opens with it. An imported
    /// subnet's emission starts when the genesis closes instead.
    function startCall(uint16 netuid) external;

    /// @notice Imports a subnet as it stands on another chain, as a chain's genesis does (GENESIS_ROLE, while the
    /// genesis is open): its pool with `msg.value` as the TAO reserve and `alphaReserveRao` alpha, its neurons with
    /// their keys, permits and stake (the stake is issued alpha, as on the chain), and its moving price, from which
    /// its emission starts when the genesis closes. The default settings apply; `lockedRao` is 0.
    /// @dev Warning: the importer writes state that no trade produced. The genesis closes for good at `closeGenesis`
    /// or at the first `registerNetwork`, whichever comes first, so nothing can be imported into a running economy.
    function importSubnet(
        uint16 netuid,
        address owner,
        string calldata name,
        uint256 alphaReserveRao,
        uint64 movingPriceWad,
        GenesisNeuron[] calldata neurons
    ) external payable;

    /// @notice Imports more neurons of a subnet `importSubnet` imported (GENESIS_ROLE, while the genesis is open), at
    /// the next uids, with their keys, permits and stake: a subnet of hundreds of neurons takes several transactions
    /// (a transaction's gas is capped).
    function importNeurons(uint16 netuid, GenesisNeuron[] calldata neurons) external;

    /// @notice Ends the genesis (GENESIS_ROLE): the imported subnets' emission starts from the next block, from their
    /// imported moving prices, all in the same block. One way: nothing can be imported afterwards.
    function closeGenesis() external;

    /// @notice Whether the genesis is over: imports are closed.
    function genesisClosed() external view returns (bool);

    function setHyperparameters(uint16 netuid, Hyperparameters calldata hyperparameters) external;

    /// @notice Claims the TAO refund of the caller's position on `hotkey` in a pruned subnet instance.
    function claimRefund(bytes32 hotkey, uint16 netuid, uint32 generation) external returns (uint256 taoRao);

    /// @notice Pays `account`'s refund of a pruned subnet instance to `account` itself, without calling it (as the
    /// chain credits a dissolved subnet's stakers' balances directly). Anyone may call it, for instance for a vault.
    function claimRefundTo(
        address account,
        bytes32 hotkey,
        uint16 netuid,
        uint32 generation
    ) external returns (uint256 taoRao);

    /// @notice The lock cost of the next registration, in rao.
    function lockCost() external view returns (uint256);

    function hyperparameters(uint16 netuid) external view returns (Hyperparameters memory);

    function defaultHyperparameters() external view returns (Hyperparameters memory);

    function subnet(uint16 netuid) external view returns (Subnet memory);

    function isActive(uint16 netuid) external view returns (bool);

    /// @notice The block at which the subnet now on `netuid` was registered, 0 when none is: what identifies a subnet
    /// instance, read with two storage reads (`subnet` copies the whole record, its name included).
    function registeredAt(uint16 netuid) external view returns (uint64);

    function ownerHotkey(uint16 netuid) external view returns (bytes32);

    /// @notice The owner's hotkey and coldkey of the subnet on `netuid` (where its owner cut is staked), with two
    /// storage reads.
    function ownerKeys(uint16 netuid) external view returns (bytes32 hotkey, bytes32 coldkey);

    /// @notice The EVM account that manages `netuid`.
    function subnetOwner(uint16 netuid) external view returns (address);

    function subnetCount() external view returns (uint16);

    /// @notice Registered netuids in increasing order (at most 255).
    function activeNetuids() external view returns (uint16[] memory);

    /// @notice The subnet a registration at the limit would prune now, with its moving price as of this block, or
    /// netuid 0 if every subnet is immune.
    function pruneCandidate() external view returns (uint16 netuid, uint256 movingPriceWad);

    /// @notice A pruned position's alpha and the TAO it can claim.
    function refundOf(
        bytes32 hotkey,
        bytes32 coldkey,
        uint16 netuid,
        uint32 generation
    ) external view returns (uint256 taoRao);
}
