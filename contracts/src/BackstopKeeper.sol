// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./interfaces/BackstopAddresses.sol";
import "./interfaces/IBackstop.sol";
import "./interfaces/IERC20.sol";

/// @title A keeper that has the pool liquidate a position and buys the collateral back from
///        the pool, atomically, with a minimum
/// @notice The pool's `swap` sells collateral for stable (it never buys collateral), so the
///         keeper's round trip is: the pool liquidates (`IBackstop.liquidate`, the keeper earns
///         the pool's caller fee in collateral), then the keeper buys collateral from the pool
///         with stable at the curve's price, below the oracle price when the pool holds more
///         collateral than its target (`IBackstop.swap`). Everything reverts unless at least
///         `minOut` of the collateral came in, so a keeper never ends a transaction worse off
///         than it asked for. Only the owner (the deployer) may use it and take its tokens.
/// @dev Amounts in smallest units (stable: USD, 18 decimals; collateral: the asset's own).
contract BackstopKeeper {
    IBackstop internal constant POOL = IBackstop(BackstopAddresses.BACKSTOP);

    /// @notice The account that may use the keeper and sweep its tokens.
    address public immutable owner;

    /// @notice A round trip: `received` collateral for `stableIn` stable (and the caller fee).
    event RoundTrip(
        uint32 indexed market, address indexed borrower, uint32 collateral, uint256 stableIn, uint256 received
    );

    constructor() {
        owner = msg.sender;
    }

    modifier onlyOwner() {
        require(msg.sender == owner, "BackstopKeeper: not the owner");
        _;
    }

    /// @notice The ERC-20 precompile of pallet-assets asset `id` (its id in bytes 0-3, the
    ///         prefix 0x0120 in bytes 16-17).
    function tokenOf(uint32 id) public pure returns (IERC20) {
        return IERC20(address(uint160((uint256(id) << 128) | 0x01200000)));
    }

    /// @notice Have the pool liquidate `seized` collateral of `borrower` in `market`, then buy
    ///         collateral `collateral` from the pool with `stableIn` of the keeper's stable
    ///         (none if zero).
    /// @param minOut The least collateral (caller fee and purchase together) the keeper accepts.
    /// @return received The collateral that came in.
    function liquidateAndBuy(
        uint32 market,
        address borrower,
        uint256 seized,
        uint32 collateral,
        uint256 stableIn,
        uint256 minOut
    ) external onlyOwner returns (uint256 received) {
        IERC20 token = tokenOf(collateral);
        uint256 before = token.balanceOf(address(this));
        POOL.liquidate(market, borrower, seized);
        if (stableIn > 0) POOL.swap(collateral, stableIn, 0);
        received = token.balanceOf(address(this)) - before;
        require(received >= minOut, "BackstopKeeper: below minimum");
        emit RoundTrip(market, borrower, collateral, stableIn, received);
    }

    /// @notice Send `amount` of `token` to the owner.
    function sweep(IERC20 token, uint256 amount) external onlyOwner {
        require(token.transfer(owner, amount), "BackstopKeeper: transfer failed");
    }
}
