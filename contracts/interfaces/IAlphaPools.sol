// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IAlphaPools
/// @notice The subnet economy's pools, stake ledger and coinbase: protocol-owned TAO/alpha pools (one per subnet),
/// stake held as share pools per (hotkey, coldkey, netuid), and lazily accrued block emission.
/// @dev Amounts are in the chain's 9-decimal units: TAO in rao, alpha in alpha-rao. Native TAO sent to or paid by
/// this contract is 18-decimal wei and always a whole number of rao. Limit prices are rao per alpha.
/// @dev Warning: views return the state as of each subnet's last accrual. Call `poke` (or any mutating function) to
/// catch a subnet up to the current block first.
/// @dev Warning: hotkeys and coldkeys are Bittensor account ids. An EVM caller's coldkey is its mapped account,
/// blake2b_256("evm:" ‖ address), exactly as on Bittensor.
interface IAlphaPools {
    /* TYPES */

    /// @notice Pending alpha waiting for the subnet's next epoch settlement.
    struct PendingEmission {
        uint64 ownerCut;
        uint64 server;
        uint64 validator;
    }

    /// @notice What a settled epoch pays, per hotkey (miners' incentive, validators' dividends).
    struct EpochPayout {
        bytes32[] hotkeys;
        uint64[] incentive;
        uint64[] dividends;
        /// @dev Fraction (of 65535) of the miners' emission withheld this tempo; scales the subnet's emission share.
        uint16 minerBurn;
    }

    /* EVENTS */

    event Stake(
        uint16 indexed netuid,
        bytes32 indexed hotkey,
        bytes32 indexed coldkey,
        uint256 taoRao,
        uint256 alphaOut,
        uint256 feeRao
    );
    event Unstake(
        uint16 indexed netuid,
        bytes32 indexed hotkey,
        bytes32 indexed coldkey,
        uint256 alphaIn,
        uint256 taoOut,
        uint256 feeAlpha
    );
    event Accrue(
        uint16 indexed netuid,
        uint256 blocks,
        uint256 taoIn,
        uint256 alphaIn,
        uint256 chainBuyTao,
        uint256 alphaEmission,
        uint256 movingPriceWad
    );
    event OpenSubnet(uint16 indexed netuid, uint32 generation, uint256 taoRao, uint256 alphaRao);
    event StartEmission(uint16 indexed netuid, uint256 firstEmissionBlock);
    event DissolveSubnet(uint16 indexed netuid, uint32 generation, uint256 refundPotRao, uint256 recycledRao);
    event ClaimRefund(
        uint16 indexed netuid,
        uint32 indexed generation,
        bytes32 indexed coldkey,
        bytes32 hotkey,
        uint256 taoRao
    );
    event SettleEpoch(
        uint16 indexed netuid,
        uint256 blockNumber,
        uint256 incentive,
        uint256 dividends,
        uint256 ownerCut,
        uint256 recycled
    );
    event RegisterHotkey(bytes32 indexed hotkey, bytes32 indexed coldkey);
    event FundEmissionReserve(address indexed from, uint256 taoRao);
    event Recycle(uint256 taoRao);
    event SetPoolParams(uint16 indexed netuid, uint16 feeRate, uint64 minStakeRao);

    /* ERRORS */

