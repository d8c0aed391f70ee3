"""Synthetic Chinese names for people, places and roads (our own character lists)."""

import itertools
import random

# Common surnames, most frequent first; weights fall off with rank.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_CUM = tuple(itertools.accumulate(1.0 / (8 + i) for i in range(len(SURNAMES))))
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国文志红玲飞鹏辉斌宇浩凯佳欣雪梅琳"
    "婷慧晨阳波宁鑫雨轩子涵梓睿晓燕玉萍春燕俊峰东海亮林成思怡嘉琪佳豪一诺若汐宏德福荣昊然"
)

# Place-name characters with pinyin, for community, street and road names.
PLACE_CHARS = (
    ("锦", "jin"), ("城", "cheng"), ("玉", "yu"), ("林", "lin"), ("芳", "fang"), ("草", "cao"),
    ("桂", "gui"), ("溪", "xi"), ("紫", "zi"), ("荆", "jing"), ("新", "xin"), ("南", "nan"),
    ("棕", "zong"), ("北", "bei"), ("丽", "li"), ("都", "du"), ("望", "wang"), ("江", "jiang"),
    ("沙", "sha"), ("河", "he"), ("双", "shuang"), ("桥", "qiao"), ("东", "dong"),
    ("光", "guang"), ("水", "shui"), ("井", "jing"), ("书", "shu"), ("院", "yuan"),
    ("春", "chun"), ("熙", "xi"), ("金", "jin"), ("华", "hua"), ("青", "qing"), ("龙", "long"),
    ("百", "bai"), ("花", "hua"), ("永", "yong"), ("丰", "feng"), ("晋", "jin"), ("阳", "yang"),
    ("兴", "xing"), ("和", "he"), ("平", "ping"), ("安", "an"), ("康", "kang"), ("宁", "ning"),
    ("福", "fu"), ("泰", "tai"), ("祥", "xiang"), ("瑞", "rui"), ("清", "qing"), ("明", "ming"),
    ("月", "yue"), ("竹", "zhu"), ("松", "song"), ("柏", "bai"), ("梅", "mei"), ("荷", "he"),
    ("塘", "tang"), ("湖", "hu"), ("山", "shan"), ("石", "shi"), ("桃", "tao"), ("源", "yuan"),
    ("盛", "sheng"), ("文", "wen"), ("德", "de"), ("乐", "le"), ("泉", "quan"), ("凤", "feng"),
    ("鸣", "ming"), ("云", "yun"), ("翠", "cui"), ("苑", "yuan"), ("星", "xing"), ("辉", "hui"),
)
PINYIN = dict(PLACE_CHARS)
# The demo street's communities, in the order they are handed out.
COMMUNITY_NAMES = ("锦城", "玉林", "芳草", "桂溪", "紫荆", "新南", "棕北", "丽都", "望江", "沙河")
ARTERIAL_NAMES = ("人民南路", "锦城大道", "玉林北路", "科华北路", "紫荆西路", "桂溪路",
                  "新南路", "丽都路", "芳草大道", "望江路")
DIRECTIONS = "东西南北"


def person(rng: random.Random) -> str:
    """A synthetic full name: surname plus one or two given-name characters."""
    surname = rng.choices(SURNAMES, cum_weights=SURNAME_CUM)[0]
    given = GIVEN[rng.randrange(len(GIVEN))]
    if rng.random() < 0.7:
        given += GIVEN[rng.randrange(len(GIVEN))]
    return surname + given


def pinyin(name: str) -> str:
    """Capitalised pinyin of a name made from PLACE_CHARS ('玉林' → 'Yulin')."""
    return "".join(PINYIN[c] for c in name).capitalize()


class PlaceNames:
    """Hands out unique two-character place names, curated ones first."""

    def __init__(self, rng: random.Random, curated: tuple[str, ...] = ()) -> None:
        self.rng = rng
        self.curated = list(curated)
        self.used: set[str] = set()

    def take(self) -> str:
        """The next unused name."""
        while self.curated:
            name = self.curated.pop(0)
            if name not in self.used:
                self.used.add(name)
                return name
        for _ in range(10_000):
            a, b = self.rng.choice(PLACE_CHARS)[0], self.rng.choice(PLACE_CHARS)[0]
            if a != b and a + b not in self.used:
                self.used.add(a + b)
                return a + b
        raise RuntimeError("ran out of place names")


def arterial_name(names: PlaceNames, rng: random.Random, curated: list[str]) -> str:
    """A main road name ending in 路 or 大道."""
    if curated:
        return curated.pop(0)
    base = names.take()
    if rng.random() < 0.25:
        return base + "大道"
    return base + (rng.choice(DIRECTIONS) if rng.random() < 0.5 else "") + "路"


def local_name(names: PlaceNames, rng: random.Random) -> str:
    """A local street name ending in 街 or 巷."""
    return names.take() + rng.choice(("街", "街", "巷", "一街", "二巷", "横街", "巷"))
