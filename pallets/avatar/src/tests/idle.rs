//! The avatar sweep in the block's idle time: avatar positions the market sees liquidatable
//! are synced (their episode starts) and, once the members' priority is over, liquidated by the
//! pool, with no keeper.

use super::mock::*;
use crate::Event;
use backstop_primitives::{Assignee, Balance, LendingMarket};
use frame_support::{traits::Hooks, weights::Weight};

fn idle() -> Weight {
    <Avatar as Hooks<BlockNumber>>::on_idle(System::block_number(), Weight::MAX)
}

fn debt(user: AccountId) -> Balance {
    Lending::position(MARKET, &Avatar::avatar_of(&user))
        .unwrap()
        .borrow_assets
}

#[test]
fn a_position_the_franchise_gives_to_the_pool_is_liquidated_in_the_same_block() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(BOB, UNIT, 1_000 * UNIT);
        assign(BOB, Assignee::Pool);
        set_eth_price(1200);
        assert!(debt(BOB) > 0);
        let used = idle();
        assert_eq!(debt(BOB), 0, "the pool liquidated it with no keeper");
        assert!(avatar_events()
            .iter()
            .any(|e| matches!(e, Event::Liquidated { user: BOB, .. })));
        assert!(used.any_gt(Weight::zero()));
    });
}

#[test]
fn a_members_position_waits_for_the_priority_then_the_pool_takes_it() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(BOB, UNIT, 1_000 * UNIT);
        assign(BOB, Assignee::Member(MEMBER_1));
        set_eth_price(1200);
        // The sweep starts the episode (as `sync` would) and leaves the member its priority.
        idle();
        assert!(debt(BOB) > 0);
        assert!(!Avatar::priority_passed(MARKET, &BOB));
        // The market's priority window (600 blocks) runs from the episode's start.
        run_to_block(601);
        set_eth_price(1200);
        idle();
        assert_eq!(debt(BOB), 0, "the pool's turn came and the sweep took it");
    });
}

#[test]
fn healthy_positions_and_a_lack_of_spare_weight_leave_everything_alone() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(BOB, UNIT, 1_000 * UNIT);
        assign(BOB, Assignee::Pool);
        idle();
        assert_eq!(debt(BOB), 1_000 * UNIT);
        set_eth_price(1200);
        assert_eq!(
            <Avatar as Hooks<BlockNumber>>::on_idle(System::block_number(), Weight::zero()),
            Weight::zero()
        );
        assert!(debt(BOB) > 0);
    });
}
