// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IAlphaPools} from "../interfaces/IAlphaPools.sol";
import {IAlphaPoolsHooks} from "../interfaces/IAlphaPoolsHooks.sol";
import {IAlphaPoolsTypes} from "../interfaces/IAlphaPoolsTypes.sol";
import {IEpochSettlement} from "../interfaces/IEpochSettlement.sol";
import {IMetagraph} from "../interfaces/IMetagraph.sol";
import {IRootDividends} from "../interfaces/IRootDividends.sol";
import {ISubnetRegistry} from "../interfaces/ISubnetRegistry.sol";

/// @title EpochSettlement
/// @notice Closes, accepts and pays subnet epochs from keeper reports signed by k of n registered keepers, as
/// subtensor's `drain_pending` and `distribute_emission` pay them.
/// @dev Simplifications: one mechanism per subnet, no child/parent keys, no auto-stake destinations, no leased
/// subnets; the owner's hotkeys' incentive is burned (subtensor's default). At most one epoch of a subnet is open at a
/// time: the next closes once the previous is finalised, so every report builds on a settled state.
contract EpochSettlement is IEpochSettlement, AccessControl, EIP712, ReentrancyGuardTransient {
    using SafeCast for uint256;

    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    bytes32 public constant REPORT_TYPEHASH = keccak256(
        "Report(uint256 chainId,address settlement,uint16 netuid,uint32 generation,uint32 epoch,uint32 snapshotBlock,"
        "bytes32 inputsHash,bytes32 resultsRoot,bytes32 stateHash,bytes32 validatorsHash,bytes32 permitsHash,"
        "uint64 incentiveAlphaRao,uint64 burnedIncentiveAlphaRao,uint64 alphaDividendsAlphaRao,"
        "uint64 rootDividendsAlphaRao,uint16 minerBurnOf65535)"
    );
    uint256 internal constant FRACTION = 65_535;
    /// @dev Offsets of a uid's two flags in its word of `_uidFlags`.
    uint256 private constant PAID = 0;
    uint256 private constant CLAIMED = 128;
    /// @dev Where a claim pays: the subnet instance and its finalised epoch.
    struct ClaimScope {
        uint16 netuid;
        uint32 generation;
        uint48 instance;
        uint32 epoch;
    }

    /// @notice The most leaves one `claimIncentives` call pays, so a batch stays well within a block.
    uint256 public constant MAX_CLAIMS_PER_CALL = 128;

    IAlphaPools public immutable POOLS;
    ISubnetRegistry public immutable REGISTRY;
    IMetagraph public immutable METAGRAPH;
    IRootDividends public immutable ROOT_DIVIDENDS;

    struct Progress {
        uint32 closedEpoch;
        uint32 finalisedEpoch;
        uint32 lastSnapshotBlock;
    }

    /// @dev Keyed by subnet instance (generation << 16 | netuid): a reused netuid starts at epoch 0.
    mapping(uint48 instance => Progress) internal _progress;
    mapping(uint48 instance => mapping(uint32 epoch => EpochRecord)) internal _epochs;
    /// @dev Two flags per uid of an epoch, in words of 128 uids (`_uidFlag`): whether finalisation paid the uid's
    /// dividends (the others claim theirs), and whether its leaf was claimed. Sharing a word means a miner's claim
    /// usually updates a word finalisation already wrote instead of opening a slot (20,000 gas).
    mapping(uint48 instance => mapping(uint32 epoch => mapping(uint256 word => uint256))) internal _uidFlags;

    mapping(address keeper => bool) public isKeeper;
    uint16 public keeperCount;
    uint16 public quorum;
    uint32 public challengeWindowBlocks;

    constructor(
        address admin,
        IAlphaPools pools,
        ISubnetRegistry registry,
        IMetagraph metagraph,
        IRootDividends rootDividends,
        uint32 challengeWindowBlocks_,
        address[] memory keepers,
        uint16 quorum_
    ) EIP712("Alpha Markets EpochSettlement", "1") {
        POOLS = pools;
        REGISTRY = registry;
        METAGRAPH = metagraph;
        ROOT_DIVIDENDS = rootDividends;
        challengeWindowBlocks = challengeWindowBlocks_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(GUARDIAN_ROLE, admin);
        for (uint256 i; i < keepers.length; ++i) _setKeeper(keepers[i], true);
        // Without keepers only quorum 0 is valid: any other could never be reached (keepers are added one by one).
        if (quorum_ > keeperCount || (keepers.length != 0 && quorum_ == 0)) revert InvalidQuorum(quorum_, keeperCount);
        quorum = quorum_;
    }

    /* GOVERNANCE */

    function setKeeper(address keeper, bool active) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setKeeper(keeper, active);
        if (quorum > keeperCount) revert InvalidQuorum(quorum, keeperCount);
    }

    function setQuorum(uint16 quorum_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (quorum_ == 0 || quorum_ > keeperCount) revert InvalidQuorum(quorum_, keeperCount);
        quorum = quorum_;
        emit SetQuorum(quorum_);
    }

    function setChallengeWindow(uint32 blocks) external onlyRole(DEFAULT_ADMIN_ROLE) {
        challengeWindowBlocks = blocks;
        emit SetChallengeWindow(blocks);
    }

    /* EPOCHS */

    /// @inheritdoc IEpochSettlement
    function closeEpoch(uint16 netuid) external nonReentrant returns (uint32 epoch) {
        IAlphaPoolsTypes.SubnetConfig memory config = POOLS.subnetConfig(netuid);
        if (config.firstEmissionBlock == 0) revert SubtokenDisabled(netuid);
        uint48 instance = _instance(netuid, config.generation);
        Progress memory p = _progress[instance];
        if (p.closedEpoch != p.finalisedEpoch) revert PreviousEpochOpen(netuid, p.closedEpoch);
        ISubnetRegistry.Hyperparameters memory hp = REGISTRY.hyperparameters(netuid);
        uint256 due = _dueBlock(p, config, hp.tempo);
        if (block.number < due) revert EpochNotDue(netuid, due);

        (, IAlphaPoolsTypes.PendingEmission memory pot) = IAlphaPoolsHooks(address(POOLS)).closePending(netuid);
        epoch = p.closedEpoch + 1;
        (p.closedEpoch, p.lastSnapshotBlock) = (epoch, block.number.toUint32());
        _progress[instance] = p;
        // The validator bound is fixed at the snapshot: an owner lowering it later cannot leave a report unpayable.
        _epochs[instance][epoch] = EpochRecord({
            status: Status.Closed,
            snapshotBlock: block.number.toUint32(),
            challengeDeadline: 0,
            maxValidators: hp.maxValidators,
            claimableAlphaRao: 0,
            potOwnerCutAlphaRao: pot.ownerCutAlphaRao.toUint64(),
            potServerAlphaRao: pot.serverAlphaRao.toUint64(),
            potValidatorAlphaRao: pot.validatorAlphaRao.toUint64(),
            potRootAlphaRao: pot.rootAlphaRao.toUint64(),
            reportDigest: bytes32(0),
            resultsRoot: bytes32(0)
        });
        emit CloseEpoch(netuid, epoch, config.generation, block.number);
    }

    /// @inheritdoc IEpochSettlement
    function submitReport(Report calldata report, bytes[] calldata signatures) external nonReentrant {
        if (report.chainId != block.chainid) revert WrongChain(report.chainId, block.chainid);
        if (report.settlement != address(this)) revert WrongSettlement(report.settlement, address(this));
        uint48 instance = _currentInstance(report.netuid, report.generation);
        Progress memory p = _progress[instance];
        if (report.epoch <= p.finalisedEpoch) revert StaleEpoch(report.netuid, report.epoch, p.finalisedEpoch);
        EpochRecord storage rec = _epochs[instance][report.epoch];
        if (rec.status == Status.Submitted) revert DuplicateReport(report.netuid, report.epoch, rec.reportDigest);
        if (rec.status != Status.Closed) revert EpochNotClosed(report.netuid, report.epoch, rec.status);
        if (report.snapshotBlock != rec.snapshotBlock) revert SnapshotMismatch(report.snapshotBlock, rec.snapshotBlock);
        _checkTotals(report, rec);

        bytes32 digest = reportDigest(report);
        address[] memory signers = _checkSignatures(digest, signatures);
        uint256 deadline = block.number + challengeWindowBlocks;
        // Only the digest is kept: finalisation presents the report again and is checked against it.
        rec.status = Status.Submitted;
        rec.challengeDeadline = deadline.toUint32();
        rec.reportDigest = digest;
        emit SubmitReport(
            report.netuid,
            report.epoch,
            report.generation,
            report.inputsHash,
            digest,
            report.resultsRoot,
            report.stateHash,
            deadline,
            signers
        );
    }

    /// @inheritdoc IEpochSettlement
    function vetoReport(uint16 netuid, uint32 epoch) external onlyRole(GUARDIAN_ROLE) {
        uint48 instance = _currentInstance(netuid, POOLS.subnetConfig(netuid).generation);
        EpochRecord storage rec = _epochs[instance][epoch];
        if (rec.status != Status.Submitted) revert NotSubmitted(netuid, epoch, rec.status);
        if (block.number >= rec.challengeDeadline) revert ChallengeWindowOver(netuid, epoch, rec.challengeDeadline);
        emit VetoReport(netuid, epoch, rec.reportDigest);
        rec.status = Status.Closed;
        rec.challengeDeadline = 0;
        rec.reportDigest = bytes32(0);
    }

    /// @inheritdoc IEpochSettlement
    function finaliseEpoch(
        Report calldata report,
        ValidatorPayout[] calldata validators,
        uint256[] calldata permitWords
    ) external nonReentrant {
        (uint16 netuid, uint32 generation, uint32 epoch) = (report.netuid, report.generation, report.epoch);
        uint48 instance = _currentInstance(netuid, generation);
        EpochRecord storage rec = _epochs[instance][epoch];
        if (rec.status != Status.Submitted) revert NotSubmitted(netuid, epoch, rec.status);
        if (block.number < rec.challengeDeadline) revert ChallengeWindowOpen(netuid, epoch, rec.challengeDeadline);
        bytes32 digest = reportDigest(report);
        if (digest != rec.reportDigest) revert PayloadMismatch(digest, rec.reportDigest);
        bytes32 validatorsHash = keccak256(abi.encode(validators));
        if (validatorsHash != report.validatorsHash) revert PayloadMismatch(validatorsHash, report.validatorsHash);
        bytes32 permitsHash = keccak256(abi.encode(permitWords));
        if (permitsHash != report.permitsHash) revert PayloadMismatch(permitsHash, report.permitsHash);
        uint256 maxValidators = uint256(rec.maxValidators) + 1; // and the owner's uid
        if (validators.length > maxValidators) revert TooManyValidators(validators.length, maxValidators);

        rec.status = Status.Finalised;
        rec.resultsRoot = report.resultsRoot;
        _progress[instance].finalisedEpoch = epoch;
        IAlphaPoolsHooks hooks = IAlphaPoolsHooks(address(POOLS));

        if (rec.potOwnerCutAlphaRao != 0) {
            (bytes32 ownerHotkey, bytes32 ownerColdkey) = REGISTRY.ownerKeys(netuid);
            hooks.creditStake(netuid, generation, ownerHotkey, ownerColdkey, rec.potOwnerCutAlphaRao);
        }
        (uint256 alphaPaid, uint256 rootPaid) = _payValidators(instance, report, validators);
        if (alphaPaid > report.alphaDividendsAlphaRao)
            revert PayoutAboveReport(alphaPaid, report.alphaDividendsAlphaRao);
        if (rootPaid > report.rootDividendsAlphaRao) revert PayoutAboveReport(rootPaid, report.rootDividendsAlphaRao);
        if (report.burnedIncentiveAlphaRao != 0)
            hooks.burnOwedAlpha(netuid, generation, report.burnedIncentiveAlphaRao);
        METAGRAPH.setValidatorPermits(netuid, generation, rec.snapshotBlock, permitWords);
        hooks.setMinerBurn(netuid, report.minerBurnOf65535);

        // Claims may take the incentive and the dividends finalisation did not pay; what the report leaves of the
        // pot (rounding, undistributed buckets) is recycled.
        uint256 dividends = uint256(report.alphaDividendsAlphaRao) + report.rootDividendsAlphaRao;
        rec.claimableAlphaRao = (report.incentiveAlphaRao + dividends - alphaPaid - rootPaid).toUint64();
        uint256 distributable = uint256(rec.potServerAlphaRao) + rec.potValidatorAlphaRao + rec.potRootAlphaRao;
        uint256 recycled = distributable - report.incentiveAlphaRao - report.burnedIncentiveAlphaRao - dividends;
        if (recycled != 0) hooks.recycleAlpha(netuid, generation, recycled);
        emit FinaliseEpoch(netuid, epoch, uint256(rec.potOwnerCutAlphaRao) + alphaPaid + rootPaid, recycled);
    }

    /// @inheritdoc IEpochSettlement
    function claimIncentive(
        uint16 netuid,
        uint32 epoch,
        uint16 uid,
        bytes32 hotkey,
        uint64 incentiveAlphaRao,
        uint64 alphaDividendAlphaRao,
        uint64 rootDividendAlphaRao,
        bytes32[] calldata proof
    ) external nonReentrant {
        (ClaimScope memory scope, EpochRecord storage rec) = _finalisedEpoch(netuid, epoch);
        bytes32 leaf = resultLeaf(uid, hotkey, incentiveAlphaRao, alphaDividendAlphaRao, rootDividendAlphaRao);
        if (!MerkleProof.verifyCalldata(proof, rec.resultsRoot, leaf)) revert InvalidProof(netuid, epoch, uid);
        if (!_markClaimed(scope, uid)) revert AlreadyClaimed(netuid, epoch, uid);
        _payClaim(scope, rec, uid, hotkey, incentiveAlphaRao, alphaDividendAlphaRao, rootDividendAlphaRao);
    }

    /// @inheritdoc IEpochSettlement
    function claimIncentives(
        uint16 netuid,
        uint32 epoch,
        Claim[] calldata claims
    ) external nonReentrant returns (uint256 paid) {
        if (claims.length > MAX_CLAIMS_PER_CALL) revert TooManyClaims(claims.length, MAX_CLAIMS_PER_CALL);
        (ClaimScope memory scope, EpochRecord storage rec) = _finalisedEpoch(netuid, epoch);
        bytes32 root = rec.resultsRoot;
        for (uint256 i; i < claims.length; ++i) {
            Claim calldata c = claims[i];
            (uint64 incentive, uint64 alphaDividend, uint64 rootDividend) = (
                c.incentiveAlphaRao,
                c.alphaDividendAlphaRao,
                c.rootDividendAlphaRao
            );
            bytes32 leaf = resultLeaf(c.uid, c.hotkey, incentive, alphaDividend, rootDividend);
            if (!MerkleProof.verifyCalldata(c.proof, root, leaf)) revert InvalidProof(netuid, epoch, c.uid);
            // Another claimer was first (a racing keeper): skipping keeps the rest of the batch worth sending.
            if (!_markClaimed(scope, c.uid)) continue;
            _payClaim(scope, rec, c.uid, c.hotkey, incentive, alphaDividend, rootDividend);
            ++paid;
        }
    }

    /* VIEWS */

    /// @inheritdoc IEpochSettlement
    function reportDigest(Report calldata r) public view returns (bytes32) {
        bytes32 structHash = keccak256(
            bytes.concat(
                abi.encode(REPORT_TYPEHASH, r.chainId, r.settlement, r.netuid, r.generation, r.epoch, r.snapshotBlock),
                abi.encode(r.inputsHash, r.resultsRoot, r.stateHash, r.validatorsHash, r.permitsHash),
                abi.encode(
                    r.incentiveAlphaRao,
                    r.burnedIncentiveAlphaRao,
                    r.alphaDividendsAlphaRao,
                    r.rootDividendsAlphaRao,
                    r.minerBurnOf65535
                )
            )
        );
        return _hashTypedDataV4(structHash);
    }

    /// @inheritdoc IEpochSettlement
    function resultLeaf(
        uint16 uid,
        bytes32 hotkey,
        uint64 incentiveAlphaRao,
        uint64 alphaDividendAlphaRao,
        uint64 rootDividendAlphaRao
    ) public pure returns (bytes32) {
        return
            keccak256(
                bytes.concat(
                    keccak256(abi.encode(uid, hotkey, incentiveAlphaRao, alphaDividendAlphaRao, rootDividendAlphaRao))
                )
            );
    }

    /// @inheritdoc IEpochSettlement
    function epochRecord(uint16 netuid, uint32 generation, uint32 epoch) external view returns (EpochRecord memory) {
        return _epochs[_instance(netuid, generation)][epoch];
    }

    /// @inheritdoc IEpochSettlement
    function progress(
        uint16 netuid
    ) external view returns (uint32 generation, uint32 closedEpoch, uint32 finalisedEpoch, uint256 nextDueBlock) {
        IAlphaPoolsTypes.SubnetConfig memory config = POOLS.subnetConfig(netuid);
        generation = config.generation;
        Progress memory p = _progress[_instance(netuid, generation)];
        (closedEpoch, finalisedEpoch) = (p.closedEpoch, p.finalisedEpoch);
        if (config.active && config.firstEmissionBlock != 0) {
            nextDueBlock = _dueBlock(p, config, REGISTRY.hyperparameters(netuid).tempo);
        }
    }

    /// @notice Whether finalisation paid `uid`'s dividends (the uid was in the validator list).
    function isPaidAtFinalisation(
        uint16 netuid,
        uint32 generation,
        uint32 epoch,
        uint16 uid
    ) external view returns (bool) {
        (uint256 word, uint256 flag) = _uidFlag(uid, PAID);
        return _uidFlags[_instance(netuid, generation)][epoch][word] & flag != 0;
    }

    /// @inheritdoc IEpochSettlement
    function isClaimed(uint16 netuid, uint32 generation, uint32 epoch, uint16 uid) external view returns (bool) {
        (uint256 word, uint256 flag) = _uidFlag(uid, CLAIMED);
        return _uidFlags[_instance(netuid, generation)][epoch][word] & flag != 0;
    }

    /* INTERNAL */

    function _setKeeper(address keeper, bool active) internal {
        if (isKeeper[keeper] == active) return;
        isKeeper[keeper] = active;
        keeperCount = active ? keeperCount + 1 : keeperCount - 1;
        emit SetKeeper(keeper, active);
    }

    /// @dev Pays the listed validators' dividends and marks them paid; records their emission while each uid still
    /// holds the validator's hotkey.
    function _payValidators(
        uint48 instance,
        Report calldata report,
        ValidatorPayout[] calldata validators
    ) internal returns (uint256 alphaPaid, uint256 rootPaid) {
        (uint16 netuid, uint32 generation) = (report.netuid, report.generation);
        for (uint256 i; i < validators.length; ++i) {
            ValidatorPayout calldata v = validators[i];
            (uint256 word, uint256 flag) = _uidFlag(v.uid, PAID);
            _uidFlags[instance][report.epoch][word] |= flag;
            bytes32 owner = METAGRAPH.recordPayout(
                netuid,
                generation,
                v.uid,
                v.hotkey,
                _emissionOf(0, v.alphaDividendAlphaRao, v.rootDividendAlphaRao)
            );
            _payDividends(netuid, generation, v.hotkey, owner, v.alphaDividendAlphaRao, v.rootDividendAlphaRao);
            alphaPaid += v.alphaDividendAlphaRao;
            rootPaid += v.rootDividendAlphaRao;
        }
    }

    /// @dev A validator's dividends as subtensor pays them: the take of both as its owner's stake, the rest of the
    /// alpha dividend vesting into its pool, the rest of the root dividend to its root stakers (or its owner, when its
    /// root stake cannot take it).
    function _payDividends(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        bytes32 owner,
        uint256 alphaDividendAlphaRao,
        uint256 rootDividendAlphaRao
    ) internal {
        if (alphaDividendAlphaRao == 0 && rootDividendAlphaRao == 0) return; // a miner's leaf: no take to read
        IAlphaPoolsHooks hooks = IAlphaPoolsHooks(address(POOLS));
        uint256 take = METAGRAPH.takeOf(hotkey);
        uint256 alphaTake = (alphaDividendAlphaRao * take) / FRACTION;
        uint256 rootTake = (rootDividendAlphaRao * take) / FRACTION;
        if (alphaTake + rootTake != 0) hooks.creditStake(netuid, generation, hotkey, owner, alphaTake + rootTake);
        uint256 alphaRest = alphaDividendAlphaRao - alphaTake;
        if (alphaRest != 0) hooks.creditDividend(netuid, generation, hotkey, owner, alphaRest);
        uint256 rootRest = rootDividendAlphaRao - rootTake;
        if (rootRest != 0 && !ROOT_DIVIDENDS.creditRootDividend(netuid, generation, hotkey, rootRest)) {
            hooks.creditStake(netuid, generation, hotkey, owner, rootRest);
        }
    }

    /// @dev The current instance of `netuid` and its finalised `epoch`, where a claim pays.
    function _finalisedEpoch(
        uint16 netuid,
        uint32 epoch
    ) private view returns (ClaimScope memory scope, EpochRecord storage rec) {
        // One read of the subnet's config: its generation, and whether it is still open (as `_currentInstance` asks).
        IAlphaPoolsTypes.SubnetConfig memory config = POOLS.subnetConfig(netuid);
        uint32 generation = config.generation;
        if (!config.active) revert WrongSubnet(netuid, generation, generation);
        uint48 instance = _instance(netuid, generation);
        rec = _epochs[instance][epoch];
        if (rec.status != Status.Finalised) revert NotSubmitted(netuid, epoch, rec.status);
        scope = ClaimScope(netuid, generation, instance, epoch);
    }

    /// @dev Sets `uid`'s claimed flag of the epoch; false when it was already set.
    function _markClaimed(ClaimScope memory scope, uint16 uid) private returns (bool) {
        mapping(uint256 word => uint256) storage words = _uidFlags[scope.instance][scope.epoch];
        (uint256 word, uint256 flag) = _uidFlag(uid, CLAIMED);
        uint256 flags = words[word];
        if (flags & flag != 0) return false;
        words[word] = flags | flag;
        return true;
    }

    /// @dev Where `uid`'s flag of `kind` (PAID or CLAIMED) is: the word of its 128 uids, and the bit, paid flags in
    /// the low half, claimed flags in the high half.
    function _uidFlag(uint16 uid, uint256 kind) private pure returns (uint256 word, uint256 flag) {
        return (uid >> 7, 1 << (kind + (uid & 127)));
    }

    /// @dev Credits one proven leaf: the incentive as stake of the hotkey's owner, and the dividends when
    /// finalisation did not pay them, within what the epoch still has for claims.
    function _payClaim(
        ClaimScope memory scope,
        EpochRecord storage rec,
        uint16 uid,
        bytes32 hotkey,
        uint64 incentiveAlphaRao,
        uint64 alphaDividendAlphaRao,
        uint64 rootDividendAlphaRao
    ) private {
        (uint256 word, uint256 flag) = _uidFlag(uid, PAID);
        bool dividendsDue = _uidFlags[scope.instance][scope.epoch][word] & flag == 0;
        uint256 payout =
            uint256(incentiveAlphaRao) + (dividendsDue ? uint256(alphaDividendAlphaRao) + rootDividendAlphaRao : 0);
        if (payout > rec.claimableAlphaRao) revert ClaimAboveReport(payout, rec.claimableAlphaRao);
        rec.claimableAlphaRao -= uint64(payout);
        (uint16 netuid, uint32 generation) = (scope.netuid, scope.generation);
        // The leaf's whole emission orders replacements, whoever was paid its dividends.
        bytes32 owner = METAGRAPH.recordPayout(
            netuid,
            generation,
            uid,
            hotkey,
            _emissionOf(incentiveAlphaRao, alphaDividendAlphaRao, rootDividendAlphaRao)
        );
        if (incentiveAlphaRao != 0) {
            IAlphaPoolsHooks(address(POOLS)).creditStake(netuid, generation, hotkey, owner, incentiveAlphaRao);
        }
        if (dividendsDue) _payDividends(netuid, generation, hotkey, owner, alphaDividendAlphaRao, rootDividendAlphaRao);
        emit ClaimIncentive(netuid, scope.epoch, uid, hotkey, incentiveAlphaRao);
    }

    /// @dev A uid's emission of the epoch, as the metagraph records it to order replacements.
    function _emissionOf(uint64 incentive, uint64 alphaDividend, uint64 rootDividend) private pure returns (uint64) {
        return (uint256(incentive) + alphaDividend + rootDividend).toUint64();
    }

    /// @dev The report's totals must fit the pot: everything within the distributable buckets, root dividends within
    /// the root bucket, alpha dividends within the validators' bucket (plus the miners' when no incentive is paid,
    /// as subtensor does).
    function _checkTotals(Report calldata r, EpochRecord storage rec) internal view {
        uint256 distributable = uint256(rec.potServerAlphaRao) + rec.potValidatorAlphaRao + rec.potRootAlphaRao;
        uint256 incentive = uint256(r.incentiveAlphaRao) + r.burnedIncentiveAlphaRao;
        uint256 total = incentive + r.alphaDividendsAlphaRao + r.rootDividendsAlphaRao;
        if (total > distributable) revert TotalsAbovePot(total, distributable);
        if (r.rootDividendsAlphaRao > rec.potRootAlphaRao) {
            revert TotalsAbovePot(r.rootDividendsAlphaRao, rec.potRootAlphaRao);
        }
        uint256 validatorPot = uint256(rec.potValidatorAlphaRao) + (incentive == 0 ? rec.potServerAlphaRao : 0);
        if (r.alphaDividendsAlphaRao > validatorPot) revert TotalsAbovePot(r.alphaDividendsAlphaRao, validatorPot);
    }

    /// @dev At least `quorum` distinct registered keepers, in strictly ascending address order.
    function _checkSignatures(
        bytes32 digest,
        bytes[] calldata signatures
    ) internal view returns (address[] memory signers) {
        signers = new address[](signatures.length);
        address previous;
        for (uint256 i; i < signatures.length; ++i) {
            address signer = ECDSA.recover(digest, signatures[i]);
            if (!isKeeper[signer]) revert UnknownSigner(signer);
            if (signer == previous) revert RepeatedSigner(signer);
            if (signer < previous) revert SignersNotAscending(signer, previous);
            signers[i] = previous = signer;
        }
        if (signatures.length < quorum || quorum == 0) revert BelowQuorum(signatures.length, quorum);
    }

    /// @dev The first epoch is due a tempo after emission started; each next one a tempo after the last snapshot.
    function _dueBlock(
        Progress memory p,
        IAlphaPoolsTypes.SubnetConfig memory config,
        uint256 tempo
    ) internal pure returns (uint256) {
        uint256 from = p.lastSnapshotBlock == 0 ? uint256(config.firstEmissionBlock) - 1 : p.lastSnapshotBlock;
        return from + tempo;
    }

    /// @dev The instance of `netuid` that is open now, which must be `generation`.
    function _currentInstance(uint16 netuid, uint32 generation) internal view returns (uint48) {
        IAlphaPoolsTypes.SubnetConfig memory config = POOLS.subnetConfig(netuid);
        if (!config.active || config.generation != generation) {
            revert WrongSubnet(netuid, generation, config.generation);
        }
        return _instance(netuid, generation);
    }

    function _instance(uint16 netuid, uint32 generation) internal pure returns (uint48) {
        return (uint48(generation) << 16) | netuid;
    }
}
