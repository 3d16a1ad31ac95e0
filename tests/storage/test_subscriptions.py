"""Subscriptions: a chat follows regions or everything (全部); a document reaches its region's and its ancestors' followers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.alerts.policy import reach
from storage import Store
from storage.schema import EVERYTHING, subscriptions

TAIYUAN = "140100"  # 太原市, parent of 古交市
GUJIAO = "140181"  # 古交市
LVLIANG = "141100"  # 吕梁市, parent of 交城县
JIAOCHENG = "141122"  # 交城县
SHANXI = "140000"  # 山西省
BEIJING = "110000"
GROUP = -1001234567890  # a supergroup: beyond 32 bits


def test_subscribe_round_trip(store: Store) -> None:
    assert store.subscribe(1, GUJIAO) is True
    assert store.subscribe(1, GUJIAO) is False  # idempotent
    assert store.subscribe(1, None) is True
    assert store.subscribe(1, None) is False
    assert store.subscribe(1, JIAOCHENG) is True
    assert store.subscriptions(1) == [None, GUJIAO, JIAOCHENG]
    assert store.subscriptions(2) == []

    assert store.unsubscribe(1, GUJIAO) is True
    assert store.unsubscribe(1, GUJIAO) is False
    assert store.unsubscribe(1, None) is True
    assert store.unsubscribe(1, None) is False
    assert store.unsubscribe(2, JIAOCHENG) is False  # another chat's subscription is not touched
    assert store.subscriptions(1) == [JIAOCHENG]


def test_everything_is_stored_as_a_sentinel_and_given_back_as_none(store: Store) -> None:
    store.subscribe(GROUP, None)
    with store.engine.connect() as conn:
        stored = conn.execute(select(subscriptions.c.chat_id, subscriptions.c.region_code)).all()
    assert [tuple(row) for row in stored] == [(GROUP, EVERYTHING)]
    assert store.subscriptions(GROUP) == [None]
    assert store.subscribers(reach(None)) == [GROUP]


@pytest.mark.parametrize("bad", ["*", "", "14018", "1401811", "古交市", "14018x", "１４０１８１"])
def test_a_region_that_is_not_a_code_is_refused(store: Store, bad: str) -> None:
    with pytest.raises(ValueError, match="region code"):
        store.subscribe(1, bad)
    with pytest.raises(ValueError, match="region code"):
        store.unsubscribe(1, bad)
    assert store.subscriptions(1) == []


def test_subscribers_include_ancestors_and_everything(store: Store) -> None:
    store.subscribe(1, LVLIANG)
    store.subscribe(2, SHANXI)
    store.subscribe(3, TAIYUAN)
    store.subscribe(4, None)
    store.subscribe(5, JIAOCHENG)
    store.subscribe(6, GUJIAO)
    store.subscribe(GROUP, JIAOCHENG)
    assert store.subscribers(reach(JIAOCHENG)) == [
        GROUP,
        1,
        2,
        4,
        5,
    ]  # 吕梁市 and 山西省 contain 交城县; 太原市 does not
    assert store.subscribers(reach(GUJIAO)) == [2, 3, 4, 6]
    assert store.subscribers(reach(LVLIANG)) == [1, 2, 4]  # a county's follower does not get the prefecture's reports
    assert store.subscribers(reach(SHANXI)) == [2, 4]
    assert store.subscribers(reach(BEIJING)) == [4]
    assert store.subscribers(reach(None)) == [4]  # a document without a region reaches only "everything"


def test_a_chat_following_a_region_and_its_ancestors_is_listed_once(store: Store) -> None:
    for code in (JIAOCHENG, LVLIANG, SHANXI, None):
        store.subscribe(9, code)
    assert store.subscribers(reach(JIAOCHENG)) == [9]


def test_unknown_or_malformed_document_regions(store: Store) -> None:
    store.subscribe(1, "999999")  # six digits, not in the gazetteer: followed as given, no ancestors
    store.subscribe(2, None)
    assert store.subscribers(reach("999999")) == [1, 2]
    assert store.subscribers(reach("not-a-code")) == [2]
    assert store.subscribers(reach("*")) == [2]
    assert store.subscribers(reach("")) == [2]


def test_drop_chat_deletes_its_subscriptions_only(store: Store) -> None:
    store.subscribe(1, JIAOCHENG)
    store.subscribe(1, None)
    store.subscribe(2, JIAOCHENG)
    assert store.drop_chat(1, "Forbidden: bot was blocked by the user") == 0  # no alerts to drop
    assert store.subscriptions(1) == []
    assert store.subscriptions(2) == [JIAOCHENG]
    assert store.subscribers(reach(JIAOCHENG)) == [2]
    assert store.subscribe(1, JIAOCHENG) is True  # a chat that comes back may subscribe again


def test_subscriptions_survive_a_reopen(store_url: str) -> None:
    first = Store.open(store_url)
    first.subscribe(GROUP, LVLIANG)
    first.close()
    again = Store.open(store_url)
    try:
        assert again.subscriptions(GROUP) == [LVLIANG]
        assert again.subscribe(GROUP, LVLIANG) is False
    finally:
        again.close()
