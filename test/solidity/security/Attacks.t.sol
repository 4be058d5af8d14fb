// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {AlphaPools} from "../../../contracts/model/AlphaPools.sol";
import {AlphaPoolsTestBase} from "../model/AlphaPoolsTestBase.sol";

/// @notice Re-enters the pools from its receive hook and records what it saw.
contract ReentrantReceiver {
    enum Mode {
        None,
        Unstake,
        Stake,
        Claim
    }

    AlphaPools internal immutable POOLS;
    bytes32 internal immutable HOTKEY;
    uint16 internal immutable NETUID;
    Mode public mode;
    bool public reentered;
    bytes public reentryError;
    uint256 public stakeSeenInCallback;
    uint256 public received;

    constructor(AlphaPools pools, bytes32 hotkey, uint16 netuid) {
        (POOLS, HOTKEY, NETUID) = (pools, hotkey, netuid);
    }

    function setMode(Mode m) external {
        mode = m;
    }

    function stake(uint256 limit, bool allowPartial) external payable returns (uint256) {
        if (limit == 0) return POOLS.addStake{value: msg.value}(HOTKEY, NETUID, 0, type(uint256).max);
        return POOLS.addStakeLimit{value: msg.value}(HOTKEY, NETUID, limit, allowPartial, type(uint256).max);
    }

    function unstake(uint256 alpha) external returns (uint256) {
        return POOLS.removeStake(HOTKEY, NETUID, alpha, 0, type(uint256).max);
    }

    function claim(uint32 generation) external returns (uint256) {
        return POOLS.claimRefund(HOTKEY, NETUID, generation);
    }

    receive() external payable {
        received += msg.value;
        stakeSeenInCallback = POOLS.getStake(HOTKEY, POOLS.coldkeyOf(address(this)), NETUID);
        if (mode == Mode.None || reentered) return;
        reentered = true;
        bytes memory call;
        if (mode == Mode.Unstake) {
            call = abi.encodeCall(POOLS.removeStake, (HOTKEY, NETUID, 1_000_000, 0, type(uint256).max));
        } else if (mode == Mode.Stake) {
            call = abi.encodeCall(POOLS.addStake, (HOTKEY, NETUID, 0, type(uint256).max));
        } else {
            call = abi.encodeCall(POOLS.claimRefund, (HOTKEY, NETUID, 1));
        }
        (bool ok, bytes memory err) = address(POOLS).call{value: mode == Mode.Stake ? 1e18 : 0}(call);
        if (!ok) reentryError = err;
    }
}

contract RevertingReceiver {
    receive() external payable {
        revert("no TAO please");
    }

    function stake(AlphaPools pools, bytes32 hotkey, uint16 netuid) external payable returns (uint256) {
        return pools.addStake{value: msg.value}(hotkey, netuid, 0, type(uint256).max);
    }

    function unstake(AlphaPools pools, bytes32 hotkey, uint16 netuid, uint256 alpha) external returns (uint256) {
        return pools.removeStake(hotkey, netuid, alpha, 0, type(uint256).max);
    }
}

