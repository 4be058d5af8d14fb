// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BaseTest} from "./BaseTest.sol";

contract SmokeTest is BaseTest {
    function test_smoke_stakeMoveUnstake() public {
        uint16 netuid = _emittingSubnet(owner1, OWNER1_HOTKEY);
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, netuid, 10 * TAO);
        assertGt(alpha, 0, "alpha");
        _rollBy(5);
        bytes32 v1 = _hotkey(validator1, owner1);
        _registerNeuron(netuid, owner1, v1);
        vm.prank(alice);
        pools.moveStake(OWNER1_HOTKEY, v1, netuid, netuid, alpha / 2, 0, NO_DEADLINE);
        assertEq(pools.getStake(v1, ck(alice), netuid), alpha / 2, "moved");
        uint256 tao = _unstake(alice, v1, netuid, alpha / 2);
        assertGt(tao, 0, "tao");
        _stake(bob, OWNER1_HOTKEY, 0, 5 * TAO);
        vm.prank(bob);
        pools.moveStake(OWNER1_HOTKEY, OWNER1_HOTKEY, 0, netuid, 2 * TAO, 0, NO_DEADLINE);
    }
}
