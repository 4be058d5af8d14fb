// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LockCostLib} from "../../../contracts/libraries/LockCostLib.sol";
import {Assertions} from "../utils/Assertions.sol";

/// @notice subtensor's lock cost: doubles at a registration, decays linearly to the minimum over the interval.
contract LockCostLibTest is Assertions {
    uint256 internal constant MIN = 100e9;

    function test_lockCost_schedule() public pure {
        uint256 last = 1000e9;
        // right after a registration: twice the last lock
        assertEq(LockCostLib.lockCost(MIN, last, 500, 500, 1000), 2000e9, "doubled");
        // half an interval later: 2L − L/2
        assertEq(LockCostLib.lockCost(MIN, last, 500, 1000, 1000), 1500e9, "half decayed");
        // one interval later: L
        assertEq(LockCostLib.lockCost(MIN, last, 500, 1500, 1000), 1000e9, "one interval");
        // two intervals later and beyond: the minimum
        assertEq(LockCostLib.lockCost(MIN, last, 500, 2500, 1000), MIN, "minimum");
        assertEq(LockCostLib.lockCost(MIN, last, 500, 9000, 1000), MIN, "stays at the minimum");
        // no registration yet: the minimum
        assertEq(LockCostLib.lockCost(MIN, 0, 0, 12345, 1000), MIN, "first registration");
        // zero interval: decays at once
        assertEq(LockCostLib.lockCost(MIN, last, 500, 500, 0), MIN, "zero interval");
    }

    function testFuzz_lockCost_boundsAndDecay(
        uint256 last,
        uint256 lastBlock,
        uint256 elapsed,
        uint256 interval
    ) public pure {
        last = _bound(last, 0, type(uint64).max);
        lastBlock = _bound(lastBlock, 1, type(uint32).max);
        elapsed = _bound(elapsed, 0, type(uint32).max);
        interval = _bound(interval, 1, type(uint32).max);
        uint256 cost = LockCostLib.lockCost(MIN, last, lastBlock, lastBlock + elapsed, interval);
        assertGe(cost, MIN, "at least the minimum");
        assertLe(cost, 2 * last > MIN ? 2 * last : MIN, "at most twice the last lock");
        // exact linear decay: 2L − ⌊L·elapsed/interval⌋, floored at the minimum
        uint256 reduction = (last * elapsed) / interval;
        uint256 expected = 2 * last > reduction ? 2 * last - reduction : 0;
        assertEq(cost, expected > MIN ? expected : MIN, "linear decay");
        // one block later it is never higher
        assertLe(LockCostLib.lockCost(MIN, last, lastBlock, lastBlock + elapsed + 1, interval), cost, "non-increasing");
    }
}
