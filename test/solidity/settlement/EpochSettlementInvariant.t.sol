// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IEpochSettlement} from "../../../contracts/interfaces/IEpochSettlement.sol";
import {AlphaPools} from "../../../contracts/model/AlphaPools.sol";
import {EpochSettlement} from "../../../contracts/model/EpochSettlement.sol";
import {Assertions} from "../utils/Assertions.sol";
import {VM, Vm} from "../utils/Vm.sol";
import {Draft, Leaf, ReportLib} from "./ReportLib.sol";
import {SettlementBase} from "./SettlementBase.sol";
import {SIGNING_VM} from "./SigningVm.sol";

/// @notice Drives one subnet's settlement in random order (close, submit, veto, finalise, claim, time) as keepers,
/// a guardian and claimers would, and keeps ghost accounts of every epoch: its pot, what was credited, what it left
/// to claims and what was claimed. Expected rejections are checked to the exact error; anything else that reverts
/// fails the run.
contract SettlementHandler is Assertions {
    Vm internal constant vm = VM;

    /// @dev One epoch's report, by amounts: leaves M1, M2, V1, V2 (validators carry no incentive). `listed` says
    /// which validators finalisation pays (bit 0 V1, bit 1 V2); the others claim their dividends with their leaf.
    struct Plan {
        uint64 m1;
        uint64 m2;
        uint64 a1;
        uint64 r1;
        uint64 a2;
        uint64 r2;
        uint64 burned;
        uint64 declaredIncentive; // may be below m1 + m2: a quorum-signed tree that holds more than it declares
        uint8 listed;
    }

    struct Ghost {
        uint256 potAlphaRao;
        uint256 creditedAlphaRao; // at finalisation and by claims, as the pools' holdings grew
        uint256 claimableAlphaRao; // set at finalisation: the declared incentive and the unlisted dividends
        uint256 claimedAlphaRao;
    }

    EpochSettlement public immutable settlement;
    AlphaPools public immutable pools;
    uint16 public immutable netuid;
    uint32 public immutable generation;
    /// @dev The first epoch the handler closes (earlier ones were settled at set-up).
    uint32 public immutable firstEpoch;
    bytes32[5] internal hotkeys; // owner, V1, V2, M1, M2
    uint16[5] internal uids;
    uint256[] internal keeperPks;

    mapping(uint32 epoch => Plan) internal _plans;
    mapping(uint32 epoch => Ghost) public ghosts;
    mapping(uint32 epoch => mapping(uint256 leaf => bool)) public claimedLeaf;
    uint32 public lastClosed;
    uint32 public lastFinalised;

    // Violations: each must stay false.
    bool public epochNotMonotone;
    bool public creditedAbovePot;
    bool public doubleClaim;
    bool public claimAboveClaimable;
    bool public wrongRejection;
    bool public vetoedPaid;

    uint256 public closes;
    uint256 public submits;
    uint256 public rejectedSubmits;
    uint256 public vetoes;
    uint256 public finalisations;
    uint256 public claims;
    /// @dev Batches that paid at least one leaf.
    uint256 public batchClaims;
    uint256 public dividendClaims;
    uint256 public refusedClaims;

    constructor(
        EpochSettlement settlement_,
        AlphaPools pools_,
        uint16 netuid_,
        bytes32[5] memory hotkeys_,
        uint16[5] memory uids_,
        uint256[] memory keeperPks_
    ) {
        settlement = settlement_;
        pools = pools_;
        netuid = netuid_;
        generation = pools_.subnetConfig(netuid_).generation;
        hotkeys = hotkeys_;
        uids = uids_;
        keeperPks = keeperPks_;
        (, uint32 closed, uint32 finalised, ) = settlement_.progress(netuid_);
        (lastClosed, lastFinalised) = (closed, finalised);
        firstEpoch = finalised + 1;
    }

    /* ACTIONS */

    function roll(uint256 blocks) external {
        vm.roll(_now() + _bound(blocks, 1, 12));
    }

    /// @dev Closes the next epoch when it is due and the previous one is finalised; otherwise checks the refusal.
    function close(uint256 latency) external {
        (, uint32 closed, uint32 finalised, uint256 due) = settlement.progress(netuid);
        if (closed != finalised) {
            _expectRejection(
                abi.encodeCall(settlement.closeEpoch, (netuid)),
                abi.encodeWithSelector(IEpochSettlement.PreviousEpochOpen.selector, netuid, closed)
            );
            return;
        }
        if (_now() < due) vm.roll(due + _bound(latency, 0, 8));
        uint32 epoch = settlement.closeEpoch(netuid);
        if (epoch != lastClosed + 1 || epoch != closed + 1) epochNotMonotone = true;
        lastClosed = epoch;
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(epoch);
        ghosts[epoch].potAlphaRao =
            pot.ownerCutAlphaRao +
            pot.serverAlphaRao +
            pot.validatorAlphaRao +
            pot.rootAlphaRao;
        ++closes;
    }

    /// @dev Submits a random report for the open epoch: within the pot (a quarter of the time beyond a bound,
    /// which must be refused with that bound), sometimes with a tree holding more than it declares.
    function submit(uint256 seed) external {
        uint32 epoch = lastClosed;
        if (epoch == 0 || _status(epoch) != IEpochSettlement.Status.Closed) return;
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(epoch);
        Plan memory plan = _plan(pot, seed);
        Draft memory d = _draft(epoch, plan);
        bytes[] memory sigs = ReportLib.sign(ReportLib.digest(d.report), _quorum(seed));
        bytes memory rejection = _rejection(pot, plan);
        if (rejection.length != 0) {
            _expectRejection(abi.encodeCall(settlement.submitReport, (d.report, sigs)), rejection);
            ++rejectedSubmits;
            return;
        }
        settlement.submitReport(d.report, sigs);
        _plans[epoch] = plan;
        ++submits;
    }

    /// @dev The guardian vetoes the submitted report while its window is open; the vetoed payload can no longer
    /// be finalised and nothing moves.
    function veto() external {
        uint32 epoch = lastClosed;
        if (epoch == 0 || _status(epoch) != IEpochSettlement.Status.Submitted) return;
        uint256 deadline = settlement.epochRecord(netuid, generation, epoch).challengeDeadline;
        if (_now() >= deadline) {
            _expectRejection(
                abi.encodeCall(settlement.vetoReport, (netuid, epoch)),
                abi.encodeWithSelector(IEpochSettlement.ChallengeWindowOver.selector, netuid, epoch, deadline)
            );
            return;
        }
        uint256 held = _holdings();
        settlement.vetoReport(netuid, epoch);
        Draft memory d = _draft(epoch, _plans[epoch]);
        (bool ok, ) = address(settlement).call(
            abi.encodeCall(settlement.finaliseEpoch, (d.report, d.validators, d.permitWords))
        );
        if (ok || _holdings() != held) vetoedPaid = true;
        delete _plans[epoch];
        ++vetoes;
    }

    /// @dev Finalises the submitted report once its window is over.
    function finalise() external {
        uint32 epoch = lastClosed;
        if (epoch == 0 || _status(epoch) != IEpochSettlement.Status.Submitted) return;
        uint256 deadline = settlement.epochRecord(netuid, generation, epoch).challengeDeadline;
        Plan memory plan = _plans[epoch];
        Draft memory d = _draft(epoch, plan);
        if (_now() < deadline) {
            _expectRejection(
                abi.encodeCall(settlement.finaliseEpoch, (d.report, d.validators, d.permitWords)),
                abi.encodeWithSelector(IEpochSettlement.ChallengeWindowOpen.selector, netuid, epoch, deadline)
            );
            return;
        }
        uint256 held = _holdings();
        settlement.finaliseEpoch(d.report, d.validators, d.permitWords);
        Ghost storage g = ghosts[epoch];
        g.creditedAlphaRao += _holdings() - held;
        g.claimableAlphaRao =
            uint256(plan.declaredIncentive) +
            (plan.listed & 1 == 0 ? uint256(plan.a1) + plan.r1 : 0) +
            (plan.listed & 2 == 0 ? uint256(plan.a2) + plan.r2 : 0);
        if (g.creditedAlphaRao > g.potAlphaRao) creditedAbovePot = true;
        if (epoch != lastFinalised + 1) epochNotMonotone = true;
        lastFinalised = epoch;
        ++finalisations;
    }

    /// @dev Claims a leaf of a finalised epoch (any of them), on anyone's behalf.
    function claim(uint256 epochSeed, uint256 leafSeed) external {
        if (lastFinalised < firstEpoch) return;
        uint32 epoch = uint32(_bound(epochSeed, firstEpoch, lastFinalised));
        uint256 leaf = leafSeed % 4;
        Draft memory d = _draft(epoch, _plans[epoch]);
        Leaf memory l = d.leaves[leaf];
        bytes memory call_ = _claimCall(epoch, l, ReportLib.merkleProof(ReportLib.leafHashes(d.leaves), leaf));
        Ghost storage g = ghosts[epoch];
        if (claimedLeaf[epoch][leaf]) {
            bool paidTwice =
                !_expectRejection(
                    call_,
                    abi.encodeWithSelector(IEpochSettlement.AlreadyClaimed.selector, netuid, epoch, l.uid)
                );
            if (paidTwice) doubleClaim = true;
            ++refusedClaims;
            return;
        }
        // Leaves 2 and 3 are V1 and V2: their dividends are due unless finalisation paid them.
        bool dividendsDue = leaf >= 2 && (_plans[epoch].listed >> (leaf - 2)) & 1 == 0;
        uint256 payout =
            uint256(l.incentiveAlphaRao) +
                (dividendsDue ? uint256(l.alphaDividendAlphaRao) + l.rootDividendAlphaRao : 0);
        if (g.claimedAlphaRao + payout > g.claimableAlphaRao) {
            bool paidBeyond =
                !_expectRejection(
                    call_,
                    abi.encodeWithSelector(
                        IEpochSettlement.ClaimAboveReport.selector,
                        payout,
                        g.claimableAlphaRao - g.claimedAlphaRao
                    )
                );
            if (paidBeyond) claimAboveClaimable = true;
            ++refusedClaims;
            return;
        }
        uint256 held = _holdings();
        (bool ok, bytes memory err) = address(settlement).call(call_);
        if (!ok) _bubble(err);
        g.creditedAlphaRao += _holdings() - held;
        g.claimedAlphaRao += payout;
        claimedLeaf[epoch][leaf] = true;
        if (g.creditedAlphaRao > g.potAlphaRao) creditedAbovePot = true;
        if (g.claimedAlphaRao > g.claimableAlphaRao) claimAboveClaimable = true;
        if (dividendsDue) ++dividendClaims;
        ++claims;
    }

    /// @dev Claims a subset of a finalised epoch's leaves in one call (claimed ones included: they are skipped). The
    /// leaf that would exceed the claimable budget refuses the whole batch.
    function claimBatch(uint256 epochSeed, uint256 maskSeed) external {
        if (lastFinalised < firstEpoch) return;
        uint32 epoch = uint32(_bound(epochSeed, firstEpoch, lastFinalised));
        uint256 mask = _bound(maskSeed, 1, 15);
        Draft memory d = _draft(epoch, _plans[epoch]);
        bytes32[] memory hashes = ReportLib.leafHashes(d.leaves);
        IEpochSettlement.Claim[] memory batch = new IEpochSettlement.Claim[](_popcount(mask));
        Ghost storage g = ghosts[epoch];
        uint256 left = g.claimableAlphaRao - g.claimedAlphaRao;
        uint256 due;
        uint256 payouts;
        bytes memory refusal;
        uint256 n;
        for (uint256 leaf; leaf < 4; ++leaf) {
            if ((mask >> leaf) & 1 == 0) continue;
            Leaf memory l = d.leaves[leaf];
            batch[n++] = IEpochSettlement.Claim(
                l.uid,
                l.hotkey,
                l.incentiveAlphaRao,
                l.alphaDividendAlphaRao,
                l.rootDividendAlphaRao,
                ReportLib.merkleProof(hashes, leaf)
            );
            if (claimedLeaf[epoch][leaf] || refusal.length != 0) continue;
            bool dividendsDue = leaf >= 2 && (_plans[epoch].listed >> (leaf - 2)) & 1 == 0;
            uint256 payout =
                uint256(l.incentiveAlphaRao) +
                    (dividendsDue ? uint256(l.alphaDividendAlphaRao) + l.rootDividendAlphaRao : 0);
            if (payouts + payout > left) {
                refusal = abi.encodeWithSelector(IEpochSettlement.ClaimAboveReport.selector, payout, left - payouts);
                continue;
            }
            payouts += payout;
            ++due;
        }
        bytes memory call_ = abi.encodeCall(settlement.claimIncentives, (netuid, epoch, batch));
        if (refusal.length != 0) {
            if (!_expectRejection(call_, refusal)) claimAboveClaimable = true;
            ++refusedClaims;
            return;
        }
        uint256 held = _holdings();
        (bool ok, bytes memory ret) = address(settlement).call(call_);
        if (!ok) _bubble(ret);
        if (abi.decode(ret, (uint256)) != due) doubleClaim = true; // a skipped leaf paid, or a due one not
        if (due != 0) ++batchClaims;
        g.creditedAlphaRao += _holdings() - held;
        g.claimedAlphaRao += payouts;
        for (uint256 leaf; leaf < 4; ++leaf) {
            if ((mask >> leaf) & 1 == 0 || claimedLeaf[epoch][leaf]) continue;
            claimedLeaf[epoch][leaf] = true;
            bool dividendsDue = leaf >= 2 && (_plans[epoch].listed >> (leaf - 2)) & 1 == 0;
            if (dividendsDue) ++dividendClaims;
            ++claims;
        }
        if (g.creditedAlphaRao > g.potAlphaRao) creditedAbovePot = true;
        if (g.claimedAlphaRao > g.claimableAlphaRao) claimAboveClaimable = true;
    }

    function _popcount(uint256 x) internal pure returns (uint256 n) {
        for (; x != 0; x >>= 1) n += x & 1;
    }

    function _claimCall(uint32 epoch, Leaf memory l, bytes32[] memory proof) internal view returns (bytes memory) {
        return
            abi.encodeCall(
                settlement.claimIncentive,
                (
                    netuid,
                    epoch,
                    l.uid,
                    l.hotkey,
                    l.incentiveAlphaRao,
                    l.alphaDividendAlphaRao,
                    l.rootDividendAlphaRao,
                    proof
                )
            );
    }

    /* REPORTS */

    /// @dev Amounts within the pot by construction; with seed bit 0..1 = 0 one bound is broken by one rao or more.
    function _plan(IAlphaPoolsTypes.PendingEmission memory pot, uint256 seed) internal pure returns (Plan memory p) {
        uint256 server = pot.serverAlphaRao;
        uint256 incentive = _bound(seed >> 8, 0, server);
        uint256 burned = (seed >> 72) % 4 == 0 ? 0 : _bound(seed >> 80, 0, server - incentive);
        if ((seed >> 88) % 5 == 0) (incentive, burned) = (0, 0); // no incentive: miners' bucket to validators
        uint256 validatorPot = pot.validatorAlphaRao + (incentive + burned == 0 ? server : 0);
        uint256 alpha = _bound(seed >> 96, 0, validatorPot);
        uint256 root = _bound(seed >> 160, 0, pot.rootAlphaRao);
        if (seed % 4 == 0) {
            uint256 which = (seed >> 2) % 3;
            uint256 excess = 1 + ((seed >> 4) % 1_000);
            if (which == 0) alpha = validatorPot + excess;
            else if (which == 1) root = pot.rootAlphaRao + excess;
            else incentive = server + pot.validatorAlphaRao + pot.rootAlphaRao + excess - burned - alpha - root;
        }
        p.m1 = uint64(_bound(seed >> 200, 0, incentive));
        p.m2 = uint64(incentive - p.m1);
        p.a1 = uint64(_bound(seed >> 210, 0, alpha));
        p.a2 = uint64(alpha - p.a1);
        p.r1 = uint64(_bound(seed >> 220, 0, root));
        p.r2 = uint64(root - p.r1);
        p.burned = uint64(burned);
        uint256 shortBy = (seed >> 230) % 3 == 0 ? _bound(seed >> 232, 1, incentive + 1) : 0;
        p.declaredIncentive = uint64(incentive - (shortBy > incentive ? incentive : shortBy));
        p.listed = uint8((seed >> 250) % 4);
    }

    /// @dev The refusal the documented bounds call for, in the order the contract checks them ("" if none).
    function _rejection(
        IAlphaPoolsTypes.PendingEmission memory pot,
        Plan memory p
    ) internal pure returns (bytes memory) {
        uint256 distributable = pot.serverAlphaRao + pot.validatorAlphaRao + pot.rootAlphaRao;
        uint256 incentive = uint256(p.declaredIncentive) + p.burned;
        uint256 alpha = uint256(p.a1) + p.a2;
        uint256 root = uint256(p.r1) + p.r2;
        bytes4 selector = IEpochSettlement.TotalsAbovePot.selector;
        if (incentive + alpha + root > distributable) {
            return abi.encodeWithSelector(selector, incentive + alpha + root, distributable);
        }
        if (root > pot.rootAlphaRao) return abi.encodeWithSelector(selector, root, pot.rootAlphaRao);
        uint256 validatorPot = pot.validatorAlphaRao + (incentive == 0 ? pot.serverAlphaRao : 0);
        if (alpha > validatorPot) return abi.encodeWithSelector(selector, alpha, validatorPot);
        return "";
    }

    function _draft(uint32 epoch, Plan memory p) internal view returns (Draft memory d) {
        d.leaves = new Leaf[](4);
        d.leaves[0] = Leaf(uids[3], hotkeys[3], p.m1, 0, 0);
        d.leaves[1] = Leaf(uids[4], hotkeys[4], p.m2, 0, 0);
        d.leaves[2] = Leaf(uids[1], hotkeys[1], 0, p.a1, p.r1);
        d.leaves[3] = Leaf(uids[2], hotkeys[2], 0, p.a2, p.r2);
        uint256 listed = (p.listed & 1) + ((p.listed >> 1) & 1);
        d.validators = new IEpochSettlement.ValidatorPayout[](listed);
        uint256 k;
        if (p.listed & 1 != 0) d.validators[k++] = IEpochSettlement.ValidatorPayout(hotkeys[1], uids[1], p.a1, p.r1);
        if (p.listed & 2 != 0) d.validators[k++] = IEpochSettlement.ValidatorPayout(hotkeys[2], uids[2], p.a2, p.r2);
        d.permitWords = new uint256[](1);
        d.permitWords[0] = 1 | (1 << uids[1]) | (1 << uids[2]);
        IEpochSettlement.Report memory r = d.report;
        (r.chainId, r.settlement, r.netuid, r.generation, r.epoch) = (
            block.chainid,
            address(settlement),
            netuid,
            generation,
            epoch
        );
        r.snapshotBlock = settlement.epochRecord(netuid, generation, epoch).snapshotBlock;
        r.inputsHash = keccak256(abi.encode("inputs", epoch));
        r.stateHash = keccak256(abi.encode("state", epoch));
        ReportLib.seal(d);
        r.incentiveAlphaRao = p.declaredIncentive;
        r.burnedIncentiveAlphaRao = p.burned;
    }

    /// @dev Two of the three keepers, by the seed, in ascending order.
    function _quorum(uint256 seed) internal view returns (uint256[] memory pks) {
        uint256 skip = (seed >> 240) % 3;
        pks = new uint256[](2);
        uint256 k;
        for (uint256 i; i < 3; ++i) if (i != skip) pks[k++] = keeperPks[i];
    }

    /* HELPERS */

    /// @dev Calls the settlement and requires exactly `expected` as the revert; returns whether it reverted so.
    function _expectRejection(bytes memory call_, bytes memory expected) internal returns (bool) {
        (bool ok, bytes memory err) = address(settlement).call(call_);
        if (ok || keccak256(err) != keccak256(expected)) {
            wrongRejection = true;
            return false;
        }
        return true;
    }

    function _bubble(bytes memory err) internal pure {
        assembly ("memory-safe") {
            revert(add(err, 0x20), mload(err))
        }
    }

    /// @dev Everything the settlement's payouts can reach: the five hotkeys' pools (vested and vesting) and the
    /// root stakers' debt. Nothing else moves stake while the handler runs.
    function _holdings() internal view returns (uint256 held) {
        for (uint256 i; i < hotkeys.length; ++i) {
            IAlphaPoolsTypes.HotkeyPool memory p = pools.hotkeyPool(hotkeys[i], netuid);
            held += uint256(p.alphaRao) + p.unvestedAlphaRao;
        }
        (, uint256 rootOwed) = pools.owedAlpha(netuid, generation);
        held += rootOwed;
    }

    function _pot(uint32 epoch) internal view returns (IAlphaPoolsTypes.PendingEmission memory pot) {
        IEpochSettlement.EpochRecord memory rec = settlement.epochRecord(netuid, generation, epoch);
        pot.ownerCutAlphaRao = rec.potOwnerCutAlphaRao;
        pot.serverAlphaRao = rec.potServerAlphaRao;
        pot.validatorAlphaRao = rec.potValidatorAlphaRao;
        pot.rootAlphaRao = rec.potRootAlphaRao;
    }

    function _status(uint32 epoch) internal view returns (IEpochSettlement.Status) {
        return settlement.epochRecord(netuid, generation, epoch).status;
    }

    function _now() internal view returns (uint256) {
        return SIGNING_VM.getBlockNumber();
    }
}

