// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LockCostLib} from "../../../contracts/libraries/LockCostLib.sol";
import {Assertions} from "../utils/Assertions.sol";

/// @notice subtensor's lock cost: doubles at a registration, decays linearly to the minimum over the interval, with
/// the division first (`last / interval`, integer) as in `get_network_lock_cost`.
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
        // no registration yet: the last lock (0 here) counts once, so the minimum
        assertEq(LockCostLib.lockCost(MIN, 0, 0, 12345, 1000), MIN, "first registration");
        // the migration's anchor (last lock 1250 TAO, never registered since): 1250 TAO, no doubling
        uint256 anchor = 1250e9;
        assertEq(LockCostLib.lockCost(1000e9, anchor, 0, 1, 57_600), anchor - anchor / 57_600, "anchor, m = 1");
    }

    /// @dev The order matters when the interval does not divide the last lock: ⌊100e9 / 999⌋ = 100_100_100, and
    /// 999 blocks later 100_100_100 × 999 = 99_999_999_900 has been taken off 200e9, not 100e9.
    function test_lockCost_divisionFirst() public pure {
        assertEq(LockCostLib.lockCost(MIN, 100e9, 1, 1 + 999, 999), 100_000_000_100, "division first");
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
        // exact linear decay: 2L − ⌊L / interval⌋·elapsed, floored at the minimum
        uint256 reduction = (last / interval) * elapsed;
        uint256 expected = 2 * last > reduction ? 2 * last - reduction : 0;
        assertEq(cost, expected > MIN ? expected : MIN, "linear decay, division first");
        // one block later it is never higher
        assertLe(LockCostLib.lockCost(MIN, last, lastBlock, lastBlock + elapsed + 1, interval), cost, "non-increasing");
    }
}
