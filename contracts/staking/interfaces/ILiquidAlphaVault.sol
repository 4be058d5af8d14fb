// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ILiquidAlphaVault
/// @notice A liquid share of alpha staked on one (netuid, hotkey): an ERC-20 with EIP-2612 permit whose value grows
/// with the hotkey's dividends. TAO is the unit of account users bring and take away; alpha stake, held by the vault's
/// own coldkey, is the asset.
/// @dev How the views map to ERC-4626 (the asset being alpha-rao, which is not an ERC-20, so `asset()` does not
/// exist):
/// - `totalAssets` is ERC-4626's `totalAssets`: the vault's alpha stake (0 once the subnet is dissolved; the TAO it
///   then holds is `dissolvedPotRao`).
/// - `convertToShares` / `convertToAssets` are ERC-4626's, in alpha-rao, rounded down, ignoring fees and swaps.
/// - `previewDeposit(taoRao)` is ERC-4626's `previewDeposit` for TAO in: the shares a `deposit` of `taoRao` would mint
///   now (pool swap and deposit fee included), never more than it mints. `previewDepositStake(alphaRao)` is the same
///   for alpha in.
/// - `previewRedeem(shares)` is ERC-4626's `previewRedeem` with TAO out (pool swap and redeem fee included), never
///   more than `redeem` pays; `previewRedeemInKind(shares)` gives the alpha out.
/// - `maxDeposit` (TAO, rao), `maxDepositStake` (alpha-rao), `maxRedeem` and `maxRedeemInKind` (shares) are ERC-4626's
///   `max*`: they never revert, an amount up to them goes through (given a limit price the pool allows), and they are
///   0 while the operation is impossible (deposits paused, subnet dissolved, below the chain's minimum stake).
/// - `mint` and `withdraw` (exact shares out, exact assets out) are not offered: TAO becomes alpha through the pool,
///   and the chain only swaps exact amounts in.
/// @dev Rounding always favours the vault: deposits mint shares rounded down on the alpha actually credited (measured
/// by the stake's change), redemptions pay alpha rounded down and leave the chain's share-pool rounding (one alpha-rao)
/// to the redeemer, and every TAO payout is a whole number of rao.
/// @dev Warning: a deposit swaps TAO for alpha in the subnet's pool and a TAO redemption swaps back: both move the pool
/// price and can be sandwiched. Always pass a limit price (deposit) and a minimum out (both) and a deadline.
/// @dev Warning: stake and TAO that anyone sends to the vault are gifts: donated stake raises every holder's share
/// value at once (never the next depositor's alone); TAO sent to a live vault belongs to nobody until the subnet is
/// dissolved, when it joins the refund that holders redeem.
/// @dev Warning: governance (the factory's owner) can, each only after a timelock, set fees within the caps and move
/// the vault's stake to another hotkey on the same subnet; the guardian can pause deposits. Nothing can stop exits.
interface ILiquidAlphaVault {
    /// @notice The fee configuration; fees are charged in shares.
    struct Fees {
        uint16 depositFeeBps;
        uint16 redeemFeeBps;
        address recipient;
    }

    /// @notice A fee change waiting for its timelock.
    struct PendingFees {
        uint16 depositFeeBps;
        uint16 redeemFeeBps;
        address recipient;
        uint48 eta;
    }

    /// @notice A hotkey migration waiting for its timelock.
    struct PendingHotkey {
        bytes32 hotkey;
        uint48 eta;
    }

    event Deposit(address indexed caller, address indexed receiver, uint256 taoRao, uint256 alphaRao, uint256 shares);
    event DepositStake(address indexed caller, address indexed receiver, uint256 alphaRao, uint256 shares);
    event Redeem(
        address indexed caller,
        address indexed receiver,
        address indexed owner,
        uint256 shares,
        uint256 alphaRao,
        uint256 taoRao
    );
    event RedeemInKind(
        address indexed caller,
        bytes32 indexed receiverColdkey,
        address indexed owner,
        uint256 shares,
        uint256 alphaRao
    );
    event Migrate(
        address indexed owner,
        address indexed toVault,
        address indexed receiver,
        uint256 shares,
        uint256 alphaRao,
        uint256 taoRao,
        uint256 sharesOut
    );
    event AcceptMigration(address indexed fromVault, address indexed receiver, uint256 alphaRao, uint256 shares);
    event FeeCharged(address indexed recipient, uint256 shares);
    event Dissolve(uint256 registeredAtBlock, uint256 currentRegistrationBlock, uint256 potRao);
    event SetPaused(address indexed by, bool paused);
    event ScheduleFees(uint16 depositFeeBps, uint16 redeemFeeBps, address recipient, uint256 eta);
    event ApplyFees(uint16 depositFeeBps, uint16 redeemFeeBps, address recipient);
    event CancelFees();
    event ScheduleHotkeyMigration(bytes32 indexed hotkey, uint256 eta);
    event MigrateHotkey(bytes32 indexed oldHotkey, bytes32 indexed newHotkey, uint256 alphaRao);
    event CancelHotkeyMigration(bytes32 indexed hotkey);

