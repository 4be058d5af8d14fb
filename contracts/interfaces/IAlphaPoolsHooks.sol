// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "./IAlphaPoolsTypes.sol";
import {ISubnetRegistry} from "./ISubnetRegistry.sol";

/// @title IAlphaPoolsHooks
/// @notice The narrow entry points through which the other parts of the model change the pools and the ledger.
/// Each group is restricted to one role: the registry (subnet lifecycle), the metagraph (registration burns), the
/// epoch settlement (epoch pots and payouts), root dividends (claims) and origins (precompile adapters acting for a
/// coldkey).
/// @dev Warning: every payout hook takes the subnet generation it was computed for and reverts when the netuid has
/// been registered again since, so nothing owed to a pruned subnet can land in its successor.
interface IAlphaPoolsHooks is IAlphaPoolsTypes {
    /* REGISTRY */

    /// @notice Opens `netuid`'s pool with `msg.value` (the registration lock) as its TAO and `alphaRao` alpha, with
    /// every per-netuid setting reset to the values given.
    function openSubnet(
        uint16 netuid,
        uint256 alphaRao,
        uint64 minStakeRao,
        uint16 feeRateOf65535,
        uint16 tempo,
        bool transfersEnabled
    ) external payable;

    /// @notice Starts emission to `netuid` from the next block, from `movingPriceWad` (subtensor's `start_call`
    /// starts from 0; an imported subnet from its imported moving price).
    function startEmission(uint16 netuid, uint64 movingPriceWad) external;

    /// @notice Issues the imported neurons' stake (`ISubnetRegistry.importSubnet`): new alpha, owned by each
    /// neuron's coldkey on its hotkey.
    function importStake(uint16 netuid, ISubnetRegistry.GenesisNeuron[] calldata neurons) external;

    function setSubnetSettings(
        uint16 netuid,
        uint64 minStakeRao,
        uint16 feeRateOf65535,
        uint16 tempo,
        bool transfersEnabled
    ) external;

    /// @notice Dissolves a pruned subnet. The stakers' share of the pool's TAO (pro rata to alpha, excluding alpha
    /// that no staker owns) is sent to the caller, which pays the refunds; the rest is recycled.
    /// @return generation the dissolved subnet instance
    /// @return refundPotRao the TAO sent to the caller
    /// @return stakedAlphaRao the alpha the pot refunds, pro rata
    function dissolveSubnet(
        uint16 netuid
    ) external returns (uint32 generation, uint256 refundPotRao, uint256 stakedAlphaRao);

    /// @notice Removes a position of a dissolved subnet instance from the ledger and returns its alpha (vested and
    /// unvested dividends included), for the caller to refund.
    function closePosition(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        bytes32 coldkey
    ) external returns (uint256 alphaRao);

    /* METAGRAPH */

    /// @notice Buys alpha with `msg.value` (a neuron registration burn), paying the pool's fee as the chain does, and
    /// destroys the alpha bought (it leaves the alpha issuance).
    function buyAndBurnAlpha(uint16 netuid) external payable returns (uint256 alphaRao);

    /* EPOCH SETTLEMENT */

    /// @notice Catches `netuid` up and moves its pending emission out of the buckets: the caller now owes it.
    function closePending(uint16 netuid) external returns (uint32 generation, PendingEmission memory pot);

    /// @notice Credits `alphaRao` as new stake of (hotkey, coldkey): a miner's incentive, a validator's take, the
    /// owner cut or a root dividend kept as alpha.
    function creditStake(uint16 netuid, uint32 generation, bytes32 hotkey, bytes32 coldkey, uint256 alphaRao) external;

    /// @notice Credits a validator's dividend to its hotkey pool. It vests into the pool's value over the next
    /// tempo, so stake that arrives around a settlement shares in it only for the time it stays. A pool without
    /// stake receives it as its owner's stake instead.
    function creditDividend(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        bytes32 ownerColdkey,
        uint256 alphaRao
    ) external;

    /// @notice Returns undistributed alpha to the subnet: it leaves the alpha issuance, as subtensor's recycle.
    function recycleAlpha(uint16 netuid, uint32 generation, uint256 alphaRao) external;

    /// @notice Burns undistributed alpha (the subnet owner's hotkeys' incentive): no one owns it any more, and it
    /// stays in the alpha issuance, as subtensor's default `burn_subnet_alpha`.
    function burnOwedAlpha(uint16 netuid, uint32 generation, uint256 alphaRao) external;

    /// @notice Sets the part of the miners' emission withheld last epoch; it scales the subnet's emission share. The
    /// same value again changes nothing and emits nothing.
    function setMinerBurn(uint16 netuid, uint16 minerBurnOf65535) external;

    /* ORIGINS (precompile adapters) */

    /// @notice Stakes `msg.value` for `coldkey` on behalf of a trusted origin, which receives any refund.
    /// @dev `limitPriceRaoPerAlpha` of 0 means no limit.
    function stakeAs(
        bytes32 coldkey,
        bytes32 hotkey,
        uint16 netuid,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial
    ) external payable returns (uint256 alphaRao);

    /// @notice Unstakes for `coldkey` on behalf of a trusted origin, which receives the TAO.
    /// @dev `limitPriceRaoPerAlpha` of 0 means no limit.
    function unstakeAs(
        bytes32 coldkey,
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial
    ) external returns (uint256 taoRao);

    /// @notice A move or transfer of `originColdkey`'s stake on behalf of a trusted origin, with the chain's rules
    /// (the transfer toggle is checked when the coldkey changes). Free TAO left by a cross-netuid move below the
    /// minimum stake is paid to the origin.
    /// @dev `limitPriceRaoPerAlpha` of 0 means no limit.
    function transitionAs(
        bytes32 originColdkey,
        bytes32 destinationColdkey,
        bytes32 originHotkey,
        bytes32 destinationHotkey,
        uint16 originNetuid,
        uint16 destinationNetuid,
        uint256 alphaRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial
    ) external returns (uint256 destinationAlphaRao);

    function burnAlphaAs(bytes32 coldkey, bytes32 hotkey, uint16 netuid, uint256 alphaRao) external;

    /* ROOT DIVIDENDS */

    /// @notice Moves `alphaRao` of an epoch's pot from the settlement's debt to the root stakers' (the root
    /// dividends contract then records who may claim it).
    function assignRootDividend(uint16 netuid, uint32 generation, uint256 alphaRao) external;

    /// @notice Pays a claimed root dividend: with `swap`, sells the alpha fee-less on `netuid` and stakes the TAO on
    /// root for (hotkey, coldkey); otherwise stakes the alpha on `netuid` for (hotkey, coldkey).
    function payRootDividend(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        bytes32 coldkey,
        uint256 alphaRao,
        bool swap
    ) external returns (uint256 taoRao);
}
