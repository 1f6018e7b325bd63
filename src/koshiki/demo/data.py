"""Demo bodies, departments and staff for the four seed guidelines (fictional people).

Each body has the personas the tests and the demo use: 広報主管課長 (organization
administrator), 所属長 (account manager of a department), 担当者 (operator), and the
body's own officers from its guideline (総合政策部長, 情報統括管理者, 議長 ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEMO_PASSWORD = "koshiki-demo-2026"


@dataclass(frozen=True)
class Person:
    username: str
    name: str
    title: str
    department: str | None
    roles: tuple[str, ...] = ()
    admin: bool = False
    language: str = "ja"


@dataclass(frozen=True)
class Body:
    lgcode: str
    kind: str
    name: str
    name_en: str
    profile_id: str
    domains: tuple[str, ...]
    public: tuple[str, ...]
    departments: tuple[tuple[str, ...], ...]  # (code, name) or (code, name, parent code); parents first
    people: tuple[Person, ...] = field(default_factory=tuple)


BODIES: tuple[Body, ...] = (
    Body(
        "072044", "executive", "いわき市", "Iwaki City", "iwaki", ("city.iwaki.lg.jp",),
        ("いわき市役所 福島県いわき市平字梅本21 0246-22-1111", "いわき総合図書館 0246-22-5552"),
        (("sp", "総合政策部"), ("sm", "総務部"), ("fk", "ふるさと発信課", "sp"),
         ("kk", "危機管理課", "sm"), ("tosho", "いわき総合図書館")),
        (
            Person("iwaki-kouhou", "小野寺 真理子", "ふるさと発信課長", "fk", ("pr_division", "account_manager"), admin=True),
            Person("iwaki-kacho", "佐久間 健一", "危機管理課長", "kk", ("account_manager",)),
            Person("iwaki-tanto", "渡辺 彩花", "危機管理課 主事", "kk", ("operator",)),
            Person("iwaki-bucho", "草野 隆", "総合政策部長", "sp", ("policy_director", "info_manager")),
            Person("iwaki-ciso", "鈴木 一郎", "総務部長", "sm", ("ciso", "info_manager")),
            Person("iwaki-tosho", "高木 陽子", "図書館長", "tosho", ("account_manager",), language="en"),
        ),
    ),
    Body(
        "082244", "council", "守谷市議会", "Moriya City Council", "moriya-council", ("city.moriya.ibaraki.jp",),
        ("守谷市役所 茨城県守谷市大柏950-1 0297-45-1111",),
        (("jimu", "議会事務局"),),
        (
            Person("moriya-jimukyokucho", "飯田 和夫", "議会事務局長", "jimu", (), admin=True),
            Person("moriya-gicho", "坂本 恵子", "議長", None, ("chair", "account_manager")),
            Person("moriya-tanto", "松本 翔太", "議会事務局 議事係長", "jimu", ("operator",)),
        ),
    ),
    Body(
        "012165", "executive", "芦別市", "Ashibetsu City", "ashibetsu", ("city.ashibetsu.hokkaido.jp",),
        ("芦別市役所 北海道芦別市北1条東1丁目3 0124-22-2111",),
        (("somu", "総務課"), ("kikaku", "企画課"), ("shoko", "商工観光課"), ("joho", "情報化担当", "somu")),
        (
            Person("ashibetsu-kouhou", "石田 美穂", "企画課長（広報担当）", "kikaku", ("account_manager",), admin=True),
            Person("ashibetsu-kacho", "山本 浩二", "商工観光課長", "shoko", ("account_manager",)),
            Person("ashibetsu-tanto", "中村 さくら", "商工観光課 主任", "shoko", ("operator",)),
            Person("ashibetsu-joho", "加藤 誠", "情報化担当", "joho", ("it_desk",)),
        ),
    ),
    Body(
        "232211", "executive", "新城市", "Shinshiro City", "shinshiro", ("city.shinshiro.lg.jp",),
        ("新城市役所 愛知県新城市東入船115 0536-23-1111",),
        (("hisho", "市長公室 秘書広報課"), ("kanko", "観光課"), ("bosai", "防災安全課")),
        (
            Person("shinshiro-kouhou", "夏目 直樹", "秘書広報課長", "hisho", ("pr_division", "account_manager"), admin=True),
            Person("shinshiro-kacho", "鈴木 優子", "観光課長", "kanko", ("account_manager",)),
            Person("shinshiro-tanto", "原田 拓海", "観光課 主事", "kanko", ("operator",)),
        ),
    ),
)
