// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "./IAlphaPoolsTypes.sol";

/// @title IAlphaPools
/// @notice The subnet economy's hot path: one protocol-owned TAO/alpha pool per subnet, the stake ledger (share pools
/// per hotkey), every stake operation of the chain, and the lazily accrued coinbase.
/// @dev Units. Amounts use the chain's 9-decimal units: a name ending in `Rao` is TAO in rao, a name ending in
/// `AlphaRao` (or the name `alphaRao`) is alpha in alpha-rao. Native TAO sent to or paid by this contract is 18-decimal
/// wei and always a whole number of rao. Prices ending in `RaoPerAlpha` are rao per whole alpha (the unit of the
/// staking precompile's limit prices); prices ending in `Wad` are TAO per alpha × 1e18 (the unit of the alpha
/// precompile's `getAlphaPrice`). Fractions ending in `Of65535` are parts of 65,535, as subtensor stores them.
/// @dev Deadlines are unix seconds, compared with `block.timestamp`; a call mined after its deadline reverts with
/// `DeadlineExpired`. Take them from the chain's clock (the latest block's timestamp), not from a local clock.
/// @dev Warning: the moving (EMA) price is capped at 1 TAO per alpha, as in subtensor: a subnet whose alpha trades
/// above 1 TAO has a moving price of at most 1e18 (`getMovingAlphaPrice`).
/// @dev Warning: hotkeys and coldkeys are Bittensor account ids. An EVM caller's coldkey is its mapped account,
/// blake2b_256("evm:" ‖ address), exactly as on Bittensor (`coldkeyOf`).
/// @dev Views return the state as of the current block: they apply the emission that a catch-up would apply now.
interface IAlphaPools is IAlphaPoolsTypes {
    /* STAKING */

    /// @notice Stakes `msg.value` TAO into `netuid`'s pool for `hotkey`, at any price; reverts unless at least
    /// `minAlphaOutRao` alpha comes out.
    function addStake(
        bytes32 hotkey,
        uint16 netuid,
        uint256 minAlphaOutRao,
        uint256 deadline
    ) external payable returns (uint256 alphaRao);

    /// @notice Stakes `msg.value` TAO at a price of at most `limitPriceRaoPerAlpha`; with `allowPartial` it fills up
    /// to the limit and refunds the rest, otherwise it reverts when the whole amount does not fit.
    /// @dev The limit bounds the price that the swap of the input after the fee moves to, as subtensor computes it.
    /// The fee then stays in the pool (subtensor pays it to the block author), which can lift the final price by up
    /// to the fee rate.
    function addStakeLimit(
        bytes32 hotkey,
        uint16 netuid,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial,
        uint256 deadline
    ) external payable returns (uint256 alphaRao);

    /// @notice Unstakes `alphaRao` and pays the TAO to the caller; reverts unless at least `minTaoOutRao` comes out.
    function removeStake(
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaRao,
        uint256 minTaoOutRao,
        uint256 deadline
    ) external returns (uint256 taoRao);

    /// @notice Unstakes at a price of at least `limitPriceRaoPerAlpha`, partially when `allowPartial`.
    function removeStakeLimit(
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial,
        uint256 deadline
    ) external returns (uint256 taoRao);

    /// @notice Unstakes the caller's whole position on (hotkey, netuid).
    function removeStakeFull(
        bytes32 hotkey,
        uint16 netuid,
        uint256 minTaoOutRao,
        uint256 deadline
    ) external returns (uint256 taoRao);

    /// @notice Unstakes the caller's whole position on (hotkey, netuid) at a price of at least
    /// `limitPriceRaoPerAlpha`, or not at all (subtensor's `remove_stake_full_limit`).
    function removeStakeFullLimit(
        bytes32 hotkey,
        uint16 netuid,
        uint256 limitPriceRaoPerAlpha,
        uint256 deadline
    ) external returns (uint256 taoRao);

    /// @notice Unstakes the caller's stake on `hotkey` from every subnet, root included, and pays the TAO; subnets
    /// where the whole position cannot be unstaked (below the minimum, or not started) are skipped, as on the chain.
    function unstakeAll(bytes32 hotkey, uint256 minTaoOutRao, uint256 deadline) external returns (uint256 taoRao);

    /// @notice Moves the caller's stake from one hotkey to another, within a netuid or across netuids.
    /// @dev Within a netuid nothing is swapped and no fee is paid; the moved alpha must be worth at least the minimum
    /// stake at the spot price. Across netuids it is two swaps with the fee charged on one leg (the origin leg,
    /// unless the origin is root); an intermediate amount below the minimum stake is paid to the caller as TAO.
    /// `minAlphaOutRao` bounds the alpha that arrives on the destination.
    function moveStake(
        bytes32 originHotkey,
        bytes32 destinationHotkey,
        uint16 originNetuid,
        uint16 destinationNetuid,
        uint256 alphaRao,
        uint256 minAlphaOutRao,
        uint256 deadline
    ) external returns (uint256 destinationAlphaRao);

