// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IModelAdapter
/// @notice What only a precompile adapter backed by the subnet economy model answers, never a Bittensor precompile.
/// @dev `StakingClient` probes `isModelAdapter` once, at construction, with a small gas stipend: a real precompile
/// fails on the unknown selector (or the address holds no code and answers nothing), an adapter returns true.
interface IModelAdapter {
    /// @notice Always true on an adapter.
    function isModelAdapter() external pure returns (bool);
}

/// @title ISubnetAdapterExtension
/// @notice The local chain's stand-in for the refund that Bittensor pays when it dissolves a subnet.
/// @dev On Bittensor a dissolved subnet's stakers are paid in the same block, without a call. In the model the pruned
/// subnet's refunds wait in `SubnetRegistry` until someone claims them; this pulls them for an account.
interface ISubnetAdapterExtension {
    /// @notice Claims, for `account`, the refunds of every dissolved instance of `netuid` (among the most recent
    /// ones) in which `account`'s coldkey staked on `hotkey`. The TAO reaches `account` without running its code.
    /// @return refundRao the TAO credited to `account`, in rao
    function claimDissolutionRefunds(
        address account,
        bytes32 hotkey,
        uint16 netuid
    ) external returns (uint256 refundRao);
}

/// @title IBalanceTransferAdapterExtension
/// @notice Where the local chain keeps TAO sent to a 32-byte account by the balance transfer adapter.
/// @dev An EVM chain cannot credit an account id that is not an EVM address, so the adapter holds the TAO for the EVM
/// account whose mapped id (blake2b_256("evm:" ‖ address)) the destination is; that account withdraws it.
interface IBalanceTransferAdapterExtension {
    /// @notice TAO held for `accountId`, in rao.
    function heldRao(bytes32 accountId) external view returns (uint256);

    /// @notice Pays the caller the TAO held for its mapped account id.
    /// @return amountRao the TAO paid, in rao
    function withdrawHeld() external returns (uint256 amountRao);
}
