// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IRootDividends
/// @notice Root stakers' dividends, as subtensor keeps them: the root part of a validator's dividend on a subnet
/// becomes claimable alpha of the validator's root nominators, in proportion to their root stake at the epoch, and
/// each coldkey claims it with its claim type.
/// @dev Warning: as on the chain, removing root stake forfeits unclaimed root dividends beyond what the remaining
/// stake could claim (owed after = min(owed before, rate × remaining stake)): claim before unstaking from root.
/// @dev Warning: a root stake change costs work for every subnet on which the hotkey has root dividends (at most the
/// number of netuids).
interface IRootDividends {
    /// @notice Swap (the default) sells the claimed alpha fee-less for TAO and restakes it on root; Keep stakes the
    /// alpha on the subnet, on the same hotkey.
    enum RootClaimType {
        Swap,
        Keep
    }

    event SetRootClaimType(bytes32 indexed coldkey, RootClaimType claimType);
    event CreditRootDividend(uint16 indexed netuid, bytes32 indexed hotkey, uint256 alphaRao);
    event ClaimRoot(
        uint16 indexed netuid,
        bytes32 indexed hotkey,
        bytes32 indexed coldkey,
        RootClaimType claimType,
        uint256 alphaRao,
        uint256 taoRao
    );

    error OnlyPools(address caller);

    function setRootClaimType(RootClaimType claimType) external;

    /// @notice Claims `coldkey`'s root dividends from `hotkey` on each of `netuids`, with the coldkey's claim type.
    /// Anyone may claim for any coldkey (the chain claims for random coldkeys every block). Amounts below
    /// `ROOT_CLAIM_THRESHOLD_ALPHA_RAO` wait.
    function claimRoot(
        bytes32 hotkey,
        bytes32 coldkey,
        uint16[] calldata netuids
    ) external returns (uint256 claimedAlphaRao);

    function rootClaimable(bytes32 hotkey, bytes32 coldkey, uint16 netuid) external view returns (uint256 alphaRao);

    /// @notice Makes `alphaRao` claimable by `hotkey`'s root nominators. Returns false (and takes nothing) when the
    /// hotkey's root stake is zero or smaller than the dividend: the chain then stakes it to the hotkey's owner.
    function creditRootDividend(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        uint256 alphaRao
    ) external returns (bool credited);

    /// @notice Called by the pools on every change of (hotkey, coldkey)'s root stake, to keep its claims exact.
    function onRootStakeChange(bytes32 hotkey, bytes32 coldkey, uint256 addedRao, uint256 removedRao) external;
}
