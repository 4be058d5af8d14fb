// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IAlphaPoolsTypes} from "../../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {UnitsLib} from "../../../../contracts/libraries/UnitsLib.sol";
import {LiquidAlphaVault} from "../../../../contracts/staking/LiquidAlphaVault.sol";
import {IAllocationRouter} from "../../../../contracts/staking/interfaces/IAllocationRouter.sol";
import {ILiquidAlphaVault} from "../../../../contracts/staking/interfaces/ILiquidAlphaVault.sol";

import {LiquidBase, VmLiquid} from "../LiquidBase.sol";

/// @title AllocationRouterTest
/// @notice Allocations across vaults and rebalances between them, on two subnets; after every call the router holds
/// no TAO, no shares of any vault involved and no stake.
contract AllocationRouterTest is LiquidBase {
    uint16 internal NETUID2;
    bytes32 internal VALIDATOR2_HOTKEY;
    /// @dev Vaults: (1, validator), (1, owner1), (2, validator), (2, validator2).
    LiquidAlphaVault internal v11;
    LiquidAlphaVault internal v12;
    LiquidAlphaVault internal v21;
    LiquidAlphaVault internal v22;

    function setUp() public override {
        super.setUp();
        NETUID2 = _emittingSubnet(owner2, OWNER2_HOTKEY);
        VALIDATOR2_HOTKEY = _hotkey(validator2, owner2);
        _registerNeuron(NETUID2, owner2, VALIDATOR2_HOTKEY);
        _stake(carol, VALIDATOR2_HOTKEY, NETUID2, 50 * TAO);
        v11 = vault;
        v12 = LiquidAlphaVault(factory.createVault(NETUID, OWNER1_HOTKEY));
        v21 = LiquidAlphaVault(factory.createVault(NETUID2, VALIDATOR_HOTKEY));
        v22 = LiquidAlphaVault(factory.createVault(NETUID2, VALIDATOR2_HOTKEY));
    }

    function _legs3() internal view returns (IAllocationRouter.Leg[] memory legs) {
        legs = new IAllocationRouter.Leg[](3);
        legs[0] = IAllocationRouter.Leg(NETUID, VALIDATOR_HOTKEY, 5, NO_LIMIT, 0);
        legs[1] = IAllocationRouter.Leg(NETUID2, VALIDATOR2_HOTKEY, 3, NO_LIMIT, 0);
        legs[2] = IAllocationRouter.Leg(NETUID, OWNER1_HOTKEY, 2, NO_LIMIT, 0);
    }

    function _allocate(
        address who,
        IAllocationRouter.Leg[] memory legs,
        uint256 rao
    ) internal returns (uint256[] memory) {
        vm.deal(who, who.balance + _wei(rao));
        vm.prank(who);
        return router.allocate{value: _wei(rao)}(legs, who, NO_DEADLINE);
    }

    /// @dev Nothing stays in the router: no TAO, no shares, no stake on any (hotkey, netuid) involved.
    function _assertRouterEmpty() internal view {
        assertEq(address(router).balance, 0, "router TAO");
        LiquidAlphaVault[4] memory all = [v11, v12, v21, v22];
        for (uint256 i; i < all.length; ++i) {
            assertEq(all[i].balanceOf(address(router)), 0, "router shares");
            (uint16 netuid, bytes32 hk, ) = all[i].position();
            assertEq(pools.getStake(hk, ck(address(router)), netuid), 0, "router stake");
        }
    }

    /* ALLOCATE */

    function test_allocate_splitsByWeightAndGivesTheSharesToTheReceiver() public {
        uint256[] memory shares = _allocate(alice, _legs3(), 10 * TAO);
        assertEq(shares.length, 3, "one result per leg");
        assertEq(v11.balanceOf(alice), shares[0], "leg 0 to alice");
        assertEq(v22.balanceOf(alice), shares[1], "leg 1 to alice");
        assertEq(v12.balanceOf(alice), shares[2], "leg 2 to alice");
        assertGt(v11.totalAssets(), 0, "staked");
        _assertRouterEmpty();
    }

    function test_allocate_sendsExactlyTheWeightedTao() public {
        vmx.recordLogs();
        _allocate(alice, _legs3(), 10 * TAO + 7); // 7 rao of remainder go to the last leg
        uint256[3] memory taoOf = _depositedTao();
        assertEq(taoOf[0], 5 * TAO + 3, "5/10 of 10 TAO + 7 rao, rounded down");
        assertEq(taoOf[1], 3 * TAO + 2, "3/10");
        assertEq(taoOf[2], 2 * TAO + 2, "2/10 and the remainder");
        _assertRouterEmpty();
    }

    function test_allocate_createsMissingVaults() public {
        IAllocationRouter.Leg[] memory legs = new IAllocationRouter.Leg[](1);
        legs[0] = IAllocationRouter.Leg(NETUID2, OWNER2_HOTKEY, 1, NO_LIMIT, 0);
        address expected = factory.vaultFor(NETUID2, OWNER2_HOTKEY);
        assertEq(expected.code.length, 0, "not there yet");
        IAllocationRouter.LegQuote[] memory q = router.previewAllocate(legs, 3 * TAO);
        assertEq(q[0].vault, expected, "quoted at the address it will have");
        assertTrue(!q[0].vaultExists, "quoted as a new vault");
        uint256[] memory shares = _allocate(alice, legs, 3 * TAO);
        assertLe(q[0].shares, shares[0], "the quote of a new vault is not overstated");
        assertTrue(factory.isVault(expected), "created");
        assertEq(LiquidAlphaVault(expected).balanceOf(alice), shares[0], "alice's shares");
        _assertRouterEmpty();
    }

    /// @dev The router finds a leg's vault itself (no call to the factory): the factory's address for any leg.
    function testFuzz_previewAllocate_findsTheVaultTheFactoryNames(bytes32 hotkey, uint8 pick) public view {
        uint16[3] memory netuids = [NETUID, NETUID2, uint16(250)]; // 250: no subnet
        uint16 netuid = netuids[pick % 3];
        IAllocationRouter.Leg[] memory legs = new IAllocationRouter.Leg[](1);
        legs[0] = IAllocationRouter.Leg(netuid, hotkey, 1, NO_LIMIT, 0);
        assertEq(router.previewAllocate(legs, 3 * TAO)[0].vault, factory.vaultFor(netuid, hotkey), "one address");
    }

    function test_previewAllocate_afterADissolution_namesTheNewSubnetsVault() public {
        IAllocationRouter.Leg[] memory legs = new IAllocationRouter.Leg[](1);
        legs[0] = IAllocationRouter.Leg(NETUID2, VALIDATOR_HOTKEY, 1, NO_LIMIT, 0);
        assertEq(router.previewAllocate(legs, 3 * TAO)[0].vault, address(v21), "the live vault");
        _dissolve(NETUID2); // the pruning candidate: the lower moving price
        address fresh = router.previewAllocate(legs, 3 * TAO)[0].vault;
        assertTrue(fresh != address(v21), "not the dissolved subnet's vault");
        assertEq(fresh, factory.vaultFor(NETUID2, VALIDATOR_HOTKEY), "the new instance's vault");
    }

    function test_previewAllocate_quotesEveryLegWithItsImpact_neverAboveTheResult() public {
        IAllocationRouter.Leg[] memory legs = new IAllocationRouter.Leg[](2);
        legs[0] = IAllocationRouter.Leg(NETUID, VALIDATOR_HOTKEY, 1, NO_LIMIT, 0);
        legs[1] = IAllocationRouter.Leg(NETUID2, VALIDATOR2_HOTKEY, 1, NO_LIMIT, 0);
        IAllocationRouter.LegQuote[] memory q = router.previewAllocate(legs, 20 * TAO);
        assertEq(q[0].vault, address(v11), "leg 0's vault");
        assertTrue(q[0].vaultExists, "exists");
        assertEq(q[0].taoRao, 10 * TAO, "half");
        assertGt(q[0].priceImpactWad, 0, "a swap moves the price");
        assertGt(q[0].effectivePriceRaoPerAlpha, q[0].spotPriceRaoPerAlpha, "paid above spot");
        uint256[] memory shares = _allocate(alice, legs, 20 * TAO);
        assertLe(q[0].shares, shares[0], "leg 0 not overstated");
        assertLe(q[1].shares, shares[1], "leg 1 not overstated");

        IAllocationRouter.LegQuote[] memory small = router.previewAllocate(legs, 2 * TAO);
        assertLt(small[0].priceImpactWad, q[0].priceImpactWad, "a smaller leg moves the price less");
    }

    function test_previewAllocate_legsOnOneNetuidShareItsPool() public view {
        IAllocationRouter.Leg[] memory legs = new IAllocationRouter.Leg[](2);
        legs[0] = IAllocationRouter.Leg(NETUID, VALIDATOR_HOTKEY, 1, NO_LIMIT, 0);
        legs[1] = IAllocationRouter.Leg(NETUID, OWNER1_HOTKEY, 1, NO_LIMIT, 0);
        IAllocationRouter.LegQuote[] memory q = router.previewAllocate(legs, 20 * TAO);
        assertLt(q[1].alphaRao, q[0].alphaRao, "the second leg buys after the first");
        assertGt(q[1].priceImpactWad, q[0].priceImpactWad, "at a higher price");
    }

    function test_RevertWhen_allocate_aLegCrossesItsLimit_theWholeAllocationFails() public {
        IAllocationRouter.Leg[] memory legs = _legs3();
        legs[1].limitPriceRaoPerAlpha = _spotRao(NETUID2); // no room at all
        vm.deal(alice, _wei(10 * TAO));
        vm.prank(alice);
        vm.expectRevert();
        router.allocate{value: _wei(10 * TAO)}(legs, alice, NO_DEADLINE);
        assertEq(alice.balance, _wei(10 * TAO), "alice keeps everything");
        assertEq(v11.balanceOf(alice), 0, "no leg went through");
        _assertRouterEmpty();
    }

    function test_RevertWhen_allocate_badInput() public {
        IAllocationRouter.Leg[] memory none = new IAllocationRouter.Leg[](0);
        vm.expectRevert(IAllocationRouter.NoLegs.selector);
        router.allocate{value: _wei(TAO)}(none, alice, NO_DEADLINE);
        IAllocationRouter.Leg[] memory legs = _legs3();
        legs[1].weight = 0;
        vm.expectRevert(abi.encodeWithSelector(IAllocationRouter.ZeroWeight.selector, uint256(1)));
        router.allocate{value: _wei(TAO)}(legs, alice, NO_DEADLINE);
        IAllocationRouter.Leg[] memory many = new IAllocationRouter.Leg[](33);
        vm.expectRevert(abi.encodeWithSelector(IAllocationRouter.TooManyLegs.selector, uint256(33), uint256(32)));
        router.allocate{value: _wei(TAO)}(many, alice, NO_DEADLINE);
        vm.expectRevert(abi.encodeWithSelector(UnitsLib.NotWholeRao.selector, uint256(1e18 + 1)));
        router.allocate{value: 1e18 + 1}(_legs3(), alice, NO_DEADLINE);
        vm.expectRevert(
            abi.encodeWithSelector(IAllocationRouter.DeadlineExpired.selector, block.timestamp - 1, block.timestamp)
        );
        router.allocate{value: _wei(TAO)}(_legs3(), alice, block.timestamp - 1);
        legs = _legs3();
        legs[0].minSharesOut = type(uint256).max;
        vm.expectRevert();
        router.allocate{value: _wei(TAO)}(legs, alice, NO_DEADLINE);
        _assertRouterEmpty();
    }

    /* REBALANCE */

    function _approveRouter(address who, LiquidAlphaVault v) internal {
        vm.prank(who);
        v.approve(address(router), type(uint256).max);
    }

    function _move(
        LiquidAlphaVault from,
        LiquidAlphaVault to,
        uint256 shares,
        bool viaTao
    ) internal pure returns (IAllocationRouter.Move[] memory moves) {
        moves = new IAllocationRouter.Move[](1);
        moves[0] = IAllocationRouter.Move(address(from), address(to), shares, 0, type(uint256).max, viaTao);
    }

    function test_rebalance_withinANetuid_movesStakeWithoutASwap() public {
        uint256 shares = _deposit(alice, v11, 10 * TAO);
        uint256 claim = v11.convertToAssets(shares);
        _approveRouter(alice, v11);
        pools.poke(NETUID);
        (IAlphaPoolsTypes.Pool memory before, , ) = pools.storedSubnet(NETUID);
        vm.prank(alice);
        uint256[] memory out = router.rebalance(_move(v11, v12, shares, false), alice, NO_DEADLINE);
        (IAlphaPoolsTypes.Pool memory afterMove, , ) = pools.storedSubnet(NETUID);
        assertEq(afterMove.volumeRao, before.volumeRao, "no swap on the pool");
        assertEq(v11.balanceOf(alice), 0, "old shares gone");
        assertEq(v12.balanceOf(alice), out[0], "new shares to alice");
        assertApproxAbs(v12.convertToAssets(out[0]), claim, 3, "the same alpha, less rounding");
        _assertRouterEmpty();
    }

    function test_rebalance_acrossNetuids_sameHotkey_oneTransferOneFee() public {
        uint256 shares = _deposit(alice, v11, 10 * TAO);
        uint256 claim = v11.convertToAssets(shares);
        _approveRouter(alice, v11);
        uint256 viaSwapsQuote = alphaThroughTao(claim);
        vm.prank(alice);
        uint256[] memory out = router.rebalance(_move(v11, v21, shares, false), alice, NO_DEADLINE);
        assertGt(out[0], 0, "shares on netuid 2");
        assertGe(v21.convertToAssets(out[0]), viaSwapsQuote, "no worse than unstaking and staking");
        _assertRouterEmpty();
    }

    function test_rebalance_acrossNetuidsAndHotkeys_andViaTao() public {
        uint256 shares = _deposit(alice, v11, 10 * TAO);
        _approveRouter(alice, v11);
        IAllocationRouter.Move[] memory moves = new IAllocationRouter.Move[](2);
        moves[0] = IAllocationRouter.Move(address(v11), address(v22), shares / 2, 0, NO_LIMIT, false);
        moves[1] = IAllocationRouter.Move(address(v11), address(v22), shares - shares / 2, 0, NO_LIMIT, true);
        vm.prank(alice);
        uint256[] memory out = router.rebalance(moves, bob, NO_DEADLINE);
        assertEq(v22.balanceOf(bob), out[0] + out[1], "both moves to the receiver");
        assertGt(out[0], out[1], "in kind pays one fee, via TAO two");
        assertEq(v11.balanceOf(alice), 0, "all moved");
        _assertRouterEmpty();
    }

    function test_RevertWhen_rebalance_withoutApprovalOrBelowItsBound() public {
        uint256 shares = _deposit(alice, v11, 10 * TAO);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(router), 0, shares)
        );
        router.rebalance(_move(v11, v12, shares, false), alice, NO_DEADLINE);
        _approveRouter(alice, v11);
        IAllocationRouter.Move[] memory moves = _move(v11, v21, shares, false);
        moves[0].minSharesOut = v11.convertToShares(type(uint64).max);
        vm.prank(alice);
        vm.expectRevert();
        router.rebalance(moves, alice, NO_DEADLINE);
        moves = _move(v11, LiquidAlphaVault(address(0xBEEF)), shares, false);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ILiquidAlphaVault.InvalidTarget.selector, address(0xBEEF)));
        router.rebalance(moves, alice, NO_DEADLINE);
        moves = _move(LiquidAlphaVault(address(0xBEEF)), v12, shares, false);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAllocationRouter.UnknownVault.selector, address(0xBEEF)));
        router.rebalance(moves, alice, NO_DEADLINE);
        _assertRouterEmpty();
    }

    function test_RevertWhen_rebalance_intoAPausedVault_butOutOfOneWorks() public {
        uint256 shares = _deposit(alice, v11, 10 * TAO);
        _approveRouter(alice, v11);
        vm.prank(guardian);
        v12.pause();
        vm.prank(alice);
        vm.expectRevert(ILiquidAlphaVault.DepositsPaused.selector);
        router.rebalance(_move(v11, v12, shares, false), alice, NO_DEADLINE);
        vm.prank(guardian);
        v11.pause();
        vm.prank(alice);
        router.rebalance(_move(v11, v21, shares, false), alice, NO_DEADLINE);
        assertEq(v11.balanceOf(alice), 0, "out of a paused vault");
        _assertRouterEmpty();
    }

    /* HELPERS */

    /// @dev Alpha on netuid 2 that `alphaRao` on netuid 1 would buy by unstaking and staking (two fees).
    function alphaThroughTao(uint256 alphaRao) internal view returns (uint256) {
        (bool ok1, bytes memory r1) = P.alpha.staticcall(
            abi.encodeWithSignature("simSwapAlphaForTao(uint16,uint64)", NETUID, uint64(alphaRao))
        );
        assertTrue(ok1, "sim 1");
        uint256 tao = abi.decode(r1, (uint256));
        (bool ok2, bytes memory r2) = P.alpha.staticcall(
            abi.encodeWithSignature("simSwapTaoForAlpha(uint16,uint64)", NETUID2, uint64(tao))
        );
        assertTrue(ok2, "sim 2");
        return abi.decode(r2, (uint256));
    }

    /// @dev The TAO of each `Deposit` event of v11, v22, v12 since `recordLogs`.
    function _depositedTao() internal returns (uint256[3] memory taoOf) {
        bytes32 topic = ILiquidAlphaVault.Deposit.selector;
        address[3] memory order = [address(v11), address(v22), address(v12)];
        VmLiquid.Log[] memory logs = vmx.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics.length == 0 || logs[i].topics[0] != topic) continue;
            (uint256 taoRao, , ) = abi.decode(logs[i].data, (uint256, uint256, uint256));
            for (uint256 k; k < 3; ++k) if (logs[i].emitter == order[k]) taoOf[k] = taoRao;
        }
    }
}

/// @notice The same router tests with the staking contracts calling the adapters at their own addresses.
contract AllocationRouterAtAdapterAddressesTest is AllocationRouterTest {
    function _atRealAddresses() internal pure override returns (bool) {
        return false;
    }
}
