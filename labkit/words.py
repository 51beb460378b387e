"""The words minichain's pictures show (minichain.viz), in the course's languages.

viz draws in English unless the caller passes its own words; a Chinese notebook passes these.
Terms follow course/glossary.zh-CN.md.
"""

from __future__ import annotations

from labkit.i18n import pick

VIZ_ZH = {
    "avalanche.title": "雪崩效应",
    "avalanche.changed": "{total} 位中有 {changed} 位改变（{percent}%）",
    "avalanche.bit": "第 {index} 位：{bit}",
    "chain.title": "区块链",
    "chain.hash": "哈希 {hash}",
    "chain.prev": "父哈希 {hash}",
    "chain.txs": "{count} 笔交易",
    "chain.nonce": "随机数 {nonce}",
    "merkle.title": "默克尔树",
    "merkle.root": "默克尔根",
    "merkle.leaf": "交易 {index}",
    "fork.title": "分叉树",
    "fork.empty": "还没有区块",
    "fork.tip": "▲ {node}",
    "timeline.title": "消息时间线",
    "timeline.window": "时间 {start:.2f} 秒 … {end:.2f} 秒；红色虚线：丢失的消息",
    "message.inventory": "通告",
    "message.getdata": "索取数据",
    "message.transactions": "交易",
    "message.blocks": "区块",
    "message.getblocks": "请求同步",
    "message.hello": "握手",
}


def viz_words(lang: str) -> dict[str, str]:
    """The words for minichain.viz's `words=` in `lang` (English: viz's own, so an empty mapping)."""
    return dict(VIZ_ZH) if pick(lang, "zh", "en") == "zh" else {}
