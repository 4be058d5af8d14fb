// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IMetagraph} from "../../../contracts/interfaces/IMetagraph.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";

import {Attacker} from "./Attacker.sol";
import {SecurityBase} from "./SecurityBase.sol";

/// @notice Finding 5: commit-reveal (and any per-netuid setting) survived netuid reuse. A reused netuid inherited the
/// previous owner's settings. Every per-netuid setting now resets when a netuid is registered again, and every other
/// per-netuid state is keyed by the subnet's generation.
contract RegressionNetuidReuseTest is SecurityBase {
    uint16 internal netuid;
    bytes32 internal v1;
    bytes32 internal m1;

    function setUp() public override {
        super.setUp();
        netuid = _newEmittingSubnet(owner1, OWNER1_HOTKEY);
        v1 = _hotkey(validator1, validator1);
        m1 = _hotkey(miner1, miner1);
    }

    /// @dev Every field of the defaults, changed within the registry's bounds.
    function _allChanged() internal pure returns (ISubnetRegistry.Hyperparameters memory hp) {
        hp = ISubnetRegistry.Hyperparameters({
            tempo: 30,
            maxUids: 16,
            maxValidators: 6,
            kappaOf65535: 30_000,
            bondsMovingAveragePpm: 800_000,
            bondsPenaltyOf65535: 1_000,
            yuma3: false,
            liquidAlpha: true,
            alphaLowOf65535: 40_000,
            alphaHighOf65535: 60_000,
            alphaSigmoidSteepness: -500,
            activityCutoff: 4_000,
            immunityPeriod: 30,
            weightsRateLimit: 7,
            weightsVersionKey: 3,
            commitReveal: true,
            transfersEnabled: false,
            minBurnRao: 2_000_000,
            maxBurnRao: 50e9,
            burnHalfLife: 100,
            burnIncreaseMultWad: 2e18
        });
    }

    /// @dev Compares two settings structs field by field (each static field is one ABI word), so a field added to
    /// the struct later is covered without changing this test.
    function _countEqualFields(bytes memory a, bytes memory b) internal pure returns (uint256 equal, uint256 fields) {
        assertEq(a.length, b.length, "same struct");
        fields = a.length / 32;
        for (uint256 i; i < fields; ++i) {
            bytes32 wa;
            bytes32 wb;
            assembly ("memory-safe") {
                wa := mload(add(add(a, 32), mul(i, 32)))
                wb := mload(add(add(b, 32), mul(i, 32)))
            }
            if (wa == wb) ++equal;
        }
    }

    function _u16(uint16 a) internal pure returns (uint16[] memory l) {
        l = new uint16[](1);
        l[0] = a;
    }

    function _u16(uint16 a, uint16 b) internal pure returns (uint16[] memory l) {
        l = new uint16[](2);
        (l[0], l[1]) = (a, b);
    }

    /// @dev Touches every per-netuid setting and state of `netuid`.
    function _useEverySetting() internal {
        uint32 generation = _generation(netuid);
        uint16 uidV = _registerNeuron(netuid, validator1, v1);
        uint16 uidM = _registerNeuron(netuid, miner1, m1);
        uint256[] memory words = new uint256[](1);
        words[0] = 0x7;
        vm.startPrank(settler);
        metagraph.setValidatorPermits(netuid, generation, type(uint256).max, words);
        metagraph.recordPayout(netuid, generation, uidV, v1, 5e9);
        metagraph.recordPayout(netuid, generation, uidM, m1, 7e9);
        pools.setMinerBurn(netuid, 1_000);
        vm.stopPrank();
        vm.prank(validator1);
        metagraph.setWeights(netuid, _u16(uidM), _u16(65_535), 0);

        // Owner settings (commit-reveal on, transfers off, ...) and admin pool settings.
        vm.prank(owner1);
        registry.setHyperparameters(netuid, _allChanged());
        vm.prank(admin);
        registry.setPoolSettings(netuid, ISubnetRegistry.PoolSettings(100, 5_000_000));
        vm.prank(validator1);
        metagraph.commitWeights(netuid, keccak256("pending weights"));

        // Stake, an allowance, a vesting dividend and a root dividend.
        _stake(alice, v1, netuid, 10 * TAO);
        vm.prank(alice);
        pools.approve(bob, netuid, 1e9);
        _stake(carol, v1, ROOT, 20 * TAO);
        _advance(30);
        (uint32 gen, IAlphaPoolsTypes.PendingEmission memory pot) = _closePot(netuid);
        _creditDividend(netuid, gen, v1, pot.validatorAlphaRao);
        vm.prank(settler);
        assertTrue(rootDividends.creditRootDividend(netuid, gen, v1, pot.serverAlphaRao), "root dividend credited");
    }

    function test_Regression_CommitRevealNetuidReuse_everySettingResets() public {
        _useEverySetting();
        ISubnetRegistry.Hyperparameters memory defaults = registry.defaultHyperparameters();
        (uint256 equal, uint256 fields) = _countEqualFields(
            abi.encode(registry.hyperparameters(netuid)),
            abi.encode(defaults)
        );
        assertEq(equal, 0, "before the reuse every hyperparameter differs from its default");
        assertEq(fields, 21, "the hyperparameters have 21 fields");
        assertTrue(registry.hyperparameters(netuid).commitReveal, "commit-reveal is on");
        IAlphaPoolsTypes.SubnetConfig memory config = pools.subnetConfig(netuid);
        assertEq(config.feeRateOf65535, 100, "fee set");
        assertEq(config.minStakeRao, 5_000_000, "min stake set");
        assertEq(config.minerBurnOf65535, 1_000, "miner burn set");
        assertTrue(!config.transfersEnabled, "transfers off");
        assertGt(rootDividends.rootClaimable(v1, ck(carol), netuid), 0, "root dividends claimable");
        assertGt(metagraph.burnCost(netuid), INITIAL_BURN_RAO, "registrations raised the burn");

        // Prune it: two more subnets fill the limit of three and stay immune; the next registration prunes this one.
        _advance(NETWORK_IMMUNITY);
        _newSubnet(owner2, OWNER2_HOTKEY);
        _newSubnet(owner3, OWNER3_HOTKEY);
        (uint16 candidate, ) = registry.pruneCandidate();
        assertEq(candidate, netuid, "the only non-immune subnet is the candidate");
        uint16 reused = _newSubnet(owner2, OWNER2_HOTKEY);
        assertEq(reused, netuid, "the netuid is reused");

        // Registry: every setting is the default again, field by field.
        (equal, fields) = _countEqualFields(abi.encode(registry.hyperparameters(netuid)), abi.encode(defaults));
        assertEq(equal, fields, "every hyperparameter is back to its default");
        ISubnetRegistry.PoolSettings memory settings = registry.poolSettings(netuid);
        assertEq(settings.feeRateOf65535, FEE_RATE, "default fee");
        assertEq(settings.minStakeRao, MIN_STAKE_RAO, "default min stake");
        ISubnetRegistry.Subnet memory s = registry.subnet(netuid);
        assertEq(s.owner, owner2, "new owner");
        assertEq(s.ownerHotkey, OWNER2_HOTKEY, "new owner hotkey");
        assertEq(s.generation, 2, "second generation");
        assertEq(s.registeredAt, _now(), "registered now");

        // Pools: the settings the pools use, the emission state and the books start afresh.
        config = pools.subnetConfig(netuid);
        assertEq(config.generation, 2, "pools generation");
        assertEq(config.minStakeRao, MIN_STAKE_RAO, "pools min stake");
        assertEq(config.feeRateOf65535, FEE_RATE, "pools fee");
        assertEq(config.minerBurnOf65535, 0, "no miner burn");
        assertEq(config.tempo, defaults.tempo, "default tempo");
        assertEq(config.firstEmissionBlock, 0, "emission waits for the new owner's start call");
        assertTrue(config.active && config.transfersEnabled, "open, transfers on");
        IAlphaPoolsTypes.Emission memory em = _emission(netuid);
        assertEq(
            uint256(em.indexSnapshot) + em.weight + em.movingPriceWad + em.unownedAlphaRao,
            0,
            "no emission state"
        );
        IAlphaPoolsTypes.Books memory books = _books(netuid);
        assertEq(
            uint256(books.pendingAlphaOutRao) + books.pendingRootAlphaRao + books.pendingRecycledRootAlphaRao,
            0,
            "nothing pending"
        );
        assertEq(books.alphaIssuanceRao, _pool(netuid).alphaRao, "the only alpha is the new pool's");
        (uint256 settlementOwed, uint256 rootOwed) = pools.owedAlpha(netuid, 2);
        assertEq(settlementOwed + rootOwed, 0, "nothing owed");
        assertEq(pools.allowance(alice, bob, netuid), 0, "the allowance ended");
        assertEq(pools.getStake(v1, ck(alice), netuid), 0, "old stake is not in the new subnet");
        IAlphaPoolsTypes.HotkeyPool memory hp = pools.hotkeyPool(v1, netuid);
        assertEq(uint256(hp.alphaRao) + hp.shares + hp.unvestedAlphaRao, 0, "empty hotkey pool");
        assertGt(registry.refundOf(v1, ck(alice), netuid, 1), 0, "the old stake is refundable instead");

        // Metagraph: one neuron (the new owner), its permit only, no weights, no commits, the initial burn.
        assertEq(metagraph.generationOf(netuid), 2, "metagraph generation");
        assertEq(metagraph.neuronCount(netuid), 1, "only the owner's neuron");
        assertEq(metagraph.hotkeyOf(netuid, 0), OWNER2_HOTKEY, "uid 0 is the new owner's");
        (bool registered, ) = metagraph.uidOf(netuid, v1);
        assertTrue(!registered, "the old validator is not registered");
        assertTrue(metagraph.hasValidatorPermit(netuid, 0), "the owner's permit");
        assertTrue(!metagraph.hasValidatorPermit(netuid, 1) && !metagraph.hasValidatorPermit(netuid, 2), "no other");
        assertEq(metagraph.weightsCommitment(netuid, 1), bytes32(0), "no old weights");
        assertEq(metagraph.pendingCommit(netuid, 1).hash, bytes32(0), "no old commit");
        assertEq(metagraph.burnCost(netuid), INITIAL_BURN_RAO, "the burn starts again");
        IMetagraph.NeuronView[] memory list = metagraph.neurons(netuid, 0, 16);
        assertEq(list.length, 1, "one neuron listed");
        assertEq(list[0].emissionAlphaRao, 0, "no old emission");

        // Root dividends of the old subnet are not claimable on the new one.
        assertEq(rootDividends.rootClaimable(v1, ck(carol), netuid), 0, "no root dividends on the new subnet");

        // Commit-reveal is off on the new subnet: the old validator registers again and sets weights directly; the
        // old commit cannot be revealed.
        vm.prank(owner2);
        registry.startCall(netuid);
        uint16 uid = _registerNeuron(netuid, validator1, v1);
        vm.prank(validator1);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.NoWeightsCommit.selector, netuid, uid));
        metagraph.revealWeights(netuid, _u16(uid), _u16(1), bytes32(0), 0);
        vm.prank(validator1);
        metagraph.setWeights(netuid, _u16(uid), _u16(1), 0);
        assertEq(metagraph.weightsCommitment(netuid, uid), keccak256(abi.encode(_u16(uid), _u16(1))), "set");
    }
}