    error ZeroAmount();
    error DeadlineExpired(uint256 deadline, uint256 timestamp);
    error UnknownSubnet(uint16 netuid);
    error SubnetAlreadyOpen(uint16 netuid);
    error RootSubnet(uint16 netuid);
    error HotkeyNotRegistered(bytes32 hotkey);
    error HotkeyOwnedByOther(bytes32 hotkey, bytes32 owner);
    error AmountTooLow(uint256 amountRao, uint256 minimumRao);
    error InsufficientStake(uint256 requested, uint256 available);
    error LimitPriceCrossed(uint256 limitPriceRao, uint256 spotPriceRao);
    error SlippageTooHigh(uint256 amount, uint256 maxAmount);
    error OutputBelowMinimum(uint256 amountOut, uint256 minimumOut);
    error ReservesTooLow(uint256 reserveAfter, uint256 minimumReserve);
    error SwapInputTooLarge(uint256 amountIn, uint256 maxAmountIn);
    error InsufficientLiquidity();
    error FeeRateTooHigh(uint16 feeRate, uint16 maxFeeRate);
    error EpochNotDue(uint16 netuid, uint256 blocksSinceLast, uint256 tempo);
    error PayoutExceedsPending(uint256 payout, uint256 pending);
    error LengthMismatch(uint256 hotkeys, uint256 incentive, uint256 dividends);
    error NothingToRefund(uint16 netuid, uint32 generation);
    error RefundNotAvailable(uint16 netuid, uint32 generation);
    error TaoTransferFailed(address to, uint256 amountWei);

    /* STAKING */

    /// @notice Stakes `msg.value` TAO into `netuid`'s pool for `hotkey`; reverts unless at least `minAlphaOut` comes out.
    function addStake(
        bytes32 hotkey,
        uint16 netuid,
        uint256 minAlphaOut,
        uint256 deadline
    ) external payable returns (uint256 alphaOut);

    /// @notice Stakes `msg.value` TAO at a price of at most `limitPriceRao`; with `allowPartial` it fills up to the
    /// limit and refunds the rest, otherwise it reverts when the whole amount does not fit.
    /// @dev The limit bounds the price that the swap of the input after the fee moves to, as subtensor computes it.
    /// The fee then stays in the pool (subtensor pays it to the block author), which can lift the final price by up
    /// to the fee rate.
    function addStakeLimit(
        bytes32 hotkey,
        uint16 netuid,
        uint256 limitPriceRao,
        bool allowPartial,
        uint256 deadline
    ) external payable returns (uint256 alphaOut);

    /// @notice Unstakes `alphaAmount` and pays the TAO to the caller; reverts unless at least `minTaoOut` comes out.
    function removeStake(
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaAmount,
        uint256 minTaoOut,
        uint256 deadline
    ) external returns (uint256 taoOut);

    /// @notice Unstakes at a price of at least `limitPriceRao`, partially when `allowPartial`.
    function removeStakeLimit(
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaAmount,
        uint256 limitPriceRao,
        bool allowPartial,
        uint256 deadline
    ) external returns (uint256 taoOut);

    /// @notice Unstakes the caller's whole position on (hotkey, netuid).
    function removeStakeFull(
        bytes32 hotkey,
        uint16 netuid,
        uint256 minTaoOut,
        uint256 deadline
    ) external returns (uint256 taoOut);

    /// @notice Claims the TAO refund of a position in a subnet that was pruned.
    function claimRefund(bytes32 hotkey, uint16 netuid, uint32 generation) external returns (uint256 taoRao);

    /* COINBASE */

    /// @notice Catches `netuid` up to the current block: emission, injection, chain buy and moving price.
    function poke(uint16 netuid) external;

    /// @notice Adds TAO to the reserve that backs future emission.
    function fundEmissionReserve() external payable;

    /* VIEWS */

    function coldkeyOf(address account) external view returns (bytes32);

    function simSwapTaoForAlpha(uint16 netuid, uint256 taoRao) external view returns (uint256 alphaOut);

    function simSwapAlphaForTao(uint16 netuid, uint256 alphaRao) external view returns (uint256 taoOut);

    function getStake(bytes32 hotkey, bytes32 coldkey, uint16 netuid) external view returns (uint256 alpha);

    function getTotalHotkeyAlpha(bytes32 hotkey, uint16 netuid) external view returns (uint256 alpha);

    function getAlphaPrice(uint16 netuid) external view returns (uint256 priceWad);

    function getMovingAlphaPrice(uint16 netuid) external view returns (uint256 priceWad);

    function pendingEmission(uint16 netuid) external view returns (PendingEmission memory);
}
