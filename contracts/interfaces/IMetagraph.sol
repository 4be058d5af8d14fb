// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IHotkeys} from "./IHotkeys.sol";
import {ISubnetRegistry} from "./ISubnetRegistry.sol";

/// @title IMetagraph
/// @notice Hotkeys (owner coldkey, validator take) and the neurons of every subnet: registration by burning TAO,
/// replacement of the weakest neuron when a subnet is full, validator permits and per-uid emission as the epochs
/// record them, and weights as calldata plus an on-chain commitment.
/// @dev Warning: weights are not stored. `setWeights` keeps a commitment (hash, last-update block) and emits the full
/// vector, so a keeper rebuilds the weight matrix from `WeightsSet` logs and checks it against `weightsCommitment`.
/// @dev Warning: registering a hotkey proves control of it. A new hotkey is either the caller's own account id, or
/// its EVM account approved the caller's coldkey first (`approveHotkeyOwner`); nobody can take another's hotkey.
interface IMetagraph is IHotkeys {
    /// @notice One neuron with what a keeper's snapshot needs: its stake on the subnet and on root (a validator's
    /// stake weight is alpha stake + TAO weight × root stake).
    struct NeuronView {
        uint16 uid;
        bytes32 hotkey;
        bytes32 coldkey;
        uint64 emissionAlphaRao; // the last epoch's emission, the replacement order
        uint32 registeredAt;
        uint32 lastUpdate; // block of the last weights (or of registration)
        bool validatorPermit;
        uint256 alphaStakeRao;
        uint256 rootStakeRao;
    }

    /// @notice A pending weights commit, with the reveal window fixed when it was made.
    struct WeightsCommit {
        bytes32 hash;
        uint32 revealFrom;
        uint32 revealUntil; // inclusive
    }

    event NeuronRegistered(
        uint16 indexed netuid,
        uint16 indexed uid,
        bytes32 indexed hotkey,
        bytes32 coldkey,
        uint256 burnRao,
        bytes32 replacedHotkey
    );
    event WeightsSet(
        uint16 indexed netuid,
        uint16 indexed uid,
        bytes32 indexed hotkey,
        uint16[] uids,
        uint16[] values,
        uint64 versionKey
    );
    event WeightsCommitted(
        uint16 indexed netuid,
        uint16 indexed uid,
        bytes32 indexed hotkey,
        bytes32 hash,
        uint256 revealFrom,
        uint256 revealUntil
    );
    event ValidatorPermitsSet(uint16 indexed netuid, uint32 generation, uint256[] permitWords);
    event SubnetReset(uint16 indexed netuid, uint32 generation);
    event HotkeyOwnerApproved(bytes32 indexed hotkey, bytes32 indexed coldkey);
    event HotkeyRegistered(bytes32 indexed hotkey, bytes32 indexed coldkey);
    event TakeSet(bytes32 indexed hotkey, uint16 takeOf65535);

    error UnknownSubnet(uint16 netuid);
    error StaleGeneration(uint16 netuid, uint32 generation, uint32 currentGeneration);
    error HotkeyAlreadyRegistered(uint16 netuid, bytes32 hotkey, uint16 uid);
    error HotkeyOwnedByOther(bytes32 hotkey, bytes32 owner);
    error HotkeyNotControlled(bytes32 hotkey, bytes32 coldkey);
    error HotkeyNotRegistered(bytes32 hotkey);
    error BurnAboveMax(uint256 burnRao, uint256 maxBurnRao);
    error InsufficientBurn(uint256 sentRao, uint256 burnRao);
    error NoPrunableNeuron(uint16 netuid);
    error NotRegistered(uint16 netuid, bytes32 hotkey);
    error LengthMismatch(uint256 uids, uint256 values);
    error UidOutOfRange(uint16 uid, uint256 n);
    error DuplicateUid(uint16 uid);
    error IncorrectVersionKey(uint64 given, uint64 required);
    error NoValidatorPermit(uint16 netuid, uint16 uid);
    error WeightsRateLimited(uint16 netuid, uint16 uid, uint256 nextAllowedBlock);
    error CommitRevealEnabled(uint16 netuid);
    error CommitRevealDisabled(uint16 netuid);
    error NoWeightsCommit(uint16 netuid, uint16 uid);
    error RevealTooEarly(uint16 netuid, uint16 uid, uint256 firstBlock);
    error RevealExpired(uint16 netuid, uint16 uid, uint256 lastBlock);
    error RevealMismatch(uint16 netuid, uint16 uid);
    error TakeNotHigher(uint16 takeOf65535, uint16 currentOf65535);
    error TakeNotLower(uint16 takeOf65535, uint16 currentOf65535);
    error TakeAboveMax(uint16 takeOf65535, uint16 maxOf65535);
    error TakeRateLimited(bytes32 hotkey, uint256 nextAllowedBlock);
    error PermitWordsMismatch(uint256 words, uint256 expected);
    error TaoTransferFailed(address to, uint256 amountWei);

