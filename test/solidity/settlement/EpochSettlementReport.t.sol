// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IEpochSettlement} from "../../../contracts/interfaces/IEpochSettlement.sol";
import {EpochSettlement} from "../../../contracts/model/EpochSettlement.sol";
import {Draft, Leaf, ReportLib} from "./ReportLib.sol";
import {SettlementBase} from "./SettlementBase.sol";

/// @notice Submitting reports: what a quorum-signed report records, every rejection with its values, replay across
/// chains, contracts and netuids, malleable signatures, and the EIP-712 digest against an independent computation.
/// @dev Two subnets each have epoch 1 closed in the same block (the same snapshot), so a report can be moved from
/// one to the other.
contract EpochSettlementReportTest is SettlementBase {
    uint16 internal other;

    function setUp() public virtual override {
        super.setUp();
        _openEconomy();
        other = _openEmittingSubnet(owner2, OWNER2_HOTKEY);
        uint256 dueA = _dueBlock(netuid);
        uint256 dueB = _dueBlock(other);
        vm.roll(dueA > dueB ? dueA : dueB);
        settlement.closeEpoch(netuid);
        settlement.closeEpoch(other);
    }

    /* ACCEPTED */

    /// @dev Submission keeps only the report's digest and its deadline (the pot and the bound stay as the close set
    /// them; the results root waits for finalisation); the event carries what a verifier needs to find the report.
    function test_submit_recordsTheReport() public {
        Draft memory d = _standardDraft(1);
        IEpochSettlement.Report memory r = d.report;
        bytes32 digest = ReportLib.digest(r);
        address[] memory signers = new address[](2);
        (signers[0], signers[1]) = (keepers[0], keepers[1]);
        IEpochSettlement.EpochRecord memory closed = _record(netuid, 1);
        svm.expectEmit(true, true, false, true, address(settlement));
        emit IEpochSettlement.SubmitReport(
            netuid,
            1,
            r.generation,
            r.inputsHash,
            digest,
            r.resultsRoot,
            r.stateHash,
            _blockNumber(),
            signers
        );
        _submit(d);

        IEpochSettlement.EpochRecord memory rec = _record(netuid, 1);
        assertEq(uint256(rec.status), uint256(IEpochSettlement.Status.Submitted), "submitted");
        assertEq(rec.challengeDeadline, _blockNumber(), "window 0: finalisable now");
        assertEq(rec.reportDigest, digest, "digest");
        assertEq(rec.resultsRoot, bytes32(0), "the results root is set at finalisation");
        assertEq(rec.claimableAlphaRao, 0, "nothing claimable before finalisation");
        assertEq(rec.snapshotBlock, closed.snapshotBlock, "snapshot kept");
        assertEq(rec.maxValidators, closed.maxValidators, "bound kept");
        assertEq(rec.potOwnerCutAlphaRao, closed.potOwnerCutAlphaRao, "owner cut kept");
        assertEq(rec.potServerAlphaRao, closed.potServerAlphaRao, "server kept");
        assertEq(rec.potValidatorAlphaRao, closed.potValidatorAlphaRao, "validators kept");
        assertEq(rec.potRootAlphaRao, closed.potRootAlphaRao, "root kept");
        assertGt(r.incentiveAlphaRao, 0, "a non-trivial report");
        assertTrue(r.inputsHash != bytes32(0) && r.generation == 1, "generation and inputs hash in the event");
    }

    function test_submit_acceptsEveryKeeperAndAnyQuorumSubset() public {
        uint256[] memory all = new uint256[](3);
        (all[0], all[1], all[2]) = (keeperPks[0], keeperPks[1], keeperPks[2]);
        Draft memory d = _standardDraft(1);
        settlement.submitReport(d.report, _signatures(d.report, all));
        Draft memory e = _emptyDraft(other, 1);
        settlement.submitReport(e.report, _signatures(e.report, _pks(0, 2)));
        assertEq(uint256(_record(other, 1).status), uint256(IEpochSettlement.Status.Submitted), "keepers 0 and 2");
    }

    /// @dev The bounds are inclusive: a report may distribute the whole pot.
    function test_submit_acceptsTotalsEqualToThePot() public {
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(netuid, 1);
        Draft memory d = _emptyDraft(netuid, 1);
        d.report.incentiveAlphaRao = uint64(pot.serverAlphaRao - 5);
        d.report.burnedIncentiveAlphaRao = 5;
        d.report.alphaDividendsAlphaRao = uint64(pot.validatorAlphaRao);
        _submit(d);
        assertEq(_record(netuid, 1).reportDigest, ReportLib.digest(d.report), "accepted");
    }

    /// @dev Yuma pays miners about half of the whole pot, not the miners' bucket: only the sum is bounded.
    function test_submit_acceptsIncentiveAboveTheMinersBucket() public {
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(netuid, 1);
        Draft memory d = _emptyDraft(netuid, 1);
        d.report.incentiveAlphaRao = uint64(pot.serverAlphaRao + pot.validatorAlphaRao / 2);
        d.report.alphaDividendsAlphaRao = uint64(pot.validatorAlphaRao / 2);
        _submit(d);
        assertEq(uint256(_record(netuid, 1).status), uint256(IEpochSettlement.Status.Submitted), "accepted");
    }

    /* EIP-712 */

    function test_digest_matchesAnIndependentEip712Computation() public {
        Draft memory d = _standardDraft(1);
        assertEq(settlement.REPORT_TYPEHASH(), keccak256(bytes(ReportLib.REPORT_TYPE)), "type hash");
        (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            ,

        ) = settlement.eip712Domain();
        assertEq(uint8(fields), 0x0f, "name, version, chain id, verifying contract");
        assertEq(keccak256(bytes(name)), keccak256(bytes(ReportLib.DOMAIN_NAME)), "name");
        assertEq(keccak256(bytes(version)), keccak256(bytes(ReportLib.DOMAIN_VERSION)), "version");
        assertEq(chainId, homeChainId, "chain id");
        assertEq(verifyingContract, address(settlement), "verifying contract");
        assertEq(settlement.reportDigest(d.report), ReportLib.digest(d.report), "digest");

        // every field is bound
        for (uint256 field; field < 16; ++field) {
            IEpochSettlement.Report memory r = _copy(d.report);
            _bump(r, field);
            assertTrue(settlement.reportDigest(r) != ReportLib.digest(d.report), "a field changes the digest");
            assertEq(
                settlement.reportDigest(r),
                ReportLib.digest(r, address(settlement), homeChainId),
                "still EIP-712"
            );
        }

        // the domain follows the chain id (OpenZeppelin's EIP712 rebuilds its cached separator)
        uint256 original = homeChainId;
        svm.chainId(945);
        assertEq(settlement.reportDigest(d.report), ReportLib.digest(d.report, address(settlement), 945), "on 945");
        svm.chainId(original);
    }

    function test_leaf_isTheStandardDoubleKeccakLeaf() public view {
        Leaf memory l = _leaf(7, M1, 123_456, 789, 10);
        assertEq(
            settlement.resultLeaf(
                l.uid,
                l.hotkey,
                l.incentiveAlphaRao,
                l.alphaDividendAlphaRao,
                l.rootDividendAlphaRao
            ),
            ReportLib.leafHash(l),
            "leaf"
        );
    }

    /* REJECTIONS, IN THE ORDER THEY ARE CHECKED */

    function test_submit_wrongChain() public {
        Draft memory d = _standardDraft(1);
        d.report.chainId = 945;
        bytes[] memory sigs = _quorumSignatures(d.report);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.WrongChain.selector, uint256(945), homeChainId));
        settlement.submitReport(d.report, sigs);
    }

    /// @dev A report signed for this chain is refused on a chain with another id, whether its chain field is left
    /// (WrongChain) or rewritten (the EIP-712 domain no longer matches: the signatures recover strangers).
    function test_replay_acrossChainIds() public {
        Draft memory d = _standardDraft(1);
        bytes[] memory sigs = _quorumSignatures(d.report);
        uint256 original = homeChainId;

        svm.chainId(964);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.WrongChain.selector, original, uint256(964)));
        settlement.submitReport(d.report, sigs);

        d.report.chainId = 964;
        address recovered = _recover(ReportLib.digest(d.report, address(settlement), 964), sigs[0]);
        assertTrue(!settlement.isKeeper(recovered), "a stranger");
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.UnknownSigner.selector, recovered));
        settlement.submitReport(d.report, sigs);

        // on its own chain it is valid
        svm.chainId(original);
        d.report.chainId = original;
        settlement.submitReport(d.report, sigs);
        assertEq(uint256(_record(netuid, 1).status), uint256(IEpochSettlement.Status.Submitted), "accepted at home");
    }

    /// @dev A second deployment with the same keepers refuses the first one's report.
    function test_replay_acrossSettlementContracts() public {
        EpochSettlement second = _deploySettlement(0);
        assertEq(second.closeEpoch(netuid), 1, "closed in the same block: same snapshot, empty pot");
        Draft memory d = _emptyDraft(netuid, 1); // for `settlement`
        bytes[] memory sigs = _quorumSignatures(d.report);

        vm.expectRevert(
            abi.encodeWithSelector(IEpochSettlement.WrongSettlement.selector, address(settlement), address(second))
        );
        second.submitReport(d.report, sigs);

        d.report.settlement = address(second);
        address recovered = _recover(ReportLib.digest(d.report), sigs[0]);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.UnknownSigner.selector, recovered));
        second.submitReport(d.report, sigs);

        d.report.settlement = address(settlement);
        settlement.submitReport(d.report, sigs);
        assertEq(uint256(_record(netuid, 1).status), uint256(IEpochSettlement.Status.Submitted), "valid where signed");
    }

    /// @dev A subnet that is not open (never registered) is the wrong subnet.
    function test_submit_wrongSubnet_notRegistered() public {
        Draft memory d = _emptyDraft(netuid, 1);
        d.report.netuid = 9;
        bytes[] memory sigs = _quorumSignatures(d.report);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.WrongSubnet.selector, uint16(9), uint32(1), uint32(0)));
        settlement.submitReport(d.report, sigs);
    }

    function test_submit_wrongSubnet_otherGeneration() public {
        Draft memory d = _emptyDraft(netuid, 1);
        d.report.generation = 2;
        bytes[] memory sigs = _quorumSignatures(d.report);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.WrongSubnet.selector, netuid, uint32(2), uint32(1)));
        settlement.submitReport(d.report, sigs);
    }

    /// @dev Netuid A's report moved to netuid B (same epoch and snapshot) recovers strangers.
    function test_replay_acrossNetuids() public {
        Draft memory d = _emptyDraft(netuid, 1);
        bytes[] memory sigs = _quorumSignatures(d.report);
        d.report.netuid = other;
        address recovered = _recover(ReportLib.digest(d.report), sigs[0]);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.UnknownSigner.selector, recovered));
        settlement.submitReport(d.report, sigs);
    }

    function test_submit_staleEpoch() public {
        Draft memory zero = _emptyDraft(netuid, 1);
        zero.report.epoch = 0;
        bytes[] memory sigs = _quorumSignatures(zero.report);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.StaleEpoch.selector, netuid, uint32(0), uint32(0)));
        settlement.submitReport(zero.report, sigs);

        Draft memory d = _standardDraft(1);
        _submit(d);
        _finalise(d);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.StaleEpoch.selector, netuid, uint32(1), uint32(1)));
        _submit(d);
        // a later, stale report of the same epoch too
        Draft memory late = _emptyDraft(netuid, 1);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.StaleEpoch.selector, netuid, uint32(1), uint32(1)));
        _submit(late);
    }

    function test_submit_epochNotClosed() public {
        Draft memory d = _emptyDraft(netuid, 1);
        d.report.epoch = 2;
        bytes[] memory sigs = _quorumSignatures(d.report);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.EpochNotClosed.selector,
                netuid,
                uint32(2),
                IEpochSettlement.Status.None
            )
        );
        settlement.submitReport(d.report, sigs);
    }

    /// @dev A retry, or a different report for the same epoch, cannot replace the submitted one.
    function test_submit_duplicateReport() public {
        Draft memory d = _standardDraft(1);
        _submit(d);
        bytes32 digest = ReportLib.digest(d.report);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.DuplicateReport.selector, netuid, uint32(1), digest));
        _submit(d);
        Draft memory rival = _emptyDraft(netuid, 1);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.DuplicateReport.selector, netuid, uint32(1), digest));
        _submit(rival);
        assertEq(_record(netuid, 1).reportDigest, digest, "the first report stands");
    }

    function test_submit_snapshotMismatch() public {
        Draft memory d = _standardDraft(1);
        uint32 snapshot = d.report.snapshotBlock;
        d.report.snapshotBlock = snapshot - 1;
        bytes[] memory sigs = _quorumSignatures(d.report);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.SnapshotMismatch.selector, snapshot - 1, snapshot));
        settlement.submitReport(d.report, sigs);
    }

    function test_submit_totalsAbovePot_sum() public {
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(netuid, 1);
        uint256 distributable = _distributable(pot);
        Draft memory d = _emptyDraft(netuid, 1);
        d.report.incentiveAlphaRao = uint64(pot.serverAlphaRao);
        d.report.burnedIncentiveAlphaRao = 1;
        d.report.alphaDividendsAlphaRao = uint64(pot.validatorAlphaRao);
        bytes[] memory sigs = _quorumSignatures(d.report);
        vm.expectRevert(
            abi.encodeWithSelector(IEpochSettlement.TotalsAbovePot.selector, distributable + 1, distributable)
        );
        settlement.submitReport(d.report, sigs);
    }

    function test_submit_totalsAbovePot_root() public {
        assertEq(_pot(netuid, 1).rootAlphaRao, 0, "no root bucket without the root sell flag");
        Draft memory d = _emptyDraft(netuid, 1);
        d.report.rootDividendsAlphaRao = 1;
        bytes[] memory sigs = _quorumSignatures(d.report);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.TotalsAbovePot.selector, uint256(1), uint256(0)));
        settlement.submitReport(d.report, sigs);
    }

    /// @dev With any incentive (burned counts), alpha dividends are bounded by the validators' bucket.
    function test_submit_totalsAbovePot_alphaDividends() public {
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(netuid, 1);
        Draft memory d = _emptyDraft(netuid, 1);
        d.report.burnedIncentiveAlphaRao = 1;
        d.report.alphaDividendsAlphaRao = uint64(pot.validatorAlphaRao + 1);
        bytes[] memory sigs = _quorumSignatures(d.report);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.TotalsAbovePot.selector,
                pot.validatorAlphaRao + 1,
                pot.validatorAlphaRao
            )
        );
        settlement.submitReport(d.report, sigs);

        d.report.burnedIncentiveAlphaRao = 0;
        d.report.incentiveAlphaRao = 1;
        sigs = _quorumSignatures(d.report);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.TotalsAbovePot.selector,
                pot.validatorAlphaRao + 1,
                pot.validatorAlphaRao
            )
        );
        settlement.submitReport(d.report, sigs);

        // without incentive the miners' bucket goes to validators, as subtensor does
        d.report.incentiveAlphaRao = 0;
        d.report.alphaDividendsAlphaRao = uint64(pot.validatorAlphaRao + pot.serverAlphaRao);
        _submit(d);
        assertEq(_record(netuid, 1).reportDigest, ReportLib.digest(d.report), "accepted");
    }

    function test_submit_unknownSigner() public {
        Draft memory d = _standardDraft(1);
        uint256[] memory pks = new uint256[](2);
        (pks[0], pks[1]) = (OUTSIDER_PK, keeperPks[2]);
        bytes[] memory sigs = _signatures(d.report, pks);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.UnknownSigner.selector, svm.addr(OUTSIDER_PK)));
        settlement.submitReport(d.report, sigs);
    }

    /// @dev A keeper removed by governance no longer counts, even for a report it signed before.
    function test_submit_removedKeeperIsUnknown() public {
        Draft memory d = _standardDraft(1);
        bytes[] memory sigs = _quorumSignatures(d.report);
        vm.prank(admin);
        settlement.setKeeper(keepers[0], false);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.UnknownSigner.selector, keepers[0]));
        settlement.submitReport(d.report, sigs);
    }

    function test_submit_repeatedSigner() public {
        Draft memory d = _standardDraft(1);
        bytes[] memory sigs = _signatures(d.report, _pks(1, 1));
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.RepeatedSigner.selector, keepers[1]));
        settlement.submitReport(d.report, sigs);
    }

    /// @dev A malleated copy of a keeper's signature cannot count as a second signer either.
    function test_submit_malleableSignatureIsRejected() public {
        Draft memory d = _standardDraft(1);
        bytes32 digest = ReportLib.digest(d.report);
        bytes[] memory sigs = _quorumSignatures(d.report);
        bytes memory twin = ReportLib.malleate(sigs[0]);
        assertEq(_recover(digest, twin), keepers[0], "ecrecover accepts the high-s twin");
        (, bytes32 highS, ) = ReportLib.split(twin);
        assertGt(uint256(highS), ReportLib.SECP256K1_N / 2, "high s");

        bytes[] memory withTwin = new bytes[](2);
        (withTwin[0], withTwin[1]) = (twin, sigs[1]);
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, highS));
        settlement.submitReport(d.report, withTwin);
        (withTwin[0], withTwin[1]) = (sigs[0], twin);
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, highS));
        settlement.submitReport(d.report, withTwin);
    }

    /// @dev ERC-2098 compact signatures and garbage are refused by OpenZeppelin's ECDSA.
    function test_submit_malformedSignatures() public {
        Draft memory d = _standardDraft(1);
        bytes[] memory sigs = _quorumSignatures(d.report);
        (bytes32 r, bytes32 s, uint8 v) = ReportLib.split(sigs[0]);
        bytes32 vs = bytes32(uint256(s) | (uint256(v - 27) << 255));
        bytes[] memory bad = new bytes[](2);
        (bad[0], bad[1]) = (abi.encodePacked(r, vs), sigs[1]);
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureLength.selector, uint256(64)));
        settlement.submitReport(d.report, bad);
        bad[0] = abi.encodePacked(bytes32(0), s, v);
        vm.expectRevert(ECDSA.ECDSAInvalidSignature.selector);
        settlement.submitReport(d.report, bad);
    }

    function test_submit_signersNotAscending() public {
        Draft memory d = _standardDraft(1);
        bytes[] memory sigs = _signatures(d.report, _pks(1, 0));
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.SignersNotAscending.selector, keepers[0], keepers[1]));
        settlement.submitReport(d.report, sigs);
    }

    function test_submit_belowQuorum() public {
        Draft memory d = _standardDraft(1);
        bytes[] memory one = _signatures(d.report, _pks(2));
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.BelowQuorum.selector, uint256(1), uint256(2)));
        settlement.submitReport(d.report, one);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.BelowQuorum.selector, uint256(0), uint256(2)));
        settlement.submitReport(d.report, new bytes[](0));

        vm.prank(admin);
        settlement.setQuorum(3);
        bytes[] memory two = _quorumSignatures(d.report);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.BelowQuorum.selector, uint256(2), uint256(3)));
        settlement.submitReport(d.report, two);
    }

    /// @dev Anyone may send a signed report: the signatures, not the sender, carry the authority.
    function test_submit_anySenderMaySubmit() public {
        Draft memory d = _standardDraft(1);
        bytes[] memory sigs = _quorumSignatures(d.report);
        vm.prank(stranger);
        settlement.submitReport(d.report, sigs);
        assertEq(uint256(_record(netuid, 1).status), uint256(IEpochSettlement.Status.Submitted), "submitted");
    }

    /* WINDOW 0 */

    function test_window0_finalisesInTheSameBlockAndCannotBeVetoed() public {
        Draft memory d = _standardDraft(1);
        _submit(d);
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(IEpochSettlement.ChallengeWindowOver.selector, netuid, uint32(1), _blockNumber())
        );
        settlement.vetoReport(netuid, 1);
        _finalise(d);
        assertEq(uint256(_record(netuid, 1).status), uint256(IEpochSettlement.Status.Finalised), "same block");
    }

    /* HELPERS */

    function _recover(bytes32 digest, bytes memory signature) internal pure returns (address) {
        (bytes32 r, bytes32 s, uint8 v) = ReportLib.split(signature);
        return ecrecover(digest, v, r, s);
    }

    function _copy(IEpochSettlement.Report memory r) internal pure returns (IEpochSettlement.Report memory c) {
        c = IEpochSettlement.Report(
            r.chainId,
            r.settlement,
            r.netuid,
            r.generation,
            r.epoch,
            r.snapshotBlock,
            r.inputsHash,
            r.resultsRoot,
            r.stateHash,
            r.validatorsHash,
            r.permitsHash,
            r.incentiveAlphaRao,
            r.burnedIncentiveAlphaRao,
            r.alphaDividendsAlphaRao,
            r.rootDividendsAlphaRao,
            r.minerBurnOf65535
        );
    }

    /// @dev Changes field number `field` of a report by one.
    function _bump(IEpochSettlement.Report memory r, uint256 field) internal pure {
        if (field == 0) r.chainId += 1;
        else if (field == 1) r.settlement = address(uint160(r.settlement) + 1);
        else if (field == 2) r.netuid += 1;
        else if (field == 3) r.generation += 1;
        else if (field == 4) r.epoch += 1;
        else if (field == 5) r.snapshotBlock += 1;
        else if (field == 6) r.inputsHash = bytes32(uint256(r.inputsHash) ^ 1);
        else if (field == 7) r.resultsRoot = bytes32(uint256(r.resultsRoot) ^ 1);
        else if (field == 8) r.stateHash = bytes32(uint256(r.stateHash) ^ 1);
        else if (field == 9) r.validatorsHash = bytes32(uint256(r.validatorsHash) ^ 1);
        else if (field == 10) r.permitsHash = bytes32(uint256(r.permitsHash) ^ 1);
        else if (field == 11) r.incentiveAlphaRao += 1;
        else if (field == 12) r.burnedIncentiveAlphaRao += 1;
        else if (field == 13) r.alphaDividendsAlphaRao += 1;
        else if (field == 14) r.rootDividendsAlphaRao += 1;
        else r.minerBurnOf65535 += 1;
    }
}

