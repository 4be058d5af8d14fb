// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title UnitsLib
/// @notice Conversions between the EVM's 18-decimal TAO (wei), the chain's 9-decimal units (rao for TAO, alpha-rao
/// for alpha) and prices, with the rounding in every name. No contract converts units anywhere else.
/// @dev 1 rao = 1e9 wei. Bittensor moves only whole rao between accounts, so TAO that enters the model must be a
/// whole number of rao and every TAO payout is one. Narrowing casts go through OpenZeppelin's SafeCast.
library UnitsLib {
    uint256 internal constant WEI_PER_RAO = 1e9;
    /// @dev Alpha-rao per whole alpha; a price in rao per alpha is TAO-rao per 1e9 alpha-rao.
    uint256 internal constant ALPHA_RAO_PER_ALPHA = 1e9;
    uint256 internal constant WAD = 1e18;

    /// @notice `amountWei` is not a whole number of rao.
    error NotWholeRao(uint256 amountWei);
    /// @notice `amount` does not fit the chain's 64-bit balances (rao, alpha-rao, rao per alpha).
    error ExceedsU64(uint256 amount);
    /// @notice `netuid` does not fit the chain's 16-bit subnet ids.
    error ExceedsU16(uint256 netuid);

    /// @dev Reverts unless `amountWei` converts without a remainder, so no sub-rao dust is ever credited.
    function weiToRaoExact(uint256 amountWei) internal pure returns (uint256) {
        if (amountWei % WEI_PER_RAO != 0) revert NotWholeRao(amountWei);
        return amountWei / WEI_PER_RAO;
    }

    function weiToRaoDown(uint256 amountWei) internal pure returns (uint256) {
        return amountWei / WEI_PER_RAO;
    }

    function raoToWei(uint256 amountRao) internal pure returns (uint256) {
        return amountRao * WEI_PER_RAO;
    }

    /// @notice A price in TAO per alpha × 1e18 as rao per alpha, rounded down.
    function wadToRaoPerAlphaDown(uint256 priceWad) internal pure returns (uint256) {
        return priceWad / (WAD / ALPHA_RAO_PER_ALPHA);
    }

    /// @notice The TAO that `alphaRao` is worth at `priceRaoPerAlpha`, rounded down.
    function alphaToRaoDown(uint256 alphaRao, uint256 priceRaoPerAlpha) internal pure returns (uint256) {
        return (alphaRao * priceRaoPerAlpha) / ALPHA_RAO_PER_ALPHA;
    }

    /// @notice The TAO that `alphaRao` is worth at `priceRaoPerAlpha`, rounded up.
    function alphaToRaoUp(uint256 alphaRao, uint256 priceRaoPerAlpha) internal pure returns (uint256) {
        uint256 product = alphaRao * priceRaoPerAlpha;
        return product / ALPHA_RAO_PER_ALPHA + (product % ALPHA_RAO_PER_ALPHA == 0 ? 0 : 1);
    }

    /// @notice The alpha that `amountRao` buys at `priceRaoPerAlpha` (before any swap impact), rounded down; zero for
    /// a zero price.
    function raoToAlphaDown(uint256 amountRao, uint256 priceRaoPerAlpha) internal pure returns (uint256) {
        return priceRaoPerAlpha == 0 ? 0 : (amountRao * ALPHA_RAO_PER_ALPHA) / priceRaoPerAlpha;
    }

    /// @notice The average price of a trade of `taoRao` for `alphaRao`, in rao per alpha, rounded down; zero for no
    /// alpha.
    function priceRaoPerAlphaDown(uint256 taoRao, uint256 alphaRao) internal pure returns (uint256) {
        return alphaRao == 0 ? 0 : (taoRao * ALPHA_RAO_PER_ALPHA) / alphaRao;
    }

    /// @notice A price in rao per alpha as TAO per alpha × 1e18 (exact).
    function raoPerAlphaToWad(uint256 priceRaoPerAlpha) internal pure returns (uint256) {
        return priceRaoPerAlpha * (WAD / ALPHA_RAO_PER_ALPHA);
    }

    /// @notice A chain amount (rao, alpha-rao, rao per alpha) as the u64 the chain stores; reverts above 2^64 − 1.
    function toU64Checked(uint256 amount) internal pure returns (uint64) {
        if (amount > type(uint64).max) revert ExceedsU64(amount);
        return uint64(amount);
    }

    /// @notice A chain amount saturated to 2^64 − 1, as the staking precompile reads its `uint256` amounts.
    function toU64Saturating(uint256 amount) internal pure returns (uint64) {
        return amount > type(uint64).max ? type(uint64).max : uint64(amount);
    }

    /// @notice A netuid as the chain's u16; reverts above 65,535.
    function toNetuidChecked(uint256 netuid) internal pure returns (uint16) {
        if (netuid > type(uint16).max) revert ExceedsU16(netuid);
        return uint16(netuid);
    }
}
