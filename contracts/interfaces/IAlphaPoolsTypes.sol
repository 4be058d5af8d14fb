// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IAlphaPoolsTypes
/// @notice The types, events and errors of the pools and the stake ledger (`IAlphaPools` for users,
/// `IAlphaPoolsHooks` for the other parts of the model).
interface IAlphaPoolsTypes {
    /* TYPES */

    /// @notice A subnet's pool: subtensor's SubnetTAO and SubnetAlphaIn, with its cumulative volume.
    struct Pool {
        uint64 taoRao;
        uint64 alphaRao;
        uint32 lastAccrualBlock;
        uint96 volumeRao; // SubnetVolume: TAO traded through the pool, cumulative
    }

    /// @notice A subnet's settings as the pools use them. The registry resets every one of them when a netuid is
    /// registered again (`ISubnetRegistry` lists the per-netuid settings in one place).
    struct SubnetConfig {
        uint64 minStakeRao; // DefaultMinStake
        uint32 generation; // how many times the netuid was registered; keys the ledger, so a reused netuid starts empty
        uint32 firstEmissionBlock; // FirstEmissionBlockNumber: 0 until the owner's start call
        uint16 feeRateOf65535; // the swap fee
        uint16 minerBurnOf65535; // MinerBurned: part of the miners' emission withheld last epoch
        uint16 tempo; // blocks per epoch; also the vesting window of a dividend
        bool active;
        bool transfersEnabled; // TransferToggle
    }

    /// @notice Emission state of one subnet, one slot.
    struct Emission {
        uint88 indexSnapshot; // the global index at the last accrual
        uint32 weight; // moving price in rao per alpha × (1 − miner burn): 1 … 1e9 while emitting
        uint64 movingPriceWad; // SubnetMovingPrice, ≤ 1e18
        uint64 unownedAlphaRao; // alpha outside the pool that no staker owns: chain buys and burned stake
    }

    /// @notice Alpha issuance and the alpha waiting for the epoch, one slot.
    struct Books {
        uint56 pendingAlphaOutRao; // alpha emitted since the last epoch: owner cut, miners and validators
        uint56 pendingRootAlphaRao; // the root stakers' part of it (root sell flag on)
        uint56 pendingRecycledRootAlphaRao; // the root stakers' part recycled (root sell flag off)
        uint64 alphaIssuanceRao; // SubnetAlphaIn + SubnetAlphaOut
    }

    /// @notice The coinbase's global state, one slot.
    struct Global {
        uint88 index; // Σ over blocks of the backed emission × 1e9 / total weight
        uint32 lastBlock;
        uint40 totalWeight; // Σ of the emitting subnets' weights
        uint40 sumMovingPriceRao; // Σ of the emitting subnets' moving prices, rao per alpha (the root sell flag)
        uint56 reserveRao; // emission reserve: TAO that backs future emission
    }

    /// @notice TAO supply bookkeeping.
    struct Supply {
        uint64 issuancePlusReserveRao; // TotalIssuance + reserve: emission and recycling move TAO between the two
        uint64 unbackedRao; // scheduled emission the reserve could not back
        uint64 fundedRao; // TAO ever added to the reserve
        uint64 recycledRao; // TAO ever recycled into the reserve
    }

    /// @notice Root stake (netuid 0 is a stable 1:1 pool), with its value at the end of the previous block.
    struct RootStake {
        uint64 taoRao;
        uint64 previousBlockTaoRao;
        uint32 changedAtBlock;
        uint96 volumeRao;
    }

    /// @notice A hotkey's share pool on one subnet instance, one slot.
    struct HotkeyPool {
        uint56 alphaRao; // vested alpha, what the shares are worth (TotalHotkeyAlpha); 2^56 is 72M alpha
        uint88 shares; // at most 1e9 shares per alpha-rao
        uint64 unvestedAlphaRao; // dividends still vesting: any pot fits
        uint32 vestingEndBlock;
        uint16 vestingBlocksLeft; // vestingEndBlock − the block the pool was last synced at
    }

    /// @notice The alpha a settled epoch distributes, split as subtensor splits it.
    struct PendingEmission {
        uint256 ownerCutAlphaRao; // 18 % (SubnetOwnerCut)
        uint256 serverAlphaRao; // miners' 41 %
        uint256 validatorAlphaRao; // validators' 41 % × (1 − root proportion): alpha stakers' dividends
        uint256 rootAlphaRao; // validators' 41 % × root proportion: root stakers' dividends
    }

    /* EVENTS */

