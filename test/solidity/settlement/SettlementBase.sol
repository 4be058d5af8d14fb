// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IEpochSettlement} from "../../../contracts/interfaces/IEpochSettlement.sol";
import {EpochSettlement} from "../../../contracts/model/EpochSettlement.sol";
import {BaseTest} from "../BaseTest.sol";
import {Draft, Leaf, ReportLib} from "./ReportLib.sol";
import {SIGNING_VM, SigningVm} from "./SigningVm.sol";
import {Deploy} from "../utils/Deploy.sol";

/// @title SettlementBase
/// @notice The economy of `BaseTest` with an `EpochSettlement` as its only working settler: three keepers whose keys
/// the tests hold (quorum 2), a guardian, and helpers that close epochs, build and sign reports, finalise and claim.
/// @dev `_openEconomy` registers a subnet with two validators and two miners; `_enableRootShare` adds a second
/// emitting subnet and root stake on the first validator, so that epochs carry a root dividend bucket.
abstract contract SettlementBase is BaseTest {
    SigningVm internal constant svm = SIGNING_VM;

    uint16 internal constant QUORUM = 2;
    uint256 internal constant FRACTION = 65_535;
    /// @dev A key no settlement knows.
    uint256 internal constant OUTSIDER_PK = 0xBAD5EED;

    EpochSettlement internal settlement;
    /// @dev The chain id at set-up (`block.chainid` may be read once per function under via-IR, like the block).
    uint256 internal homeChainId;
    address internal guardian = address(0x6A2D1A);
    /// @dev Registered keepers and their keys, in ascending address order (the order signatures must follow).
    address[] internal keepers;
    uint256[] internal keeperPks;

    // The economy of `_openEconomy`.
    uint16 internal netuid;
    bytes32 internal V1; // owned by validator1, default take
    bytes32 internal V2; // owned by validator2
    bytes32 internal M1; // owned by miner1
    bytes32 internal M2; // owned by carol
    uint16 internal uidV1;
    uint16 internal uidV2;
    uint16 internal uidM1;
    uint16 internal uidM2;
    uint16 internal secondNetuid;

    function setUp() public virtual override {
        super.setUp();
        homeChainId = block.chainid;
        uint256[3] memory seeds = [uint256(0xC0FFEE01), 0xC0FFEE02, 0xC0FFEE03];
        for (uint256 i; i < seeds.length; ++i) {
            // insertion by address
            address a = svm.addr(seeds[i]);
            keepers.push(a);
            keeperPks.push(seeds[i]);
            for (uint256 j = keepers.length - 1; j > 0 && keepers[j - 1] > keepers[j]; --j) {
                (keepers[j - 1], keepers[j]) = (keepers[j], keepers[j - 1]);
                (keeperPks[j - 1], keeperPks[j]) = (keeperPks[j], keeperPks[j - 1]);
            }
        }
        settlement = _deploySettlement(_challengeWindowBlocks());
    }

    /// @dev The challenge window the settlement is deployed with (0, as on the local chain).
    function _challengeWindowBlocks() internal pure virtual returns (uint32) {
        return 0;
    }

    /// @dev A settlement with this test's keepers and quorum, allowed to settle, with `guardian` as a guardian.
    function _deploySettlement(uint32 windowBlocks) internal returns (EpochSettlement s) {
        s = EpochSettlement(
            Deploy.create(
                "EpochSettlement.sol:EpochSettlement",
                abi.encode(admin, pools, registry, metagraph, rootDividends, windowBlocks, keepers, QUORUM)
            )
        );
        bytes32 poolsRole = pools.SETTLER_ROLE();
        bytes32 metagraphRole = metagraph.SETTLER_ROLE();
        bytes32 rootRole = rootDividends.SETTLER_ROLE();
        bytes32 guardianRole = s.GUARDIAN_ROLE();
        vm.startPrank(admin);
        pools.grantRole(poolsRole, address(s));
        metagraph.grantRole(metagraphRole, address(s));
        rootDividends.grantRole(rootRole, address(s));
        s.grantRole(guardianRole, guardian);
        vm.stopPrank();
    }

    /* BLOCKS */

    function _advance(uint256 blocks) internal {
        vm.roll(_blockNumber() + blocks);
    }

    /* ECONOMY */

    /// @dev `_registerSubnet` with the rate limit read against the current block.
    function _openSubnet(address owner, bytes32 hotkey) internal returns (uint16 net) {
        uint256 last = registry.lastLockBlock();
        if (last != 0 && _blockNumber() < last + NETWORK_RATE_LIMIT) vm.roll(last + NETWORK_RATE_LIMIT);
        uint256 cost = registry.lockCost();
        vm.deal(owner, owner.balance + _wei(cost));
        vm.prank(owner);
        net = registry.registerNetwork{value: _wei(cost)}(hotkey, "subnet", cost);
    }

    /// @dev A subnet whose emission starts in the next block, which is where this leaves the chain.
    function _openEmittingSubnet(address owner, bytes32 hotkey) internal returns (uint16 net) {
        net = _openSubnet(owner, hotkey);
        vm.prank(owner);
        registry.startCall(net);
        _advance(1);
    }

    /// @dev An emitting subnet of owner1 with validators V1, V2 and miners M1, M2 (uids 1 to 4).
    function _openEconomy() internal {
        netuid = _openEmittingSubnet(owner1, OWNER1_HOTKEY);
        V1 = _hotkey(address(0x7A1F), validator1);
        V2 = _hotkey(address(0x7A2F), validator2);
        M1 = _hotkey(address(0x311F), miner1);
        M2 = _hotkey(address(0x312F), carol);
        uidV1 = _registerNeuron(netuid, validator1, V1);
        uidV2 = _registerNeuron(netuid, validator2, V2);
        uidM1 = _registerNeuron(netuid, miner1, M1);
        uidM2 = _registerNeuron(netuid, carol, M2);
    }

    /// @dev A second emitting subnet and 1,000 TAO of bob's root stake on V1, then blocks until the sum of moving
    /// prices passes 1 TAO per alpha (the root sell flag), so that the validators' bucket has a root part.
    function _enableRootShare() internal {
        secondNetuid = _openEmittingSubnet(owner2, OWNER2_HOTKEY);
        _stake(bob, V1, 0, 1_000 * TAO);
        for (uint256 i; i < 100; ++i) {
            _advance(10);
            pools.poke(netuid);
            pools.poke(secondNetuid);
            (IAlphaPoolsTypes.Global memory g, , ) = pools.storedGlobal();
            if (g.sumMovingPriceRao > TAO) return;
        }
        assertTrue(false, "the root sell flag never came on");
    }

    /* EPOCHS */

    function _gen(uint16 net) internal view returns (uint32) {
        return pools.subnetConfig(net).generation;
    }

    function _record(uint16 net, uint32 epoch) internal view returns (IEpochSettlement.EpochRecord memory) {
        return settlement.epochRecord(net, _gen(net), epoch);
    }

    /// @dev The epoch's pot as the record keeps it (four uint64 fields), in the pools' struct.
    function _pot(uint16 net, uint32 epoch) internal view returns (IAlphaPoolsTypes.PendingEmission memory pot) {
        IEpochSettlement.EpochRecord memory rec = _record(net, epoch);
        pot.ownerCutAlphaRao = rec.potOwnerCutAlphaRao;
        pot.serverAlphaRao = rec.potServerAlphaRao;
        pot.validatorAlphaRao = rec.potValidatorAlphaRao;
        pot.rootAlphaRao = rec.potRootAlphaRao;
    }

    /// @dev What the epoch still owes to claims (its incentive and the dividends finalisation did not pay).
    function _claimable(uint16 net, uint32 epoch) internal view returns (uint256) {
        return _record(net, epoch).claimableAlphaRao;
    }

    function _dueBlock(uint16 net) internal view returns (uint256 due) {
        (, , , due) = settlement.progress(net);
    }

    function _rollToDue(uint16 net) internal {
        uint256 due = _dueBlock(net);
        if (_blockNumber() < due) vm.roll(due);
    }

    /// @dev Rolls to the due block and closes the epoch.
    function _close(uint16 net) internal returns (uint32 epoch) {
        _rollToDue(net);
        epoch = settlement.closeEpoch(net);
    }

    function _distributable(IAlphaPoolsTypes.PendingEmission memory pot) internal pure returns (uint256) {
        return pot.serverAlphaRao + pot.validatorAlphaRao + pot.rootAlphaRao;
    }

    function _potTotal(IAlphaPoolsTypes.PendingEmission memory pot) internal pure returns (uint256) {
        return pot.ownerCutAlphaRao + _distributable(pot);
    }

    function _settlementOwed(uint16 net) internal view returns (uint256 owed) {
        (owed, ) = pools.owedAlpha(net, _gen(net));
    }

    function _rootOwed(uint16 net) internal view returns (uint256 owed) {
        (, owed) = pools.owedAlpha(net, _gen(net));
    }

    function _books(uint16 net) internal view returns (IAlphaPoolsTypes.Books memory books) {
        (, , books) = pools.storedSubnet(net);
    }

    function _unownedAlpha(uint16 net) internal view returns (uint256) {
        (, IAlphaPoolsTypes.Emission memory em, ) = pools.storedSubnet(net);
        return em.unownedAlphaRao;
    }

    /* REPORTS */

    function _leaf(
        uint16 uid,
        bytes32 hotkey,
        uint256 incentive,
        uint256 alphaDividend,
        uint256 rootDividend
    ) internal pure returns (Leaf memory) {
        return Leaf(uid, hotkey, uint64(incentive), uint64(alphaDividend), uint64(rootDividend));
    }

    function _payout(
        bytes32 hotkey,
        uint16 uid,
        uint256 alphaDividend,
        uint256 rootDividend
    ) internal pure returns (IEpochSettlement.ValidatorPayout memory) {
        return IEpochSettlement.ValidatorPayout(hotkey, uid, uint64(alphaDividend), uint64(rootDividend));
    }

    /// @dev A sealed report of `epoch` of `net` with these leaves and validators; permits for uid 0 and every
    /// validator. Its totals are the sums of the leaves' incentive and of the dividends (the validators', and the
    /// leaves' of uids outside the list).
    function _draft(
        uint16 net,
        uint32 epoch,
        Leaf[] memory leaves,
        IEpochSettlement.ValidatorPayout[] memory validators
    ) internal view returns (Draft memory d) {
        uint32 generation = _gen(net);
        d.leaves = leaves;
        d.validators = validators;
        d.permitWords = new uint256[]((uint256(metagraph.neuronCount(net)) + 255) / 256);
        d.permitWords[0] = 1;
        for (uint256 i; i < validators.length; ++i) {
            uint16 uid = validators[i].uid;
            d.permitWords[uid >> 8] |= 1 << (uid & 0xff);
        }
        IEpochSettlement.Report memory r = d.report;
        r.chainId = homeChainId;
        r.settlement = address(settlement);
        r.netuid = net;
        r.generation = generation;
        r.epoch = epoch;
        r.snapshotBlock = settlement.epochRecord(net, generation, epoch).snapshotBlock;
        r.inputsHash = keccak256(abi.encode("inputs", net, generation, epoch));
        r.stateHash = keccak256(abi.encode("state", net, generation, epoch));
        ReportLib.seal(d);
    }

    /// @dev A report that pays nothing: the whole distributable pot is recycled.
    function _emptyDraft(uint16 net, uint32 epoch) internal view returns (Draft memory) {
        return _draft(net, epoch, new Leaf[](0), new IEpochSettlement.ValidatorPayout[](0));
    }

    /// @dev The standard split of the economy's pot: M1 30 % and M2 20 % of the miners' bucket, 10 % of it burned
    /// (the owner's hotkeys), V1 60 % of the validators' bucket and 70 % of the root bucket, V2 30 % and 20 %; the
    /// rest is recycled. Leaves for the validators carry their dividends (claiming one records its emission).
    function _standardDraft(uint32 epoch) internal view returns (Draft memory d) {
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(netuid, epoch);
        Leaf[] memory leaves = new Leaf[](4);
        IEpochSettlement.ValidatorPayout[] memory validators = new IEpochSettlement.ValidatorPayout[](2);
        validators[0] = _payout(V1, uidV1, (pot.validatorAlphaRao * 6) / 10, (pot.rootAlphaRao * 7) / 10);
        validators[1] = _payout(V2, uidV2, (pot.validatorAlphaRao * 3) / 10, (pot.rootAlphaRao * 2) / 10);
        leaves[0] = _leaf(uidM1, M1, (pot.serverAlphaRao * 3) / 10, 0, 0);
        leaves[1] = _leaf(uidM2, M2, (pot.serverAlphaRao * 2) / 10, 0, 0);
        leaves[2] = _leaf(uidV1, V1, 0, validators[0].alphaDividendAlphaRao, validators[0].rootDividendAlphaRao);
        leaves[3] = _leaf(uidV2, V2, 0, validators[1].alphaDividendAlphaRao, validators[1].rootDividendAlphaRao);
        d = _draft(netuid, epoch, leaves, validators);
        d.report.burnedIncentiveAlphaRao = uint64(pot.serverAlphaRao / 10);
        d.report.minerBurnOf65535 = uint16((FRACTION * 1) / 6); // burned / (burned + incentive)
    }

    /// @dev Keys by index into `keeperPks`.
    function _pks(uint256 a, uint256 b) internal view returns (uint256[] memory pks) {
        pks = new uint256[](2);
        (pks[0], pks[1]) = (keeperPks[a], keeperPks[b]);
    }

    function _pks(uint256 a) internal view returns (uint256[] memory pks) {
        pks = new uint256[](1);
        pks[0] = keeperPks[a];
    }

    function _signatures(
        IEpochSettlement.Report memory r,
        uint256[] memory pks
    ) internal pure returns (bytes[] memory) {
        return ReportLib.sign(ReportLib.digest(r), pks);
    }

    /// @dev Signatures of the two lowest keepers, in order.
    function _quorumSignatures(IEpochSettlement.Report memory r) internal view returns (bytes[] memory) {
        return _signatures(r, _pks(0, 1));
    }

    function _submit(Draft memory d) internal {
        settlement.submitReport(d.report, _quorumSignatures(d.report));
    }

    /// @dev Finalises with the report presented again, and its payload.
    function _finalise(Draft memory d) internal {
        settlement.finaliseEpoch(d.report, d.validators, d.permitWords);
    }

    function _proof(Draft memory d, uint256 index) internal pure returns (bytes32[] memory) {
        return ReportLib.merkleProof(ReportLib.leafHashes(d.leaves), index);
    }

    /// @dev Claims leaf `index` of a finalised draft (from this contract: claims are permissionless).
    function _claim(Draft memory d, uint256 index) internal {
        _claimLeaf(d.report.netuid, d.report.epoch, d.leaves[index], _proof(d, index));
    }

    /// @dev Claims `l` of `epoch` with `proof` (which may belong to another leaf or epoch).
    function _claimLeaf(uint16 net, uint32 epoch, Leaf memory l, bytes32[] memory proof) internal {
        settlement.claimIncentive(
            net,
            epoch,
            l.uid,
            l.hotkey,
            l.incentiveAlphaRao,
            l.alphaDividendAlphaRao,
            l.rootDividendAlphaRao,
            proof
        );
    }

    /// @dev The claims of `d`'s leaves at `indexes`, each with its proof, for `claimIncentives`.
    function _claims(
        Draft memory d,
        uint256[] memory indexes
    ) internal pure returns (IEpochSettlement.Claim[] memory claims) {
        claims = new IEpochSettlement.Claim[](indexes.length);
        for (uint256 i; i < indexes.length; ++i) {
            Leaf memory l = d.leaves[indexes[i]];
            claims[i] = IEpochSettlement.Claim(
                l.uid,
                l.hotkey,
                l.incentiveAlphaRao,
                l.alphaDividendAlphaRao,
                l.rootDividendAlphaRao,
                _proof(d, indexes[i])
            );
        }
    }

    /// @dev Claims `d`'s leaves at `indexes` in one call; returns how many it paid.
    function _claimBatch(Draft memory d, uint256[] memory indexes) internal returns (uint256) {
        return settlement.claimIncentives(d.report.netuid, d.report.epoch, _claims(d, indexes));
    }

    function _indexes(uint256 a, uint256 b) internal pure returns (uint256[] memory xs) {
        xs = new uint256[](2);
        (xs[0], xs[1]) = (a, b);
    }

    function _copyLeaf(Leaf memory l) internal pure returns (Leaf memory) {
        return Leaf(l.uid, l.hotkey, l.incentiveAlphaRao, l.alphaDividendAlphaRao, l.rootDividendAlphaRao);
    }

    /// @dev Closes the next epoch of `net` and settles it with a report that pays nothing.
    function _settleEmpty(uint16 net) internal returns (uint32 epoch) {
        epoch = _close(net);
        Draft memory d = _emptyDraft(net, epoch);
        _submit(d);
        _advance(settlement.challengeWindowBlocks());
        _finalise(d);
    }

    function _emission(uint16 net, uint16 uid) internal view returns (uint256) {
        return metagraph.neurons(net, uid, 1)[0].emissionAlphaRao;
    }
}
