// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IAllocationRouter
/// @notice Splits TAO across several liquid alpha vaults in one transaction, quotes such a split, and moves a
/// holder's vault shares from one allocation to another. The router never keeps anything: shares go straight to the
/// receiver, TAO straight into the vaults, and stake moves between the vaults' own coldkeys.
/// @dev Warning: every leg is a swap in a subnet pool; each carries its own limit price and minimum of shares, and
/// the whole call a deadline.
interface IAllocationRouter {
    /// @notice One leg of an allocation: the vault of (`netuid`, `hotkey`) gets `weight` / Σ weights of the TAO.
    struct Leg {
        uint16 netuid;
        bytes32 hotkey;
        uint32 weight;
        /// @dev Highest pool price this leg may pay, rao per whole alpha (all or nothing).
        uint256 limitPriceRaoPerAlpha;
        uint256 minSharesOut;
    }

    /// @notice A leg's quote.
    struct LegQuote {
        address vault;
        /// @dev False when the vault is not created yet (the allocation creates it).
        bool vaultExists;
        uint256 taoRao;
        uint256 alphaRao;
        uint256 shares;
        /// @dev The pool's spot price before the allocation.
        uint256 spotPriceRaoPerAlpha;
        /// @dev TAO paid per alpha received in this leg, fee included.
        uint256 effectivePriceRaoPerAlpha;
        /// @dev (effective − spot) / spot, × 1e18.
        uint256 priceImpactWad;
    }

    /// @notice One move of a rebalance: `shares` of the caller's `fromVault` shares into `toVault`.
    struct Move {
        address fromVault;
        address toVault;
        uint256 shares;
        uint256 minSharesOut;
        /// @dev Used when the move goes through TAO: the highest price of the deposit into `toVault`.
        uint256 limitPriceRaoPerAlpha;
        /// @dev False: the stake moves in kind (no swap within a netuid, one across netuids); true: unstake and
        /// deposit (two swaps), for subnets whose transfers are off.
        bool viaTao;
    }

    event Allocate(address indexed caller, address indexed receiver, uint256 taoRao, uint256 legs);
    event Rebalance(address indexed owner, address indexed receiver, uint256 moves);

    error NoLegs();
    error TooManyLegs(uint256 legs, uint256 maxLegs);
    error ZeroWeight(uint256 leg);
    error DeadlineExpired(uint256 deadline, uint256 timestamp);
    error UnknownVault(address vault);
    error RouterBalanceChanged(uint256 balanceBeforeWei, uint256 balanceAfterWei);

    /// @notice Splits `msg.value` (whole rao) across `legs` by weight (the rounding remainder to the last leg) and
    /// deposits each part into its vault, creating it when needed; the shares go to `receiver`.
    function allocate(
        Leg[] calldata legs,
        address receiver,
        uint256 deadline
    ) external payable returns (uint256[] memory shares);

    /// @notice What `allocate` of `amountRao` over `legs` would give now, leg by leg, with each leg's price impact.
    /// @dev Legs on one netuid are simulated one after another in the same pool; legs into one vault are each quoted
    /// against the vault as it is now.
    function previewAllocate(Leg[] calldata legs, uint256 amountRao) external view returns (LegQuote[] memory quotes);

    /// @notice Executes `moves` for the caller's shares (the caller approved this router on each `fromVault`); the
    /// new shares go to `receiver`.
    function rebalance(
        Move[] calldata moves,
        address receiver,
        uint256 deadline
    ) external returns (uint256[] memory sharesOut);
}