    event Stake(
        uint16 indexed netuid,
        bytes32 indexed hotkey,
        bytes32 indexed coldkey,
        uint256 taoRao,
        uint256 alphaRao,
        uint256 feeRao
    );
    event Unstake(
        uint16 indexed netuid,
        bytes32 indexed hotkey,
        bytes32 indexed coldkey,
        uint256 alphaRao,
        uint256 taoRao,
        uint256 feeAlphaRao
    );
    /// @notice A move, transfer or swap of stake. Across netuids the two swap legs also emit `Unstake` and `Stake`;
    /// `destinationAlphaRao` is 0 when the intermediate TAO was below the minimum stake and was paid out instead.
    event MoveStake(
        bytes32 indexed originColdkey,
        bytes32 indexed destinationColdkey,
        uint16 indexed originNetuid,
        uint16 destinationNetuid,
        bytes32 originHotkey,
        bytes32 destinationHotkey,
        uint256 alphaRao,
        uint256 destinationAlphaRao
    );
    event Approval(address indexed owner, address indexed spender, uint16 indexed netuid, uint256 alphaRao);
    event BurnAlpha(uint16 indexed netuid, bytes32 indexed hotkey, bytes32 indexed coldkey, uint256 alphaRao);
    event Accrue(
        uint16 indexed netuid,
        uint256 blocks,
        uint256 injectedTaoRao,
        uint256 injectedAlphaRao,
        uint256 chainBuyTaoRao,
        uint256 emittedAlphaRao,
        uint256 taoReserveRao,
        uint256 alphaReserveAlphaRao,
        uint256 movingPriceWad
    );
    event FundEmissionReserve(address indexed from, uint256 taoRao);

    /* ERRORS */

    error ZeroAmount();
    error DeadlineExpired(uint256 deadline, uint256 timestamp);
    error UnknownSubnet(uint16 netuid);
    error SubtokenDisabled(uint16 netuid);
    error TransfersDisabled(uint16 netuid);
    error SameNetuid(uint16 netuid);
    error HotkeyNotRegistered(bytes32 hotkey);
    error AmountTooLow(uint256 amountRao, uint256 minimumRao);
    error InsufficientStake(uint256 requestedAlphaRao, uint256 availableAlphaRao);
    error InsufficientAllowance(address owner, address spender, uint16 netuid, uint256 allowanceAlphaRao);
    error LimitPriceCrossed(uint256 limitPriceRaoPerAlpha, uint256 currentPriceRaoPerAlpha);
    error SlippageTooHigh(uint256 amount, uint256 maxAmount);
    error OutputBelowMinimum(uint256 amountOut, uint256 minimumOut);
    error ReservesTooLow(uint256 reserveAfter, uint256 minimumReserve);
    error SwapInputTooLarge(uint256 amountIn, uint256 maxAmountIn);
    error InsufficientLiquidity();
    error TaoTransferFailed(address to, uint256 amountWei);

    /* EVENTS AND ERRORS OF THE HOOKS */

    event OpenSubnet(uint16 indexed netuid, uint32 generation, uint256 taoRao, uint256 alphaRao);
    event StartEmission(uint16 indexed netuid, uint256 firstEmissionBlock);
    event SetSubnetSettings(
        uint16 indexed netuid,
        uint64 minStakeRao,
        uint16 feeRateOf65535,
        uint16 tempo,
        bool transfersEnabled
    );
    event DissolveSubnet(uint16 indexed netuid, uint32 generation, uint256 refundPotRao, uint256 recycledRao);
    event ClosePending(uint16 indexed netuid, uint32 generation, PendingEmission pot);
    event CreditStake(uint16 indexed netuid, bytes32 indexed hotkey, bytes32 indexed coldkey, uint256 alphaRao);
    event CreditDividend(uint16 indexed netuid, bytes32 indexed hotkey, uint256 alphaRao, uint256 vestingBlocks);
    event RecycleAlpha(uint16 indexed netuid, uint256 alphaRao);
    event BurnOwedAlpha(uint16 indexed netuid, uint256 alphaRao);
    event SetMinerBurn(uint16 indexed netuid, uint16 minerBurnOf65535);
    event BuyAndBurnAlpha(uint16 indexed netuid, uint256 taoRao, uint256 alphaRao);
    event AssignRootDividend(uint16 indexed netuid, uint256 alphaRao);
    event PayRootDividend(
        uint16 indexed netuid,
        bytes32 indexed hotkey,
        bytes32 indexed coldkey,
        uint256 alphaRao,
        uint256 taoRao
    );
    event RecycleTao(uint256 taoRao);

    error SubnetAlreadyOpen(uint16 netuid);
    error RootSubnet(uint16 netuid);
    error StaleGeneration(uint16 netuid, uint32 generation, uint32 currentGeneration);
    error FeeRateTooHigh(uint16 feeRateOf65535, uint16 maxFeeRateOf65535);
    error PayoutExceedsPot(uint256 alphaRao, uint256 owedAlphaRao);
    error AlreadyWired();
}
