// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IMetagraph} from "../interfaces/IMetagraph.sol";
import {ISubnetRegistry} from "../interfaces/ISubnetRegistry.sol";
import {UnitsLib} from "../libraries/UnitsLib.sol";
import {AlphaPools} from "./AlphaPools.sol";

/// @title Metagraph
/// @notice The neurons of every subnet: registration by burning TAO, replacement of the weakest neuron when the
/// subnet is full, validator permits for the top k by stake, and weights as calldata plus an on-chain commitment.
/// @dev Simplifications: the registration burn adjusts lazily once per adjustment interval (empty intervals halve
/// it), and immune neurons are never replaced (subtensor may replace them when too few non-immune uids remain).
contract Metagraph is IMetagraph, AccessControl, ReentrancyGuardTransient {
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");
    /// @dev Empty adjustment intervals halve the burn at most this many times per registration.
    uint256 internal constant MAX_BURN_HALVINGS = 64;

    AlphaPools public immutable POOLS;
    ISubnetRegistry public immutable REGISTRY;
    /// @notice The burn a new subnet starts with (subtensor's `Burn` default, 1 TAO), clamped to its bounds.
    uint64 public immutable INITIAL_BURN_RAO;

    struct SubnetState {
        uint32 generation;
        uint16 n;
        uint64 burnRao;
        uint32 lastAdjustmentBlock;
        uint16 registrationsThisInterval;
        bool active;
        bool commitReveal; // weights must be committed, then revealed one tempo later
    }

    struct WeightsCommit {
        bytes32 hash;
        uint32 committedAt;
    }

    struct NeuronState {
        uint64 emission; // alpha-rao of the last epoch, set by the settler; the replacement order
        uint32 registeredAt;
        uint32 lastUpdate; // block of the last weights (or of registration)
    }

    struct NeuronView {
        uint16 uid;
        bytes32 hotkey;
        bytes32 coldkey;
        uint64 emission;
        uint32 registeredAt;
        uint32 lastUpdate;
        bool validatorPermit;
        uint256 stake;
    }

    mapping(uint16 netuid => SubnetState) internal _subnets;
    /// @dev Keyed by subnet instance (generation << 16 | netuid), so a reused netuid starts empty.
    mapping(uint48 instance => mapping(uint16 uid => bytes32)) internal _hotkeys;
    mapping(uint48 instance => mapping(uint16 uid => NeuronState)) internal _neurons;
    mapping(uint48 instance => mapping(bytes32 hotkey => uint16)) internal _uidPlusOne;
    mapping(uint48 instance => mapping(uint256 word => uint256)) internal _permitWords;
    mapping(uint48 instance => mapping(uint16 uid => bytes32)) internal _weightsCommitments;
    mapping(uint48 instance => mapping(uint16 uid => WeightsCommit)) internal _pendingCommits;

    constructor(address admin, AlphaPools pools, ISubnetRegistry registry, uint64 initialBurnRao) {
        POOLS = pools;
        REGISTRY = registry;
        INITIAL_BURN_RAO = initialBurnRao;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /* SUBNET LIFECYCLE */

    /// @notice Starts a new (or reused) netuid with its owner's hotkey as uid 0. Only the registry calls this.
    function openSubnet(uint16 netuid, bytes32 ownerHotkey, bytes32 ownerColdkey) external {
        if (msg.sender != address(REGISTRY)) revert AccessControlUnauthorizedAccount(msg.sender, bytes32(0));
        ISubnetRegistry.Hyperparameters memory hp = REGISTRY.hyperparameters(netuid);
        SubnetState memory s = _subnets[netuid];
        s.generation += 1;
        s.n = 0;
        s.burnRao = _clamp(INITIAL_BURN_RAO, hp.minBurnRao, hp.maxBurnRao);
        s.lastAdjustmentBlock = uint32(block.number);
        s.registrationsThisInterval = 0;
        s.active = true;
        _subnets[netuid] = s;
        uint48 instance = _instance(netuid, s.generation);
        _append(netuid, instance, ownerHotkey);
        _setPermit(instance, 0, true);
        emit SubnetReset(netuid, s.generation);
        emit NeuronRegistered(netuid, 0, ownerHotkey, ownerColdkey, 0, bytes32(0));
    }

    /* REGISTRATION */

    /// @notice Registers `hotkey` on `netuid` by burning the current burn (sent as `msg.value`; the excess is
    /// refunded). The caller's coldkey becomes the hotkey's owner. A full subnet replaces its weakest neuron.
    function burnedRegister(
        uint16 netuid,
        bytes32 hotkey,
        uint256 maxBurnRao
    ) external payable nonReentrant returns (uint16 uid) {
        SubnetState memory s = _activeSubnet(netuid);
        uint48 instance = _instance(netuid, s.generation);
        uint16 existing = _uidPlusOne[instance][hotkey];
        if (existing != 0) revert HotkeyAlreadyRegistered(netuid, hotkey, existing - 1);
        ISubnetRegistry.Hyperparameters memory hp = REGISTRY.hyperparameters(netuid);

        _adjustBurn(s, hp);
        uint256 burnRao = s.burnRao;
        if (burnRao > maxBurnRao) revert BurnAboveMax(burnRao, maxBurnRao);
        uint256 sentRao = UnitsLib.toRaoExact(msg.value);
        if (sentRao < burnRao) revert InsufficientBurn(sentRao, burnRao);

        bytes32 coldkey = POOLS.coldkeyOf(msg.sender);
        POOLS.registerHotkey(hotkey, coldkey);
        bytes32 replaced;
        if (s.n < hp.maxUids) {
            uid = _append(netuid, instance, hotkey);
        } else {
            uid = _neuronToReplace(netuid, instance, s.n, hp.immunityPeriod);
            replaced = _hotkeys[instance][uid];
            delete _uidPlusOne[instance][replaced];
            delete _weightsCommitments[instance][uid];
            _setPermit(instance, uid, false);
            _place(instance, uid, hotkey);
        }
        s.n = _subnets[netuid].n;
        s.registrationsThisInterval += 1;
        _subnets[netuid] = s;

        emit NeuronRegistered(netuid, uid, hotkey, coldkey, burnRao, replaced);
        if (burnRao != 0) POOLS.recycle{value: UnitsLib.toWei(burnRao)}();
        if (sentRao > burnRao) {
            uint256 refundWei = UnitsLib.toWei(sentRao - burnRao);
            (bool ok, ) = msg.sender.call{value: refundWei}("");
            if (!ok) revert TaoTransferFailed(msg.sender, refundWei);
        }
    }

    /* WEIGHTS */

    /// @notice Sets the caller's weights on `netuid`. The caller's hotkey is its mapped account id. Only the
    /// commitment is stored; the full vector is in the `WeightsSet` event.
    /// @param uids target uids, distinct, each below the neuron count
    /// @param values u16 weights, normalised off chain by the epoch
    function setWeights(uint16 netuid, uint16[] calldata uids, uint16[] calldata values, uint64 versionKey) external {
        (SubnetState memory s, uint48 instance, bytes32 hotkey, uint16 uid) = _callerNeuron(netuid);
        if (s.commitReveal) revert CommitRevealEnabled(netuid);
        _writeWeights(netuid, s, instance, hotkey, uid, uids, values, versionKey, true);
    }

    /// @notice The subnet owner turns commit-reveal on or off: with it on, validators commit a hash of their
    /// weights and reveal them one tempo later, so nobody can copy weights they have not seen yet.
    function setCommitReveal(uint16 netuid, bool enabled) external {
        SubnetState memory s = _activeSubnet(netuid);
        if (REGISTRY.subnetOwner(netuid) != msg.sender) revert NotSubnetOwner(netuid, msg.sender);
        s.commitReveal = enabled;
        _subnets[netuid] = s;
        emit CommitRevealSet(netuid, enabled);
    }

    /// @notice Commits `hash` = keccak256(abi.encode(hotkey, netuid, uids, values, salt, versionKey)); a new commit
    /// replaces a pending one.
    function commitWeights(uint16 netuid, bytes32 hash) external {
        (SubnetState memory s, uint48 instance, bytes32 hotkey, uint16 uid) = _callerNeuron(netuid);
        if (!s.commitReveal) revert CommitRevealDisabled(netuid);
        _pendingCommits[instance][uid] = WeightsCommit(hash, uint32(block.number));
        emit WeightsCommitted(netuid, uid, hotkey, hash);
    }

    /// @notice Reveals committed weights during the tempo that follows the commit, then sets them as `setWeights`
    /// does (without its rate limit: the commit already paces the validator).
    function revealWeights(
        uint16 netuid,
        uint16[] calldata uids,
        uint16[] calldata values,
        bytes32 salt,
        uint64 versionKey
    ) external {
        (SubnetState memory s, uint48 instance, bytes32 hotkey, uint16 uid) = _callerNeuron(netuid);
        WeightsCommit memory commit = _pendingCommits[instance][uid];
        if (commit.committedAt == 0) revert NoWeightsCommit(netuid, uid);
        uint256 tempo = REGISTRY.hyperparameters(netuid).tempo;
        uint256 opens = uint256(commit.committedAt) + tempo;
        if (block.number < opens) revert RevealTooEarly(netuid, uid, opens);
        if (block.number >= opens + tempo) revert RevealExpired(netuid, uid, opens + tempo - 1);
        if (keccak256(abi.encode(hotkey, netuid, uids, values, salt, versionKey)) != commit.hash) {
            revert RevealMismatch(netuid, uid);
        }
        delete _pendingCommits[instance][uid];
        _writeWeights(netuid, s, instance, hotkey, uid, uids, values, versionKey, false);
    }

    /* VALIDATOR PERMITS */

    /// @notice Gives validator permits to the top `maxValidators` uids by stake (nonzero only; among equal stakes
    /// the higher uid wins, as subtensor's stable sort); the owner's uid always keeps one. Anyone may call it.
    function updateValidatorPermits(uint16 netuid) external {
        SubnetState memory s = _activeSubnet(netuid);
        uint48 instance = _instance(netuid, s.generation);
        uint256 n = s.n;
        bytes32[] memory hotkeys = new bytes32[](n);
        for (uint256 uid; uid < n; ++uid) hotkeys[uid] = _hotkeys[instance][uint16(uid)];
        uint256[] memory stakes = POOLS.getTotalHotkeyAlphas(hotkeys, netuid);
        // Sort keys (stake, uid) ascending; stakes are below 2^64, so the uid fits in the low 16 bits.
        uint256[] memory keys = new uint256[](n);
        for (uint256 uid; uid < n; ++uid) keys[uid] = (stakes[uid] << 16) | uid;
        _sort(keys);

        uint256 words = (n + 255) / 256;
        uint256[] memory permitWords = new uint256[](words);
        uint256 k = REGISTRY.hyperparameters(netuid).maxValidators;
        uint256 permitted;
        for (uint256 i = n; i > 0 && permitted < k; --i) {
            uint256 key = keys[i - 1];
            if (key >> 16 == 0) break;
            uint256 uid = key & 0xffff;
            permitWords[uid >> 8] |= 1 << (uid & 0xff);
            ++permitted;
        }
        permitWords[0] |= 1; // the owner's uid 0
        for (uint256 w; w < words; ++w) _permitWords[instance][w] = permitWords[w];
        emit ValidatorPermitsUpdated(netuid, permitted);
    }

    /// @notice Records each neuron's emission of the settled epoch (the replacement order). Settler only.
    function recordEmissions(
        uint16 netuid,
        uint16[] calldata uids,
        uint64[] calldata emissions
    ) external onlyRole(SETTLER_ROLE) {
        SubnetState memory s = _activeSubnet(netuid);
        if (uids.length != emissions.length) revert LengthMismatch(uids.length, emissions.length);
        uint48 instance = _instance(netuid, s.generation);
        for (uint256 i; i < uids.length; ++i) {
            if (uids[i] >= s.n) revert UidOutOfRange(uids[i], s.n);
            _neurons[instance][uids[i]].emission = emissions[i];
        }
        emit EmissionsRecorded(netuid, uids.length);
    }

    /* VIEWS */

    function neuronCount(uint16 netuid) external view returns (uint16) {
        return _subnets[netuid].active ? _subnets[netuid].n : 0;
    }

    function subnetState(uint16 netuid) external view returns (SubnetState memory) {
        return _subnets[netuid];
    }

    function uidOf(uint16 netuid, bytes32 hotkey) external view returns (bool registered, uint16 uid) {
        uint16 plusOne = _uidPlusOne[_instance(netuid, _subnets[netuid].generation)][hotkey];
        return (plusOne != 0, plusOne == 0 ? 0 : plusOne - 1);
    }

    function hasValidatorPermit(uint16 netuid, uint16 uid) public view returns (bool) {
        uint256 word = _permitWords[_instance(netuid, _subnets[netuid].generation)][uid >> 8];
        return (word >> (uid & 0xff)) & 1 == 1;
    }

    function weightsCommitment(uint16 netuid, uint16 uid) external view returns (bytes32) {
        return _weightsCommitments[_instance(netuid, _subnets[netuid].generation)][uid];
    }

    /// @notice The burn a registration would pay now.
    function burnCost(uint16 netuid) external view returns (uint256) {
        SubnetState memory s = _activeSubnet(netuid);
        _adjustBurn(s, REGISTRY.hyperparameters(netuid));
        return s.burnRao;
    }

    /// @notice Neurons `from` to `from + count` (clamped), with stake and permits: one call for a keeper or a page.
    function neurons(uint16 netuid, uint16 from, uint16 count) external view returns (NeuronView[] memory list) {
        SubnetState memory s = _subnets[netuid];
        uint256 end = uint256(from) + count;
        if (end > s.n) end = s.n;
        if (from >= end) return list;
        uint48 instance = _instance(netuid, s.generation);
        list = new NeuronView[](end - from);
        bytes32[] memory hotkeys = new bytes32[](end - from);
        for (uint256 i; i < list.length; ++i) hotkeys[i] = _hotkeys[instance][uint16(from + i)];
        uint256[] memory stakes = POOLS.getTotalHotkeyAlphas(hotkeys, netuid);
        for (uint256 i; i < list.length; ++i) {
            uint16 uid = uint16(from + i);
            NeuronState memory state = _neurons[instance][uid];
            list[i] = NeuronView({
                uid: uid,
                hotkey: hotkeys[i],
                coldkey: POOLS.hotkeyOwner(hotkeys[i]),
                emission: state.emission,
                registeredAt: state.registeredAt,
                lastUpdate: state.lastUpdate,
                validatorPermit: hasValidatorPermit(netuid, uid),
                stake: stakes[i]
            });
        }
    }

    /* INTERNAL */

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
        bool rateLimited
    ) internal {
        if (uids.length != values.length) revert LengthMismatch(uids.length, values.length);
        ISubnetRegistry.Hyperparameters memory hp = REGISTRY.hyperparameters(netuid);
        if (versionKey < hp.weightsVersionKey) revert IncorrectVersionKey(versionKey, hp.weightsVersionKey);
        bool selfOnly = uids.length == 1 && uids[0] == uid;
        if (!selfOnly && !hasValidatorPermit(netuid, uid)) revert NoValidatorPermit(netuid, uid);
        _checkUids(uids, s.n);

        NeuronState memory neuron = _neurons[instance][uid];
        if (rateLimited && _weightsCommitments[instance][uid] != bytes32(0)) {
            uint256 next = uint256(neuron.lastUpdate) + hp.weightsRateLimit;
            if (block.number < next) revert WeightsRateLimited(netuid, uid, next);
        }
        neuron.lastUpdate = uint32(block.number);
        _neurons[instance][uid] = neuron;
        _weightsCommitments[instance][uid] = keccak256(abi.encode(uids, values));
        emit WeightsSet(netuid, uid, hotkey, uids, values, versionKey);
    }

    function _append(uint16 netuid, uint48 instance, bytes32 hotkey) internal returns (uint16 uid) {
        uid = _subnets[netuid].n;
        _subnets[netuid].n = uid + 1;
        _place(instance, uid, hotkey);
    }

    function _place(uint48 instance, uint16 uid, bytes32 hotkey) internal {
        _hotkeys[instance][uid] = hotkey;
        _uidPlusOne[instance][hotkey] = uid + 1;
        _neurons[instance][uid] = NeuronState(0, uint32(block.number), uint32(block.number));
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
                state.emission < best.emission ||
                (state.emission == best.emission && state.registeredAt < best.registeredAt)
            ) {
                (found, chosen, best) = (true, uid, state);
            }
        }
        if (!found) revert NoPrunableNeuron(netuid);
    }

    function _adjustBurn(SubnetState memory s, ISubnetRegistry.Hyperparameters memory hp) internal view {
        uint256 interval = hp.adjustmentInterval;
        if (block.number < uint256(s.lastAdjustmentBlock) + interval) return;
        uint256 elapsed = (block.number - s.lastAdjustmentBlock) / interval;
        uint256 target = hp.targetRegistrationsPerInterval;
        // subtensor: burn · (registrations + target) / (2 · target) for the interval that ended.
        uint256 burn = (uint256(s.burnRao) * (s.registrationsThisInterval + target)) / (2 * target);
        for (uint256 i = 1; i < elapsed && i < MAX_BURN_HALVINGS && burn > hp.minBurnRao; ++i) burn /= 2;
        s.burnRao = _clamp(burn, hp.minBurnRao, hp.maxBurnRao);
        s.lastAdjustmentBlock = uint32(s.lastAdjustmentBlock + elapsed * interval);
        s.registrationsThisInterval = 0;
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

    function _activeSubnet(uint16 netuid) internal view returns (SubnetState memory s) {
        s = _subnets[netuid];
        if (!s.active || !REGISTRY.isActive(netuid)) revert UnknownSubnet(netuid);
    }

    function _instance(uint16 netuid, uint32 generation) internal pure returns (uint48) {
        return (uint48(generation) << 16) | netuid;
    }

    function _clamp(uint256 value, uint256 lo, uint256 hi) internal pure returns (uint64) {
        return
            uint64(
                value < lo
                    ? lo
                    : value > hi
                        ? hi
                        : value
            );
    }

    /// @dev In-place ascending quicksort (Hoare partition); n ≤ MaxAllowedUids.
    function _sort(uint256[] memory a) internal pure {
        if (a.length > 1) _quickSort(a, 0, a.length - 1);
    }

    function _quickSort(uint256[] memory a, uint256 lo, uint256 hi) private pure {
        while (lo < hi) {
            uint256 pivot = a[lo + (hi - lo) / 2];
            uint256 i = lo;
            uint256 j = hi;
            while (true) {
                while (a[i] < pivot) ++i;
                while (a[j] > pivot) --j;
                if (i >= j) break;
                (a[i], a[j]) = (a[j], a[i]);
                ++i;
                --j;
            }
            // Recurse into the smaller side to bound the depth by log n.
            if (j - lo < hi - j) {
                _quickSort(a, lo, j);
                lo = j + 1;
            } else {
                _quickSort(a, j + 1, hi);
                hi = j;
            }
        }
    }
}
