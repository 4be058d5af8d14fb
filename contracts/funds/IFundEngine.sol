// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IFundEngine
/// @notice Types, events and errors of the fund engine that every fund strategy shares.
interface IFundEngine {
    /// @notice A holding of the fund: its own stake on (netuid, hotkey), or shares of a liquid alpha vault.
    /// @dev `vault == address(0)` for direct stake; otherwise the vault's (netuid, hotkey) are stored for reads.
    struct Position {
        uint16 netuid;
        bytes32 hotkey;
        address vault;
    }

    /// @notice The roles of a fund. Each is a separate account; the same account may hold several.
    struct Roles {
        address governance;
        address guardian;
        address manager;
        address feeRecipient;
    }

    /// @notice The engine's settings chosen at launch.
    struct EngineConfig {
        string name;
        string symbol;
        Roles roles;
        uint16 managementFeeBps;
        uint16 performanceFeeBps;
        uint32 noticePeriodSeconds;
        uint32 timelockSeconds;
        uint16 maxSlippageBps;
        uint256 minRedemptionShares;
        Position[] positions;
    }

    /// @notice A redemption waiting in the queue; its shares are locked in the fund until processed or cancelled.
    struct Request {
        address owner;
        address receiver;
        uint64 readyAt;
        bool inKind;
        uint256 shares;
    }

    event Deposit(address indexed caller, address indexed receiver, uint256 taoRao, uint256 shares);
    event FeesAccrued(uint256 managementShares, uint256 performanceShares, uint256 highWaterMarkRaoPerShareWad);
    event RedemptionRequested(
        uint256 indexed id,
        address indexed owner,
        address receiver,
        uint256 shares,
        bool inKind,
        uint256 readyAt
    );
    event RedemptionCancelled(uint256 indexed id, address indexed owner, uint256 shares);
    event RedemptionFilled(uint256 indexed id, address indexed receiver, uint256 shares, uint256 taoRao);
    event RedemptionBatch(uint256 requests, uint256 shares, uint256 taoRao);
    event Claimed(address indexed account, uint256 taoRao);
    /// @notice A redemption batch pays position `position` in kind: selling `amount` (alpha, or vault shares) would
    /// have fetched less than the policy's floor.
    event PaidInKind(uint256 indexed position, uint256 amount);
    /// @notice Owed alpha taken: moved to `coldkey`, or sold for TAO when `coldkey` is zero.
    event StakeClaimed(address indexed account, uint256 indexed position, bytes32 coldkey, uint256 alphaRao);
    event Scheduled(bytes32 indexed id, bytes data, uint256 eta);
    event Vetoed(bytes32 indexed id, address indexed by);
    event Executed(bytes32 indexed id, bytes data);
    event ShutDown(address indexed by);
    event PositionAdded(uint256 indexed index, uint16 netuid, bytes32 hotkey, address vault);
    event Staked(uint256 indexed position, uint256 taoRao, uint256 alphaRao);
    event Unstaked(uint256 indexed position, uint256 alphaRao, uint256 taoRao);
    event StakeMoved(uint256 indexed from, uint256 indexed to, uint256 alphaRao);
    event RolesChanged(address governance, address guardian, address manager, address feeRecipient);
    event FeesChanged(uint16 managementFeeBps, uint16 performanceFeeBps);

    error NotGovernance(address caller);
    error NotGuardian(address caller);
    error NotManager(address caller);
    error NotSelf(address caller);
    error ZeroAddress(string field);
    error FeeAboveCap(uint256 feeBps, uint256 capBps);
    error SlippageAboveCap(uint256 slippageBps, uint256 capBps);
    error TimelockTooShort(uint256 timelockSeconds, uint256 minimumSeconds);
    error NoticeTooLong(uint256 noticeSeconds, uint256 maximumSeconds);
    error TooManyPositions(uint256 count, uint256 maximum);
    error UnknownPosition(uint256 index, uint256 count);
    error DuplicatePosition(uint16 netuid, bytes32 hotkey, address vault);
    error InvalidPosition(uint16 netuid, bytes32 hotkey, address vault);
    error NotScheduled(bytes32 id);
    error AlreadyScheduled(bytes32 id);
    error TimelockPending(uint256 eta, uint256 timestamp);
    error IsShutDown();
    error NotWholeRao(uint256 amountWei);
    error ZeroAmount();
    error InsufficientIdle(uint256 neededRao, uint256 idleRao);
    error SharesBelowMinimum(uint256 shares, uint256 minimumShares);
    error RedemptionTooSmall(uint256 shares, uint256 minimumShares);
    error NotRequestOwner(uint256 id, address caller);
    error NothingToCancel(uint256 id);
    error PriceBelowFloor(uint256 positionIndex, uint256 taoOutRao, uint256 floorRao);
    error PriceAboveLimit(uint256 positionIndex, uint256 spotRaoPerAlpha, uint256 limitRaoPerAlpha);
    error NavLossAboveSlippage(uint256 navBeforeRao, uint256 navAfterRao, uint256 maxSlippageBps);
    error NothingToClaim(address account);
    error FundSharesNotMovable();
    error StakeAboveHolding(uint256 positionIndex, uint256 alphaRao, uint256 heldAlphaRao);
    error TaoTransferFailed(address to, uint256 amountWei);
    error RegistrationCostAboveLimit(uint256 costRao, uint256 limitRao);
    error RegistrationFailed(uint16 netuid, bytes32 hotkey);
}