/// @notice Invariants of the settlement under random sequences of closes, reports, vetoes, finalisations, claims
/// and time.
contract EpochSettlementInvariantTest is SettlementBase {
    SettlementHandler internal handler;

    function _challengeWindowBlocks() internal pure override returns (uint32) {
        return 3;
    }

    function setUp() public virtual override {
        super.setUp();
        _openEconomy();
        _enableRootShare();
        _stake(alice, V1, netuid, 20 * TAO);
        _settleEmpty(netuid); // the handler starts at epoch 2, with every bucket filled
        handler = new SettlementHandler(
            settlement,
            pools,
            netuid,
            [OWNER1_HOTKEY, V1, V2, M1, M2],
            [uint16(0), uidV1, uidV2, uidM1, uidM2],
            keeperPks
        );
        bytes32 role = settlement.GUARDIAN_ROLE();
        vm.prank(admin);
        settlement.grantRole(role, address(handler));
        handler.close(0);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev The handler is not vacuous: a fixed sequence of its actions reaches every path (closes, refused and
    /// accepted reports, vetoes, finalisations, claims paid and refused, one by one and in batches), and the
    /// invariants hold after it.
    function test_handler_reachesEveryPath() public {
        for (uint256 i; i < 80; ++i) {
            uint256 seed = uint256(keccak256(abi.encode(i)));
            handler.close(seed);
            handler.submit(seed);
            if (i % 4 == 1) handler.veto();
            handler.roll(2); // past the window of 3 blocks
            handler.finalise();
            handler.claim(seed, seed >> 8);
            handler.claim(seed >> 16, seed >> 24);
            handler.claimBatch(seed >> 32, seed >> 40);
        }
        assertGt(handler.closes(), 10, "closes");
        assertGt(handler.submits(), 10, "accepted reports");
        assertGt(handler.rejectedSubmits(), 0, "refused reports");
        assertGt(handler.vetoes(), 0, "vetoes");
        assertGt(handler.finalisations(), 10, "finalisations");
        assertGt(handler.claims(), 10, "claims paid");
        assertGt(handler.dividendClaims(), 0, "dividends claimed with a leaf");
        assertGt(handler.refusedClaims(), 0, "claims refused");
        assertGt(handler.batchClaims(), 10, "batches paid");
        invariant_creditedWithinThePot();
        invariant_noDoubleClaim();
        invariant_claimsWithinClaimable();
        invariant_epochsMonotone();
        invariant_owedEqualsOpenPotsAndClaimable();
        invariant_rejectionsAreExact();
    }

    /// @dev Per epoch: what was credited (at finalisation and by claims) never exceeds the pot.
    function invariant_creditedWithinThePot() public view {
        assertTrue(!handler.creditedAbovePot(), "credited above the pot");
        for (uint32 e = handler.firstEpoch(); e <= handler.lastClosed(); ++e) {
            (uint256 pot, uint256 credited, , ) = handler.ghosts(e);
            assertLe(credited, pot, "credited <= pot");
        }
    }

    function invariant_noDoubleClaim() public view {
        assertTrue(!handler.doubleClaim(), "a leaf paid twice");
    }

    /// @dev Claims never pay beyond the epoch's claimable budget (the declared incentive and the dividends of uids
    /// finalisation did not pay), and the contract's budget left matches the ghosts'.
    function invariant_claimsWithinClaimable() public view {
        assertTrue(!handler.claimAboveClaimable(), "claimed above the claimable budget");
        for (uint32 e = handler.firstEpoch(); e <= handler.lastFinalised(); ++e) {
            IEpochSettlement.EpochRecord memory rec = _record(netuid, e);
            (, , uint256 claimable, uint256 claimed) = handler.ghosts(e);
            assertLe(claimed, claimable, "claimed <= claimable");
            assertEq(rec.claimableAlphaRao, claimable - claimed, "budget left: contract = ghost");
        }
    }

    /// @dev Epochs close one after the other, each only after the previous is finalised.
    function invariant_epochsMonotone() public view {
        assertTrue(!handler.epochNotMonotone(), "epochs out of order");
        (, uint32 closed, uint32 finalised, ) = settlement.progress(netuid);
        assertEq(closed, handler.lastClosed(), "closed");
        assertEq(finalised, handler.lastFinalised(), "finalised");
        assertLe(finalised, closed, "finalised <= closed");
        assertLe(closed - finalised, 1, "at most one open epoch");
    }

    /// @dev The pools' settlement debt is exactly the pots of open epochs plus what finalised ones leave to claims.
    function invariant_owedEqualsOpenPotsAndClaimable() public view {
        uint256 expected;
        (, uint32 closed, , ) = settlement.progress(netuid);
        for (uint32 e = 1; e <= closed; ++e) {
            IEpochSettlement.EpochRecord memory rec = _record(netuid, e);
            if (rec.status == IEpochSettlement.Status.Finalised) expected += rec.claimableAlphaRao;
            else expected += _potTotal(_pot(netuid, e));
        }
        assertEq(_settlementOwed(netuid), expected, "owed = open pots + claimable");
    }

    function invariant_rejectionsAreExact() public view {
        assertTrue(!handler.wrongRejection(), "a call was refused with another error, or not refused");
        assertTrue(!handler.vetoedPaid(), "a vetoed report paid");
    }
}
