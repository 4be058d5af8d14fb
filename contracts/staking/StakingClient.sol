// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {UnitsLib} from "../libraries/UnitsLib.sol";
import {IAddressMappingPrecompile} from "../precompiles/IAddressMappingPrecompile.sol";
import {IAlphaPrecompile} from "../precompiles/IAlphaPrecompile.sol";
import {IStakingV2} from "../precompiles/IStakingV2.sol";
import {ISubnetPrecompile} from "../precompiles/ISubnetPrecompile.sol";
import {IModelAdapter, ISubnetAdapterExtension} from "../precompiles/adapters/IModelAdapter.sol";

/// @title StakingClient
/// @notice The one place where a contract that stakes differs between Bittensor's runtime and an EVM chain whose
/// precompiles are adapters backed by the subnet economy model: how a stake is paid for. Every other precompile call
/// is the same on both.
/// @dev Bittensor's staking precompile debits the TAO it stakes from the calling contract's balance; a plain EVM
/// contract can only receive value. At construction the client probes the staking address once with
/// `IModelAdapter.isModelAdapter` (a static call with a small gas stipend, which a real precompile fails and an empty
/// address answers with nothing) and keeps the answer in `STAKES_WITH_VALUE`. With an adapter it attaches
/// `amountRao × 1e9` wei to `addStakeLimit`; with the runtime it never attaches value to any precompile call (the
/// runtime would keep it in the precompile's own account).
/// @dev Every state-changing precompile call is a low-level call whose success is checked (a high-level call to a
/// function without return data would first require code at the address, and the precompile addresses may hold
/// none). Outcomes are measured by deltas, never taken from the nominal amounts: `getStake` before and after for
/// alpha, `address(this).balance` before and after for TAO, which arrives without a call to `receive()`.
/// @dev Warning: a failed precompile call consumes the gas forwarded to it and returns no data; the client then
/// reverts with `StakingCallFailed` on the gas that remains (1/64). Cheap checks (minimum amounts, u64 and u16
/// ranges, whole rao) belong before the call.
/// @dev Warning: the contract's coldkey is its mapped account (`COLDKEY`), read once from the address mapping
/// precompile; stake that anyone transfers to that coldkey becomes this contract's.
abstract contract StakingClient {
    /// @notice The precompile addresses a client calls: Bittensor's on its runtime, adapters elsewhere.
    struct Precompiles {
        address staking;
        address alpha;
        address subnet;
        address addressMapping;
    }

    /// @dev Gas for the adapter probe and for views that must not revert (`max*`, `preview*`).
    uint256 internal constant PROBE_GAS = 10_000;
    uint256 internal constant VIEW_GAS = 500_000;

    address internal immutable STAKING;
    address internal immutable ALPHA;
    address internal immutable SUBNET;
    address internal immutable ADDRESS_MAPPING;
    /// @notice Whether the staking address is a model adapter, which takes the TAO it stakes as value.
    bool public immutable STAKES_WITH_VALUE;
    /// @notice This contract's coldkey: its mapped account blake2b_256("evm:" ‖ address).
    bytes32 public immutable COLDKEY;

    /// @notice A state-changing precompile call failed (the chain gives no reason).
    error StakingCallFailed(bytes4 selector);

    constructor(Precompiles memory addresses) {
        STAKING = addresses.staking;
        ALPHA = addresses.alpha;
        SUBNET = addresses.subnet;
        ADDRESS_MAPPING = addresses.addressMapping;
        STAKES_WITH_VALUE = _probeAdapter(addresses.staking);
        COLDKEY = IAddressMappingPrecompile(addresses.addressMapping).addressMapping(address(this));
    }

    /// @notice The precompile addresses this contract calls.
    function precompiles() public view returns (Precompiles memory) {
        return Precompiles(STAKING, ALPHA, SUBNET, ADDRESS_MAPPING);
    }

    /* STATE-CHANGING CALLS */

    /// @dev Stakes `amountRao` of this contract's TAO (all or nothing at `limitPriceRaoPerAlpha`, when not partial).
    function _addStakeLimit(
        bytes32 hotkey,
        uint16 netuid,
        uint256 amountRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial
    ) internal {
        UnitsLib.toU64Checked(amountRao);
        uint256 valueWei = STAKES_WITH_VALUE ? UnitsLib.raoToWei(amountRao) : 0;
        _call(
            valueWei,
            abi.encodeCall(
                IStakingV2.addStakeLimit,
                (hotkey, amountRao, UnitsLib.toU64Saturating(limitPriceRaoPerAlpha), allowPartial, netuid)
            )
        );
    }

    /// @dev Unstakes `alphaRao` at any price; the caller bounds the TAO out after the fact.
    function _removeStake(bytes32 hotkey, uint16 netuid, uint256 alphaRao) internal {
        _call(0, abi.encodeCall(IStakingV2.removeStake, (hotkey, UnitsLib.toU64Checked(alphaRao), netuid)));
    }

    function _moveStake(
        bytes32 originHotkey,
        bytes32 destinationHotkey,
        uint16 originNetuid,
        uint16 destinationNetuid,
        uint256 alphaRao
    ) internal {
        _call(
            0,
            abi.encodeCall(
                IStakingV2.moveStake,
                (originHotkey, destinationHotkey, originNetuid, destinationNetuid, UnitsLib.toU64Checked(alphaRao))
            )
        );
    }

    function _transferStake(
        bytes32 destinationColdkey,
        bytes32 hotkey,
        uint16 originNetuid,
        uint16 destinationNetuid,
        uint256 alphaRao
    ) internal {
        _call(
            0,
            abi.encodeCall(
                IStakingV2.transferStake,
                (destinationColdkey, hotkey, originNetuid, destinationNetuid, UnitsLib.toU64Checked(alphaRao))
            )
        );
    }

    /// @dev Pulls `alphaRao` of `source`'s stake on (`hotkey`, `netuid`) to this contract's coldkey, spending the
    /// allowance `source` gave this contract on the precompile. Its one real revert (too little allowance) bubbles up.
    function _transferStakeFrom(address source, bytes32 hotkey, uint16 netuid, uint256 alphaRao) internal {
        _call(
            0,
            abi.encodeCall(
                IStakingV2.transferStakeFrom,
                (source, address(this), hotkey, netuid, netuid, UnitsLib.toU64Checked(alphaRao))
            )
        );
    }

    /// @dev On the local chain, pulls the refunds of a dissolved subnet that Bittensor would have paid already.
    /// Nothing happens on the runtime, and a failure changes nothing.
    function _collectDissolutionRefund(bytes32 hotkey, uint16 netuid) internal {
        if (!STAKES_WITH_VALUE) return;
        (bool ok, ) = SUBNET.call(
            abi.encodeCall(ISubnetAdapterExtension.claimDissolutionRefunds, (address(this), hotkey, netuid))
        );
        ok; // a refund that cannot be claimed leaves the balance as it is
    }

    /* READS */

    /// @dev This contract's stake on (`hotkey`, `netuid`), in alpha-rao.
    function _stakeOf(bytes32 hotkey, uint16 netuid) internal view returns (uint256) {
        return IStakingV2(STAKING).getStake(hotkey, COLDKEY, netuid);
    }

    function _stakeOfColdkey(bytes32 hotkey, bytes32 coldkey, uint16 netuid) internal view returns (uint256) {
        return IStakingV2(STAKING).getStake(hotkey, coldkey, netuid);
    }

    /// @dev The block at which the subnet now on `netuid` was registered (0 when none is): it identifies the subnet
    /// instance, so a dissolved and re-registered netuid reads differently.
    function _registrationBlock(uint16 netuid) internal view returns (uint64) {
        return ISubnetPrecompile(SUBNET).getNetworkRegistrationBlock(netuid);
    }

    /// @dev This contract's TAO, in whole rao.
    function _balanceRao() internal view returns (uint256) {
        return UnitsLib.weiToRaoDown(address(this).balance);
    }

    /// @dev A view of the alpha precompile that must not revert (a failing precompile view consumes the gas it is
    /// given): `ok` is false when it fails.
    function _tryAlphaView(bytes memory data) internal view returns (bool ok, uint256 value) {
        bytes memory ret;
        (ok, ret) = ALPHA.staticcall{gas: VIEW_GAS}(data);
        if (!ok || ret.length < 32) return (false, 0);
        value = abi.decode(ret, (uint256));
    }

    /// @dev Alpha out of staking `taoRao` now, fee included (the chain's simulation).
    function _trySimTaoForAlpha(uint16 netuid, uint256 taoRao) internal view returns (bool, uint256) {
        if (taoRao > type(uint64).max) return (false, 0);
        return _tryAlphaView(abi.encodeCall(IAlphaPrecompile.simSwapTaoForAlpha, (netuid, uint64(taoRao))));
    }

    /// @dev TAO out of unstaking `alphaRao` now, fee included.
    function _trySimAlphaForTao(uint16 netuid, uint256 alphaRao) internal view returns (bool, uint256) {
        if (alphaRao > type(uint64).max) return (false, 0);
        return _tryAlphaView(abi.encodeCall(IAlphaPrecompile.simSwapAlphaForTao, (netuid, uint64(alphaRao))));
    }

    /// @dev The spot price now, in rao per alpha (0 when unreadable).
    function _trySpotPriceRao(uint16 netuid) internal view returns (uint256) {
        (, uint256 priceWad) = _tryAlphaView(abi.encodeCall(IAlphaPrecompile.getAlphaPrice, (netuid)));
        return UnitsLib.wadToRaoPerAlphaDown(priceWad);
    }

    /* INTERNAL */

    function _call(uint256 valueWei, bytes memory data) private {
        (bool ok, bytes memory ret) = STAKING.call{value: valueWei}(data);
        if (ok) return;
        // Only the allowance check reverts with data; bubble it up. Everything else fails without any.
        if (ret.length != 0) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        revert StakingCallFailed(bytes4(data));
    }

    /// @dev True only when `staking` answers the adapter probe with true.
    function _probeAdapter(address staking) private view returns (bool) {
        (bool ok, bytes memory ret) = staking.staticcall{gas: PROBE_GAS}(
            abi.encodeCall(IModelAdapter.isModelAdapter, ())
        );
        return ok && ret.length == 32 && abi.decode(ret, (bool));
    }
}
