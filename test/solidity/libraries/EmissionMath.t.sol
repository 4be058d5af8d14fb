// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {EmissionMath} from "../../../contracts/libraries/EmissionMath.sol";
import {Assertions} from "../utils/Assertions.sol";

/// @notice EmissionMath against an independent reference: subtensor's 1e9·2^(−⌊log2(S/(S−I))⌋).
contract EmissionMathTest is Assertions {
    uint256 internal constant S = 21_000_000e9;

    /// @dev Reference: the number of halvings is ⌊log2(S/(S − I))⌋ (⌊log2⌋ of the integer quotient is the same).
    function _refBlockEmission(uint256 issuance) internal pure returns (uint256) {
        if (issuance >= S) return 0;
        uint256 k = Math.log2(S / (S - issuance));
        return k >= 64 ? 0 : 1e9 >> k;
    }

    function test_blockEmission_schedule() public pure {
        assertEq(EmissionMath.blockEmission(0), 1e9, "genesis: 1 per block");
        assertEq(EmissionMath.blockEmission(S / 2 - 1), 1e9, "just before the first halving");
        assertEq(EmissionMath.blockEmission(S / 2), 5e8, "first halving at half the supply");
        assertEq(EmissionMath.blockEmission((3 * S) / 4), 2.5e8, "second halving at three quarters");
        assertEq(EmissionMath.blockEmission((7 * S) / 8), 1.25e8, "third halving");
        assertEq(EmissionMath.blockEmission(S), 0, "supply exhausted");
        assertEq(EmissionMath.blockEmission(S + 1), 0, "beyond the supply");
        assertEq(EmissionMath.blockEmission(S - 1), 0, "one unit left: 2^30 halvings and more");
    }

    function testFuzz_blockEmission_matchesReference(uint256 issuance) public pure {
        issuance = _bound(issuance, 0, S + 1e9);
        assertEq(EmissionMath.blockEmission(issuance), _refBlockEmission(issuance), "blockEmission");
    }

    /// @dev Issuances right at the halving boundaries, where an off-by-one would show.
    function testFuzz_blockEmission_nearBoundaries(uint8 k, uint16 offset, bool below) public pure {
        uint256 halving = _bound(k, 0, 31);
        uint256 boundary = S - (S >> (halving + 1));
        uint256 issuance = below ? boundary - _bound(offset, 0, boundary < 1000 ? boundary : 1000) : boundary + offset;
        assertEq(EmissionMath.blockEmission(issuance), _refBlockEmission(issuance), "blockEmission at boundary");
    }

    /// @dev emissionOver equals stepping block by block with the reference emission.
    function testFuzz_emissionOver_equalsSumOfBlocks(uint256 issuance, uint256 blocks, uint8 nearHalving) public pure {
        blocks = _bound(blocks, 0, 64);
        if (nearHalving % 2 == 0) {
            // start a few blocks before a halving boundary so the sum crosses it
            uint256 k = _bound(nearHalving, 0, 29);
            uint256 boundary = S - (S >> (k + 1));
            uint256 perBlock = 1e9 >> k;
            issuance = boundary - _bound(issuance, 0, 40 * perBlock);
        } else {
            issuance = _bound(issuance, 0, S);
        }
        uint256 expected;
        uint256 i = issuance;
        for (uint256 b; b < blocks; ++b) {
            uint256 e = _refBlockEmission(i);
            expected += e;
            i += e;
        }
        assertEq(EmissionMath.emissionOver(issuance, blocks), expected, "emissionOver");
    }

    function test_emissionOver_zeroBlocksAndExhaustedSupply() public pure {
        assertEq(EmissionMath.emissionOver(0, 0), 0, "no blocks");
        assertEq(EmissionMath.emissionOver(S, 1000), 0, "nothing left");
        assertEq(EmissionMath.emissionOver(0, 1000), 1000e9, "first era");
    }

    /// @dev Over any number of blocks the total stays below the supply (the loop is bounded by the halvings).
    function testFuzz_emissionOver_neverExceedsSupply(uint256 issuance, uint256 blocks) public pure {
        issuance = _bound(issuance, 0, S);
        blocks = _bound(blocks, 0, type(uint64).max);
        uint256 emitted = EmissionMath.emissionOver(issuance, blocks);
        assertLe(issuance + emitted, S, "issuance + emitted <= supply");
        assertLe(emitted, blocks * 1e9, "at most 1 per block");
    }

    function test_emissionOver_wholeSchedule() public pure {
        uint256 all = EmissionMath.emissionOver(0, type(uint64).max);
        // every era k emits at least S/2^(k+1) (ending past the boundary), 30 eras: within 2^-30·S... of S
        assertLe(all, S, "<= supply");
        assertGe(all, S - (S >> 30) - 1e9, "close to the supply");
    }

    function test_nextHalvingIssuance() public pure {
        assertEq(EmissionMath.nextHalvingIssuance(0), S / 2, "first");
        assertEq(EmissionMath.nextHalvingIssuance(1), S - S / 4, "second");
    }
}