/// @notice Finding 7: pruning on stale moving prices. `pruneCandidate` compared moving prices as stored at each
/// subnet's last catch-up, so a registrant could poke the subnets it wanted to keep and leave the strongest one
/// stale, and pruned. Pruning now compares moving prices as of the current block.
contract RegressionStalePruningTest is SecurityBase {
    uint16 internal a;
    uint16 internal b;
    uint16 internal strong;

    function setUp() public override {
        super.setUp();
        a = _newEmittingSubnet(owner1, OWNER1_HOTKEY);
        b = _newEmittingSubnet(owner2, OWNER2_HOTKEY);
        strong = _newEmittingSubnet(owner3, OWNER3_HOTKEY);
    }

    function _dump(uint16 netuid, bytes32 hotkey) internal {
        _creditWholePot(netuid, hotkey, carol);
        vm.prank(carol);
        pools.removeStakeFull(hotkey, netuid, 0, NO_DEADLINE);
    }

    /// @dev Numbers: the strong subnet's stored moving price is still 0 (nobody caught it up since its start call),
    /// while as of now it is 0.999999999999079376 (its spot is 1.09 TAO, the moving price is capped at 1). A's is
    /// 0.988285286960727635 and B's 0.789642520593647527, fresh. On stored prices the strong subnet (0) would be
    /// pruned; as of now B is the lowest, and a catch-up of all three in this block stores exactly the prices the
    /// pruning compared.
    function test_Regression_StalePruning_comparesPricesAsOfNow() public {
        // A and B: their emission is sold as it comes, so their prices fall. The attacker keeps them fresh (every
        // interaction catches a subnet up) and never touches the strong subnet after its start call.
        for (uint256 round; round < 6; ++round) {
            _advance(50);
            _dump(a, OWNER1_HOTKEY);
            _dump(b, OWNER2_HOTKEY);
        }
        Attacker attacker = _newAttacker(10 * TAO);
        for (uint256 i; i < 10; ++i) {
            _advance(10);
            attacker.execute(
                _calls(
                    _call(address(pools), 0, abi.encodeCall(IAlphaPools.poke, (a))),
                    _call(address(pools), 0, abi.encodeCall(IAlphaPools.poke, (b)))
                )
            );
        }
        uint256 staleStrong = _emission(strong).movingPriceWad;
        uint256 nowStrong = views.movingPriceWad(pools, strong);
        uint256 nowA = views.movingPriceWad(pools, a);
        uint256 nowB = views.movingPriceWad(pools, b);
        assertEq(staleStrong, 0, "the strong subnet's stored moving price is stale");
        assertEq(nowStrong, 999_999_999_999_079_376, "its moving price as of now");
        assertEq(nowA, 988_285_286_960_727_635, "a as of now");
        assertEq(nowB, 789_642_520_593_647_527, "b as of now");
        assertEq(_emission(a).movingPriceWad, nowA, "a is fresh");
        assertEq(_emission(b).movingPriceWad, nowB, "b is fresh");
        assertLt(staleStrong, nowB, "on stored prices the strong subnet would be the candidate");

        (uint16 candidate, uint256 price) = registry.pruneCandidate();
        assertEq(candidate, b, "as of now b is the weakest");
        assertEq(price, nowB, "at its moving price as of now");

        // The prices compared are the ones a catch-up in this block stores.
        uint256 id = _snapshot();
        attacker.execute(
            _calls(
                _call(address(pools), 0, abi.encodeCall(IAlphaPools.poke, (a))),
                _call(address(pools), 0, abi.encodeCall(IAlphaPools.poke, (b))),
                _call(address(pools), 0, abi.encodeCall(IAlphaPools.poke, (strong)))
            )
        );
        assertEq(_emission(strong).movingPriceWad, nowStrong, "strong caught up");
        assertEq(_emission(a).movingPriceWad, nowA, "a caught up");
        assertEq(_emission(b).movingPriceWad, nowB, "b caught up");
        _restore(id);

        // A registration at the limit prunes b; the strong subnet stays.
        uint16 reused = _newSubnet(owner1, OWNER1_HOTKEY);
        assertEq(reused, b, "b was pruned");
        assertTrue(registry.isActive(strong), "the strong subnet survives");
        assertEq(registry.subnet(strong).generation, 1, "untouched");
    }
}
