// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISubnetRegistry} from "../../../../contracts/interfaces/ISubnetRegistry.sol";
import {PoolsView} from "../../../../contracts/libraries/PoolsView.sol";
import {IStakingV2} from "../../../../contracts/precompiles/IStakingV2.sol";
import {IModelAdapter} from "../../../../contracts/precompiles/adapters/IModelAdapter.sol";

import {LiquidBase, VmLiquid} from "../LiquidBase.sol";
import {PrecompileCaller, RejectingReceiver} from "../mocks/Actors.sol";

/// @title StakingV2AdapterTest
/// @notice The staking adapter, installed at 0x805, against the facts of Bittensor's staking precompile, the
/// unpleasant ones included (research notes on the precompiles, §2–§3.2 and §8).
contract StakingV2AdapterTest is LiquidBase {
    IStakingV2 internal staking;
    PrecompileCaller internal caller;

    uint256 internal constant BOUNDED_GAS = 300_000;

    function setUp() public override {
        super.setUp();
        staking = IStakingV2(P.staking);
        caller = new PrecompileCaller();
        _coldkeys[address(caller)] = pools.coldkeyOf(address(caller));
        vm.deal(address(this), 1_000_000 * TAO * WEI_PER_RAO);
    }

    /* UNITS AND THE CALLER AS COLDKEY */

    function test_addStake_amountIsRaoAndOnlyThatMuchOfTheValueIsSpent() public {
        uint256 quote = PoolsView.quote(pools, NETUID, 4 * TAO, true);
        vm.deal(alice, _wei(10 * TAO));
        vm.prank(alice);
        staking.addStake{value: _wei(10 * TAO)}(VALIDATOR_HOTKEY, 4 * TAO, NETUID);
        assertEq(alice.balance, _wei(6 * TAO), "4 TAO in rao staked, the rest stays the caller's");
        assertEq(staking.getStake(VALIDATOR_HOTKEY, ck(alice), NETUID), quote, "alpha-rao of the pools' quote");
        assertEq(P.staking.balance, 0, "the adapter keeps nothing");
    }

    function test_addStake_theCallingContractIsTheColdkey() public {
        caller.callWithGas{value: _wei(3 * TAO)}(
            P.staking,
            2_000_000,
            abi.encodeCall(IStakingV2.addStake, (VALIDATOR_HOTKEY, 3 * TAO, NETUID))
        );
        assertTrue(caller.lastOk(), "staked");
        assertGt(staking.getStake(VALIDATOR_HOTKEY, ck(address(caller)), NETUID), 0, "the contract's coldkey");
        assertEq(staking.getStake(VALIDATOR_HOTKEY, ck(address(this)), NETUID), 0, "not the transaction's sender");
    }

    function test_addStake_belowTheMinimumFailsConsumingTheForwardedGasWithNoData() public {
        bool ok = caller.callWithGas{value: _wei(TAO)}(
            P.staking,
            BOUNDED_GAS,
            abi.encodeCall(IStakingV2.addStake, (VALIDATOR_HOTKEY, MIN_STAKE_RAO, NETUID))
        );
        assertTrue(!ok, "fails: the minimum plus the fee is needed");
        assertEq(caller.lastReturnLength(), 0, "no revert data");
        assertGe(caller.lastGasUsed(), BOUNDED_GAS, "all the forwarded gas consumed");
        assertEq(address(caller).balance, _wei(TAO), "the value came back with the failed frame");
    }

    function test_addStake_withoutEnoughValueFails() public {
        bool ok = caller.callWithGas{value: _wei(TAO)}(
            P.staking,
            BOUNDED_GAS,
            abi.encodeCall(IStakingV2.addStake, (VALIDATOR_HOTKEY, 2 * TAO, NETUID))
        );
        assertTrue(!ok, "the caller's balance here is what it attached");
        assertGe(caller.lastGasUsed(), BOUNDED_GAS, "consumed");
    }

    function test_addStake_unregisteredHotkeyOrUnstartedSubnetFails() public {
        assertTrue(
            !caller.callWithGas{value: _wei(TAO)}(
                P.staking,
                BOUNDED_GAS,
                abi.encodeCall(IStakingV2.addStake, (keccak256("nobody"), TAO, NETUID))
            ),
            "hotkey never registered"
        );
        uint16 unstarted = _registerSubnet(owner2, OWNER2_HOTKEY);
        assertTrue(
            !caller.callWithGas{value: _wei(TAO)}(
                P.staking,
                BOUNDED_GAS,
                abi.encodeCall(IStakingV2.addStake, (OWNER2_HOTKEY, TAO, unstarted))
            ),
            "subtoken disabled before the start call"
        );
    }

    /* LIMIT PRICES */

    function test_addStakeLimit_limitIsRaoPerAlpha_partialFillReturnsTheRest() public {
        uint256 spot = _spotRao(NETUID);
        uint256 limit = spot + spot / 100; // 1 % above spot
        vm.deal(alice, _wei(100 * TAO));
        vm.prank(alice);
        staking.addStakeLimit{value: _wei(100 * TAO)}(VALIDATOR_HOTKEY, 100 * TAO, limit, true, NETUID);
        uint256 spent = _wei(100 * TAO) - alice.balance;
        assertGt(spent, 0, "a part was staked");
        assertLt(spent, _wei(10 * TAO), "only what keeps the price within 1 %");
        assertLe(_spotRao(NETUID), limit + limit / 100, "the price stopped near the limit (the fee stays in the pool)");
    }

    function test_addStakeLimit_belowSpotFails_notPartial_and_zeroLimitFails() public {
        uint256 spot = _spotRao(NETUID);
        assertTrue(
            !caller.callWithGas{value: _wei(10 * TAO)}(
                P.staking,
                BOUNDED_GAS,
                abi.encodeCall(IStakingV2.addStakeLimit, (VALIDATOR_HOTKEY, 10 * TAO, spot - 1, true, NETUID))
            ),
            "a limit below the spot price"
        );
        assertTrue(
            !caller.callWithGas{value: _wei(100 * TAO)}(
                P.staking,
                BOUNDED_GAS,
                abi.encodeCall(IStakingV2.addStakeLimit, (VALIDATOR_HOTKEY, 100 * TAO, spot + 1, false, NETUID))
            ),
            "all or nothing crosses the limit"
        );
        assertTrue(
            !caller.callWithGas{value: _wei(10 * TAO)}(
                P.staking,
                BOUNDED_GAS,
                abi.encodeCall(IStakingV2.addStakeLimit, (VALIDATOR_HOTKEY, 10 * TAO, 0, true, NETUID))
            ),
            "a zero limit leaves nothing to stake"
        );
    }

    /// @dev The unit trap: `getAlphaPrice` is × 1e18, limits are rao per alpha. A wad price passed as a limit is a
    /// billion times too high: it protects nothing.
    function test_addStakeLimit_aWadPriceAsLimitProtectsNothing() public {
        uint256 priceWad = _alphaPriceWad(NETUID);
        vm.deal(alice, _wei(100 * TAO));
        vm.prank(alice);
        staking.addStakeLimit{value: _wei(100 * TAO)}(VALIDATOR_HOTKEY, 100 * TAO, priceWad, false, NETUID);
        assertEq(alice.balance, 0, "the whole amount went through");
        assertGt(_spotRao(NETUID), (priceWad / 1e9) * 2, "far past the price the caller had in mind");
    }

    /* UNSTAKING */

    function test_removeStake_isSilentlyCappedAtTheStake() public {
        uint256 alpha = _stake(alice, VALIDATOR_HOTKEY, NETUID, 10 * TAO);
        uint256 before = alice.balance;
        vm.prank(alice);
        staking.removeStake(VALIDATOR_HOTKEY, alpha * 5, NETUID);
        assertEq(staking.getStake(VALIDATOR_HOTKEY, ck(alice), NETUID), 0, "everything unstaked");
        assertGt(alice.balance, before, "TAO credited");
        assertEq((alice.balance - before) % 1e9, 0, "in whole rao");
    }

    function test_removeStake_taoArrivesWithoutCallingReceive() public {
        RejectingReceiver r = new RejectingReceiver();
        r.call{value: _wei(5 * TAO)}(
            P.staking,
            abi.encodeCall(IStakingV2.addStake, (VALIDATOR_HOTKEY, 5 * TAO, NETUID))
        );
        bytes32 coldkey = pools.coldkeyOf(address(r));
        uint256 alpha = staking.getStake(VALIDATOR_HOTKEY, coldkey, NETUID);
        r.call(P.staking, abi.encodeCall(IStakingV2.removeStake, (VALIDATOR_HOTKEY, alpha, NETUID)));
        assertGt(address(r).balance, _wei(4 * TAO), "credited although receive() reverts");
    }

    function test_removeStakeLimit_isNotCapped_andFullLimitChecksU64() public {
        uint256 alpha = _stake(address(caller), VALIDATOR_HOTKEY, NETUID, 10 * TAO);
        assertTrue(
            !caller.callWithGas(
                P.staking,
                BOUNDED_GAS,
                abi.encodeCall(IStakingV2.removeStakeLimit, (VALIDATOR_HOTKEY, alpha + 1, 1, false, NETUID))
            ),
            "more than the stake fails"
        );
        assertTrue(
            !caller.callWithGas(
                P.staking,
                BOUNDED_GAS,
                abi.encodeCall(
                    IStakingV2.removeStakeFullLimit,
                    (VALIDATOR_HOTKEY, NETUID, uint256(type(uint64).max) + 1)
                )
            ),
            "a full-unstake limit above u64 fails"
        );
        assertTrue(
            caller.callWithGas(
                P.staking,
                1_000_000,
                abi.encodeCall(IStakingV2.removeStakeFullLimit, (VALIDATOR_HOTKEY, NETUID, 1))
            ),
            "within range it works"
        );
        assertEq(staking.getStake(VALIDATOR_HOTKEY, ck(address(caller)), NETUID), 0, "all unstaked");
    }

    function test_netuidAboveU16Fails() public {
        assertTrue(
            !caller.callWithGas(
                P.staking,
                BOUNDED_GAS,
                abi.encodeCall(IStakingV2.getStake, (VALIDATOR_HOTKEY, ck(alice), uint256(65_536)))
            ),
            "the value is outside of u16 bounds"
        );
    }

    /* VALUE, EVENTS, UNKNOWN SELECTORS */

    function test_valueAttachedToAnotherFunctionIsKeptByThePrecompile() public {
        uint256 alpha = _stake(alice, VALIDATOR_HOTKEY, NETUID, 10 * TAO);
        vm.deal(alice, alice.balance + _wei(TAO));
        uint256 before = alice.balance;
        uint256 quote = PoolsView.quote(pools, NETUID, alpha / 2, false);
        vm.prank(alice);
        staking.removeStake{value: _wei(TAO)}(VALIDATOR_HOTKEY, alpha / 2, NETUID);
        assertEq(P.staking.balance, _wei(TAO), "the attached TAO stays in the precompile's account");
        assertEq(alice.balance, before - _wei(TAO) + _wei(quote), "alice got her unstake, not the attached TAO");
    }

    function test_theAdapterEmitsNoEvents() public {
        vmx.recordLogs();
        vm.deal(alice, _wei(10 * TAO));
        vm.startPrank(alice);
        staking.addStake{value: _wei(10 * TAO)}(VALIDATOR_HOTKEY, 10 * TAO, NETUID);
        staking.approve(bob, NETUID, TAO);
        staking.removeStake(VALIDATOR_HOTKEY, TAO, NETUID);
        vm.stopPrank();
        VmLiquid.Log[] memory logs = vmx.getRecordedLogs();
        assertGt(logs.length, 0, "the model logs its own events");
        for (uint256 i; i < logs.length; ++i) assertTrue(logs[i].emitter != P.staking, "none from the precompile");
    }

    function test_unknownSelectorFails_andTheProbeAnswers() public {
        assertTrue(
            !caller.callWithGas(P.staking, BOUNDED_GAS, abi.encodeWithSignature("getDefaultMinStake()")),
            "not a function of the Rust precompile"
        );
        assertGe(caller.lastGasUsed(), BOUNDED_GAS, "consumed like any failure");
        assertTrue(IModelAdapter(P.staking).isModelAdapter(), "the adapter answers the probe");
    }

    /* ALLOWANCE */

    function test_transferStakeFrom_spendsTheAllowanceKeyedByNetuid() public {
        uint256 alpha = _stake(alice, VALIDATOR_HOTKEY, NETUID, 10 * TAO);
        vm.prank(alice);
        staking.approve(address(caller), NETUID, alpha);
        assertEq(staking.allowance(alice, address(caller), NETUID), alpha, "per netuid");
        assertEq(staking.allowance(alice, address(caller), NETUID + 1), 0, "not another netuid");
        assertTrue(
            caller.callWithGas(
                P.staking,
                2_000_000,
                abi.encodeCall(IStakingV2.transferStakeFrom, (alice, bob, VALIDATOR_HOTKEY, NETUID, NETUID, alpha / 2))
            ),
            "pulled"
        );
        assertApproxAbs(staking.getStake(VALIDATOR_HOTKEY, ck(bob), NETUID), alpha / 2, 1, "to bob's coldkey");
        assertEq(staking.allowance(alice, address(caller), NETUID), alpha - alpha / 2, "reduced by the amount");
    }

    function test_transferStakeFrom_beyondTheAllowanceRevertsWithItsMessage() public {
        uint256 alpha = _stake(alice, VALIDATOR_HOTKEY, NETUID, 10 * TAO);
        vm.prank(alice);
        staking.approve(address(caller), NETUID, alpha / 2);
        bool ok = caller.callWithGas(
            P.staking,
            BOUNDED_GAS,
            abi.encodeCall(IStakingV2.transferStakeFrom, (alice, bob, VALIDATOR_HOTKEY, NETUID, NETUID, alpha))
        );
        assertTrue(!ok, "refused");
        assertEq(
            keccak256(caller.lastReturn()),
            keccak256(abi.encodeWithSignature("Error(string)", "trying to spend more than allowed")),
            "a real revert, with its message"
        );
        assertLt(caller.lastGasUsed(), BOUNDED_GAS / 2, "a revert returns the unused gas");
    }

    function test_increaseAndDecreaseAllowanceSaturate() public {
        vm.startPrank(alice);
        staking.approve(bob, NETUID, 5);
        staking.decreaseAllowance(bob, NETUID, 9);
        assertEq(staking.allowance(alice, bob, NETUID), 0, "stops at 0");
        staking.approve(bob, NETUID, type(uint256).max - 1);
        staking.increaseAllowance(bob, NETUID, 9);
        assertEq(staking.allowance(alice, bob, NETUID), type(uint256).max, "stops at the max");
        vm.stopPrank();
    }

    function test_allowanceIsVoidedWhenTheNetuidIsRegisteredAgain() public {
        vm.prank(alice);
        staking.approve(bob, NETUID, 7 * TAO);
        _dissolve(NETUID);
        assertEq(staking.allowance(alice, bob, NETUID), 0, "a new subnet on the netuid: no allowance");
    }

    function test_transfersRefusedWhereTheSubnetDisabledThem() public {
        _stake(address(caller), VALIDATOR_HOTKEY, NETUID, 10 * TAO);
        ISubnetRegistry.Hyperparameters memory hp = registry.hyperparameters(NETUID);
        hp.transfersEnabled = false;
        vm.prank(owner1);
        registry.setHyperparameters(NETUID, hp);
        assertTrue(
            !caller.callWithGas(
                P.staking,
                BOUNDED_GAS,
                abi.encodeCall(IStakingV2.transferStake, (ck(bob), VALIDATOR_HOTKEY, NETUID, NETUID, TAO))
            ),
            "transfer refused"
        );
        assertTrue(
            caller.callWithGas(
                P.staking,
                2_000_000,
                abi.encodeCall(IStakingV2.moveStake, (VALIDATOR_HOTKEY, OWNER1_HOTKEY, NETUID, NETUID, TAO))
            ),
            "a move (same coldkey) is still allowed"
        );
    }

    /* OTHER */

    function test_burnAlpha_isCappedAndZeroIsANoOp() public {
        uint256 alpha = _stake(alice, VALIDATOR_HOTKEY, NETUID, 10 * TAO);
        vm.startPrank(alice);
        staking.burnAlpha(VALIDATOR_HOTKEY, 0, NETUID);
        assertEq(staking.getStake(VALIDATOR_HOTKEY, ck(alice), NETUID), alpha, "0 does nothing");
        staking.burnAlpha(VALIDATOR_HOTKEY, alpha * 2, NETUID);
        vm.stopPrank();
        assertEq(staking.getStake(VALIDATOR_HOTKEY, ck(alice), NETUID), 0, "capped at the stake");
    }

    function test_views_totalHotkeyStakeAtSpot_andUnmodelledViewsFail() public {
        uint256 alphaStaked = staking.getTotalAlphaStaked(VALIDATOR_HOTKEY, NETUID);
        assertEq(alphaStaked, pools.hotkeyPool(VALIDATOR_HOTKEY, NETUID).alphaRao, "TotalHotkeyAlpha");
        uint256 expected = (alphaStaked * _spotRao(NETUID)) / 1e9;
        assertEq(staking.getTotalHotkeyStake(VALIDATOR_HOTKEY), expected, "alpha valued at spot, in rao");
        assertEq(staking.getNominatorMinRequiredStake(), 0, "the chain's default");
        assertTrue(
            !caller.callWithGas(P.staking, BOUNDED_GAS, abi.encodeCall(IStakingV2.getTotalColdkeyStake, (ck(alice)))),
            "no coldkey index in the model"
        );
        assertTrue(
            !caller.callWithGas(P.staking, BOUNDED_GAS, abi.encodeCall(IStakingV2.addProxy, (ck(alice)))),
            "no proxies in the model"
        );
    }

    function _alphaPriceWad(uint16 netuid) internal view returns (uint256) {
        (bool ok, bytes memory ret) = P.alpha.staticcall(abi.encodeWithSignature("getAlphaPrice(uint16)", netuid));
        assertTrue(ok, "price readable");
        return abi.decode(ret, (uint256));
    }
}