    error DeadlineExpired(uint256 deadline, uint256 timestamp);
    error DepositsPaused();
    error SubnetDissolved(uint16 netuid, uint256 registeredAtBlock, uint256 currentRegistrationBlock);
    error AmountBelowMinimum(uint256 amountRao, uint256 minimumRao);
    error SharesBelowMinimum(uint256 shares, uint256 minimumShares);
    error TaoBelowMinimum(uint256 taoRao, uint256 minimumTaoRao);
    error AlphaBelowMinimum(uint256 alphaRao, uint256 minimumAlphaRao);
    error ZeroShares();
    error ZeroAssets(uint256 shares);
    /// @notice The vault's stake is gone without a dissolution (a hotkey swap on the chain): deposits and exits wait
    /// for governance to point the vault at the hotkey that holds the stake.
    error StakeMissing(bytes32 hotkey, uint256 totalSupply);
    /// @notice The chain would sweep the remaining holders' stake to TAO (the nominator minimum): redeem more, or all.
    error RemainderWouldBeSwept(uint256 remainingAlphaRao);
    error UnexpectedStakeChange(uint256 expectedAlphaRao, uint256 actualAlphaRao);
    error NothingToRedeem(uint256 potRao);
    error NotGovernance(address caller);
    error NotGuardian(address caller);
    error FeeTooHigh(uint256 feeBps, uint256 maxFeeBps);
    error FeeRecipientRequired();
    error TimelockPending(uint256 eta, uint256 timestamp);
    error NothingScheduled();
    error NotSiblingVault(address caller);
    error InvalidTarget(address target);
    error MigrationBelowMinimum(uint256 freeTaoRao);
    error TaoTransferFailed(address to, uint256 amountWei);

    /* DEPOSITS */

    /// @notice Stakes `msg.value` (whole rao) on the vault's hotkey at a pool price of at most
    /// `limitPriceRaoPerAlpha` (rao per whole alpha; all or nothing) and mints the shares of the alpha credited to
    /// `receiver`, at least `minSharesOut`.
    /// @dev Reverts `AmountBelowMinimum` under `MIN_DEPOSIT_RAO`, `DepositsPaused`, `SubnetDissolved`. The runtime
    /// may stake up to the existential deposit (500 rao) less than asked; what it did not stake is paid to `receiver`.
    function deposit(
        address receiver,
        uint256 minSharesOut,
        uint256 limitPriceRaoPerAlpha,
        uint256 deadline
    ) external payable returns (uint256 shares);

    /// @notice Pulls `alphaRao` of the caller's stake on (this subnet, the vault's hotkey) to the vault and mints its
    /// shares to `receiver`. The caller first approves the vault on the staking precompile
    /// (`IStakingV2.approve(vault, netuid, alphaRao)`).
    /// @dev Warning: needs the subnet's transfer toggle on; stake on another hotkey must be moved to the vault's
    /// hotkey first.
    function depositStake(
        uint256 alphaRao,
        address receiver,
        uint256 minSharesOut,
        uint256 deadline
    ) external returns (uint256 shares);

    /* EXITS (never paused) */

    /// @notice Burns `shares` of `owner` (spending the caller's allowance when not the owner), unstakes their alpha at
    /// any pool price and pays `receiver` the TAO, at least `minTaoOutRao`. After a dissolution it pays the shares'
    /// part of the refunded TAO instead.
    function redeem(
        uint256 shares,
        address receiver,
        address owner,
        uint256 minTaoOutRao,
        uint256 deadline
    ) external returns (uint256 taoRao);