/// @notice The attacks of the security research, as named tests.
contract AttacksTest is AlphaPoolsTestBase {
    ReentrantReceiver internal attacker;

    function setUp() public override {
        super.setUp();
        attacker = new ReentrantReceiver(pools, OWNER1_HOTKEY, netuid);
        vm.deal(address(attacker), 100 ether);
    }

    function _reentryErrorIsGuard() internal view {
        bytes memory err = attacker.reentryError();
        assertEq(err.length, 4, "a bare selector");
        assertEq(
            bytes32(bytes4(err)),
            bytes32(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "ReentrancyGuardReentrantCall"
        );
    }

    /* REENTRANCY */

    function test_Attack_reentrancyOnUnstakePayout() public {
        uint256 alpha = attacker.stake{value: _wei(10 * TAO)}(0, false);
        attacker.setMode(ReentrantReceiver.Mode.Unstake);
        uint256 sell = alpha / 2;
        uint256 out = attacker.unstake(sell);
        assertTrue(attacker.reentered(), "re-entered");
        _reentryErrorIsGuard();
        assertEq(attacker.received(), _wei(out), "paid exactly once");
        // read-only reentrancy: the view during the callback already shows the final state
        assertEq(attacker.stakeSeenInCallback(), alpha - sell, "consistent view during the payout");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(address(attacker)), netuid), alpha - sell, "stake left");
    }

    function test_Attack_reentrancyOnPartialFillRefund() public {
        attacker.setMode(ReentrantReceiver.Mode.Stake);
        uint256 alpha = attacker.stake{value: _wei(50 * TAO)}(1.21e9, true);
        assertTrue(attacker.reentered(), "refund re-entered");
        _reentryErrorIsGuard();
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(address(attacker)), netuid), alpha, "only the first stake");
    }

    function test_Attack_reentrancyOnClaimRefund() public {
        attacker.stake{value: _wei(10 * TAO)}(0, false);
        vm.prank(registrar);
        pools.dissolveSubnet(netuid);
        attacker.setMode(ReentrantReceiver.Mode.Claim);
        uint256 paid = attacker.claim(1);
        _reentryErrorIsGuard();
        assertEq(attacker.received(), _wei(paid), "claimed once");
        assertEq(pools.refundState(netuid, 1).claimedRao, paid, "claimed amount");
    }

    function test_Attack_revertingReceiverOnlyBlocksItself() public {
        RevertingReceiver r = new RevertingReceiver();
        vm.deal(address(r), 10 ether);
        uint256 alpha = r.stake{value: _wei(5 * TAO)}(pools, OWNER1_HOTKEY, netuid);
        uint256 quote = pools.simSwapAlphaForTao(netuid, alpha);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.TaoTransferFailed.selector, address(r), _wei(quote)));
        r.unstake(pools, OWNER1_HOTKEY, netuid, alpha);
        // everyone else still exits
        uint256 a = _stake(alice, OWNER1_HOTKEY, netuid, TAO);
        _unstake(alice, OWNER1_HOTKEY, netuid, a);
    }

    /* SHARE INFLATION */

    /// @dev A hotkey pool reduced to one share and then paid a dividend makes one share worth the whole dividend;
    /// a victim's smaller stake would mint zero shares and be absorbed by the attacker.
    /// @dev The inflation set-up: a hotkey pool left with one alpha-rao of stake receives a whole epoch's dividend.
    function _inflateDustPool() internal returns (bytes32 hk, uint256 dividend) {
        hk = keccak256("attacker validator");
        vm.prank(address(metagraph));
        pools.registerHotkey(hk, ck(bob));
        vm.prank(owner1);
        registry.startCall(netuid);
        uint256 alpha = _stake(bob, hk, netuid, TAO);
        _unstake(bob, hk, netuid, alpha - 1);
        assertEq(pools.getStake(hk, ck(bob), netuid), 1, "one alpha-rao left");
        _rollBy(20);
        pools.poke(netuid);
        IAlphaPools.PendingEmission memory p = pools.pendingEmission(netuid);
        dividend = uint256(p.server) + p.validator;
        vm.prank(settler);
        pools.settleEpoch(netuid, _payout(_one(hk), _one64(0), _one64(uint64(dividend))));
        assertEq(pools.getTotalHotkeyAlpha(hk, netuid), dividend + 1, "the pool holds the dividend");
    }

    /// @dev Without virtual shares one share was worth the whole dividend, so a smaller stake minted no shares and
    /// its alpha went to the attacker. Now the stake mints shares worth what it bought, to the alpha-rao.
    function test_Regression_stakeIntoInflatedPoolKeepsItsValue() public {
        (bytes32 hk, uint256 dividend) = _inflateDustPool();
        uint256 quote = pools.simSwapTaoForAlpha(netuid, TAO);
        assertLt(quote, dividend + 1, "the victim's alpha is worth less than the dividend");
        // One share is worth (A + 1)/(S + 1e9) with A = dividend + 1 and S = 1e9 (bob's alpha-rao): a few alpha-rao.
        uint256 shareValue = (dividend + 2 + 2e9 - 1) / 2e9;
        uint256 alpha = _stake(alice, hk, netuid, TAO);
        assertEq(alpha, quote, "bought what was quoted");
        uint256 value = pools.getStake(hk, ck(alice), netuid);
        assertLe(value, alpha, "never more than bought");
        assertGe(value + shareValue + 1, alpha, "loses at most one share and one alpha-rao to rounding");
    }

    /// @dev The attacker's one alpha-rao does not capture the dividend: most of it stays with the virtual shares.
    function test_Attack_shareInflationDoesNotPay() public {
        (bytes32 hk, uint256 dividend) = _inflateDustPool();
        uint256 attackerValue = pools.getStake(hk, ck(bob), netuid);
        assertLe(attackerValue, dividend / 2 + 2, "the dust position gets at most half the dividend");
        uint256 shareValue = (dividend + 2 + 2e9 - 1) / 2e9;
        uint256 alpha = _stake(alice, hk, netuid, 40 * TAO);
        uint256 value = pools.getStake(hk, ck(alice), netuid);
        assertLe(value, alpha, "never more than bought");
        assertGe(value + shareValue + 1, alpha, "a large victim keeps its stake too");
        assertLe(
            pools.getStake(hk, ck(bob), netuid),
            attackerValue + shareValue + 1,
            "the attacker gains at most rounding"
        );
    }

    /* EMA VS SPOT */

    /// @dev subtensor's defaults (A = 3e-6, h = 201 600): a whale moving the spot 100× in a block barely moves the
    /// moving price, so the emission split hardly changes.
    function test_Attack_spotManipulationBarelyMovesMovingPrice() public {
        AlphaPools p = new AlphaPools(admin, 3e12, 201_600, TAO_WEIGHT_WAD);
        vm.startPrank(admin);
        p.grantRole(p.REGISTRY_ROLE(), address(this));
        vm.stopPrank();
        p.fundEmissionReserve{value: _wei(10_000 * TAO)}();
        p.openSubnet{value: _wei(100 * TAO)}(1, OWNER1_HOTKEY, ck(owner1), 1000 * TAO, 20, 33, 2_000_000);
        p.startEmission(1);
        _rollBy(1000);
        p.poke(1);
        uint256 before = p.getMovingAlphaPrice(1);
        uint256 spotBefore = p.getAlphaPrice(1);

        vm.deal(alice, _wei(20_000 * TAO));
        vm.prank(alice);
        uint256 alpha = p.addStake{value: _wei(20_000 * TAO)}(OWNER1_HOTKEY, 1, 0, NO_DEADLINE);
        assertGt(p.getAlphaPrice(1), 100 * spotBefore, "spot moved more than 100x");
        _rollBy(1);
        p.poke(1);
        uint256 afterOne = p.getMovingAlphaPrice(1);
        // one block moves at most α_b = A·b/(b + h) ≤ A of the way to the (capped) target of 1 TAO
        assertLe(afterOne - before, (3e12 * (WAD - before)) / WAD + 1, "at most A of the gap");
        assertLt(afterOne, 2 * before + 1e12, "moving price barely moved");
        // and the whale's round trip loses money
        vm.prank(alice);
        uint256 back = p.removeStake(OWNER1_HOTKEY, 1, alpha, 0, NO_DEADLINE);
        assertLt(back, 20_000 * TAO, "no profit from the round trip");
    }

    /* SETTLEMENT */

    function test_Attack_settlementPayoutExceedingPendingReverts() public {
        vm.prank(owner1);
        registry.startCall(netuid);
        _rollBy(20);
        pools.poke(netuid);
        IAlphaPools.PendingEmission memory p = pools.pendingEmission(netuid);
        // many small entries whose sum is one alpha-rao above the miners' bucket
        bytes32[] memory hks = new bytes32[](3);
        uint64[] memory inc = new uint64[](3);
        uint64[] memory div = new uint64[](3);
        for (uint256 i; i < 3; ++i) {
            hks[i] = OWNER1_HOTKEY;
            inc[i] = p.server / 3;
        }
        inc[2] = p.server - 2 * (p.server / 3) + 1;
        vm.prank(settler);
        vm.expectRevert(
            abi.encodeWithSelector(IAlphaPools.PayoutExceedsPending.selector, uint256(p.server) + 1, p.server)
        );
        pools.settleEpoch(netuid, _payout(hks, inc, div));
        // a second settlement in the same epoch cannot pay the buckets twice
        inc[2] = p.server - 2 * (p.server / 3);
        vm.prank(settler);
        pools.settleEpoch(netuid, _payout(hks, inc, div));
        vm.prank(settler);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.EpochNotDue.selector, netuid, uint256(0), uint256(20)));
        pools.settleEpoch(netuid, _payout(hks, inc, div));
    }
}
