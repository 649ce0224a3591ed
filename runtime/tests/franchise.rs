//! The franchise and the reward jar on the dev chain: accounts bid for seats, win them at the
//! epoch boundary and pay the lowest winning bid into the jar; a user who borrows through
//! an avatar earns score and claims the jar's income as it streams over the next epoch.

mod common;

use backstop_runtime::{
    genesis_config_presets::{dev_franchise_params, whole, ETH_USD_MARKET, USD},
    Assets, Avatar, Backstop, RuntimeOrigin,
};
use common::{account, dev_ext, run_blocks, usd};
use frame_support::{assert_noop, assert_ok};
use sp_keyring::Sr25519Keyring::{Bob, Charlie, Dave, Eve};

#[test]
fn bidders_win_seats_pay_the_jar_and_an_avatar_user_claims_the_income() {
    dev_ext().execute_with(|| {
        let params = dev_franchise_params();
        let epoch = params.epoch_length;
        run_blocks(1, 2, 3_000, 100);

        // A borrower routes through an avatar: the avatar's debt and collateral earn score.
        let user = account(Dave);
        assert_ok!(backstop_runtime::Lending::supply(
            RuntimeOrigin::signed(account(Eve)),
            ETH_USD_MARKET,
            usd(100_000)
        ));
        assert_ok!(Avatar::supply_collateral(
            RuntimeOrigin::signed(user.clone()),
            ETH_USD_MARKET,
            whole(18)
        ));
        assert_ok!(Avatar::borrow(
            RuntimeOrigin::signed(user.clone()),
            ETH_USD_MARKET,
            usd(1_000)
        ));

        // Two bidders for four seats: both win and both pay the lowest winning bid.
        let (bob, charlie) = (account(Bob), account(Charlie));
        let (bob_usd, charlie_usd) = (Assets::balance(USD, &bob), Assets::balance(USD, &charlie));
        assert_ok!(Backstop::bid(
            RuntimeOrigin::signed(bob.clone()),
            usd(30),
            usd(2_000)
        ));
        assert_ok!(Backstop::bid(
            RuntimeOrigin::signed(charlie.clone()),
            usd(20),
            usd(1_500)
        ));
        assert_noop!(
            Backstop::bid(RuntimeOrigin::signed(account(Eve)), 0, usd(500)),
            pallet_backstop::Error::<backstop_runtime::Runtime>::BidTooLow
        );

        // The epoch boundary settles the auction.
        run_blocks(3, epoch + 1, 3_000, 100);
        let franchise = Backstop::current_franchise();
        let mut members: Vec<_> = franchise.seats.iter().map(|s| s.member.clone()).collect();
        members.sort();
        let mut expected = vec![bob.clone(), charlie.clone()];
        expected.sort();
        assert_eq!(members, expected);
        // Each paid 20 USD and committed its liquidity.
        assert_eq!(Assets::balance(USD, &bob), bob_usd - usd(20) - usd(2_000));
        assert_eq!(
            Assets::balance(USD, &charlie),
            charlie_usd - usd(20) - usd(1_500)
        );
        // Every position is assigned to one of them (both can fund its 1 000 USD of debt).
        let assigned = Backstop::assignment(ETH_USD_MARKET, &Avatar::avatar_account(user.clone()));
        assert!(matches!(
            assigned.assignee,
            backstop_primitives::Assignee::Member(ref m) if m == &bob || m == &charlie
        ));

        // The 40 USD of auction income streams over the next epoch to the users by score;
        // the avatar user is the only one, so after the stream he can claim all of it but
        // rounding dust.
        run_blocks(epoch + 2, 3 * epoch + 2, 3_000, 100);
        let claimable = Backstop::claimable(&user);
        assert!(
            claimable > usd(40) - 1_000_000 && claimable <= usd(40),
            "{claimable}"
        );
        // The vault keeps the minimum balance (10^6: reaped, its rounding dust would vanish
        // from the supply); the part held back stays claimable.
        let before = Assets::balance(USD, &user);
        assert_ok!(Backstop::claim(RuntimeOrigin::signed(user.clone())));
        let paid = Assets::balance(USD, &user) - before;
        assert!(paid > claimable - 1_000_000 && paid <= claimable, "{paid}");
        assert_eq!(Backstop::claimable(&user), claimable - paid);
        assert!(Assets::balance(USD, Backstop::vault_account()) >= 1_000_000);
    });
}

/// The rotation is real on the dev chain: a normal avatar position (1 000 USD of debt, far
/// below the runtime's 1 000 000 USD `big_position`) is assigned to exactly one member per
/// window, and only that member may top it up.
#[test]
fn a_normal_position_is_assigned_to_exactly_one_member_per_window() {
    dev_ext().execute_with(|| {
        let params = dev_franchise_params();
        let epoch = params.epoch_length;
        run_blocks(1, 2, 3_000, 100);
        let user = account(Dave);
        assert_ok!(backstop_runtime::Lending::supply(
            RuntimeOrigin::signed(account(Eve)),
            ETH_USD_MARKET,
            usd(100_000)
        ));
        assert_ok!(Avatar::supply_collateral(
            RuntimeOrigin::signed(user.clone()),
            ETH_USD_MARKET,
            whole(18)
        ));
        assert_ok!(Avatar::borrow(
            RuntimeOrigin::signed(user.clone()),
            ETH_USD_MARKET,
            usd(1_000)
        ));
        let (bob, charlie) = (account(Bob), account(Charlie));
        assert_ok!(Backstop::bid(
            RuntimeOrigin::signed(bob.clone()),
            usd(30),
            usd(2_000)
        ));
        assert_ok!(Backstop::bid(
            RuntimeOrigin::signed(charlie.clone()),
            usd(20),
            usd(2_000)
        ));
        run_blocks(3, epoch + 1, 3_000, 5);
        assert_eq!(Backstop::current_franchise().seats.len(), 2);

        // ETH at 1 400: the position (1 000 against 1 ETH, lltv 77 %) is in the top-up band.
        let avatar = Avatar::avatar_account(user.clone());
        let n = epoch + 2;
        run_blocks(n, n, 1_400, 1);
        let backstop_primitives::Assignee::Member(assigned) =
            Backstop::assignment(ETH_USD_MARKET, &avatar).assignee
        else {
            panic!("a member is assigned")
        };
        let other = if assigned == bob { charlie } else { bob };
        assert_noop!(
            Avatar::top_up(
                RuntimeOrigin::signed(other),
                ETH_USD_MARKET,
                user.clone(),
                usd(50)
            ),
            pallet_avatar::Error::<backstop_runtime::Runtime>::NotAssignedMember
        );
        assert_ok!(Avatar::top_up(
            RuntimeOrigin::signed(assigned),
            ETH_USD_MARKET,
            user,
            usd(50)
        ));
    });
}
