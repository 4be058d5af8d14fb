// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";

import {SecurityBase} from "./SecurityBase.sol";

/// @notice Finding 9: a dry emission reserve favoured whoever poked first. When the reserve could not cover the
/// emission, the first subnet to catch up after a funding took all of it and another's blocks were written off. The
/// reserve is now drawn for all subnets at once when the global index advances (backed = min(schedule, reserve)),
/// so a shortfall is shared by the emission schedule; a funding first advances the index, so it never backs past
/// blocks.
contract RegressionDryReserveTest is SecurityBase {
    uint16 internal a;
    uint16 internal b;
    uint256 internal t0;

    uint256 internal constant FUNDING_RAO = 5 * TAO;
    uint256 internal constant DRY_BLOCKS = 20;

    /// @dev Unfunded at set-up: the test funds the reserve itself.
    function _reserveFundingRao() internal pure override returns (uint256) {
        return 0;
    }

    function setUp() public override {
        super.setUp();
        a = _newEmittingSubnet(owner1, OWNER1_HOTKEY);
        b = _newEmittingSubnet(owner2, OWNER2_HOTKEY);
        // Both subnets start at a spot price of 1 TAO; with nothing in the reserve it stays there, and after a long
        // warm-up both moving prices sit at the cap, so both subnets weigh exactly the same (1e9).
        _advance(2_000);
        pools.poke(a);
        pools.poke(b);
        assertEq(_emission(a).weight, 1e9, "a weighs 1e9");
        assertEq(_emission(b).weight, 1e9, "b weighs 1e9");
        pools.fundEmissionReserve{value: _wei(FUNDING_RAO)}();
        t0 = _now();
    }

    function _received() internal view returns (uint256 taoA, uint256 taoB) {
        (taoA, taoB) = (_pool(a).taoRao, _pool(b).taoRao);
    }

    function _unbackedRao() internal view returns (uint256) {
        (, IAlphaPoolsTypes.Supply memory supply, ) = pools.storedGlobal();
        return supply.unbackedRao;
    }

    /// @dev Runs the dry period with `a` poked at `pokeA` blocks and `b` at `pokeB` (bit i: block t0 + 1 + i), both
    /// caught up at its end, and returns the TAO each received.
    function _dryPeriod(uint256 pokeA, uint256 pokeB, bool bFirst) internal returns (uint256 taoA, uint256 taoB) {
        (uint256 startA, uint256 startB) = _received();
        for (uint256 i; i < DRY_BLOCKS; ++i) {
            vm.roll(t0 + 1 + i);
            if (bFirst && (pokeB >> i) & 1 == 1) pools.poke(b);
            if ((pokeA >> i) & 1 == 1) pools.poke(a);
            if (!bFirst && (pokeB >> i) & 1 == 1) pools.poke(b);
        }
        if (bFirst) {
            pools.poke(b);
            pools.poke(a);
        } else {
            pools.poke(a);
            pools.poke(b);
        }
        (taoA, taoB) = _received();
        (taoA, taoB) = (taoA - startA, taoB - startB);
    }

    /// @dev The reserve holds 5 TAO; 20 blocks schedule 20 TAO (1 TAO a block, issuance below the first halving),
    /// split evenly by weight. Four orders and timings of catch-ups: a every block and b at the end; b every block and
    /// a at the end; b at block 7 and a at block 13, both at the end; nobody until the end. In each, both subnets
    /// receive exactly 2.5 TAO (the same 25 % of their scheduled 10 TAO), the reserve is empty and 15 TAO are
    /// recorded as unbacked.
    function test_Regression_DryReserve_shortfallSharedBySchedule() public {
        uint256 unbackedBefore = _unbackedRao();
        uint256 id = _snapshot();
        uint256 every = (1 << DRY_BLOCKS) - 1;
        uint256[4] memory pokeA = [every, uint256(0), uint256(1) << 12, uint256(0)];
        uint256[4] memory pokeB = [uint256(0), every, uint256(1) << 6, uint256(0)];
        bool[4] memory bFirst = [false, true, true, false];
        for (uint256 run; run < 4; ++run) {
            (uint256 taoA, uint256 taoB) = _dryPeriod(pokeA[run], pokeB[run], bFirst[run]);
            assertEq(taoA, FUNDING_RAO / 2, "a receives half of what the reserve backed");
            assertEq(taoB, FUNDING_RAO / 2, "b too, whatever the order and timing");
            assertEq(_reserveRao(), 0, "the reserve is spent");
            assertEq(_unbackedRao() - unbackedBefore, DRY_BLOCKS * TAO - FUNDING_RAO, "the shortfall is recorded");
            _assertTaoConserved(DRY_BLOCKS);
            _restore(id);
        }
    }

    /// @dev After the 20 dry blocks (nobody caught up), 1,000 TAO arrive, then both subnets catch up: each receives
    /// the 2.5 TAO the old 5 TAO backed, not a share of the new funding for the past blocks. The next 10 blocks are
    /// fully backed: 5 TAO each.
    function test_Regression_DryReserve_laterFundingDoesNotBackPastBlocks() public {
        vm.roll(t0 + DRY_BLOCKS);
        (uint256 startA, uint256 startB) = _received();
        pools.fundEmissionReserve{value: _wei(1_000 * TAO)}();
        assertEq(_reserveRao(), 1_000 * TAO, "the funding first settled the past blocks against the old reserve");
        pools.poke(b);
        pools.poke(a);
        (uint256 taoA, uint256 taoB) = _received();
        assertEq(taoA - startA, FUNDING_RAO / 2, "a: only what the old reserve backed");
        assertEq(taoB - startB, FUNDING_RAO / 2, "b: the same");
        vm.roll(t0 + DRY_BLOCKS + 10);
        pools.poke(a);
        pools.poke(b);
        (uint256 laterA, uint256 laterB) = _received();
        assertEq(laterA - taoA, 5 * TAO, "new blocks are backed in full");
        assertEq(laterB - taoB, 5 * TAO, "for both");
        assertEq(_reserveRao(), 990 * TAO, "10 TAO drawn");
    }
}