    /* SUBNETS */

    /// @notice Starts a new (or reused) netuid with its owner's hotkey as uid 0. Only the registry calls this.
    function openSubnet(uint16 netuid, bytes32 ownerHotkey, bytes32 ownerColdkey) external;

    /// @notice Places imported neurons (`ISubnetRegistry.importSubnet`, `importNeurons`) at the next uids, the
    /// owner's first; `opening` starts the subnet afresh before its first batch. Each hotkey is recorded as its
    /// coldkey's (a genesis proves nothing; a hotkey another coldkey owns is refused), each permit as given. Only the
    /// registry calls this.
    function importNeurons(uint16 netuid, bool opening, ISubnetRegistry.GenesisNeuron[] calldata imported) external;

    /* HOTKEYS */

    /// @notice Called by the EVM account whose account id is a hotkey: lets `coldkey` register that hotkey (become
    /// its owner). Needed once, before the first registration of a hotkey the caller's coldkey does not equal.
    function approveHotkeyOwner(bytes32 coldkey) external;

    /// @notice The hotkey's owner raises its take (subtensor's `increase_take`): at most the maximum, and at most
    /// once per take rate limit.
    function increaseTake(bytes32 hotkey, uint16 takeOf65535) external;

    /// @notice The hotkey's owner lowers its take (subtensor's `decrease_take`); it restarts the rate limit of
    /// increases.
    function decreaseTake(bytes32 hotkey, uint16 takeOf65535) external;

    /* NEURONS */

    /// @notice Registers `hotkey` on `netuid` by burning the current burn (sent as `msg.value`; the excess is
    /// refunded). The burned TAO buys alpha that is destroyed. A full subnet replaces its weakest neuron.
    function burnedRegister(uint16 netuid, bytes32 hotkey, uint256 maxBurnRao) external payable returns (uint16 uid);

    /// @notice Registers `hotkey` for `coldkey` on behalf of a trusted origin (the Neuron precompile adapter, whose
    /// caller is the coldkey); the origin pays the burn and receives any excess.
    function burnedRegisterFor(
        bytes32 coldkey,
        uint16 netuid,
        bytes32 hotkey,
        uint256 maxBurnRao
    ) external payable returns (uint16 uid);

    /// @notice Sets the caller's weights on `netuid`; the caller's hotkey is its mapped account id.
    function setWeights(uint16 netuid, uint16[] calldata uids, uint16[] calldata values, uint64 versionKey) external;

    /// @notice Commits hash = keccak256(abi.encode(hotkey, netuid, uids, values, salt, versionKey)); it can be
    /// revealed during the tempo that follows the commit's tempo, a window fixed now.
    function commitWeights(uint16 netuid, bytes32 hash) external;

    function revealWeights(
        uint16 netuid,
        uint16[] calldata uids,
        uint16[] calldata values,
        bytes32 salt,
        uint64 versionKey
    ) external;

    /* EPOCH RESULTS (settlement) */

    /// @notice Records the validator permits an epoch computed, as a bitmap (bit uid of word uid / 256). The words
    /// cover the uids of the epoch's snapshot; words for uids registered since are cleared (no permit).
    /// @dev The uids (re)registered after `snapshotBlock` keep no permit: the epoch computed it for another neuron.
    function setValidatorPermits(
        uint16 netuid,
        uint32 generation,
        uint256 snapshotBlock,
        uint256[] calldata permitWords
    ) external;

    /// @notice The settlement's one call per paid uid: records the emission an epoch gave `uid` (the order in which
    /// full subnets replace neurons) while the uid still holds `hotkey`, and returns the hotkey's owner, whom the
    /// payout credits.
    function recordPayout(
        uint16 netuid,
        uint32 generation,
        uint16 uid,
        bytes32 hotkey,
        uint64 emissionAlphaRao
    ) external returns (bytes32 owner);

    /* VIEWS */

    function neuronCount(uint16 netuid) external view returns (uint16);

    function generationOf(uint16 netuid) external view returns (uint32);

    function uidOf(uint16 netuid, bytes32 hotkey) external view returns (bool registered, uint16 uid);

    function hotkeyOf(uint16 netuid, uint16 uid) external view returns (bytes32);

    function hasValidatorPermit(uint16 netuid, uint16 uid) external view returns (bool);

    /// @notice keccak256(abi.encode(uids, values)) of the uid's last weights, zero if none.
    function weightsCommitment(uint16 netuid, uint16 uid) external view returns (bytes32);

    function pendingCommit(uint16 netuid, uint16 uid) external view returns (WeightsCommit memory);

    /// @notice The burn a registration would pay now.
    function burnCost(uint16 netuid) external view returns (uint256 burnRao);

    /// @notice Neurons `from` to `from + count` (clamped), with stakes and permits: one call for a keeper or a page.
    function neurons(uint16 netuid, uint16 from, uint16 count) external view returns (NeuronView[] memory);
}