    /// @notice Transfers the caller's stake on `hotkey` to another coldkey, within a netuid or across netuids.
    /// @dev Needs the transfer toggle of both netuids. Across netuids an intermediate amount below the minimum stake
    /// reverts: the model cannot pay free TAO to a coldkey that is not an EVM account.
    function transferStake(
        bytes32 destinationColdkey,
        bytes32 hotkey,
        uint16 originNetuid,
        uint16 destinationNetuid,
        uint256 alphaRao,
        uint256 minAlphaOutRao,
        uint256 deadline
    ) external returns (uint256 destinationAlphaRao);

    /// @notice Swaps the caller's stake on `hotkey` from one netuid to another.
    function swapStake(
        bytes32 hotkey,
        uint16 originNetuid,
        uint16 destinationNetuid,
        uint256 alphaRao,
        uint256 minAlphaOutRao,
        uint256 deadline
    ) external returns (uint256 destinationAlphaRao);

    /// @notice Swaps stake across netuids while the price of origin alpha in destination alpha stays at least
    /// `limitPriceRaoPerAlpha` (destination alpha-rao per whole origin alpha), partially when `allowPartial`.
    function swapStakeLimit(
        bytes32 hotkey,
        uint16 originNetuid,
        uint16 destinationNetuid,
        uint256 alphaRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial,
        uint256 deadline
    ) external returns (uint256 destinationAlphaRao);

    /// @notice Lets `spender` transfer up to `alphaRao` of the caller's stake on `netuid` (any hotkey) with
    /// `transferStakeFrom`. The allowance ends when the netuid is registered again.
    function approve(address spender, uint16 netuid, uint256 alphaRao) external;

    function allowance(address owner, address spender, uint16 netuid) external view returns (uint256 alphaRao);

    /// @notice Transfers `source`'s stake on `hotkey` to `destination`'s coldkey, spending the caller's allowance on
    /// `originNetuid` (the staking precompile's `transferStakeFrom`, with a minimum out and a deadline).
    function transferStakeFrom(
        address source,
        address destination,
        bytes32 hotkey,
        uint16 originNetuid,
        uint16 destinationNetuid,
        uint256 alphaRao,
        uint256 minAlphaOutRao,
        uint256 deadline
    ) external returns (uint256 destinationAlphaRao);

    /// @notice Burns `alphaRao` of the caller's stake (subtensor's `burn_alpha`): it leaves the caller's position and
    /// no one owns it afterwards.
    function burnAlpha(bytes32 hotkey, uint16 netuid, uint256 alphaRao) external;

    /* COINBASE */

    /// @notice Catches `netuid` up to the current block: emission, injection, chain buy and moving price.
    function poke(uint16 netuid) external;

    /// @notice Adds TAO to the reserve that backs emission. While the reserve cannot cover the emission schedule,
    /// every subnet receives the same fraction of its scheduled emission.
    function fundEmissionReserve() external payable;

    /* VIEWS */

    function coldkeyOf(address account) external view returns (bytes32);

    function getStake(bytes32 hotkey, bytes32 coldkey, uint16 netuid) external view returns (uint256 alphaRao);

    /// @notice A hotkey's pool on `netuid` as of the current block (its dividends vested so far applied); its
    /// `alphaRao` is subtensor's TotalHotkeyAlpha.
    function hotkeyPool(bytes32 hotkey, uint16 netuid) external view returns (HotkeyPool memory);

    function subnetConfig(uint16 netuid) external view returns (SubnetConfig memory);

    /// @notice A position's alpha in a given subnet instance (a pruned one included), its unvested dividends counted.
    function instanceStake(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        bytes32 coldkey
    ) external view returns (uint256 alphaRao);

    /// @notice A subnet's pool, emission state and books as stored at its last catch-up.
    /// @dev `PoolsView` applies the catch-up that is due to give them as of the current block; prices, quotes,
    /// emission shares and the pending split derive from that (see `MarketsLens` and the alpha precompile adapter).
    function storedSubnet(uint16 netuid) external view returns (Pool memory, Emission memory, Books memory);

    /// @notice The coinbase's global state, the TAO supply and root stake, as stored.
    function storedGlobal() external view returns (Global memory, Supply memory, RootStake memory);

    /// @notice subtensor's `SubnetMovingAlpha`, `EMAPriceHalvingBlocks` and `TaoWeight`, × 1e18 where fractional.
    function coinbaseParams()
        external
        view
        returns (uint256 movingAlphaWad, uint256 emaHalvingBlocks, uint256 taoWeightWad);
}
