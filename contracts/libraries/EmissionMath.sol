// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title EmissionMath
/// @notice Bittensor's issuance-based halving, shared by TAO (global issuance) and each subnet's alpha.
/// @dev subtensor: emission = 1e9 · 2^(−⌊log2(1/(1 − I/S))⌋), and 0 once I ≥ S. This is the exact rational form:
/// the number of halvings is the largest k with (S − I)·2^k ≤ S. subtensor evaluates the logarithm in I96F32, which
/// can differ from the exact value only for issuances within rounding distance of a halving boundary.
library EmissionMath {
    /// @dev 21M TAO (and 21M alpha per subnet) in 9-decimal units.
    uint256 internal constant TOTAL_SUPPLY = 21_000_000e9;
    /// @dev 1 TAO (or 1 alpha) per block before the first halving.
    uint256 internal constant INITIAL_BLOCK_EMISSION = 1e9;
    /// @dev After 30 halvings the block emission of 1e9 is below one unit.
    uint256 internal constant MAX_HALVINGS = 30;

    /// @notice Number of halvings that apply at `issuance`.
    function halvings(uint256 issuance) internal pure returns (uint256 k) {
        if (issuance >= TOTAL_SUPPLY) return MAX_HALVINGS + 1;
        uint256 remaining = TOTAL_SUPPLY - issuance;
        while (k <= MAX_HALVINGS && (remaining << (k + 1)) <= TOTAL_SUPPLY) ++k;
    }

    /// @notice Per-block emission at `issuance`.
    function blockEmission(uint256 issuance) internal pure returns (uint256) {
        uint256 k = halvings(issuance);
        return k > MAX_HALVINGS ? 0 : INITIAL_BLOCK_EMISSION >> k;
    }

    /// @notice The issuance at which the next halving starts, given `k` halvings so far: S − ⌊S / 2^(k+1)⌋.
    function nextHalvingIssuance(uint256 k) internal pure returns (uint256) {
        return TOTAL_SUPPLY - (TOTAL_SUPPLY >> (k + 1));
    }

    /// @notice Emission over `blocks` consecutive blocks starting at `issuance`, crossing halvings as they come.
    /// @dev At most MAX_HALVINGS + 1 iterations, whatever `blocks` is.
    function emissionOver(uint256 issuance, uint256 blocks) internal pure returns (uint256 emitted) {
        uint256 k = halvings(issuance);
        while (blocks != 0 && k <= MAX_HALVINGS) {
            uint256 perBlock = INITIAL_BLOCK_EMISSION >> k;
            if (perBlock == 0) break;
            uint256 toBoundary = nextHalvingIssuance(k) - issuance;
            uint256 blocksInEra = (toBoundary + perBlock - 1) / perBlock;
            uint256 n = blocks < blocksInEra ? blocks : blocksInEra;
            emitted += n * perBlock;
            issuance += n * perBlock;
            blocks -= n;
            k = halvings(issuance);
        }
    }
}
