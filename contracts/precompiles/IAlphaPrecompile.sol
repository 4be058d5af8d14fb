// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IAlphaPrecompile
/// @notice Bittensor's alpha precompile at 0x0000000000000000000000000000000000000808: read-only data about each
/// subnet's alpha token and its TAO/alpha pool.
/// @dev The ABI is that of the Rust implementation (subtensor `precompiles/src/alpha.rs`). `netuid` is a `uint16`
/// here and amounts are `uint64` raw 9-decimal integers (rao, alpha-rao).
/// @dev Warning: prices come in two scales. `getAlphaPrice`, `getMovingAlphaPrice` and `getSumAlphaPrice` return
/// TAO per alpha × 1e18 (18-decimal fixed point), which is 1e9 times the rao-per-alpha scale of the staking
/// precompile's limit prices. Divide by 1e9 to get rao per alpha.
/// @dev Warning: the pool price is not `getTaoInPool / getAlphaInPool` in general (the pool is weighted); use
/// `getAlphaPrice` or the `simSwap*` functions.
/// @dev Warning: a failing read (for example `simSwap*` on an unusable pool) ends in an EVM error that consumes
/// the forwarded gas and returns no data. Root can switch the precompile off (admin-utils `PrecompileEnable`).
interface IAlphaPrecompile {
    /* PRICES */

    /// @notice The pool's current spot price of one alpha in TAO, × 1e18.
    /// @dev Warning: this is price × 1e18, not rao per alpha: 0.5 TAO per alpha reads 5e17. The value is a multiple of
    /// 1e9 (the price is truncated to 1e-9 TAO first).
    /// @param netuid The subnet.
    /// @return priceWad TAO per alpha × 1e18.
    function getAlphaPrice(uint16 netuid) external view returns (uint256 priceWad);

    /// @notice The subnet's moving (EMA) price of one alpha in TAO, × 1e18, which drives its emission share.
    /// @dev Warning: price × 1e18, not rao per alpha; truncated to 1e-9 TAO like `getAlphaPrice`.
    /// @param netuid The subnet.
    /// @return priceWad TAO per alpha × 1e18.
    function getMovingAlphaPrice(uint16 netuid) external view returns (uint256 priceWad);

    /// @notice The sum of the spot prices of the non-root subnets whose price is below 1 TAO per alpha, × 1e18.
    /// @dev Warning: subnets priced at 1 TAO per alpha or more are left out of the sum. Gas grows with the number of
    /// subnets.
    /// @return priceWad The sum, TAO per alpha × 1e18.
    function getSumAlphaPrice() external view returns (uint256 priceWad);

    /// @notice Simulates staking `taoRao` into the subnet's pool, fee included, without changing state.
    /// @param netuid The subnet.
    /// @param taoRao TAO paid in, in rao.
    /// @return alphaOutAlphaRao Alpha received, in alpha-rao.
    function simSwapTaoForAlpha(uint16 netuid, uint64 taoRao) external view returns (uint256 alphaOutAlphaRao);

    /// @notice Simulates unstaking `alphaAlphaRao` through the subnet's pool, fee included, without changing state.
    /// @param netuid The subnet.
    /// @param alphaAlphaRao Alpha paid in, in alpha-rao.
    /// @return taoOutRao TAO received, in rao.
    function simSwapAlphaForTao(uint16 netuid, uint64 alphaAlphaRao) external view returns (uint256 taoOutRao);

    /* POOL */

    /// @notice The TAO reserve of the subnet's pool (SubnetTAO).
    /// @param netuid The subnet.
    /// @return taoRao The reserve, in rao.
    function getTaoInPool(uint16 netuid) external view returns (uint64 taoRao);

    /// @notice The alpha reserve of the subnet's pool (SubnetAlphaIn).
    /// @param netuid The subnet.
    /// @return alphaRao The reserve, in alpha-rao.
    function getAlphaInPool(uint16 netuid) external view returns (uint64 alphaRao);

    /// @notice The alpha outside the pool: staked and pending (SubnetAlphaOut).
    /// @dev Warning: it need not equal the sum of all stakes.
    /// @param netuid The subnet.
    /// @return alphaRao The amount, in alpha-rao.
    function getAlphaOutPool(uint16 netuid) external view returns (uint64 alphaRao);

    /// @notice The subnet's alpha supply: pool reserve plus alpha outside the pool.
    /// @param netuid The subnet.
    /// @return alphaRao The supply, in alpha-rao.
    function getAlphaIssuance(uint16 netuid) external view returns (uint64 alphaRao);

    /// @notice All TAO bought and sold through the subnet's pool since it started (SubnetVolume).
    /// @param netuid The subnet.
    /// @return volumeRao The volume, in rao.
    function getSubnetVolume(uint16 netuid) external view returns (uint256 volumeRao);

    /* EMISSION */

    /// @notice The TAO injected into the subnet's pool in the last block.
    /// @param netuid The subnet.
    /// @return taoRao The injection, in rao.
    function getTaoInEmission(uint16 netuid) external view returns (uint256 taoRao);

    /// @notice The alpha injected into the subnet's pool in the last block.
    /// @param netuid The subnet.
    /// @return alphaRao The injection, in alpha-rao.
    function getAlphaInEmission(uint16 netuid) external view returns (uint256 alphaRao);

    /// @notice The alpha emitted outside the pool (to miners, validators and the owner) per block.
    /// @param netuid The subnet.
    /// @return alphaRao The emission, in alpha-rao.
    function getAlphaOutEmission(uint16 netuid) external view returns (uint256 alphaRao);

    /* PARAMETERS */

    /// @notice The global TAO weight of root stake against alpha stake.
    /// @return taoWeightOfU64Max The weight as a fraction of 2^64 − 1 (the raw `TaoWeight` u64).
    function getTaoWeight() external view returns (uint256 taoWeightOfU64Max);

    /// @notice The global childkey-take burn share.
    /// @return ckBurnOfU64Max The share as a fraction of 2^64 − 1 (the raw `CKBurn` u64).
    function getCKBurn() external view returns (uint256 ckBurnOfU64Max);

    /// @notice The subnet's mechanism: 0 stable (1:1, the root subnet), 1 dynamic (a TAO/alpha pool).
    /// @param netuid The subnet.
    /// @return mechanism The mechanism id.
    function getSubnetMechanism(uint16 netuid) external view returns (uint16 mechanism);

    /// @notice The root subnet's netuid (0).
    /// @return netuid The root netuid.
    function getRootNetuid() external view returns (uint16 netuid);

    /// @notice The half-life of the subnet's moving price.
    /// @param netuid The subnet.
    /// @return halvingBlocks The half-life, in blocks.
    function getEMAPriceHalvingBlocks(uint16 netuid) external view returns (uint64 halvingBlocks);
}
