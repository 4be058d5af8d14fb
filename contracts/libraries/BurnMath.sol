// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title BurnMath
/// @notice subtensor's neuron registration burn: it decays every block by a factor f with f^halfLife = 1/2, and is
/// multiplied by a factor after each registration. Fixed point Q32 (value / 2^32), as subtensor computes it.
/// @dev subtensor applies the decay block by block, truncating each step; here a catch-up over n blocks applies f^n
/// (itself computed by truncating square-and-multiply), which equals the chain for n = 1 and can differ from it by
/// the truncation of the steps otherwise.
library BurnMath {
    uint256 internal constant Q32 = 1 << 32;
    uint256 internal constant WAD = 1e18;

    /// @notice The largest Q32 factor f with f^halfLife ≤ 1/2 (subtensor's `decay_factor_q32`, by bisection); 1.0
    /// (no decay) for a half-life of 0, as subtensor returns.
    function decayFactorQ32(uint256 halfLife) internal pure returns (uint256 f) {
        if (halfLife == 0) return Q32;
        uint256 lo;
        uint256 hi = Q32;
        while (lo < hi) {
            uint256 mid = (lo + hi + 1) / 2;
            if (powQ32(mid, halfLife) <= Q32 / 2) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /// @notice base^exponent in Q32, square-and-multiply truncating every product (subtensor's `pow_q32`).
    function powQ32(uint256 base, uint256 exponent) internal pure returns (uint256 result) {
        result = Q32;
        while (exponent != 0) {
            if (exponent & 1 == 1) result = (result * base) >> 32;
            exponent >>= 1;
            if (exponent != 0) base = (base * base) >> 32;
        }
    }

    /// @notice The burn after `blocks` blocks of decay with `halfLife`, clamped to [min, max].
    function decayed(
        uint256 burnRao,
        uint256 halfLife,
        uint256 blocks,
        uint256 minBurnRao,
        uint256 maxBurnRao
    ) internal pure returns (uint256) {
        if (blocks != 0 && halfLife != 0) burnRao = (burnRao * powQ32(decayFactorQ32(halfLife), blocks)) >> 32;
        return clamp(burnRao, minBurnRao, maxBurnRao);
    }

    /// @notice The burn after a registration: × `increaseMultWad` / 1e18 (at least 1), rounded down, clamped.
    function bumped(
        uint256 burnRao,
        uint256 increaseMultWad,
        uint256 minBurnRao,
        uint256 maxBurnRao
    ) internal pure returns (uint256) {
        if (increaseMultWad < WAD) increaseMultWad = WAD;
        return clamp((burnRao * increaseMultWad) / WAD, minBurnRao, maxBurnRao);
    }

    function clamp(uint256 value, uint256 lo, uint256 hi) internal pure returns (uint256) {
        return
            value < lo
                ? lo
                : value > hi
                    ? hi
                    : value;
    }
}
