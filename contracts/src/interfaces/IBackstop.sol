// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title The backstop pool and the franchise (pallet-backstop) for EVM contracts
/// @notice The precompile at `0x000000000000000000000000000000000b020000`
///         (`BackstopAddresses.BACKSTOP`). Depositors put the stable asset (USD, asset 1) in
///         the pool for shares; the pool liquidates unhealthy positions (paying their debt,
///         receiving collateral at a discount) and sells the collateral back for stable on an
///         oracle-anchored StableSwap curve (`swap`). Franchise members bid for seats that give
///         them priority on avatar positions; the proceeds go to users by score (`claim`).
///         Every state-changing function dispatches the pallet's own extrinsic with the caller
///         (the contract's or EOA's account through pallet-revive's address mapping) as the
///         signed origin: the same checks and benchmarked weight, never on behalf of another.
/// @dev Units: stable amounts in USD smallest units (18 decimals); collateral amounts in the
///      asset's smallest units (ETH 18 decimals, BTC 8); `asset` is a pallet-assets id
///      (1 USD, 2 ETH, 3 BTC); shares are the pool's share units, six decimals finer than the
///      stable (the first deposit of `amount` mints `amount * 10^6` shares, of which the
///      runtime's `MinimumShares`, 10^9 on the dev chain, are locked in the pool forever).
///      Amounts above 2^128 - 1 revert with `"Precompile.AmountTooLarge"`.
///      Errors: a failed call reverts with `Error(string)` whose reason is `"<Pallet>.<Error>"`
///      (for example `"Backstop.Slippage"`), and every change of the call is undone. Prices
///      older than the pool's `max_price_age` give `"Backstop.OracleStale"`. Calls in a static
///      context to a state-changing function and `delegatecall`s fail.
interface IBackstop {
    /// @notice The caller deposited `amount` of stable into the pool for `shares`.
    event Deposited(address indexed who, uint256 amount, uint256 shares);
    /// @notice The caller burnt `shares` for their part of every pool asset, in kind.
    event Withdrawn(address indexed who, uint256 shares);
    /// @notice The caller paid `stableIn` for `out` of collateral `asset`.
    event Swapped(address indexed who, uint32 indexed asset, uint256 stableIn, uint256 out);
    /// @notice The caller had the pool liquidate `seizedCollateral` of `borrower` in `market`.
    event Liquidated(
        address indexed caller, uint32 indexed market, address indexed borrower, uint256 seizedCollateral
    );

    /// @notice Deposit `amount` of stable for pool shares, priced at the pool's value.
    /// @return shares The shares minted.
    /// @dev Errors: `Backstop.ZeroAmount`, `Backstop.DepositTooSmall`,
    ///      `Backstop.InsufficientBalance`, `Backstop.AmountTooLarge`, `Backstop.OracleStale`,
    ///      `Backstop.PriceMissing`, `Backstop.PoolValueZero`.
    function deposit(uint256 amount) external returns (uint256 shares);

    /// @notice Burn `shares` for their pro-rata part of every pool asset, in kind (stable and
    ///         each collateral the pool holds). Needs no oracle price.
    /// @dev Errors: `Backstop.ZeroAmount`, `Backstop.InsufficientShares`,
    ///      `Backstop.NothingToWithdraw`.
    function withdraw(uint256 shares) external;

    /// @notice Redeem the caller's claim on lent stable that a withdrawal could not pay at once.
    /// @dev Errors: `Backstop.NoClaim`, `Backstop.LendingIlliquid`.
    function redeem() external;

    /// @notice Buy collateral `asset` with `stableIn` of stable at the curve's quote.
    /// @param minOut The least collateral (smallest units) the caller accepts.
    /// @return out The collateral paid to the caller, smallest units.
    /// @dev Errors: `Backstop.Slippage` (pays less than `minOut`), `Backstop.SwapTooSmall`,
    ///      `Backstop.UnknownCollateral`, `Backstop.ZeroAmount`, `Backstop.InsufficientBalance`,
    ///      `Backstop.OracleStale`, `Backstop.PriceMissing`, `Backstop.QuoteUnavailable`.
    function swap(uint32 asset, uint256 stableIn, uint256 minOut) external returns (uint256 out);