    /// @notice Burns `shares` of `owner` and transfers their alpha stake, on the vault's hotkey, to the coldkey
    /// `receiverColdkey` (a 32-byte account id), which must receive at least `minAlphaOutRao`.
    /// @dev Warning: needs the subnet's transfer toggle on; a TAO `redeem` always works.
    function redeemInKind(
        uint256 shares,
        bytes32 receiverColdkey,
        address owner,
        uint256 minAlphaOutRao,
        uint256 deadline
    ) external returns (uint256 alphaRao);

    /// @notice Moves `owner`'s `shares` into `toVault` (another vault of the same factory) for `receiver`, at least
    /// `minSharesOut`. In kind (`viaTao` false) the stake moves without leaving the chain's ledger: within a netuid no
    /// swap at all, across netuids one swap with one fee; via TAO it is unstaked and deposited at a price of at most
    /// `limitPriceRaoPerAlpha`.
    /// @dev Warning: in kind needs the destination subnet's transfer toggle on (and the origin's when the hotkey is
    /// the same); across netuids the swap has no price limit, `minSharesOut` bounds it.
    function migrate(
        uint256 shares,
        address toVault,
        address receiver,
        address owner,
        uint256 minSharesOut,
        uint256 limitPriceRaoPerAlpha,
        bool viaTao,
        uint256 deadline
    ) external returns (uint256 sharesOut);

    /// @notice Mints the shares of `alphaRao` that a sibling vault has just transferred to this vault's coldkey, on
    /// this vault's hotkey, and measured. Only vaults of the same factory may call it.
    function acceptMigration(
        address receiver,
        uint256 alphaRao,
        uint256 minSharesOut
    ) external returns (uint256 shares);

    /* VIEWS */

    /// @notice The subnet, the current hotkey and the vault's coldkey: where its stake lives.
    function position() external view returns (uint16 netuid, bytes32 hotkey, bytes32 coldkey);

    function hotkey() external view returns (bytes32);

    /// @notice Whether the subnet the vault was created for is still registered (same registration block).
    function isLive() external view returns (bool);

    function paused() external view returns (bool);

    function fees() external view returns (Fees memory);

    function pendingFees() external view returns (PendingFees memory);

    function pendingHotkey() external view returns (PendingHotkey memory);

    /// @notice The vault's alpha stake, in alpha-rao (0 after dissolution).
    function totalAssets() external view returns (uint256 alphaRao);

    /// @notice The TAO a dissolved vault holds for its holders, in rao (0 while live).
    function dissolvedPotRao() external view returns (uint256 potRao);

    function convertToShares(uint256 alphaRao) external view returns (uint256 shares);

    function convertToAssets(uint256 shares) external view returns (uint256 alphaRao);

    function previewDeposit(uint256 taoRao) external view returns (uint256 shares);

    function previewDepositStake(uint256 alphaRao) external view returns (uint256 shares);

    function previewRedeem(uint256 shares) external view returns (uint256 taoRao);

    function previewRedeemInKind(uint256 shares) external view returns (uint256 alphaRao);

    function maxDeposit(address receiver) external view returns (uint256 taoRao);

    function maxDepositStake(address receiver) external view returns (uint256 alphaRao);

    function maxRedeem(address owner) external view returns (uint256 shares);

    function maxRedeemInKind(address owner) external view returns (uint256 shares);

    /* GOVERNANCE */

    function pause() external;

    function unpause() external;

    /// @notice Schedules new fees (each at most its cap), applicable after `FEE_TIMELOCK`. A lower fee with the same
    /// recipient applies at once.
    function scheduleFees(uint16 depositFeeBps, uint16 redeemFeeBps, address recipient) external;

    /// @notice Applies the scheduled fees once their timelock has passed; anyone may call it.
    function applyFees() external;

    function cancelFees() external;

    /// @notice Schedules moving the vault's stake to `newHotkey` on the same subnet (for a validator's hotkey swap or
    /// retirement), executable after `HOTKEY_TIMELOCK`.
    function scheduleHotkeyMigration(bytes32 newHotkey) external;

    /// @notice Moves the vault's whole stake to the scheduled hotkey (a same-subnet move: no swap, no fee) and makes it
    /// the vault's hotkey; anyone may call it once the timelock has passed.
    function executeHotkeyMigration() external;

    function cancelHotkeyMigration() external;
}
