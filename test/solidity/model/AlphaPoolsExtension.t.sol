// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IHotkeys} from "../../../contracts/interfaces/IHotkeys.sol";
import {IRootDividends} from "../../../contracts/interfaces/IRootDividends.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {AlphaPools} from "../../../contracts/model/AlphaPools.sol";
import {AlphaPoolsExtension} from "../../../contracts/model/AlphaPoolsExtension.sol";
import {PoolsTestBase} from "./PoolsTestBase.sol";

/// @notice The split of AlphaPools into a hot path and a delegatecall extension over one storage: the extension
/// refuses direct calls, AlphaPools refuses an extension built with other coinbase parameters, and wiring happens
/// once.
contract AlphaPoolsExtensionTest is PoolsTestBase {
    function test_RevertWhen_extension_calledDirectly() public {
        AlphaPoolsExtension ext = pools.EXTENSION();
        bytes4 direct = AlphaPoolsExtension.OnlyDelegateCall.selector;
        vm.deal(address(this), address(this).balance + 10 ether);
        vm.expectRevert(direct);
        ext.approve(bob, 1, 1);
        vm.expectRevert(direct);
        ext.fundEmissionReserve{value: _wei(TAO)}();
        vm.expectRevert(direct);
        ext.openSubnet{value: _wei(TAO)}(5, TAO, 0, 33, 20, true);
        vm.expectRevert(direct);
        ext.startEmission(1, 0);
        vm.expectRevert(direct);
        ext.importStake(1, new ISubnetRegistry.GenesisNeuron[](0));
        vm.expectRevert(direct);
        ext.setSubnetSettings(1, 0, 33, 20, true);
        vm.expectRevert(direct);
        ext.dissolveSubnet(1);
        vm.expectRevert(direct);
        ext.closePosition(1, 1, OWNER1_HOTKEY, ck(alice));
        vm.expectRevert(direct);
        ext.buyAndBurnAlpha{value: _wei(TAO)}(1);
        vm.expectRevert(direct);
        ext.closePending(1);
        vm.expectRevert(direct);
        ext.creditStake(1, 1, OWNER1_HOTKEY, ck(alice), 1);
        vm.expectRevert(direct);
        ext.creditDividend(1, 1, OWNER1_HOTKEY, ck(alice), 1);
        vm.expectRevert(direct);
        ext.recycleAlpha(1, 1, 1);
        vm.expectRevert(direct);
        ext.setMinerBurn(1, 1);
        vm.expectRevert(direct);
        ext.assignRootDividend(1, 1, 1);
        vm.expectRevert(direct);
        ext.payRootDividend(1, 1, OWNER1_HOTKEY, ck(alice), 1, true);
        vm.expectRevert(direct);
        ext.wire(IHotkeys(address(1)), IRootDividends(address(2)));
        vm.expectRevert(direct);
        ext.pause();
        vm.expectRevert(direct);
        ext.unpause();
        // even for an account that holds every role on AlphaPools: the extension's own storage is not the model's
        vm.startPrank(admin);
        vm.expectRevert(direct);
        ext.wire(IHotkeys(address(1)), IRootDividends(address(2)));
        vm.stopPrank();
    }

    function test_RevertWhen_constructor_extensionBuiltWithOtherParameters() public {
        AlphaPoolsExtension otherAlpha = new AlphaPoolsExtension(
            MOVING_ALPHA_WAD + 1,
            EMA_HALVING_BLOCKS,
            TAO_WEIGHT_WAD
        );
        AlphaPoolsExtension otherHalving = new AlphaPoolsExtension(
            MOVING_ALPHA_WAD,
            EMA_HALVING_BLOCKS + 1,
            TAO_WEIGHT_WAD
        );
        AlphaPoolsExtension otherWeight = new AlphaPoolsExtension(
            MOVING_ALPHA_WAD,
            EMA_HALVING_BLOCKS,
            TAO_WEIGHT_WAD + 1
        );
        bytes4 mismatch = AlphaPools.ExtensionMismatch.selector;
        vm.expectRevert(mismatch);
        new AlphaPools(admin, MOVING_ALPHA_WAD, EMA_HALVING_BLOCKS, TAO_WEIGHT_WAD, 0, otherAlpha);
        vm.expectRevert(mismatch);
        new AlphaPools(admin, MOVING_ALPHA_WAD, EMA_HALVING_BLOCKS, TAO_WEIGHT_WAD, 0, otherHalving);
        vm.expectRevert(mismatch);
        new AlphaPools(admin, MOVING_ALPHA_WAD, EMA_HALVING_BLOCKS, TAO_WEIGHT_WAD, 0, otherWeight);
    }

    function test_constructor_startsWithRootOpenAndTheGivenIssuance() public {
        AlphaPoolsExtension ext = new AlphaPoolsExtension(MOVING_ALPHA_WAD, EMA_HALVING_BLOCKS, TAO_WEIGHT_WAD);
        AlphaPools fresh = new AlphaPools(admin, MOVING_ALPHA_WAD, EMA_HALVING_BLOCKS, TAO_WEIGHT_WAD, 123 * TAO, ext);
        assertEq(address(fresh.EXTENSION()), address(ext), "extension");
        (uint256 a, uint256 h, uint256 w) = fresh.coinbaseParams();
        assertEq(a, MOVING_ALPHA_WAD, "moving alpha");
        assertEq(h, EMA_HALVING_BLOCKS, "halving blocks");
        assertEq(w, TAO_WEIGHT_WAD, "TAO weight");
        IAlphaPoolsTypes.SubnetConfig memory root = fresh.subnetConfig(0);
        assertTrue(root.active, "root open");
        assertTrue(root.transfersEnabled, "root transfers");
        assertEq(root.minStakeRao, fresh.ROOT_MIN_STAKE_RAO(), "root minimum");
        assertEq(root.feeRateOf65535, 0, "no fee on root");
        (IAlphaPoolsTypes.Global memory g, IAlphaPoolsTypes.Supply memory s, ) = fresh.storedGlobal();
        assertEq(g.lastBlock, _now(), "index starts now");
        assertEq(s.issuancePlusReserveRao, 123 * TAO, "initial issuance");
        assertTrue(fresh.hasRole(fresh.DEFAULT_ADMIN_ROLE(), admin), "admin");
    }

    function test_RevertWhen_wire_calledTwiceOrByANonAdmin() public {
        bytes32 adminRole = pools.DEFAULT_ADMIN_ROLE();
        vm.prank(admin);
        vm.expectRevert(IAlphaPoolsTypes.AlreadyWired.selector);
        pools.wire(IHotkeys(address(1)), IRootDividends(address(2)));
        assertEq(address(pools.hotkeys()), address(metagraph), "still the metagraph");
        assertEq(address(pools.rootDividends()), address(rootDividends), "still root dividends");
        AlphaPoolsExtension ext = new AlphaPoolsExtension(MOVING_ALPHA_WAD, EMA_HALVING_BLOCKS, TAO_WEIGHT_WAD);
        AlphaPools fresh = new AlphaPools(admin, MOVING_ALPHA_WAD, EMA_HALVING_BLOCKS, TAO_WEIGHT_WAD, 0, ext);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, adminRole));
        fresh.wire(IHotkeys(address(1)), IRootDividends(address(2)));
        vm.prank(admin);
        fresh.wire(IHotkeys(address(1)), IRootDividends(address(2)));
        assertEq(address(fresh.hotkeys()), address(1), "wired");
        vm.prank(admin);
        vm.expectRevert(IAlphaPoolsTypes.AlreadyWired.selector);
        fresh.wire(IHotkeys(address(3)), IRootDividends(address(4)));
    }

    /// @dev The delegated entry points run on AlphaPools' storage: an approval made through AlphaPools is read back
    /// by AlphaPools' own view, and the extension's storage stays empty.
    function test_delegatedCalls_writeAlphaPoolsStorage() public {
        uint16 net1 = _newStartedSubnet(owner1, OWNER1_HOTKEY);
        vm.prank(alice);
        pools.approve(bob, net1, 77);
        assertEq(pools.allowance(alice, bob, net1), 77, "read back through AlphaPools");
        assertEq(address(pools.EXTENSION().hotkeys()), address(0), "the extension's own storage is untouched");
        assertEq(address(pools.EXTENSION()).balance, 0, "it holds no TAO");
    }
}
