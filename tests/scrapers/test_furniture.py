"""clean_text: furniture lines go, article lines stay, tables become tab-separated rows."""

from __future__ import annotations

import pytest

from scrapers.extract.furniture import clean_text, regroup_table_cells, table_rows_to_tabs

ARTICLE = "全年地区生产总值完成180.5亿元，比上年增长5.2%。" * 4


@pytest.mark.parametrize(
    "line",
    [
        "当前位置：首页 > 政务公开 > 统计信息",
        "上一篇：关于某事的通知",
        "分享到：微信 微博 QQ空间",
        "【打印本页】 【关闭窗口】",
        "字号：【大 中 小】",
        "版权所有：古交市人民政府 晋ICP备12345678号 晋公网安备14018102000001号",
        "Copyright © 1996-2007 Henan Newspapering Network Center. All Rights Reserved",
        "原创版权禁止商业转载 授权>>",
        "（责任编辑：黄帅）",
        "来源：太原晚报 2021-11-25 16:26:07",
        "http://biz.163.com　2005-04-25 08:24:06　来源: 第一财经日报　　　网友评论 0 条",
        "浏览次数：1234",
    ],
)
def test_furniture_lines_go(line: str) -> None:
    assert clean_text(f"{ARTICLE}\n{line}\n{ARTICLE}") == f"{ARTICLE}\n{ARTICLE}"


@pytest.mark.parametrize(
    "line",
    [
        "报名时间：2024年3月1日至3月10日",  # a notice's own dates are content
        "全市审结知识产权侵权案件120件。",
        "信息来源：古交市统计局",  # a source without a date stays
        "编辑：李楠",
        "央广网北京2月13日消息，自2022年2月10日起施行。",
        "规模以上工业增加值增长6.1%。",
    ],
)
def test_article_lines_stay(line: str) -> None:
    assert line in clean_text(f"{ARTICLE}\n{line}\n{ARTICLE}")


def test_trailing_sections_are_cut_from_their_heading_on() -> None:
    text = f"{ARTICLE}\n{ARTICLE}\n相关新闻\n古交市召开经济工作会议\n另一条新闻"
    assert clean_text(text) == f"{ARTICLE}\n{ARTICLE}"
    assert clean_text(f"{ARTICLE}\n振兴东北网版权与免责声明：\n① 凡本网注明……") == ARTICLE


def test_a_marker_before_the_article_is_dropped_alone() -> None:
    assert clean_text(f"相关新闻\n{ARTICLE}\n{ARTICLE}") == f"{ARTICLE}\n{ARTICLE}"


def test_markdown_rows_become_tab_separated() -> None:
    text = "| 指标 | 单位 | 数值 | \n|---|---|---|\n| 地区生产总值 | 亿元 | 180.5 | \n| 比率 \\| 增速 |  | 5.2 | "
    assert table_rows_to_tabs(text) == "指标\t单位\t数值\n地区生产总值\t亿元\t180.5\n比率 | 增速\t\t5.2"


def test_cells_set_one_per_line_are_regrouped_into_rows() -> None:
    tables = [[["指标", "数值"], ["地区生产总值", "180.5"], ["增速", ""]]]
    text = "前文\n指标\n数值\n地区生产总值\n180.5\n增速\n后文"
    assert regroup_table_cells(text, tables) == "前文\n指标\t数值\n地区生产总值\t180.5\n增速\n后文"
    assert regroup_table_cells("指标\n其他", tables) == "指标\n其他"
