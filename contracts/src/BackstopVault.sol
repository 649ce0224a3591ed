// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./interfaces/BackstopAddresses.sol";
import "./interfaces/IBackstop.sol";
import "./interfaces/IERC20.sol";

/// @title A vault that pools users' USD into the backstop pool (ERC-4626 shape)
/// @notice Users deposit USD (after `approve` on the USD ERC-20) and receive vault shares; the
///         vault deposits into the backstop pool through the `IBackstop` precompile and holds
///         the pool shares. One vault share is one pool share held by the vault, so a vault
///         share's value is the pool's share price and grows with the pool's liquidation gains
///         and fees. Redemptions are in kind, like the pool's own withdrawals: the receiver
///         gets the USD and the collateral (ETH, BTC) the pool pays for the shares.
/// @dev Amounts in USD smallest units (18 decimals); shares in pool share units. The pool's
///      errors come back as `Error(string)` reasons (`"Backstop.DepositTooSmall"`, ...).
contract BackstopVault {
    IBackstop internal constant POOL = IBackstop(BackstopAddresses.BACKSTOP);
    IERC20 internal constant USD = IERC20(BackstopAddresses.USD);
    IERC20 internal constant ETH = IERC20(BackstopAddresses.ETH);
    IERC20 internal constant BTC = IERC20(BackstopAddresses.BTC);

    /// @notice Pool shares an empty pool mints per smallest stable unit (pallet-backstop's
    ///         share scale: shares are six decimals finer than the stable).
    uint256 public constant EMPTY_POOL_SHARES_PER_UNIT = 1e6;
    /// @notice Shares the pool's first deposit locks in the pool forever (its `MinimumShares`
    ///         on the dev chain).
    uint256 public constant FIRST_DEPOSIT_LOCKED_SHARES = 1e9;

    string public constant name = "Backstop pool vault";
    string public constant symbol = "bvUSD";
    uint8 public constant decimals = 18;

    /// @notice Vault shares in issue (equal to the pool shares the vault holds).
    uint256 public totalSupply;
    /// @notice Vault shares of each holder.
    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    event Withdraw(
        address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares
    );
    /// @notice Collateral paid with a redemption, besides the USD of `Withdraw`.
    event CollateralPaid(address indexed receiver, uint256 eth, uint256 btc);

    /// @notice The vault's underlying asset: USD's ERC-20.
    function asset() external pure returns (address) {
        return address(USD);
    }

    /// @notice What the vault's pool shares are worth, USD smallest units.
    function totalAssets() public view returns (uint256) {
        return POOL.valueOf(address(this));
    }

    /// @notice Shares worth `assets` at the pool's share price (rounded down).
    function convertToShares(uint256 assets) public view returns (uint256) {
        uint256 price = POOL.sharePrice();
        return price == 0 ? assets * EMPTY_POOL_SHARES_PER_UNIT : (assets * 1e18) / price;
    }

    /// @notice What `shares` are worth at the pool's share price (rounded down).
    function convertToAssets(uint256 shares) public view returns (uint256) {
        return (shares * POOL.sharePrice()) / 1e18;
    }

    /// @notice About the shares a deposit of `assets` mints (the pool rounds in its favour).
    ///         The first deposit into an empty pool mints `assets · 10^6` shares, of which the
    ///         pool locks `FIRST_DEPOSIT_LOCKED_SHARES` forever.
    function previewDeposit(uint256 assets) external view returns (uint256) {
        if (POOL.totalShares() == 0) {
            uint256 minted = assets * EMPTY_POOL_SHARES_PER_UNIT;
            return minted > FIRST_DEPOSIT_LOCKED_SHARES ? minted - FIRST_DEPOSIT_LOCKED_SHARES : 0;
        }
        return convertToShares(assets);
    }

    /// @notice About the USD part a redemption of `shares` pays (the rest comes in kind).
    function previewRedeem(uint256 shares) external view returns (uint256) {
        return convertToAssets(shares);
    }

    /// @notice Vault shares `owner` can redeem.
    function maxRedeem(address owner) external view returns (uint256) {
        return balanceOf[owner];
    }

    /// @notice Deposit `assets` of the caller's USD (approved to the vault) into the pool and
    ///         mint the pool shares it gets to `receiver`.
    /// @return shares Vault shares minted.
    function deposit(uint256 assets, address receiver) external returns (uint256 shares) {
        require(USD.transferFrom(msg.sender, address(this), assets), "BackstopVault: transfer failed");
        shares = POOL.deposit(assets);
        totalSupply += shares;
        balanceOf[receiver] += shares;
        emit Transfer(address(0), receiver, shares);
        emit Deposit(msg.sender, receiver, assets, shares);
    }

    /// @notice Burn `shares` of the caller's and pay `receiver` what the pool pays for them:
    ///         USD and, in kind, the pool's collateral.
    /// @return assets The USD paid, smallest units.
    function redeem(uint256 shares, address receiver, address owner) external returns (uint256 assets) {
        require(owner == msg.sender, "BackstopVault: not the owner");
        require(balanceOf[owner] >= shares, "BackstopVault: insufficient shares");
        balanceOf[owner] -= shares;
        totalSupply -= shares;
        emit Transfer(owner, address(0), shares);

        uint256 usdBefore = USD.balanceOf(address(this));
        uint256 ethBefore = ETH.balanceOf(address(this));
        uint256 btcBefore = BTC.balanceOf(address(this));
        POOL.withdraw(shares);
        assets = USD.balanceOf(address(this)) - usdBefore;
        uint256 eth = ETH.balanceOf(address(this)) - ethBefore;
        uint256 btc = BTC.balanceOf(address(this)) - btcBefore;

        if (assets > 0) require(USD.transfer(receiver, assets), "BackstopVault: USD transfer failed");
        if (eth > 0) require(ETH.transfer(receiver, eth), "BackstopVault: ETH transfer failed");
        if (btc > 0) require(BTC.transfer(receiver, btc), "BackstopVault: BTC transfer failed");
        emit Withdraw(msg.sender, receiver, owner, assets, shares);
        if (eth > 0 || btc > 0) emit CollateralPaid(receiver, eth, btc);
    }
}
