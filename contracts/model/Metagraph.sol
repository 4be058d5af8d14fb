// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IAlphaPools} from "../interfaces/IAlphaPools.sol";
import {IAlphaPoolsHooks} from "../interfaces/IAlphaPoolsHooks.sol";
import {IHotkeys} from "../interfaces/IHotkeys.sol";
import {IMetagraph} from "../interfaces/IMetagraph.sol";
import {ISubnetRegistry} from "../interfaces/ISubnetRegistry.sol";
import {BurnMath} from "../libraries/BurnMath.sol";
import {UnitsLib} from "../libraries/UnitsLib.sol";

/// @title Metagraph
/// @notice Hotkeys (owner, validator take) and the neurons of every subnet: registration by burning TAO at
/// subtensor's decaying burn, replacement of the weakest neuron when the subnet is full, validator permits and
/// emissions as the epochs record them, and weights as calldata plus an on-chain commitment.
/// @dev Simplifications: immune neurons are never replaced (subtensor may replace them when too few non-immune uids
/// remain), and a hotkey proves control through the EVM account it maps from (a plain EVM cannot verify the chain's
/// sr25519 signatures).
contract Metagraph is IMetagraph, AccessControl, ReentrancyGuardTransient {
    using SafeCast for uint256;

    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");
    bytes32 public constant ORIGIN_ROLE = keccak256("ORIGIN_ROLE");
    uint16 internal constant ROOT_NETUID = 0;
    uint16 internal constant OWNER_UID = 0;

    IAlphaPools public immutable POOLS;
    ISubnetRegistry public immutable REGISTRY;
    /// @notice The burn a new subnet starts with (subtensor's `DefaultNeuronBurnCost`, 1 TAO), clamped to its bounds.
    uint64 public immutable INITIAL_BURN_RAO;
    /// @notice subtensor's `DefaultDelegateTake` (the take of a hotkey that never set one) and `MaxDelegateTake`.
    uint16 public immutable DEFAULT_TAKE_OF_65535;
    uint16 public immutable MAX_TAKE_OF_65535;
    /// @notice subtensor's `TxDelegateTakeRateLimit`: blocks between a take change and the next increase.
    uint32 public immutable TAKE_RATE_LIMIT_BLOCKS;

    struct SubnetState {
        uint32 generation;
        uint16 n;
        uint64 burnRao; // the burn as of `burnUpdatedAt`, before the decay since
        uint32 burnUpdatedAt; // the burn changes at each placement of a neuron: also the last one's block
        bool active;
    }

    struct NeuronState {
        uint64 emissionAlphaRao;
        uint32 registeredAt;
        uint32 lastUpdate;
    }

    struct Delegate {
        uint16 takeOf65535;
        bool set; // false: the default take applies
        uint32 lastChangeBlock;
    }

    mapping(uint16 netuid => SubnetState) internal _subnets;
    /// @dev Keyed by subnet instance (generation << 16 | netuid), so a reused netuid starts empty.
    mapping(uint48 instance => mapping(uint16 uid => bytes32)) internal _hotkeys;
    mapping(uint48 instance => mapping(uint16 uid => NeuronState)) internal _neurons;
    mapping(uint48 instance => mapping(bytes32 hotkey => uint16)) internal _uidPlusOne;
    mapping(uint48 instance => mapping(uint256 word => uint256)) internal _permitWords;
    mapping(uint48 instance => mapping(uint16 uid => bytes32)) internal _weightsCommitments;
    mapping(uint48 instance => mapping(uint16 uid => WeightsCommit)) internal _pendingCommits;

    /// @dev subtensor's `Owner` and `Delegates`, and the coldkey each hotkey has approved as its owner-to-be.
    mapping(bytes32 hotkey => bytes32 coldkey) internal _owners;
    mapping(bytes32 hotkey => Delegate) internal _delegates;
    mapping(bytes32 hotkey => bytes32 coldkey) internal _approvedOwners;

    /// @dev Opening and importing subnets are the registry's: no role, its address (reported as role 0).
    modifier onlyRegistry() {
        if (msg.sender != address(REGISTRY)) revert AccessControlUnauthorizedAccount(msg.sender, bytes32(0));
        _;
    }

    constructor(
        address admin,
        IAlphaPools pools,
        ISubnetRegistry registry,
        uint64 initialBurnRao,
        uint16 defaultTakeOf65535,
        uint16 maxTakeOf65535,
        uint32 takeRateLimitBlocks
    ) {
        if (defaultTakeOf65535 > maxTakeOf65535) revert TakeAboveMax(defaultTakeOf65535, maxTakeOf65535);
        POOLS = pools;
        REGISTRY = registry;
        INITIAL_BURN_RAO = initialBurnRao;
        DEFAULT_TAKE_OF_65535 = defaultTakeOf65535;
        MAX_TAKE_OF_65535 = maxTakeOf65535;
        TAKE_RATE_LIMIT_BLOCKS = takeRateLimitBlocks;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /* SUBNETS */

    /// @inheritdoc IMetagraph
    function openSubnet(uint16 netuid, bytes32 ownerHotkey, bytes32 ownerColdkey) external onlyRegistry {
        uint48 instance = _openSubnet(netuid, 1);
        _claimHotkey(ownerHotkey, ownerColdkey);
        _place(instance, OWNER_UID, ownerHotkey);
        // subtensor always gives the owner's uid a permit.
        _permitWords[instance][0] = 1;
        emit NeuronRegistered(netuid, OWNER_UID, ownerHotkey, ownerColdkey, 0, bytes32(0));
    }

    /// @inheritdoc IMetagraph
    function importNeurons(
        uint16 netuid,
        bool opening,
        ISubnetRegistry.GenesisNeuron[] calldata imported
    ) external onlyRegistry {
        uint48 instance;
        uint256 firstUid;
        if (opening) {
            instance = _openSubnet(netuid, imported.length);
        } else {
            SubnetState memory s = _activeSubnet(netuid);
            firstUid = s.n;
            s.n = (firstUid + imported.length).toUint16();
            _subnets[netuid] = s;
            instance = _instance(netuid, s.generation);
        }
        for (uint256 i; i < imported.length; ++i) {
            (bytes32 hotkey, bytes32 coldkey) = (imported[i].hotkey, imported[i].coldkey);
            bytes32 owner = _owners[hotkey];
            if (owner == bytes32(0)) {
                _owners[hotkey] = coldkey;
                emit HotkeyRegistered(hotkey, coldkey);
            } else if (owner != coldkey) {
                revert HotkeyOwnedByOther(hotkey, owner);
            }
            uint16 registered = _uidPlusOne[instance][hotkey];
            if (registered != 0) revert HotkeyAlreadyRegistered(netuid, hotkey, registered - 1);
            uint16 uid = uint16(firstUid + i); // below maxUids, which the registry checked
            _place(instance, uid, hotkey);
            if (imported[i].validatorPermit) _setPermit(instance, uid, true);
            emit NeuronRegistered(netuid, uid, hotkey, coldkey, 0, bytes32(0));
        }
    }

    /* HOTKEYS */

    /// @inheritdoc IMetagraph
    function approveHotkeyOwner(bytes32 coldkey) external {
        bytes32 hotkey = POOLS.coldkeyOf(msg.sender);
        bytes32 owner = _owners[hotkey];
        if (owner != bytes32(0)) revert HotkeyOwnedByOther(hotkey, owner);
        _approvedOwners[hotkey] = coldkey;
        emit HotkeyOwnerApproved(hotkey, coldkey);
    }

    /// @inheritdoc IMetagraph
    function increaseTake(bytes32 hotkey, uint16 takeOf65535) external {
        Delegate memory d = _ownedDelegate(hotkey);
        if (d.set && takeOf65535 <= d.takeOf65535) revert TakeNotHigher(takeOf65535, d.takeOf65535);
        if (takeOf65535 > MAX_TAKE_OF_65535) revert TakeAboveMax(takeOf65535, MAX_TAKE_OF_65535);
        if (d.lastChangeBlock != 0 && block.number - d.lastChangeBlock <= TAKE_RATE_LIMIT_BLOCKS) {
            revert TakeRateLimited(hotkey, uint256(d.lastChangeBlock) + TAKE_RATE_LIMIT_BLOCKS + 1);
        }
        _setTake(hotkey, takeOf65535);
    }

    /// @inheritdoc IMetagraph
    function decreaseTake(bytes32 hotkey, uint16 takeOf65535) external {
        Delegate memory d = _ownedDelegate(hotkey);
        uint16 current = d.set ? d.takeOf65535 : DEFAULT_TAKE_OF_65535;
        if (takeOf65535 >= current) revert TakeNotLower(takeOf65535, current);
        _setTake(hotkey, takeOf65535);
    }

    /* NEURONS */

    /// @inheritdoc IMetagraph
    function burnedRegister(
        uint16 netuid,
        bytes32 hotkey,
        uint256 maxBurnRao
    ) external payable nonReentrant returns (uint16) {
        return _burnedRegister(POOLS.coldkeyOf(msg.sender), netuid, hotkey, maxBurnRao);
    }

    /// @inheritdoc IMetagraph
    function burnedRegisterFor(
        bytes32 coldkey,
        uint16 netuid,
        bytes32 hotkey,
        uint256 maxBurnRao
    ) external payable nonReentrant onlyRole(ORIGIN_ROLE) returns (uint16) {
        return _burnedRegister(coldkey, netuid, hotkey, maxBurnRao);
    }

    /// @dev Registration paid with `msg.value`; the excess goes back to the caller.
    function _burnedRegister(
        bytes32 coldkey,
        uint16 netuid,
        bytes32 hotkey,
        uint256 maxBurnRao
    ) internal returns (uint16 uid) {
        SubnetState memory s = _activeSubnet(netuid);
        uint48 instance = _instance(netuid, s.generation);
        uint16 existing = _uidPlusOne[instance][hotkey];
        if (existing != 0) revert HotkeyAlreadyRegistered(netuid, hotkey, existing - 1);
        ISubnetRegistry.Hyperparameters memory hp = REGISTRY.hyperparameters(netuid);

        uint256 burnRao = _currentBurn(s, hp);
        if (burnRao > maxBurnRao) revert BurnAboveMax(burnRao, maxBurnRao);
        uint256 sentRao = UnitsLib.weiToRaoExact(msg.value);
        if (sentRao < burnRao) revert InsufficientBurn(sentRao, burnRao);

        _claimHotkey(hotkey, coldkey);
        bytes32 replaced;
        if (s.n < hp.maxUids) {
            uid = s.n;
            ++s.n;
        } else {
            uid = _neuronToReplace(netuid, instance, s.n, hp.immunityPeriod);
            replaced = _hotkeys[instance][uid];
            delete _uidPlusOne[instance][replaced];
            delete _weightsCommitments[instance][uid];
            delete _pendingCommits[instance][uid];
            _setPermit(instance, uid, false);
        }
        _place(instance, uid, hotkey);
        s.burnRao = BurnMath.bumped(burnRao, hp.burnIncreaseMultWad, hp.minBurnRao, hp.maxBurnRao).toUint64();
        s.burnUpdatedAt = block.number.toUint32();
        _subnets[netuid] = s;

        emit NeuronRegistered(netuid, uid, hotkey, coldkey, burnRao, replaced);
        IAlphaPoolsHooks(address(POOLS)).buyAndBurnAlpha{value: UnitsLib.raoToWei(burnRao)}(netuid);
        if (sentRao > burnRao) {
            uint256 refundWei = UnitsLib.raoToWei(sentRao - burnRao);
            (bool ok, ) = msg.sender.call{value: refundWei}("");
            if (!ok) revert TaoTransferFailed(msg.sender, refundWei);
        }
    }

    /* WEIGHTS */

    /// @inheritdoc IMetagraph
    function setWeights(uint16 netuid, uint16[] calldata uids, uint16[] calldata values, uint64 versionKey) external {
        (SubnetState memory s, uint48 instance, bytes32 hotkey, uint16 uid) = _callerNeuron(netuid);
        ISubnetRegistry.Hyperparameters memory hp = REGISTRY.hyperparameters(netuid);
        if (hp.commitReveal) revert CommitRevealEnabled(netuid);
        _writeWeights(netuid, s, instance, hotkey, uid, uids, values, versionKey, hp, true);
    }

    /// @inheritdoc IMetagraph
    function commitWeights(uint16 netuid, bytes32 hash) external {
        (, uint48 instance, bytes32 hotkey, uint16 uid) = _callerNeuron(netuid);
        ISubnetRegistry.Hyperparameters memory hp = REGISTRY.hyperparameters(netuid);
        if (!hp.commitReveal) revert CommitRevealDisabled(netuid);
        // The window is fixed now: a later tempo change cannot void or stretch it.
        uint256 revealFrom = block.number + hp.tempo;
        uint256 revealUntil = revealFrom + hp.tempo - 1;
        _pendingCommits[instance][uid] = WeightsCommit(hash, revealFrom.toUint32(), revealUntil.toUint32());
        emit WeightsCommitted(netuid, uid, hotkey, hash, revealFrom, revealUntil);
    }

    /// @inheritdoc IMetagraph
    /// @dev Without the rate limit of `setWeights`: the commit already paces the validator.
    function revealWeights(
        uint16 netuid,
        uint16[] calldata uids,
        uint16[] calldata values,
        bytes32 salt,
        uint64 versionKey
    ) external {
        (SubnetState memory s, uint48 instance, bytes32 hotkey, uint16 uid) = _callerNeuron(netuid);
        WeightsCommit memory commit = _pendingCommits[instance][uid];
        if (commit.hash == bytes32(0)) revert NoWeightsCommit(netuid, uid);
        if (block.number < commit.revealFrom) revert RevealTooEarly(netuid, uid, commit.revealFrom);
        if (block.number > commit.revealUntil) revert RevealExpired(netuid, uid, commit.revealUntil);
        if (keccak256(abi.encode(hotkey, netuid, uids, values, salt, versionKey)) != commit.hash) {
            revert RevealMismatch(netuid, uid);
        }
        delete _pendingCommits[instance][uid];
        ISubnetRegistry.Hyperparameters memory hp = REGISTRY.hyperparameters(netuid);
        _writeWeights(netuid, s, instance, hotkey, uid, uids, values, versionKey, hp, false);
    }

    /* EPOCH RESULTS */

    /// @inheritdoc IMetagraph
    function setValidatorPermits(
        uint16 netuid,
        uint32 generation,
        uint256 snapshotBlock,
        uint256[] calldata permitWords
    ) external onlyRole(SETTLER_ROLE) {
        SubnetState memory s = _subnetAt(netuid, generation);
        uint256 words = (uint256(s.n) + 255) / 256;
        // The words cover the uids of the epoch's snapshot: neurons registered since may have added a word, and
        // they have no permit from this epoch.
        if (permitWords.length == 0 || permitWords.length > words) {
            revert PermitWordsMismatch(permitWords.length, words);
        }
        uint48 instance = _instance(netuid, generation);
        // A uid that went to a new neuron after the snapshot does not inherit the old one's permit. Every placement
        // sets the burn's block, so when that is not after the snapshot no uid changed since, and none is read.
        bool placedSinceSnapshot = s.burnUpdatedAt > snapshotBlock;
        for (uint256 w; w < words; ++w) {
            uint256 word = w < permitWords.length ? permitWords[w] : 0;
            // Only permitted uids are read: at most the subnet's validators.
            for (uint256 bits = placedSinceSnapshot ? word : 0; bits != 0; bits &= bits - 1) {
                uint256 bit = bits & (~bits + 1);
                uint16 uid = uint16(w * 256 + Math.log2(bit));
                if (_neurons[instance][uid].registeredAt > snapshotBlock) word &= ~bit;
            }
            _permitWords[instance][w] = word;
        }
        emit ValidatorPermitsSet(netuid, generation, permitWords);
    }

    /// @inheritdoc IMetagraph
    function recordPayout(
        uint16 netuid,
        uint32 generation,
        uint16 uid,
        bytes32 hotkey,
        uint64 emissionAlphaRao
    ) external onlyRole(SETTLER_ROLE) returns (bytes32 owner) {
        SubnetState memory s = _subnetAt(netuid, generation);
        uint48 instance = _instance(netuid, generation);
        // A uid replaced since the epoch's snapshot keeps its new neuron's record.
        if (uid < s.n && _hotkeys[instance][uid] == hotkey) _neurons[instance][uid].emissionAlphaRao = emissionAlphaRao;
        return _owners[hotkey];
    }

    /* VIEWS */

    /// @inheritdoc IHotkeys
    function ownerOf(bytes32 hotkey) external view returns (bytes32) {
        return _owners[hotkey];
    }

    /// @inheritdoc IHotkeys
    function takeOf(bytes32 hotkey) public view returns (uint16) {
        Delegate memory d = _delegates[hotkey];
        return d.set ? d.takeOf65535 : DEFAULT_TAKE_OF_65535;
    }

    /// @notice The coldkey a hotkey approved as its owner-to-be (zero if none).
    function approvedOwnerOf(bytes32 hotkey) external view returns (bytes32) {
        return _approvedOwners[hotkey];
    }

    /// @notice A hotkey's take and the block of its last change.
    function delegate(bytes32 hotkey) external view returns (Delegate memory) {
        return _delegates[hotkey];
    }

    /// @inheritdoc IMetagraph
    function neuronCount(uint16 netuid) external view returns (uint16) {
        return _subnets[netuid].active ? _subnets[netuid].n : 0;
    }

    /// @inheritdoc IMetagraph
    function generationOf(uint16 netuid) external view returns (uint32) {
        return _subnets[netuid].generation;
    }

    function subnetState(uint16 netuid) external view returns (SubnetState memory) {
        return _subnets[netuid];
    }

    /// @inheritdoc IMetagraph
    function uidOf(uint16 netuid, bytes32 hotkey) external view returns (bool registered, uint16 uid) {
        uint16 plusOne = _uidPlusOne[_currentInstance(netuid)][hotkey];
        return (plusOne != 0, plusOne == 0 ? 0 : plusOne - 1);
    }

    /// @inheritdoc IMetagraph
    function hotkeyOf(uint16 netuid, uint16 uid) external view returns (bytes32) {
        return _hotkeys[_currentInstance(netuid)][uid];
    }

    /// @inheritdoc IMetagraph
    function hasValidatorPermit(uint16 netuid, uint16 uid) public view returns (bool) {
        uint256 word = _permitWords[_currentInstance(netuid)][uid >> 8];
        return (word >> (uid & 0xff)) & 1 == 1;
    }

    /// @inheritdoc IMetagraph
    function weightsCommitment(uint16 netuid, uint16 uid) external view returns (bytes32) {
        return _weightsCommitments[_currentInstance(netuid)][uid];
    }

    /// @inheritdoc IMetagraph
    function pendingCommit(uint16 netuid, uint16 uid) external view returns (WeightsCommit memory) {
        return _pendingCommits[_currentInstance(netuid)][uid];
    }

    /// @inheritdoc IMetagraph
    function burnCost(uint16 netuid) external view returns (uint256) {
        return _currentBurn(_activeSubnet(netuid), REGISTRY.hyperparameters(netuid));
    }

    /// @inheritdoc IMetagraph
    function neurons(uint16 netuid, uint16 from, uint16 count) external view returns (NeuronView[] memory list) {
        SubnetState memory s = _subnets[netuid];
        uint256 end = uint256(from) + count;
        if (end > s.n) end = s.n;
        if (from >= end) return list;
        uint48 instance = _instance(netuid, s.generation);
        list = new NeuronView[](end - from);
        for (uint256 i; i < list.length; ++i) {
            uint16 uid = uint16(from + i);
            bytes32 hotkey = _hotkeys[instance][uid];
            NeuronState memory state = _neurons[instance][uid];
            list[i] = NeuronView({
                uid: uid,
                hotkey: hotkey,
                coldkey: _owners[hotkey],
                emissionAlphaRao: state.emissionAlphaRao,
                registeredAt: state.registeredAt,
                lastUpdate: state.lastUpdate,
                validatorPermit: hasValidatorPermit(netuid, uid),
                alphaStakeRao: POOLS.hotkeyPool(hotkey, netuid).alphaRao,
                rootStakeRao: POOLS.hotkeyPool(hotkey, ROOT_NETUID).alphaRao
            });
        }
    }

    /* INTERNAL */

    /// @dev Every per-netuid state starts afresh (a reused netuid is a new instance) with `n` neurons to place.
    function _openSubnet(uint16 netuid, uint256 n) internal returns (uint48 instance) {
        ISubnetRegistry.Hyperparameters memory hp = REGISTRY.hyperparameters(netuid);
        SubnetState memory s = SubnetState({
            generation: _subnets[netuid].generation + 1,
            n: n.toUint16(),
            burnRao: BurnMath.clamp(INITIAL_BURN_RAO, hp.minBurnRao, hp.maxBurnRao).toUint64(),
            burnUpdatedAt: block.number.toUint32(),
            active: true
        });
        _subnets[netuid] = s;
        instance = _instance(netuid, s.generation);
        emit SubnetReset(netuid, s.generation);
    }

    /// @dev subtensor: a hotkey registered by a coldkey that does not own it fails (`NonAssociatedColdKey`). Here a
    /// new hotkey must also prove control: it is the caller's own account id, or it approved this coldkey.
    function _claimHotkey(bytes32 hotkey, bytes32 coldkey) internal {
        bytes32 owner = _owners[hotkey];
        if (owner == coldkey) return;
        if (owner != bytes32(0)) revert HotkeyOwnedByOther(hotkey, owner);
        if (hotkey != coldkey && _approvedOwners[hotkey] != coldkey) revert HotkeyNotControlled(hotkey, coldkey);
        _owners[hotkey] = coldkey;
        delete _approvedOwners[hotkey];
        emit HotkeyRegistered(hotkey, coldkey);
    }

    /// @dev The caller's coldkey must own `hotkey` (subtensor's `do_take_checks`).
    function _ownedDelegate(bytes32 hotkey) internal view returns (Delegate memory) {
        bytes32 owner = _owners[hotkey];
        if (owner == bytes32(0)) revert HotkeyNotRegistered(hotkey);
        bytes32 caller = POOLS.coldkeyOf(msg.sender);
        if (owner != caller) revert HotkeyOwnedByOther(hotkey, owner);
        return _delegates[hotkey];
    }

    function _setTake(bytes32 hotkey, uint16 takeOf65535) internal {
        _delegates[hotkey] = Delegate(takeOf65535, true, block.number.toUint32());
        emit TakeSet(hotkey, takeOf65535);
    }

    function _currentBurn(
        SubnetState memory s,
        ISubnetRegistry.Hyperparameters memory hp
    ) internal view returns (uint256) {
        return
            BurnMath.decayed(s.burnRao, hp.burnHalfLife, block.number - s.burnUpdatedAt, hp.minBurnRao, hp.maxBurnRao);
    }

    /// @dev The caller's neuron: its hotkey is its mapped account id.
    function _callerNeuron(
        uint16 netuid
    ) internal view returns (SubnetState memory s, uint48 instance, bytes32 hotkey, uint16 uid) {
        s = _activeSubnet(netuid);
        instance = _instance(netuid, s.generation);
        hotkey = POOLS.coldkeyOf(msg.sender);
        uint16 uidPlusOne = _uidPlusOne[instance][hotkey];
        if (uidPlusOne == 0) revert NotRegistered(netuid, hotkey);
        uid = uidPlusOne - 1;
    }

    function _writeWeights(
        uint16 netuid,
        SubnetState memory s,
        uint48 instance,
        bytes32 hotkey,
        uint16 uid,
        uint16[] calldata uids,
        uint16[] calldata values,
        uint64 versionKey,
        ISubnetRegistry.Hyperparameters memory hp,
        bool rateLimited
    ) internal {
        if (uids.length != values.length) revert LengthMismatch(uids.length, values.length);
        if (versionKey < hp.weightsVersionKey) revert IncorrectVersionKey(versionKey, hp.weightsVersionKey);
        bool selfOnly = uids.length == 1 && uids[0] == uid;
        if (!selfOnly && !hasValidatorPermit(netuid, uid)) revert NoValidatorPermit(netuid, uid);
        _checkUids(uids, s.n);

        NeuronState memory neuron = _neurons[instance][uid];
        if (rateLimited && _weightsCommitments[instance][uid] != bytes32(0)) {
            uint256 next = uint256(neuron.lastUpdate) + hp.weightsRateLimit;
            if (block.number < next) revert WeightsRateLimited(netuid, uid, next);
        }
        neuron.lastUpdate = block.number.toUint32();
        _neurons[instance][uid] = neuron;
        _weightsCommitments[instance][uid] = keccak256(abi.encode(uids, values));
        emit WeightsSet(netuid, uid, hotkey, uids, values, versionKey);
    }

    function _place(uint48 instance, uint16 uid, bytes32 hotkey) internal {
        _hotkeys[instance][uid] = hotkey;
        _uidPlusOne[instance][hotkey] = uid + 1;
        _neurons[instance][uid] = NeuronState(0, block.number.toUint32(), block.number.toUint32());
    }

    /// @dev The non-immune uid with the lowest emission; ties go to the earlier registration, then the lower uid.
    /// The owner's uid 0 is never replaced. One storage read per uid: bounded by MaxAllowedUids.
    function _neuronToReplace(
        uint16 netuid,
        uint48 instance,
        uint16 n,
        uint32 immunityPeriod
    ) internal view returns (uint16 chosen) {
        bool found;
        NeuronState memory best;
        for (uint16 uid = 1; uid < n; ++uid) {
            NeuronState memory state = _neurons[instance][uid];
            if (block.number < uint256(state.registeredAt) + immunityPeriod) continue;
            if (
                !found ||
                state.emissionAlphaRao < best.emissionAlphaRao ||
                (state.emissionAlphaRao == best.emissionAlphaRao && state.registeredAt < best.registeredAt)
            ) {
                (found, chosen, best) = (true, uid, state);
            }
        }
        if (!found) revert NoPrunableNeuron(netuid);
    }

    function _checkUids(uint16[] calldata uids, uint256 n) internal pure {
        uint256[] memory seen = new uint256[]((n + 255) / 256);
        for (uint256 i; i < uids.length; ++i) {
            uint16 uid = uids[i];
            if (uid >= n) revert UidOutOfRange(uid, n);
            uint256 bit = 1 << (uid & 0xff);
            if (seen[uid >> 8] & bit != 0) revert DuplicateUid(uid);
            seen[uid >> 8] |= bit;
        }
    }

    function _setPermit(uint48 instance, uint16 uid, bool permitted) internal {
        uint256 bit = 1 << (uid & 0xff);
        uint256 word = _permitWords[instance][uid >> 8];
        _permitWords[instance][uid >> 8] = permitted ? word | bit : word & ~bit;
    }

    /// @dev The registry opens every subnet here (`openSubnet`), and prunes one only to open the next on its netuid
    /// in the same call, so a subnet open here is open in the registry: asking it again would only cost a call.
    function _activeSubnet(uint16 netuid) internal view returns (SubnetState memory s) {
        s = _subnets[netuid];
        if (!s.active) revert UnknownSubnet(netuid);
    }

    function _subnetAt(uint16 netuid, uint32 generation) internal view returns (SubnetState memory s) {
        s = _activeSubnet(netuid);
        if (s.generation != generation) revert StaleGeneration(netuid, generation, s.generation);
    }

    function _currentInstance(uint16 netuid) internal view returns (uint48) {
        return _instance(netuid, _subnets[netuid].generation);
    }

    function _instance(uint16 netuid, uint32 generation) internal pure returns (uint48) {
        return (uint48(generation) << 16) | netuid;
    }
}