/// @notice The challenge window and the guardian's veto, with a window of 10 blocks.
contract EpochSettlementWindowTest is SettlementBase {
    uint32 internal constant WINDOW = 10;

    function _challengeWindowBlocks() internal pure override returns (uint32) {
        return WINDOW;
    }

    function setUp() public virtual override {
        super.setUp();
        _openEconomy();
        _close(netuid);
    }

    function test_window_finaliseOnlyAfterTheWindow() public {
        Draft memory d = _standardDraft(1);
        _submit(d);
        uint256 deadline = _blockNumber() + WINDOW;
        assertEq(_record(netuid, 1).challengeDeadline, deadline, "deadline");
        vm.roll(deadline - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IEpochSettlement.ChallengeWindowOpen.selector, netuid, uint32(1), deadline)
        );
        _finalise(d);
        vm.roll(deadline);
        vm.prank(stranger); // anyone finalises
        _finalise(d);
        assertEq(uint256(_record(netuid, 1).status), uint256(IEpochSettlement.Status.Finalised), "finalised");
    }

    function test_veto_byTheGuardianDuringTheWindow() public {
        Draft memory d = _standardDraft(1);
        _submit(d);
        bytes32 digest = ReportLib.digest(d.report);
        vm.roll(_blockNumber() + WINDOW - 1); // the last block of the window
        svm.expectEmit(true, true, false, true, address(settlement));
        emit IEpochSettlement.VetoReport(netuid, 1, digest);
        vm.prank(guardian);
        settlement.vetoReport(netuid, 1);
        IEpochSettlement.EpochRecord memory rec = _record(netuid, 1);
        assertEq(uint256(rec.status), uint256(IEpochSettlement.Status.Closed), "closed again");
        assertEq(rec.reportDigest, bytes32(0), "digest cleared");
        assertEq(rec.challengeDeadline, 0, "deadline cleared");
        (, uint32 closed, uint32 finalised, ) = settlement.progress(netuid);
        assertEq(closed, 1, "still epoch 1");
        assertEq(finalised, 0, "nothing finalised");
    }

    function test_veto_onlyTheGuardian() public {
        _submit(_standardDraft(1));
        bytes32 role = settlement.GUARDIAN_ROLE();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        settlement.vetoReport(netuid, 1);
        vm.prank(keepers[0]); // a keeper is no guardian
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, keepers[0], role)
        );
        settlement.vetoReport(netuid, 1);
        vm.prank(admin); // the admin is a guardian from deployment
        settlement.vetoReport(netuid, 1);
    }

    function test_veto_afterTheWindowIsRefused() public {
        _submit(_standardDraft(1));
        uint256 deadline = _blockNumber() + WINDOW;
        vm.roll(deadline);
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(IEpochSettlement.ChallengeWindowOver.selector, netuid, uint32(1), deadline)
        );
        settlement.vetoReport(netuid, 1);
    }

    function test_veto_onlyASubmittedReport() public {
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.NotSubmitted.selector,
                netuid,
                uint32(1),
                IEpochSettlement.Status.Closed
            )
        );
        settlement.vetoReport(netuid, 1);
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.NotSubmitted.selector,
                netuid,
                uint32(2),
                IEpochSettlement.Status.None
            )
        );
        settlement.vetoReport(netuid, 2);
    }

    /// @dev A vetoed report pays nothing and cannot be finalised or claimed; a new report of the same epoch is
    /// accepted and pays.
    function test_veto_paysNothingAndTheEpochIsReportedAgain() public {
        Draft memory bad = _standardDraft(1);
        _submit(bad);
        uint256 owed = _settlementOwed(netuid);
        uint256 ownerStake = pools.getStake(OWNER1_HOTKEY, ck(owner1), netuid);
        vm.prank(guardian);
        settlement.vetoReport(netuid, 1);
        vm.roll(_blockNumber() + WINDOW);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.NotSubmitted.selector,
                netuid,
                uint32(1),
                IEpochSettlement.Status.Closed
            )
        );
        _finalise(bad);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.NotSubmitted.selector,
                netuid,
                uint32(1),
                IEpochSettlement.Status.Closed
            )
        );
        _claim(bad, 0);
        assertEq(_settlementOwed(netuid), owed, "nothing paid");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(owner1), netuid), ownerStake, "no owner cut");
        assertEq(pools.getStake(M1, ck(miner1), netuid), 0, "no incentive");

        // the same epoch, reported again (here: a different split), goes through a new window
        Draft memory good = _standardDraft(1);
        good.leaves[0].incentiveAlphaRao -= 1;
        good.report.burnedIncentiveAlphaRao += 1;
        ReportLib.seal(good);
        _submit(good);
        assertEq(_record(netuid, 1).reportDigest, ReportLib.digest(good.report), "the new report");
        vm.roll(_blockNumber() + WINDOW);
        _finalise(good);
        _claim(good, 0);
        assertEq(pools.getStake(M1, ck(miner1), netuid), good.leaves[0].incentiveAlphaRao, "the new report pays");
        // the vetoed tree does not
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.InvalidProof.selector, netuid, uint32(1), uidM2));
        _claim(bad, 1);
    }

    /// @dev A report keeps the deadline it was given; a changed window applies to later reports.
    function test_window_changeAppliesToLaterReports() public {
        Draft memory d = _standardDraft(1);
        _submit(d);
        uint256 deadline = _blockNumber() + WINDOW;
        vm.prank(admin);
        settlement.setChallengeWindow(0);
        vm.expectRevert(
            abi.encodeWithSelector(IEpochSettlement.ChallengeWindowOpen.selector, netuid, uint32(1), deadline)
        );
        _finalise(d);
        vm.roll(deadline);
        _finalise(d);
        uint32 epoch = _close(netuid);
        Draft memory next = _emptyDraft(netuid, epoch);
        _submit(next);
        _finalise(next); // window 0 now
        assertEq(uint256(_record(netuid, epoch).status), uint256(IEpochSettlement.Status.Finalised), "immediate");
    }
}