    /// @notice Have the pool liquidate `seizedCollateral` of `borrower`'s unhealthy position in
    ///         `market`: the pool pays the debt and receives the collateral; the caller (the
    ///         keeper) earns the pool's caller fee of the gain, in collateral. Not for avatar
    ///         positions (use `IAvatar.poolLiquidate`).
    /// @dev Errors: `Backstop.InsufficientStable`, `Backstop.SeizeExceedsCollateral`,
    ///      `Backstop.UnknownMarket`, `Backstop.NotStableMarket`, `Backstop.TooManyCollaterals`,
    ///      the market's `Lending.PositionHealthy`, `Lending.LiquidationNotPermitted`, ...
    function liquidate(uint32 market, address borrower, uint256 seizedCollateral) external;

    /// @notice Have the pool liquidate in full, in one pass, every position of `borrowers` in
    ///         `market` that is liquidatable now. A position that cannot be liquidated (no debt,
    ///         healthy, an avatar's, beyond the pool's idle stable) is skipped, never failing the
    ///         batch. The caller earns the pool's caller fee of the batch's gain, in collateral.
    ///         Charged for `borrowers.length` liquidations; skipped positions are refunded.
    /// @param borrowers At most the runtime's `MaxLiquidationBatch` (64 on the dev chain)
    ///        accounts; more revert with `"Precompile.BatchTooLarge"`.
    /// @dev Errors: `Backstop.UnknownMarket`, `Backstop.NotStableMarket`,
    ///      `Backstop.OracleStale`, `Backstop.PriceMissing`, `Backstop.TooManyCollaterals`.
    function liquidateMany(uint32 market, address[] calldata borrowers) external;

    /// @notice Bid `amount` of stable for a seat of the next franchise epoch, committing
    ///         `commitment` of stable liquidity for top-ups and member liquidations; both are
    ///         held until the auction settles. The whole new bid is given, not an increment.
    /// @dev Errors: `Backstop.BidTooLow`, `Backstop.CommitmentTooLow`, `Backstop.BidNotRaised`,
    ///      `Backstop.BidBelowWinning`, `Backstop.BidIncrementTooLow`, `Backstop.TooManyBidders`,
    ///      `Backstop.AuctionClosed`, `Backstop.InsufficientBalance`.
    function bid(uint256 amount, uint256 commitment) external;

    /// @notice Claim the caller's accrued reward from the jar, paid in stable.
    /// @return amount The stable paid, smallest units.
    /// @dev Errors: `Backstop.NothingToClaim`.
    function claim() external returns (uint256 amount);

    /// @notice Withdraw payouts that could not be made when due (a displaced bid's reserve, a
    ///         returned commitment).
    /// @dev Errors: `Backstop.NoRefund`.
    function withdrawRefund() external;

    /// @notice What `swap(asset, stableIn, _)` would pay now.
    /// @return out Collateral out, smallest units.
    /// @return fee The fee taken out of `stableIn`, stable smallest units.
    /// @dev Errors: `Backstop.ZeroAmount`, `Backstop.UnknownCollateral`,
    ///      `Backstop.OracleStale`, `Backstop.PriceMissing`, `Backstop.QuoteUnavailable`.
    function quoteSwap(uint32 asset, uint256 stableIn) external view returns (uint256 out, uint256 fee);

    /// @notice The pool's value `S + sum(c_i * p_i)` at fresh oracle prices, stable smallest
    ///         units (rounded down).
    function poolValue() external view returns (uint256);

    /// @notice The value of one pool share in stable units, scaled by 1e18 (rounded down;
    ///         zero for an empty pool).
    function sharePrice() external view returns (uint256);

    /// @notice All pool shares in issue.
    function totalShares() external view returns (uint256);

    /// @notice `who`'s pool shares.
    function sharesOf(address who) external view returns (uint256);

    /// @notice What `who`'s shares are worth, stable smallest units (rounded down).
    function valueOf(address who) external view returns (uint256);

    /// @notice `who`'s score so far (sum of weight * value * blocks).
    function scoreOf(address who) external view returns (uint256);

    /// @notice What `who` could claim now, stable smallest units.
    function claimable(address who) external view returns (uint256);

    /// @notice Payouts waiting for `who` (see `withdrawRefund`), stable smallest units.
    function refundOf(address who) external view returns (uint256);
}
