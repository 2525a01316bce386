"""Settings of the gridwork app, with their defaults. Override any of them in portal/settings."""

from django.conf import settings

DEFAULTS = {
    # A township's monthly report is due by this day of the next month; after it, the city's overview and
    # home panel name the townships that have not reported.
    "GRIDWORK_REPORT_DUE_DAY": 5,
    # Which product group a sample belongs to, by the words in its product name (样品名称). The first
    # group with a matching word wins, so specific names (黄瓜) come before general ones (瓜).
    "GRIDWORK_PRODUCT_GROUP_WORDS": [
        ("vegetable", ("黄瓜", "西葫芦", "冬瓜", "南瓜", "苦瓜", "丝瓜", "番茄", "西红柿", "辣椒", "茄子", "豆角",
                       "芹菜", "韭菜", "白菜", "菠菜", "萝卜", "土豆", "马铃薯", "洋葱", "葱", "蒜", "生菜",
                       "油麦菜", "甘蓝", "花菜", "菜花", "蘑菇", "菇", "笋")),
        ("fruit", ("西瓜", "甜瓜", "哈密瓜", "葡萄", "苹果", "梨", "桃", "杏", "枣", "枸杞", "草莓", "樱桃",
                   "李子", "石榴", "果")),
        ("livestock", ("肉", "蛋", "奶", "乳", "鸡", "鸭", "鹅", "猪", "牛", "羊", "驴", "马", "蜂蜜")),
        ("aquatic", ("鱼", "虾", "蟹", "贝")),
        ("grain", ("小麦", "玉米", "稻", "米", "面", "豆", "油", "葵花")),
        ("vegetable", ("菜",)),
    ],
    # The townships' assessment (考核, the plan 五(五)): the scheme a year gets when the city opens it without
    # one, as (indicator code, weight, target in per cent). The weights add up to 100.
    "GRIDWORK_ASSESSMENT_DEFAULTS": [
        ("inspection_frequency", 20, 100),  # 日常巡查达到规定频次
        ("rapid_test_quota", 15, 100),  # 速测完成任务数
        ("complaints_accepted_on_time", 5, 100),  # 投诉举报按期受理
        ("complaints_on_time", 10, 100),  # 投诉举报按期办结
        ("satisfaction", 10, 90),  # 群众满意
        ("training_coverage", 10, 100),  # 年度培训全覆盖
        ("grids_staffed", 10, 100),  # 所有网格明确网格监管员和协管员
        ("registry_updated", 10, 100),  # 名录一年内更新
        ("traceability", 10, 100),  # 追溯覆盖
    ],
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