/// @notice The dust sweep: with a nominator minimum set, a nominator's remainder below it is unstaked too.
contract StakingV2AdapterSweepTest is LiquidBase {
    function _nominatorMinRequiredStakeRao() internal pure override returns (uint256) {
        return 1 * TAO;
    }

    function test_removeStake_sweepsANominatorsRemainderBelowTheMinimum() public {
        uint256 alpha = _stake(alice, VALIDATOR_HOTKEY, NETUID, 10 * TAO);
        uint256 keep = (alpha * 2) / 100; // about 0.2 TAO of value: below the 1 TAO minimum
        vm.prank(alice);
        IStakingV2(P.staking).removeStake(VALIDATOR_HOTKEY, alpha - keep, NETUID);
        assertEq(IStakingV2(P.staking).getStake(VALIDATOR_HOTKEY, ck(alice), NETUID), 0, "the remainder was swept");
        assertEq(IStakingV2(P.staking).getNominatorMinRequiredStake(), TAO, "reported");
    }

    function test_removeStake_keepsARemainderAboveTheMinimum_andTheOwnersDust() public {
        uint256 alpha = _stake(alice, VALIDATOR_HOTKEY, NETUID, 10 * TAO);
        vm.prank(alice);
        IStakingV2(P.staking).removeStake(VALIDATOR_HOTKEY, alpha / 2, NETUID);
        assertApproxAbs(
            IStakingV2(P.staking).getStake(VALIDATOR_HOTKEY, ck(alice), NETUID),
            alpha - alpha / 2,
            1,
            "kept"
        );
        // The hotkey's owner is never swept.
        uint256 own = _stake(owner1, VALIDATOR_HOTKEY, NETUID, 10 * TAO);
        vm.prank(owner1);
        IStakingV2(P.staking).removeStake(VALIDATOR_HOTKEY, own - own / 100, NETUID);
        assertGt(IStakingV2(P.staking).getStake(VALIDATOR_HOTKEY, ck(owner1), NETUID), 0, "the owner keeps dust");
    }

    /// @dev A vault never lets the chain sweep its remaining holders' stake: the redemption reverts instead.
    function test_vault_refusesARedemptionThatWouldSweepTheRest() public {
        uint256 a = _deposit(alice, vault, 10 * TAO);
        _deposit(bob, vault, (5 * TAO) / 100); // bob's part is worth less than the 1 TAO minimum
        vm.prank(alice);
        vm.expectRevert();
        vault.redeem(a, alice, alice, 0, NO_DEADLINE);
        assertEq(vault.maxRedeem(alice), 0, "max redeem says so");
    }
}
